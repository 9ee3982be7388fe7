/** Range selection over a fake port: which tag starts the range, and what each choice costs. */
import type { ChangelogPort, ComparePage, RangeCommit, TagRef } from '../src/changelog/port.js';
import { RefNotFound } from '../src/changelog/port.js';
import { openRange, previousTagCandidates } from '../src/changelog/range.js';
import type { Version } from '../src/settings.js';

const version = (tag: string, prerelease = tag.includes('-')): Version => ({ tag, semver: tag.replace(/^v/, ''), prerelease });
const tags = (...names: string[]): TagRef[] => names.map((name) => ({ name, commit: `sha-${name}` }));
const commit = (sha: string): RangeCommit => ({ sha, parents: [], message: sha, authorName: 'A', bot: false, date: '' });

describe('previousTagCandidates', () => {
  it('keeps SemVer tags below the version, highest first, with or without a leading v', () => {
    const names = previousTagCandidates(tags('v1.2.0', '1.10.0', 'v2.0.0', 'v1.9.9', 'nightly', 'api-v1.0.0', 'v1.3'), version('v2.0.0')).map((t) => t.name);
    expect(names).toEqual(['1.10.0', 'v1.9.9', 'v1.2.0']);
  });

  it('skips pre-releases for a stable version, keeps them for a pre-release', () => {
    const all = tags('v2.0.0-rc.1', 'v2.0.0-rc.2', 'v1.9.0', 'v1.9.1-beta.1');
    expect(previousTagCandidates(all, version('v2.0.0')).map((t) => t.name)).toEqual(['v1.9.0']);
    expect(previousTagCandidates(all, version('v2.0.0-rc.3')).map((t) => t.name)).toEqual(['v2.0.0-rc.2', 'v2.0.0-rc.1', 'v1.9.1-beta.1', 'v1.9.0']);
  });
});

/** A port whose comparisons answer from a table and count pages as requests. */
function fakePort(options: { tags?: TagRef[]; statuses?: Record<string, ComparePage['status']>; pages?: number; missing?: string[] }) {
  const calls: string[] = [];
  let closed = 0;
  const port: ChangelogPort = {
    requests: 0,
    async listTags() {
      calls.push('tags');
      return options.tags ?? [];
    },
    compare(base, head) {
      let page = 0;
      return {
        [Symbol.asyncIterator]: () => ({
          async next() {
            if (options.missing?.includes(base)) throw new RefNotFound(base);
            if (page >= (options.pages ?? 1)) return { done: true, value: undefined };
            page += 1;
            calls.push(`compare ${base}...${head} p${page}`);
            return { done: false, value: { status: options.statuses?.[base] ?? 'ahead', totalCommits: options.pages ?? 1, base: { sha: base, date: '2025-01-01T00:00:00Z' }, commits: [commit(`${base}-${page}`)] } };
          },
          async return() {
            closed += 1;
            return { done: true, value: undefined };
          },
        }),
      };
    },
    async *history(head) {
      calls.push(`history ${head}`);
      yield [commit('h2'), commit('h1')];
    },
    // The range's pages are read by collect.ts, not by openRange: nothing here reads history with PRs.
    async *historyWithPullRequests(head) {
      calls.push(`history with PRs ${head}`);
    },
    associatedPullRequests: async () => ({ byCommit: new Map() }),
    mergedPullRequestCounts: async () => new Map(),
  };
  return { port, calls, closed: () => closed };
}

async function read(pages: AsyncIterable<readonly RangeCommit[]>): Promise<string[]> {
  const shas: string[] = [];
  for await (const page of pages) shas.push(...page.map((c) => c.sha));
  return shas;
}

const settings = { version: version('v2.0.0'), sha: 'head' };

it('the first comparison page both proves ancestry and starts the range: no extra request', async () => {
  const { port, calls } = fakePort({ tags: tags('v1.9.0', 'v1.8.0'), pages: 3 });
  const { start, pages } = await openRange(port, settings);
  expect(start).toMatchObject({ from: 'v1.9.0', fromSha: 'sha-v1.9.0', chosen: 'auto', firstRelease: false, skippedTags: [], expectedCommits: 3 });
  expect(await read(pages)).toEqual(['sha-v1.9.0-1', 'sha-v1.9.0-2', 'sha-v1.9.0-3']);
  expect(calls).toEqual(['tags', 'compare sha-v1.9.0...head p1', 'compare sha-v1.9.0...head p2', 'compare sha-v1.9.0...head p3']);
});

it('a higher tag that is not an ancestor (a hotfix line) is skipped at the cost of one page', async () => {
  const { port, calls, closed } = fakePort({ tags: tags('v1.9.1', 'v1.9.0'), statuses: { 'sha-v1.9.1': 'diverged' } });
  const { start } = await openRange(port, settings);
  expect(start).toMatchObject({ from: 'v1.9.0', skippedTags: ['v1.9.1'] });
  expect(calls).toEqual(['tags', 'compare sha-v1.9.1...head p1', 'compare sha-v1.9.0...head p1']);
  expect(closed()).toBe(1);
});

it('no ancestor tag: a first release over the whole history', async () => {
  const { port, calls } = fakePort({ tags: tags('v2.1.0', 'v1.0.0'), statuses: { 'sha-v1.0.0': 'behind' } });
  const { start, pages } = await openRange(port, settings);
  expect(start).toMatchObject({ firstRelease: true, chosen: 'none', skippedTags: ['v1.0.0'] });
  expect(start.from).toBeUndefined();
  expect(await read(pages)).toEqual(['h2', 'h1']);
  expect(calls).toEqual(['tags', 'compare sha-v1.0.0...head p1', 'history head']);
});

it('previous-release-tag is used as given; one that is not an ancestor gives a warning, not an error', async () => {
  const { port, calls } = fakePort({ statuses: { 'v1.5.0': 'diverged' } });
  const { start } = await openRange(port, { ...settings, previousReleaseTag: 'v1.5.0' });
  expect(start).toMatchObject({ from: 'v1.5.0', chosen: 'input' });
  expect(start.warnings).toEqual(["previous-release-tag 'v1.5.0' is not an ancestor of head (diverged): the changes are the commits head has and v1.5.0 has not"]);
  expect(calls).toEqual(['compare v1.5.0...head p1']);
});

it('a previous-release-tag that does not exist is an error that says what to do', async () => {
  const { port } = fakePort({ missing: ['v0.0.1'] });
  await expect(openRange(port, { ...settings, previousReleaseTag: 'v0.0.1' })).rejects.toThrow("previous-release-tag 'v0.0.1' does not exist in this repository: give an existing tag, or leave it empty to pick the highest SemVer tag below the version");
});
