// The failure path's paperwork end to end: a canary breach rolls back and opens exactly one incident
// (a GitHub issue and incidents/INC-….md, cross-linked, holding the breach and the suspects); a
// re-run of that release comments on it instead. And the GitHub deployment the environment page
// shows, on both paths.
import type { SimGitHub } from '../../sim/github/index.js';
import { RUN_ID } from '../../sim/run-action.js';
import { STABLE_IMAGE, type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';

const start = worldPerTest();

const WEB = 'https://github.example/acme/shop';
const RUN_URL = `${WEB}/actions/runs/${RUN_ID}`;
/** An author in the postmortem: a link to the profile, not a mention that would page them. */
const person = (login: string) => `[@${login}](https://github.example/${login})`;
/** The SLO command breaches the error rate at 25%. */
const BREACH_AT_25 = { SLO_PLAN: JSON.stringify({ 25: { error_rate: 0.05, p95_latency_ms: 140 } }) };
const today = () => new Date().toISOString().slice(0, 10);
const image = (w: World) => (w.kube.getRollout('prod', 'checkout-api').spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image;

/** v2.13.0, then two PRs and a direct push: the suspects of v2.14.0. */
interface Suspects {
  early: number;
  squash: number;
  merge: number;
  direct: string;
}
function suspectHistory(into: Partial<Suspects>) {
  return ({ state }: SimGitHub) => {
    into.early = state.addPullRequest({ title: 'fix: handle empty carts', user: 'dave' }).number;
    state.addTag('v2.13.0', state.resolve('main')!);
    into.squash = state.addPullRequest({ title: 'perf: cache tax tables', user: 'bob', mergeMethod: 'squash' }).number;
    into.merge = state.addPullRequest({ title: 'feat: express checkout', user: 'carol', mergeMethod: 'merge' }).number;
    into.direct = state.addCommit({ message: 'chore: raise pool size', author: 'grace' }).sha;
  };
}

const issuesLabelled = (w: World, label: string) => [...w.github.state.issues.values()].filter((i) => i.labels.includes(label));

describe('incident', () => {
  it('a rollback opens exactly one incident: issue and postmortem file cross-linked, with the breach and the suspects', async () => {
    const s: Partial<Suspects> = {};
    const w = await start({ history: suspectHistory(s) });
    const labels = ['incident', 'release-failure'];
    // An incident of another release opened earlier today: the new one is -02, and this one is left alone.
    const earlier = w.github.state.addIssue({ title: `INC-${today()}-01: payments v9.1.0 canary aborted at 5% in prod`, labels, body: 'earlier today' });

    const run = await w.run({ 'incident-labels': labels.join(', ') }, { env: BREACH_AT_25 });
    expect(run.code).toBe(3);
    expect(run.outputs.result).toBe('aborted');
    expect(image(w)).toBe(STABLE_IMAGE);

    const id = `INC-${today()}-02`;
    const opened = issuesLabelled(w, 'incident').filter((i) => i.number !== earlier.number);
    expect(opened).toHaveLength(1);
    const issue = opened[0]!;
    expect(issue.title).toBe(`${id}: checkout-api v2.14.0 canary aborted at 25% in prod`);
    expect(issue.labels).toEqual(labels);
    expect(issue.state).toBe('open');
    const url = `${w.github.url}/acme/shop/issues/${issue.number}`;
    expect(run.outputs['incident-id']).toBe(id);
    expect(run.outputs['incident-url']).toBe(url);
    expect(w.github.writes().filter((r) => r.path.startsWith('/repos/acme/shop/issues')).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/shop/issues']);
    expect(w.github.state.comments).toEqual([]);

    // The file: the only one in incidents/, linking the issue; the issue names the file.
    const file = `incidents/${id}.md`;
    expect(run.files().filter((f) => f.startsWith('incidents/'))).toEqual([file]);
    const postmortem = run.file(file)!;
    const body = issue.body ?? '';
    expect(postmortem).toContain(`**Issue:** ${url}`);
    expect(body).toContain(`**Postmortem file:** \`${file}\``);
    expect(postmortem).toContain(`**Postmortem file:** \`${file}\``);

    for (const [where, text] of Object.entries({ issue: body, file: postmortem })) {
      const has = (part: string) => expect([where, text]).toEqual([where, expect.stringContaining(part)]);
      has(`# ${id}: checkout-api v2.14.0 canary aborted at 25% in prod`);
      for (const heading of ['Summary', 'Impact', 'Timeline (UTC)', 'Trigger', 'Detection', 'Resolution', 'Suspect changes', 'Action items', 'Lessons learned']) has(`## ${heading}\n`);
      // Trigger: metric, observed value, threshold, weight.
      has('| Metric | Observed | Threshold | Weight | At |');
      has('| error_rate | 0.05 | 0.01 | 25% | ');
      has(`**Run:** ${RUN_URL}`);
      has('**Release report:** `devops/reports/release-v2.14.0.md`');
      // The suspects between v2.13.0 and the release commit, with their authors (PR links as GitHub gives them).
      has('Changes between `v2.13.0` and this release:');
      has(`| [#${s.squash}](${w.github.url}/acme/shop/pull/${s.squash}) | perf: cache tax tables | ${person('bob')} |`);
      has(`| [#${s.merge}](${w.github.url}/acme/shop/pull/${s.merge}) | feat: express checkout | ${person('carol')} |`);
      has(`| \`${s.direct!.slice(0, 7)}\` | chore: raise pool size | ${person('grace')} |`);
      expect([where, text.includes(`#${s.early}]`)]).toEqual([where, false]);
    }
    expect(body).toContain(`<!-- release-to-prod incident: acme/shop prod checkout-api v2.14.0 -->`);

    // The report points at both; the changelog is skipped on this path.
    // The file is linked relative to the report (devops/reports/), so it opens from the artifact or the repository.
    expect(run.report()).toContain(`## Incident\n[${id}](${url}) opened; postmortem skeleton [\`${file}\`](../../${file}).`);
    expect(run.outputs.changelog).toBe('');
    expect(run.file('devops/status/prs-in-release.json')).toBeUndefined();
    // The unrelated open incident got nothing.
    expect(w.github.state.issues.get(earlier.number)!.body).toBe('earlier today');
  });

  // Escaped once: a title made inert must not be escaped again as a table cell (`&amp;lt;`).
  it('suspect titles with <, > and & read as written in the issue and the file (escaped once)', async () => {
    let number = 0;
    const w = await start({
      history: ({ state }: SimGitHub) => {
        state.addTag('v2.13.0', state.resolve('main')!);
        number = state.addPullRequest({ title: 'fix: retry <5 times & log', user: 'bob' }).number;
      },
    });
    const run = await w.run({}, { env: BREACH_AT_25 });
    expect(run.code).toBe(3);
    const issue = issuesLabelled(w, 'incident')[0]!;
    for (const [where, text] of Object.entries({ issue: issue.body ?? '', file: run.file(`incidents/${run.outputs['incident-id']}.md`) ?? '' })) {
      const row = text.split('\n').find((l) => l.startsWith(`| [#${number}]`));
      expect([where, row]).toEqual([where, `| [#${number}](${w.github.url}/acme/shop/pull/${number}) | fix: retry &lt;5 times &amp; log | ${person('bob')} |`]);
    }
  });

  it('a re-run of the same failed release comments on the open incident instead of opening another', async () => {
    const s: Partial<Suspects> = {};
    const w = await start({ history: suspectHistory(s) });
    const first = await w.run({}, { env: BREACH_AT_25 });
    expect(first.code).toBe(3);
    const id = `INC-${today()}-01`;
    expect(first.outputs['incident-id']).toBe(id);
    const [issue] = issuesLabelled(w, 'incident');
    expect(first.outputs['incident-url']).toBe(`${w.github.url}/acme/shop/issues/${issue!.number}`);

    // "Re-run failed jobs": attempt 2 of the same run, with its own job; the rollout is Healthy on the
    // stable image again and the tag already exists on this commit.
    expect(image(w)).toBe(STABLE_IMAGE);
    expect(w.github.state.peel(w.github.state.refs.get('refs/tags/v2.14.0')!)).toBe(w.sha);
    w.github.state.addJob(RUN_ID, { name: 'release', status: 'in_progress', runnerName: 'runner-7', sha: w.sha, attempt: 2 });
    const since = w.github.requests.length;
    const again = await w.run({}, { env: { ...BREACH_AT_25, GITHUB_RUN_ATTEMPT: '2' } });
    expect(again.code).toBe(3);
    expect(again.outputs.result).toBe('aborted');
    expect(again.outputs.tag).toBe('v2.14.0');
    expect(again.outputs['incident-id']).toBe(id);
    expect(again.outputs['incident-url']).toBe(first.outputs['incident-url']);
    expect(image(w)).toBe(STABLE_IMAGE);

    expect(issuesLabelled(w, 'incident')).toHaveLength(1);
    const writes = w.github.requests.slice(since).filter((r) => r.method !== 'GET' && r.path.startsWith('/repos/acme/shop/issues'));
    expect(writes.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`POST /repos/acme/shop/issues/${issue!.number}/comments 201`]);
    const comments = w.github.state.comments.filter((c) => c.issueNumber === issue!.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(`Re-run of the same release failed again: ${RUN_URL}/attempts/2`);
    expect(comments[0]!.body).toContain('Stopped at 25% (slo_breach): error_rate 0.05, threshold 0.01');
    expect(again.report()).toContain(`## Incident\n[${id}](${first.outputs['incident-url']}) (already open for this release: this run added a comment)`);
    expect(again.file(`incidents/${id}.md`)).toContain(`**Issue:** ${first.outputs['incident-url']}`);
  });
});

describe('GitHub deployment', () => {
  const deploymentsIn = (w: World) => w.github.state.deployments.filter((d) => d.environment === 'prod' && d.sha === w.sha);
  const statuses = (d: { statuses: ReadonlyArray<{ state: string; logUrl: string }> }) => d.statuses.map((s) => `${s.state} ${s.logUrl}`);

  it('clean release without one from GitHub: creates it (auto_merge false, no required contexts), in_progress → success', async () => {
    const w = await start();
    // Deployments that are not this job's: another environment at this sha, this environment at another sha.
    const older = [...w.github.state.commits.keys()][0]!;
    w.github.state.addDeployment({ sha: w.sha, ref: 'main', environment: 'staging' });
    w.github.state.addDeployment({ sha: older, ref: older, environment: 'prod' });
    const run = await w.run();
    expect(run.code).toBe(0);
    const created = w.github.writes().filter((r) => r.path === '/repos/acme/shop/deployments');
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toMatchObject({ ref: w.sha, environment: 'prod', auto_merge: false, required_contexts: [] });
    expect(created[0]!.status).toBe(201);
    const [deployment, ...more] = deploymentsIn(w);
    expect(more).toEqual([]);
    expect(statuses(deployment!)).toEqual([`in_progress ${RUN_URL}`, `success ${RUN_URL}`]);
    expect(run.report()).toContain(`## GitHub deployment\ncreated (id ${deployment!.id}), statuses in_progress → success`);
    // The decoys got no status.
    expect(w.github.state.deployments.filter((d) => d !== deployment).flatMap((d) => d.statuses)).toEqual([]);
  });

  it('rollback with the deployment GitHub made for the job: reuses it, in_progress → failure', async () => {
    const w = await start();
    const made = w.github.state.addDeployment({ sha: w.sha, ref: 'main', environment: 'prod' });
    const run = await w.run({}, { env: BREACH_AT_25 });
    expect(run.code).toBe(3);
    expect(w.github.writes().filter((r) => r.path === '/repos/acme/shop/deployments')).toEqual([]);
    expect(deploymentsIn(w)).toEqual([made]);
    expect(statuses(made)).toEqual([`in_progress ${RUN_URL}`, `failure ${RUN_URL}`]);
    expect(run.report()).toContain(`## GitHub deployment\nthe one GitHub made for this job (id ${made.id}), statuses in_progress → failure`);
  });

  it('rollback without one: creates it, in_progress → failure', async () => {
    const w = await start();
    const run = await w.run({}, { env: BREACH_AT_25 });
    expect(run.code).toBe(3);
    const created = w.github.writes().filter((r) => r.path === '/repos/acme/shop/deployments');
    expect(created.map((r) => r.body)).toEqual([expect.objectContaining({ ref: w.sha, environment: 'prod', auto_merge: false, required_contexts: [] })]);
    const [deployment, ...more] = deploymentsIn(w);
    expect(more).toEqual([]);
    expect(statuses(deployment!)).toEqual([`in_progress ${RUN_URL}`, `failure ${RUN_URL}`]);
  });

  it('clean release with the deployment GitHub made: reuses it, in_progress → success', async () => {
    const w = await start();
    const made = w.github.state.addDeployment({ sha: w.sha, ref: 'main', environment: 'prod' });
    const run = await w.run();
    expect(run.code).toBe(0);
    expect(w.github.writes().filter((r) => r.path === '/repos/acme/shop/deployments')).toEqual([]);
    expect(deploymentsIn(w)).toEqual([made]);
    expect(statuses(made)).toEqual([`in_progress ${RUN_URL}`, `success ${RUN_URL}`]);
  });
});
