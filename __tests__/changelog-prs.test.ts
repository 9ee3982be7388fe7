/** Commits → PRs (pure): the release branch, the PR that merged each commit, commits without PR. */
import type { AssociatedPr, CommitAssociations, RangeCommit } from '../src/changelog/port.js';
import { firstParentLine, mapPullRequests, releaseBranch } from '../src/changelog/prs.js';

const commit = (sha: string, parents: string[] = [], message = `commit ${sha}`): RangeCommit => ({ sha, parents, message, authorName: 'A', bot: false, date: '2025-01-01T00:00:00Z' });
const pr = (number: number, over: Partial<AssociatedPr> = {}): AssociatedPr => ({
  number, title: `PR ${number}`, body: '', url: `u/${number}`, mergedAt: `2025-01-0${Math.min(9, number)}T00:00:00Z`, base: 'main', author: { login: 'alice', bot: false }, labels: [], mergeCommit: null, ...over,
});
const assoc = (entries: Record<string, AssociatedPr[]>, truncated: string[] = []): Map<string, CommitAssociations> =>
  new Map(Object.entries(entries).map(([sha, prs]) => [sha, { prs, truncated: truncated.includes(sha) }]));

// base ← s1 (squash #1) ← m2 (merge #2 of b1, b2) ← r3a ← r3b (rebase #3) ← d (direct)
const b1 = commit('b1', ['base']);
const b2 = commit('b2', ['b1']);
const s1 = commit('s1', ['base']);
const m2 = commit('m2', ['s1', 'b2']);
const r3a = commit('r3a', ['m2']);
const r3b = commit('r3b', ['r3a']);
const d = commit('d', ['r3b'], 'chore: direct\n\nbody');
const range = [s1, b1, b2, m2, r3a, r3b, d];

it('the first-parent line leaves merged branches out', () => {
  expect(firstParentLine(range, 'd')).toEqual(['d', 'r3b', 'r3a', 'm2', 's1']);
});

it('maps squash, merge and rebase merges; the direct push stays apart', () => {
  const p1 = pr(1, { mergeCommit: 's1' });
  const p2 = pr(2, { mergeCommit: 'm2' });
  const p3 = pr(3, { mergeCommit: 'r3b' });
  const mapping = mapPullRequests(range, assoc({ s1: [p1], b1: [p2], b2: [p2], m2: [p2], r3a: [p3], r3b: [p3], d: [] }), 'd', 'main');
  expect(mapping.branch).toEqual({ name: 'main', source: 'first-parent-line' });
  expect(mapping.prs.map((p) => [p.number, p.commits.map((c) => c.sha)])).toEqual([
    [1, ['s1']],
    [2, ['b1', 'b2', 'm2']],
    [3, ['r3a', 'r3b']],
  ]);
  expect(mapping.withoutPr.map((c) => c.commit.sha)).toEqual(['d']);
});

it('a branch merged without PR: its PRs went into another branch, so its commits are listed without PR, with where they came from', () => {
  const feature = pr(5, { base: 'develop', mergeCommit: 'b2' });
  const mapping = mapPullRequests(range, assoc({ s1: [pr(1, { mergeCommit: 's1' })], b1: [feature], b2: [feature] }), 'd', 'main');
  expect(mapping.prs.map((p) => p.number)).toEqual([1]);
  expect(mapping.withoutPr.find((c) => c.commit.sha === 'b1')?.otherPrs).toEqual([{ number: 5, base: 'develop' }]);
});

it('a PR whose merge commit is outside the range was released before', () => {
  const old = pr(1, { mergeCommit: 'older' });
  expect(mapPullRequests(range, assoc({ b1: [old] }), 'd', 'main').prs).toEqual([]);
});

it('a commit inside two merged PRs belongs to the one that merged it, else the earlier', () => {
  const first = pr(6, { mergeCommit: 'm2', mergedAt: '2025-02-01T00:00:00Z' });
  const later = pr(7, { mergeCommit: 'r3b', mergedAt: '2025-03-01T00:00:00Z' });
  const mapping = mapPullRequests(range, assoc({ b1: [later, first], m2: [later, first], r3b: [later] }), 'd', 'main');
  expect(mapping.prs.map((p) => [p.number, p.commits.map((c) => c.sha)])).toEqual([
    [6, ['b1', 'm2']],
    [7, ['r3b']],
  ]);
});

it('open or unmerged PRs never count', () => {
  expect(mapPullRequests(range, assoc({ d: [pr(8, { mergedAt: null })] }), 'd', 'main').prs).toEqual([]);
});

describe('the release branch', () => {
  it('is the base of the PRs merged on the first-parent line (a hotfix branch, not the default)', () => {
    const hot = (n: number, sha: string) => pr(n, { base: 'release/2.14', mergeCommit: sha });
    expect(releaseBranch(range, assoc({ s1: [hot(1, 's1')], r3b: [hot(3, 'r3b')], m2: [pr(2, { mergeCommit: 'm2' })] }), 'd', 'main')).toEqual({ name: 'release/2.14', source: 'first-parent-line' });
  });

  it('is the default branch when only direct pushes are on the line', () => {
    expect(releaseBranch(range, assoc({}), 'd', 'trunk')).toEqual({ name: 'trunk', source: 'default-branch' });
  });

  it('ties go to the default branch', () => {
    expect(releaseBranch(range, assoc({ s1: [pr(1, { base: 'next', mergeCommit: 's1' })], m2: [pr(2, { mergeCommit: 'm2' })] }), 'd', 'main').name).toBe('main');
  });
});

it('warns when GitHub holds more associated PRs than were read and none merged the commit', () => {
  const mapping = mapPullRequests(range, assoc({ d: [pr(9, { base: 'other' })] }, ['d']), 'd', 'main');
  expect(mapping.warnings).toEqual(['commit d belongs to more pull requests than GitHub listed; the one that merged it may be missing']);
});
