// The backbone end to end: dist/index.js against the simulated GitHub and cluster — validation,
// the approval gate, preflight, the CI gate and the tag, as a user sees them.
import { RUN_ID, SECRET_TOKEN } from '../../sim/run-action.js';
import { githubWrites, startWorld, type World } from '../../sim/world.js';
import { rendered, section } from './report-text.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.stop();
});

const tagRef = (w: World) => w.github.state.resolve('tags/v2.14.0');

describe('validation', () => {
  it('names every bad input at once, writes the report, sends no request at all', async () => {
    const run = await world.run({ version: '2.14', sha: 'abc', 'canary-steps': '25,5', digest: 'sha256:nope', approvers: '@ok, bad user', slo: '{window_minutes: -1}' });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('blocked');
    for (const problem of ["version '2.14' is not SemVer", "sha 'abc' is not a 40-hex commit", 'ascend and end at 100: got 25,5', "digest 'sha256:nope'", "approvers 'bad user'", 'slo.window_minutes is invalid']) {
      expect(run.stdout).toContain(problem);
      expect(rendered(run.report())).toContain(problem);
    }
    expect(run.report().split('\n')[0]).toMatch(/^# BLOCKED/);
    expect(run.outputs['report-path']).toBe('devops/reports/release-2.14.md');
    expect(world.github.requests).toEqual([]);
    expect(world.kube.requests).toEqual([]);
    expect(run.files()).toEqual(['devops/reports/release-2.14.md']);
  });
});

describe('CI gate', () => {
  it('passes green CI, setting aside the release workflow\'s own check runs by identity', async () => {
    const run = await world.run({ 'dry-run': 'true' });
    expect(run.code).toBe(0);
    const ci = run.json('devops/status/ci-green.json');
    expect(ci).toMatchObject({ sha: world.sha, green: true, own_check_run: { identified_by: `job "release" of run ${RUN_ID} on runner runner-7` } });
    expect(ci.excluded).toEqual([{ id: expect.any(Number), name: 'release', check_suite_id: expect.any(Number), reason: `the release workflow, not CI: job "release" of workflow run ${RUN_ID} (.github/workflows/release.yml), attempt 1` }]);
    expect(ci.runs.map((r: { name: string; verdict: string }) => `${r.name}:${r.verdict}`).sort()).toEqual(['build:pass', 'release:excluded', 'unit tests:pass']);
    expect(ci.statuses).toEqual([expect.objectContaining({ context: 'ci/jenkins', state: 'success', verdict: 'pass' })]);
  });

  it('blocks on a failed check run, naming it, and writes nothing', async () => {
    world.github.state.addCheckRun({ sha: world.sha, name: 'integration', conclusion: 'failure' });
    const run = await world.run();
    expect(run.code).toBe(2);
    expect(run.outputs.result).toBe('blocked');
    expect(run.report()).toMatch(/^# BLOCKED/);
    expect(section(run.report(), 'Blocked')).toContain(`check run "integration" (failure) failed on ${world.sha}`);
    expect(run.json('devops/status/ci-green.json')).toMatchObject({ green: false, failing: ['check run "integration" (failure)'] });
    expect(githubWrites(world)).toEqual([]);
    expect(world.kube.writes()).toEqual([]);
    expect(tagRef(world)).toBeUndefined();
  });

  it('blocks on a failed commit status even when every check run is green', async () => {
    world.github.state.addStatus({ sha: world.sha, context: 'security/scan', state: 'failure' });
    const run = await world.run();
    expect(run.code).toBe(2);
    expect(section(run.report(), 'Blocked')).toContain('commit status "security/scan" (failure)');
  });

  it('reads every page: 130 check runs with the failure on page 2', async () => {
    for (let i = 1; i <= 130; i += 1) world.github.state.addCheckRun({ sha: world.sha, name: `matrix (${i})`, conclusion: i === 117 ? 'failure' : 'success' });
    const run = await world.run();
    expect(run.code).toBe(2);
    expect(section(run.report(), 'Blocked')).toContain('check run "matrix (117)" (failure)');
    expect(run.json('devops/status/ci-green.json').runs).toHaveLength(133);
    expect(world.github.requests.filter((r) => r.operationId === 'checks/list-for-ref').map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
  });

  it('counts only the latest attempt of a re-run job, within its own workflow run', async () => {
    // A re-run adds its check runs to the same check suite (one suite per workflow run).
    world.github.state.addRun({ id: 9100, sha: world.sha, path: '.github/workflows/e2e.yml', status: 'completed' });
    const first = world.github.state.addJob(9100, { name: 'e2e', sha: world.sha, conclusion: 'failure' });
    const rerun = world.github.state.addJob(9100, { name: 'e2e', sha: world.sha, conclusion: 'success', attempt: 2 });
    expect(rerun.id).toBeGreaterThan(first.id);
    const run = await world.run({ 'dry-run': 'true' });
    expect(run.code).toBe(0);
  });

  it('waits for in-progress checks that finish within ci-wait-minutes', async () => {
    world.github.state.addCheckRun({ sha: world.sha, name: 'slow e2e', status: 'in_progress', conclusion: null, completeAfterMs: 2500, completeWith: 'success' });
    const run = await world.run({ 'dry-run': 'true', 'ci-wait-minutes': '0.5' });
    expect(run.code).toBe(0);
    const ci = run.json('devops/status/ci-green.json');
    expect(ci.green).toBe(true);
    expect(ci.polls).toBeGreaterThan(1);
    expect(run.stdout).toContain('CI gate: waiting for check run "slow e2e" (in_progress)');
  });

  it('blocks when checks are still running once ci-wait-minutes is over', async () => {
    world.github.state.addCheckRun({ sha: world.sha, name: 'slow e2e', status: 'in_progress', conclusion: null });
    const run = await world.run({ 'ci-wait-minutes': '0.05' });
    expect(run.code).toBe(2);
    expect(section(run.report(), 'Blocked')).toContain('check run "slow e2e" (in_progress) still in progress after waiting 0.05 min (ci-wait-minutes)');
  });

  it('ignores the checks listed in ignore-checks and says which matched nothing', async () => {
    world.github.state.addCheckRun({ sha: world.sha, name: 'flaky', conclusion: 'failure' });
    const run = await world.run({ 'dry-run': 'true', 'ignore-checks': 'flaky, typo-check' });
    expect(run.code).toBe(0);
    expect(run.json('devops/status/ci-green.json')).toMatchObject({ ignored: [{ name: 'flaky', kind: 'check_run' }], ignore_checks_unmatched: ['typo-check'] });
    expect(run.stdout).toContain('ignore-checks: "typo-check" matched no check run or status');
  });
});

describe('tag', () => {
  it('refuses a tag that exists on another commit, before writing anything', async () => {
    const other = world.github.state.addCommit({ message: 'older', branch: null });
    world.github.state.addTag('v2.14.0', other.sha);
    const run = await world.run();
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(run.report()).toContain(`Tag v2.14.0 already exists on ${other.sha}`);
    expect(githubWrites(world)).toEqual([]);
    expect(world.kube.writes()).toEqual([]);
  });

  it('accepts a tag already on this commit (a re-run)', async () => {
    world.github.state.addTag('v2.14.0', world.sha);
    const run = await world.run({ 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(githubWrites(world)).toEqual([]);
  });
});

describe('approval gate', () => {
  it('allows a run reviewed by a listed approver for this environment', async () => {
    world.github.state.addApproval(RUN_ID, { user: 'alice', state: 'approved', environments: ['prod'] });
    const run = await world.run({ approvers: '@alice, @acme/sre', 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(section(run.report(), 'Approval')).toContain('| review by @alice | yes | approved prod; @alice is listed as @alice |');
  });

  it('allows an actor who is a member of a listed team', async () => {
    world.github.state.addTeamMember('acme', 'sre', 'octocat');
    // A GITHUB_TOKEN cannot read team membership (404); a token with members read can.
    world.github.permissions.set('members', 'read');
    const run = await world.run({ approvers: '@acme/sre', 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(section(run.report(), 'Approval')).toContain('| actor @octocat | yes | active member of @acme/sre |');
  });

  it('blocks when no approver approved and the actor is none, saying who was checked', async () => {
    world.github.state.addTeam('acme', 'sre');
    world.github.permissions.set('members', 'read');
    world.github.state.addApproval(RUN_ID, { user: 'mallory', state: 'approved', environments: ['prod'] });
    const run = await world.run({ approvers: '@alice, @acme/sre' });
    expect(run.code).toBe(2);
    expect(run.outputs.result).toBe('blocked');
    const blocked = section(run.report(), 'Blocked');
    expect(blocked).toContain('No approver (@alice, @acme/sre) approved this run for prod, and the actor is not one.');
    expect(blocked).toContain('review by @mallory: approved prod; @mallory is not an approver: not listed; not a member of @acme/sre');
    expect(blocked).toContain('actor @octocat: not listed; not a member of @acme/sre');
    expect(githubWrites(world)).toEqual([]);
    expect(world.kube.requests).toEqual([]);
  });
});

describe('faults', () => {
  it('retries 502s and a secondary rate limit: same verdict, one tag', async () => {
    world.github.faults.add({ status: 502, times: 2 });
    world.github.faults.add({ operationId: 'checks/list-for-ref', status: 'secondary-rate-limit', times: 1 });
    world.github.faults.add({ operationId: 'git/create-ref', status: 502, times: 1 });
    const run = await world.run();
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.outputs.tag).toBe('v2.14.0');
    expect(world.github.state.peel(tagRef(world)!)).toBe(world.sha);
    expect(world.github.requests.filter((r) => r.fault).length).toBe(4);
    expect(run.json('devops/status/ci-green.json').green).toBe(true);
  });
});

describe('secrets', () => {
  it('never print the token or the kubeconfig credentials', async () => {
    const run = await world.run({ 'dry-run': 'true' });
    // `::add-mask::` lines are how the runner learns what to mask: the one place a secret must appear.
    const printed = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(run.stdout).toContain(`::add-mask::${SECRET_TOKEN}`);
    const everything = [...printed, run.stderr, run.summary, ...run.files().map((f) => run.file(f)!), ...Object.values(run.outputs)].join('\n');
    expect(everything).not.toContain(SECRET_TOKEN);
    expect(everything).not.toContain(world.kube.token);
  });
});
