// The changelog end to end: dist/index.js releases a commit, then reads the range since the previous
// tag from the simulated GitHub and writes the `## Changes` section (report + `changelog` output),
// devops/status/prs-in-release.json and, with create-release, the GitHub Release notes.
import type { SimGitHub } from '../../sim/github/index.js';
import { seedReleaseHistory, type ReleaseHistory } from '../../sim/github/scenarios/release-history.js';
import { type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';

/** A release body without the hidden marker the create carries. */
const withoutMarker = (body: string) => body.replace(/\n<!-- release-to-prod:[^>]*-->\n$/, '');
const start = worldPerTest();

/** Where the action's links point (GITHUB_SERVER_URL of sim/run-action.ts). */
const WEB = 'https://github.example/acme/shop';

/** Merge times one minute apart, in the past, so "merged before the tag" means something to GitHub search. */
function minutes(): () => number {
  let minute = 0;
  const t0 = Date.UTC(2026, 0, 5, 9, 0, 0);
  return () => t0 + 60_000 * minute++;
}

/** The `## Changes` section of a report, up to the next `## ` heading. */
function changes(report: string): string {
  const start = report.indexOf('## Changes\n');
  if (start < 0) throw new Error(`no ## Changes section in:\n${report}`);
  const end = report.indexOf('\n## ', start + 1);
  return report.slice(start, end < 0 ? undefined : end + 1).replace(/\n+$/, '\n');
}

/** Requests sent (from index `since`) after the last write `write` matches: what the stages after that write asked. */
function requestsAfter(w: World, since: number, write: (path: string, body: unknown) => boolean) {
  const requests = w.github.requests.slice(since);
  const last = requests.findLastIndex((r) => r.method !== 'GET' && write(r.path, r.body));
  if (last < 0) throw new Error('marker write not found');
  return requests.slice(last + 1);
}

describe('changelog of a range', () => {
  it('lists merge, squash and rebase PRs since the previous tag, not older or other-branch PRs, and every commit without PR', async () => {
    const at = minutes();
    const seeded = {} as Record<'early' | 'coupons' | 'merge' | 'squash' | 'rebase' | 'hotfix' | 'next' | 'breaking' | 'newcomer', number> & { hotfixSha: string; backMerge: string; direct: string; tagSha: string };
    const w = await start({
      history: ({ state }: SimGitHub) => {
        // Before v2.13.0: bob and carol have merged PRs already.
        seeded.early = state.addPullRequest({ title: 'fix: handle empty carts', user: 'bob', mergedAt: at() }).number;
        seeded.coupons = state.addPullRequest({ title: 'feat: coupons', user: 'carol', mergeMethod: 'merge', mergedAt: at() }).number;
        seeded.tagSha = state.resolve('main')!;
        state.addTag('v2.13.0', seeded.tagSha);
        state.setRef('heads/release/2.13', seeded.tagSha);
        state.setRef('heads/next', seeded.tagSha);
        // Since v2.13.0 on main, by each of GitHub's three merge buttons.
        seeded.merge = state.addPullRequest({ title: 'feat: saved carts', user: 'bob', mergeMethod: 'merge', mergedAt: at() }).number;
        seeded.squash = state.addPullRequest({ title: 'fix: round tax per line', user: 'carol', mergeMethod: 'squash', mergedAt: at() }).number;
        seeded.rebase = state.addPullRequest({ title: 'docs: explain refunds', user: 'bob', mergeMethod: 'rebase', mergedAt: at() }).number;
        // A hotfix PR merged into release/2.13, whose branch is then merged back into main without a PR.
        const hotfix = state.addPullRequest({ title: 'fix: hotfix for 2.13', user: 'carol', base: 'release/2.13', mergedAt: at() });
        seeded.hotfix = hotfix.number;
        seeded.hotfixSha = hotfix.mergeCommitSha!;
        seeded.backMerge = state.addCommit({ message: 'Merge branch release/2.13 into main', author: 'alice', parents: [state.resolve('main')!, state.resolve('release/2.13')!], date: at() }).sha;
        // A PR merged into another branch that never reached main.
        seeded.next = state.addPullRequest({ title: 'feat: experimental checkout', user: 'bob', base: 'next', mergedAt: at() }).number;
        // A direct push, no PR.
        seeded.direct = state.addCommit({ message: 'chore: bump base image\n\nPushed straight to main.', author: 'grace', date: at() }).sha;
        seeded.breaking = state.addPullRequest({ title: 'feat(api)!: drop the v1 endpoints', user: 'carol', labels: ['api'], mergedAt: at() }).number;
        // erin has no PR merged before v2.13.0: a first-time contributor.
        seeded.newcomer = state.addPullRequest({ title: 'fix: typo on the checkout page', user: 'erin', mergedAt: at() }).number;
      },
    });
    const run = await w.run();
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('released');

    const prs = run.json<Array<{ number: number; title: string; author: string; labels: string[]; group: string; breaking: boolean; first_time_contributor: boolean; base: string; commits: string[] }>>('devops/status/prs-in-release.json');
    expect(prs.map((p) => `#${p.number} ${p.title} by ${p.author} → ${p.group}${p.breaking ? ' (breaking)' : ''}${p.first_time_contributor ? ' (first time)' : ''}`)).toEqual([
      `#${seeded.merge} feat: saved carts by bob → features`,
      `#${seeded.squash} fix: round tax per line by carol → fixes`,
      `#${seeded.rebase} docs: explain refunds by bob → docs`,
      `#${seeded.breaking} feat(api)!: drop the v1 endpoints by carol → breaking (breaking)`,
      `#${seeded.newcomer} fix: typo on the checkout page by erin → fixes (first time)`,
    ]);
    for (const p of prs) expect(p.base).toBe('main');
    expect(prs.find((p) => p.number === seeded.breaking)!.labels).toEqual(['api']);
    // A merge brings its two branch commits and the merge commit; a rebase its two replayed copies.
    expect(prs.map((p) => p.commits.length)).toEqual([3, 1, 2, 1, 1]);

    const without = run.json<Array<{ sha: string; title: string; author: string; other_prs: Array<{ number: number; base: string }> }>>('devops/status/commits-without-pr.json');
    expect(without.map((c) => [c.sha, c.title, c.author, c.other_prs])).toEqual([
      [seeded.hotfixSha, `fix: hotfix for 2.13 (#${seeded.hotfix})`, 'carol', [{ number: seeded.hotfix, base: 'release/2.13' }]],
      [seeded.backMerge, 'Merge branch release/2.13 into main', 'alice', []],
      [seeded.direct, 'chore: bump base image', 'grace', []],
    ]);

    const person = (login: string) => `[@${login}](https://github.example/${login})`;
    const pr = (n: number) => `([#${n}](${WEB}/pull/${n}))`;
    const commit = (sha: string) => `[\`${sha.slice(0, 7)}\`](${WEB}/commit/${sha})`;
    expect(run.outputs.changelog).toBe(
      [
        '## Changes',
        '',
        `Since v2.13.0 on main: 5 pull requests, 11 commits ([compare](${WEB}/compare/v2.13.0...${w.sha})).`,
        '',
        '### ⚠ Breaking changes',
        '',
        `- feat(api)!: drop the v1 endpoints ${pr(seeded.breaking)} by ${person('carol')}`,
        '',
        '### Features',
        '',
        `- feat: saved carts ${pr(seeded.merge)} by ${person('bob')}`,
        '',
        '### Fixes',
        '',
        `- fix: round tax per line ${pr(seeded.squash)} by ${person('carol')}`,
        `- fix: typo on the checkout page ${pr(seeded.newcomer)} by ${person('erin')}`,
        '',
        '### Docs',
        '',
        `- docs: explain refunds ${pr(seeded.rebase)} by ${person('bob')}`,
        '',
        '### Commits without a pull request',
        '',
        `- ${commit(seeded.hotfixSha)} fix: hotfix for 2.13 (#\u200d${seeded.hotfix}) — ${person('carol')} (merged as [#${seeded.hotfix}](${WEB}/pull/${seeded.hotfix}) into release/2.13)`,
        `- ${commit(seeded.backMerge)} Merge branch release/2.13 into main — ${person('alice')}`,
        `- ${commit(seeded.direct)} chore: bump base image — ${person('grace')}`,
        '',
        '### Contributors',
        '',
        ['alice', 'bob', 'carol', 'erin', 'grace'].map(person).join(', '),
        '',
        `First-time contributors: ${person('erin')}`,
        '',
      ].join('\n'),
    );
    // Absent: the PRs released before v2.13.0 and the one merged into `next`.
    for (const absent of [seeded.early, seeded.coupons, seeded.next]) {
      expect(prs.map((p) => p.number)).not.toContain(absent);
      expect(run.outputs.changelog).not.toContain(`#${absent}]`);
    }
    // The report's `## Changes` section is the output.
    expect(changes(run.report())).toBe(run.outputs.changelog);
  });

  it('reads a range of 2,000 commits and 600 PRs completely, within ceil(commits/100) + 3 requests', async () => {
    let history: ReleaseHistory | undefined;
    // Each read of the sim's clock a minute later, as in changelog-sim: every commit, the PR branches'
    // too, is dated after the previous release, as when work starts after it (branch commits older
    // than the previous release make the changelog read the range exactly: changelog-sim tests that).
    let minute = 0;
    const clock = () => Date.UTC(2026, 0, 1) + 60_000 * minute++;
    const w = await start({ github: { clock }, history: ({ state }: SimGitHub) => void (history = seedReleaseHistory(state, { commits: 2000, prs: 600 })) });
    const h = history!;
    const started = Date.now();
    const run = await w.run();
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);

    const prs = run.json<Array<{ number: number; first_time_contributor: boolean; author: string }>>('devops/status/prs-in-release.json');
    expect(prs.map((p) => p.number)).toEqual(h.prs);
    expect(run.json<unknown[]>('devops/status/commits-without-pr.json')).toHaveLength(h.directCommits);
    expect([...new Set(prs.filter((p) => p.first_time_contributor).map((p) => p.author))].sort()).toEqual([...h.newcomers].sort());
    expect(run.outputs.changelog).toContain(`Since ${h.from} on main: 600 pull requests, 2,000 commits`);
    for (const n of h.prs) expect(run.outputs.changelog).toContain(`[#${n}](${WEB}/pull/${n})`);
    expect(run.outputs.changelog).not.toContain('> **Note:**');

    // The changelog is the last stage here: every request after the deployment's success status is its own.
    const changelog = requestsAfter(w, 0, (path, body) => path.includes('/deployments/') && (body as { state?: string }).state === 'success');
    expect(changelog.length).toBeGreaterThan(0);
    // Issue 10: the tag list, one comparison (start and count), 20 history pages carrying their PRs, the first-contribution search.
    expect(changelog.length).toBeLessThanOrEqual(Math.ceil(2000 / 100) + 3);
    const kinds = changelog.map((r) => (r.path === '/graphql' ? 'graphql' : r.operationId));
    expect(kinds.filter((k) => k === 'repos/compare-commits-with-basehead')).toHaveLength(1);
    expect(new Set(kinds)).toEqual(new Set(['repos/list-tags', 'repos/compare-commits-with-basehead', 'graphql']));
    for (const r of changelog) expect(r.status).toBe(200);
  });

  it('renders a hostile PR title inert in the report, the output and the GitHub Release', async () => {
    const title = 'feat: <img src=x onerror=alert(1)> @everyone [x](javascript:alert(1))';
    let number = 0;
    const w = await start({
      history: ({ state }: SimGitHub) => {
        state.addTag('v2.13.0', state.resolve('main')!);
        number = state.addPullRequest({ title, user: 'mallory' }).number;
      },
    });
    const run = await w.run({ 'create-release': 'true' });
    expect(run.code).toBe(0);
    const release = w.github.state.releases.find((r) => r.tagName === 'v2.14.0')!;
    const rendered: Record<string, string> = { report: run.report(), output: run.outputs.changelog ?? '', release: release.body ?? '', summary: run.summary };
    for (const [where, text] of Object.entries(rendered)) {
      const line = text.split('\n').find((l) => l.includes(`[#${number}](${WEB}/pull/${number})`));
      expect([where, line]).toEqual([where, expect.any(String)]);
      // No HTML, no mention, no javascript: link …
      expect([where, /<img/i.test(text), text.includes('@everyone'), /javascript:/i.test(text), /(?<!\\)\]\(javascript/i.test(text)]).toEqual([where, false, false, false, false]);
      // … and still the title a reader can read.
      expect([where, readable(line!)]).toEqual([where, expect.stringContaining(title)]);
    }
    // The body also carries the hidden marker of the create (exactly-once: src/github/once.ts).
    expect(withoutMarker(release.body ?? '')).toBe(run.outputs.changelog);
  });
});

describe('create-release', () => {
  it('creates the release with the changelog as notes, and a re-run updates it instead of failing on 422', async () => {
    const w = await start({
      history: ({ state }: SimGitHub) => {
        state.addTag('v2.13.0', state.resolve('main')!);
        state.addPullRequest({ title: 'feat: gift cards', user: 'bob' });
      },
    });
    const first = await w.run({ 'create-release': 'true' });
    expect(first.code).toBe(0);
    const url = `${w.github.url}/acme/shop/releases/tag/v2.14.0`;
    expect(first.outputs['release-url']).toBe(url);
    expect(w.github.state.releases).toHaveLength(1);
    const release = w.github.state.releases[0]!;
    expect({ ...release, body: withoutMarker(release.body ?? '') }).toMatchObject({ tagName: 'v2.14.0', name: 'v2.14.0', draft: false, prerelease: false, body: first.outputs.changelog });
    expect(first.outputs.changelog).toContain('feat: gift cards');
    expect(first.report()).toContain(`## GitHub Release\ncreated: ${url}`);
    expect(w.github.writes().filter((r) => r.path.includes('/releases')).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/shop/releases']);

    // The same release again (a re-run): the tag is on this commit already, the rollout already runs the image.
    const since = w.github.requests.length;
    const again = await w.run({ 'create-release': 'true' });
    expect(again.code).toBe(0);
    expect(again.outputs.result).toBe('released');
    expect(again.outputs['release-url']).toBe(url);
    expect(w.github.state.releases).toHaveLength(1);
    expect(w.github.state.releases[0]!.id).toBe(release.id);
    expect(w.github.state.releases[0]!.body).toBe(again.outputs.changelog);
    const writes = w.github.requests.slice(since).filter((r) => r.path.includes('/releases') && r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`PATCH /repos/acme/shop/releases/${release.id} 200`]);
    expect(w.github.requests.slice(since).filter((r) => r.status === 422)).toEqual([]);
    expect(again.report()).toContain(`## GitHub Release\nupdated: ${url}`);
  });
});

/** What a reader sees once GitHub renders the Markdown: escapes resolved, entities decoded, zero-width joiners invisible. */
function readable(markdown: string): string {
  return markdown.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\u200d/g, '');
}
