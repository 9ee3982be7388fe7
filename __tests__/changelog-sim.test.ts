/** The changelog against the simulated GitHub (REST + GraphQL checked against GitHub's schemas), through the action's real Octokit. */
import { SimGitHub } from '../sim/github/index.js';
import { seedReleaseHistory } from '../sim/github/scenarios/release-history.js';
import { changelogPort } from '../src/changelog/github.js';
import { buildChangelog, collectSuspects, type ChangelogResult } from '../src/changelog/index.js';
import { createOctokit } from '../src/github/octokit.js';
import { parseSettings, type Settings } from '../src/settings.js';

let sim: SimGitHub;
let minute: number;
const log = { info: () => undefined, warning: () => undefined };

beforeEach(async () => {
  minute = 0;
  // Every read of the clock is a minute later: merge times are distinct and ordered.
  sim = await SimGitHub.start({ owner: 'acme', repo: 'shop', clock: () => Date.UTC(2025, 0, 1) + 60_000 * minute++ });
});
afterEach(() => sim.stop());

function settingsFor(input: { version: string; sha: string; previousReleaseTag?: string }): Settings {
  const inputs: Record<string, string> = {
    environment: 'prod', service: 'shop', 'dry-run': 'true', 'github-token': 't',
    version: input.version, sha: input.sha, 'previous-release-tag': input.previousReleaseTag ?? '',
  };
  const parsed = parseSettings((n) => inputs[n] ?? '', { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: sim.url, GITHUB_SERVER_URL: sim.url });
  if (!parsed.settings) throw new Error(parsed.errors.join('\n'));
  return parsed.settings;
}

async function changelog(input: { version: string; sha?: string; previousReleaseTag?: string }): Promise<ChangelogResult> {
  const settings = settingsFor({ ...input, sha: input.sha ?? sim.state.resolve('main')! });
  const before = sim.requests.length;
  const result = await buildChangelog(settings, changelogPort(createOctokit('t', settings.run, log), settings.run));
  // The port's count is honest: it is what GitHub received.
  expect(result.requests).toBe(sim.requests.length - before);
  return result;
}

// Issue 10: one request per hundred commits (a history page carries its commits' PRs), plus the
// tag list, the comparison that checks the start and counts the range, and the first-contribution search.
const budget = (commits: number) => Math.ceil(commits / 100) + 3;
const numbers = (result: ChangelogResult) => result.prs.map((pr) => pr.number);

describe('a release range with every way a change can land', () => {
  let ids: Record<string, number>;
  let direct: string;

  beforeEach(() => {
    const s = sim.state;
    s.addCommit({ message: 'Initial commit', author: 'alice' });
    const old = s.addPullRequest({ title: 'feat: catalogue', user: 'alice' });
    s.addPullRequest({ title: 'fix: typo', user: 'bob' });
    const v100 = s.resolve('main')!;
    s.addTag('v1.0.0', v100);
    // A hotfix line: v1.0.1 is higher than v1.0.0 but not an ancestor of main.
    s.setRef('heads/release/1.0', v100);
    const backport = s.addPullRequest({ title: 'fix: backport crash', user: 'erin', base: 'release/1.0' });
    s.addTag('v1.0.1', s.resolve('release/1.0')!);

    const merge = s.addPullRequest({ title: 'feat(cart): saved carts', user: 'bob', mergeMethod: 'merge', branchCommits: ['wip: carts model', 'carts api'] });
    s.addTag('v1.1.0-rc.1', s.resolve('main')!);
    const squash = s.addPullRequest({ title: 'fix: round tax per line', user: 'alice', labels: ['bug'] });
    const rebase = s.addPullRequest({ title: 'docs: explain refunds', user: 'carol', mergeMethod: 'rebase', branchCommits: 3 });
    direct = s.addCommit({ message: 'chore: bump version\n\npushed by hand', author: 'frank' }).sha;
    const breaking = s.addPullRequest({ title: 'refactor(api): drop /v1', user: 'bob', body: 'Cleans up.\n\nBREAKING CHANGE: /v1 is gone', labels: [] });
    const labelled = s.addPullRequest({ title: 'Speed up search', user: 'dave', labels: ['enhancement'] });
    ids = { old: old.number, backport: backport.number, merge: merge.number, squash: squash.number, rebase: rebase.number, breaking: breaking.number, labelled: labelled.number };
  });

  it('lists merge, squash and rebase PRs once each, direct commits apart, and nothing from before the tag or other branches', async () => {
    const result = await changelog({ version: 'v1.1.0' });
    expect(result.range).toMatchObject({ from: 'v1.0.0', firstRelease: false, chosen: 'auto', skippedTags: ['v1.0.1'], commits: 3 + 1 + 3 + 1 + 1 + 1 });
    expect(result.branch).toEqual({ name: 'main', source: 'first-parent-line' });
    expect(numbers(result)).toEqual([ids.merge, ids.squash, ids.rebase, ids.breaking, ids.labelled]);
    expect(numbers(result)).not.toContain(ids.old);
    expect(numbers(result)).not.toContain(ids.backport);
    const byNumber = new Map(result.prs.map((pr) => [pr.number, pr]));
    expect(byNumber.get(ids.merge!)!.commits).toHaveLength(3);
    expect(byNumber.get(ids.rebase!)!.commits).toHaveLength(3);
    expect(byNumber.get(ids.squash!)).toMatchObject({ author: 'alice', labels: ['bug'], group: 'fixes', base: 'main', first_time_contributor: false });
    expect(result.commitsWithoutPr).toEqual([expect.objectContaining({ sha: direct, title: 'chore: bump version', author: 'frank', author_login: 'frank', other_prs: [] })]);
    // Each higher tag passed over (v1.0.1, not an ancestor) costs the comparison that tells it.
    expect(result.requests).toBe(budget(result.range.commits) + result.range.skippedTags.length);
  });

  it('groups by conventional title, falling back to labels; breaking changes from a body footer', async () => {
    const result = await changelog({ version: 'v1.1.0' });
    expect(result.groups.map((g) => [g.key, g.prs.map((pr) => pr.number)])).toEqual([
      ['breaking', [ids.breaking]],
      ['features', [ids.merge, ids.labelled]],
      ['fixes', [ids.squash]],
      ['docs', [ids.rebase]],
    ]);
    expect(result.markdown).toContain('### ⚠ Breaking changes');
    expect(result.markdown).toContain('### Commits without a pull request');
  });

  it('names contributors, and as first-time contributors those with no PR merged before the tag', async () => {
    const result = await changelog({ version: 'v1.1.0' });
    expect(result.contributors).toEqual(['alice', 'bob', 'carol', 'dave', 'frank']);
    expect(result.firstTimeContributors).toEqual(['carol', 'dave']);
    expect(result.prs.filter((pr) => pr.first_time_contributor).map((pr) => pr.author)).toEqual(['carol', 'dave']);
  });

  it('takes previous-release-tag as given, and a pre-release version may start from a pre-release', async () => {
    expect((await changelog({ version: 'v1.1.0', previousReleaseTag: 'v1.1.0-rc.1' })).range).toMatchObject({ from: 'v1.1.0-rc.1', chosen: 'input' });
    const rc2 = await changelog({ version: 'v1.1.0-rc.2' });
    expect(rc2.range).toMatchObject({ from: 'v1.1.0-rc.1', chosen: 'auto' });
    expect(numbers(rc2)).toEqual([ids.squash, ids.rebase, ids.breaking, ids.labelled]);
  });

  it('says which previous-release-tag does not exist', async () => {
    await expect(changelog({ version: 'v1.1.0', previousReleaseTag: 'v0.9.9' })).rejects.toThrow(/previous-release-tag 'v0.9.9' does not exist/);
  });

  it('releases from a hotfix branch list the PRs merged into that branch', async () => {
    const hotfix = sim.state.addPullRequest({ title: 'fix: second hotfix', user: 'erin', base: 'release/1.0' });
    const result = await changelog({ version: 'v1.0.2', sha: sim.state.resolve('release/1.0')! });
    expect(result.range).toMatchObject({ from: 'v1.0.1' });
    expect(result.branch).toEqual({ name: 'release/1.0', source: 'first-parent-line' });
    expect(numbers(result)).toEqual([hotfix.number]);
  });
});

describe('the incident', () => {
  it("gets every PR and direct commit in the range with its author, without the changelog's extra requests", async () => {
    sim.state.addCommit({ message: 'Initial commit' });
    sim.state.addTag('v1.0.0', sim.state.resolve('main')!);
    const pr = sim.state.addPullRequest({ title: 'feat: risky', user: 'alice' });
    const push = sim.state.addCommit({ message: 'hotfix: by hand', author: 'bob' });
    const settings = settingsFor({ version: 'v1.0.1', sha: sim.state.resolve('main')! });
    const port = changelogPort(createOctokit('t', settings.run, log), settings.run);
    const suspects = await collectSuspects(settings, port);
    expect(suspects).toEqual({
      from: 'v1.0.0',
      changes: [
        { number: pr.number, title: 'feat: risky', author: 'alice', login: 'alice', url: `${sim.url}/acme/shop/pull/${pr.number}` },
        { sha: push.sha, title: 'hotfix: by hand', author: 'bob', login: 'bob', url: `${sim.url}/acme/shop/commit/${push.sha}` },
      ],
    });
    // Tags, one compare page, one GraphQL batch: no first-contribution search.
    expect(port.requests).toBe(3);
  });
});

describe('first release', () => {
  it('covers the whole history, says so, and counts every author as a first-time contributor', async () => {
    sim.state.addCommit({ message: 'Initial commit', author: 'alice' });
    const pr = sim.state.addPullRequest({ title: 'feat: checkout', user: 'bob', mergeMethod: 'merge' });
    sim.state.addTag('v0.1.0-beta.1', sim.state.resolve('main')!); // a pre-release does not start a stable version's range
    sim.state.addCommits(2, { author: 'alice' });
    const result = await changelog({ version: 'v1.0.0' });
    expect(result.range).toMatchObject({ firstRelease: true, chosen: 'none', commits: 1 + 3 + 2 });
    expect(result.range.from).toBeUndefined();
    expect(numbers(result)).toEqual([pr.number]);
    expect(result.commitsWithoutPr.map((c) => c.title)).toEqual(['Initial commit', 'Commit 5', 'Commit 6']);
    expect(result.firstTimeContributors).toEqual(['bob']);
    expect(result.markdown).toContain('First release: the whole history of');
  });
});

describe('hostile titles', () => {
  it('render inert in the markdown', async () => {
    sim.state.addCommit({ message: 'Initial commit' });
    sim.state.addTag('v1.0.0', sim.state.resolve('main')!);
    sim.state.addPullRequest({ title: 'fix: <img src=x onerror=alert(1)> @everyone [x](javascript:alert(1)) closes #123', user: 'mallory' });
    const { markdown } = await changelog({ version: 'v1.0.1' });
    // `\](` after an escaped `\[` is text, not a link (src/report/markdown.ts).
    expect(markdown).not.toMatch(/<img|@everyone|(?<!\\)\]\(javascript|#123/);
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('a long range', () => {
  it('2,000 commits and 600 PRs: every page read, every PR found, within the request budget', async () => {
    const history = seedReleaseHistory(sim.state, { commits: 2000, prs: 600 });
    const result = await changelog({ version: 'v1.1.0' });
    expect(result.range.commits).toBe(2000);
    expect(numbers(result)).toEqual(history.prs);
    expect(result.commitsWithoutPr).toHaveLength(history.directCommits);
    expect(result.firstTimeContributors).toEqual(history.newcomers);
    expect(result.requests).toBeLessThanOrEqual(budget(2000));
    // 20 history pages + the tag list + the comparison + one first-contribution search.
    expect(result.requests).toBe(23);
  });

  it('5,000 commits and 1,500 PRs: 53 requests, every PR found', async () => {
    const history = seedReleaseHistory(sim.state, { commits: 5000, prs: 1500 });
    const result = await changelog({ version: 'v1.1.0' });
    expect(result.range.commits).toBe(5000);
    expect(numbers(result)).toEqual(history.prs);
    expect(result.commitsWithoutPr).toHaveLength(history.directCommits);
    expect(result.requests).toBe(budget(5000));
  }, 120_000);
});

describe('a commit of the range dated before its start (a clock set wrong, a rebase that kept dates)', () => {
  it('is not missed: the history does not add up to the comparison, so the range is read exactly', async () => {
    const s = sim.state;
    s.addCommit({ message: 'Initial commit', author: 'alice' });
    s.addTag('v1.0.0', s.resolve('main')!);
    const pr = s.addPullRequest({ title: 'feat: saved carts', user: 'bob' });
    const skewed = s.addCommit({ message: 'chore: pushed from a laptop an hour slow', author: 'frank', date: Date.UTC(2024, 11, 31) }).sha;
    const result = await changelog({ version: 'v1.1.0' });
    expect(result.range.commits).toBe(2);
    expect(numbers(result)).toEqual([pr.number]);
    expect(result.commitsWithoutPr.map((c) => c.sha)).toEqual([skewed]);
    expect(result.warnings).toEqual([]);
    // tags, comparison, the history page that fell short, one association batch, the search.
    expect(result.requests).toBe(5);
  });
});
