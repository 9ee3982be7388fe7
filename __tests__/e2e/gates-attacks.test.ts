// The gates tried as an attacker and a careful reviewer would (issue 8), end to end through the
// bundled action against the simulated GitHub: exit code, report, ci-green.json, requests sent.
// The simulated GitHub models check suites per workflow run, re-runs in the same suite, the
// triggering actor and token permissions (sim/github/README.md).
import { RUN_ID } from '../../sim/run-action.js';
import { githubWrites, type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';
import { rendered, section } from './report-text.js';

const start = worldPerTest();

const operations = (world: World, id: string) => world.github.requests.filter((r) => r.operationId === id);

interface JsonRun {
  id: number;
  name: string;
  verdict: string;
  check_suite_id: number;
  reason?: string;
}

describe('CI gate: check suites', () => {
  it("never hides workflow A's failing `test` behind workflow B's passing `test`", async () => {
    const world = await start();
    const a = world.github.state.addCheckRun({ sha: world.sha, name: 'test', conclusion: 'failure', workflow: '.github/workflows/a.yml' });
    const b = world.github.state.addCheckRun({ sha: world.sha, name: 'test', conclusion: 'success', workflow: '.github/workflows/b.yml' });
    const run = await world.run();
    expect(run.code).toBe(2);
    expect(run.outputs.result).toBe('blocked');
    expect(section(run.report(), 'Blocked')).toContain(`check run "test" (failure) failed on ${world.sha}`);
    const ci = run.json('devops/status/ci-green.json');
    expect(ci).toMatchObject({ green: false, failing: ['check run "test" (failure)'] });
    const tests = (ci.runs as JsonRun[]).filter((r) => r.name === 'test').map((r) => [r.id, r.check_suite_id, r.verdict]);
    expect(tests).toEqual(expect.arrayContaining([[a.id, a.suiteId, 'fail'], [b.id, b.suiteId, 'pass']]));
    // Every run is read, not GitHub's filtered view, and nothing is written.
    expect(operations(world, 'checks/list-for-ref').map((r) => r.query.filter)).toEqual(['all']);
    expect(githubWrites(world)).toEqual([]);
  });

  it("a re-run attempt's passing run supersedes its failing first attempt in the same suite", async () => {
    const world = await start();
    world.github.state.addRun({ id: 9200, sha: world.sha, path: '.github/workflows/ci.yml', status: 'completed' });
    const first = world.github.state.addJob(9200, { name: 'test', sha: world.sha, conclusion: 'failure' });
    const rerun = world.github.state.addJob(9200, { name: 'test', sha: world.sha, conclusion: 'success', attempt: 2 });
    const run = await world.run({ 'dry-run': 'true' });
    expect(run.code).toBe(0);
    const ci = run.json('devops/status/ci-green.json');
    expect(ci.green).toBe(true);
    expect(ci.superseded).toEqual([
      { id: first.id, name: 'test', check_suite_id: world.github.state.runs.get(9200)!.suiteId, conclusion: 'failure', reason: `re-run in the same check suite as check run ${rerun.id}` },
    ]);
    expect(rendered(run.report())).toContain(`re-run in the same check suite as check run ${rerun.id}`);
  });
});

describe('CI gate: the release workflow is not CI', () => {
  it('blocks with "no CI result" when the only check run is the release workflow\'s own `needs: build` job', async () => {
    const world = await start();
    // A fresh commit: no CI has reported on it; the release workflow built it and runs the release.
    const commit = world.github.state.addCommit({ message: 'feat: untested' });
    world.github.state.addJob(RUN_ID, { name: 'build', sha: commit.sha, conclusion: 'success' });
    world.github.state.addJob(RUN_ID, { name: 'release', sha: commit.sha, status: 'in_progress', runnerName: 'runner-7' });
    const run = await world.run({ sha: commit.sha });
    expect(run.code).toBe(2);
    const blocked = section(run.report(), 'Blocked');
    expect(blocked).toContain(`no CI result for ${commit.sha}: no check run or commit status outside the release workflow (2 check runs of the release workflow set aside)`);
    const ci = run.json('devops/status/ci-green.json');
    expect(ci).toMatchObject({ green: false, no_ci_result: true });
    expect((ci.excluded as JsonRun[]).map((r) => r.name).sort()).toEqual(['build', 'release']);
    expect(ci.excluded[0].reason).toMatch(/^the release workflow, not CI: job "(build|release)" of workflow run 4242 \(\.github\/workflows\/release\.yml\), attempt 1$/);
    expect(githubWrites(world)).toEqual([]);
  });

  it('two matrix legs of one release run, and an earlier run of the same workflow, never block each other', async () => {
    const world = await start();
    // The other leg is still running; an earlier run of release.yml on this commit failed.
    world.github.state.addJob(RUN_ID, { name: 'release (eu-west-1)', sha: world.sha, status: 'in_progress', runnerName: 'runner-8' });
    world.github.state.addRun({ id: 4100, sha: world.sha, status: 'completed', conclusion: 'failure' });
    world.github.state.addJob(4100, { name: 'release', sha: world.sha, conclusion: 'failure' });
    const run = await world.run({ 'dry-run': 'true' });
    expect(run.code).toBe(0);
    const ci = run.json('devops/status/ci-green.json');
    expect(ci).toMatchObject({ green: true, pending: [], failing: [] });
    const excluded = (ci.excluded as JsonRun[]).map((r) => `${r.name}: ${r.reason}`).sort();
    expect(excluded).toEqual([
      'release (eu-west-1): the release workflow, not CI: job "release (eu-west-1)" of workflow run 4242 (.github/workflows/release.yml), attempt 1',
      'release: the release workflow, not CI: job "release" of workflow run 4242 (.github/workflows/release.yml), attempt 1',
      'release: the release workflow, not CI: workflow run 4100 of the same workflow file .github/workflows/release.yml on this commit',
    ]);
    // Identified through the Actions API, by identity: this run, its jobs in every attempt, its workflow's runs on the sha.
    const self = operations(world, 'actions/get-workflow-run');
    expect(self.map((r) => r.path)).toEqual([`/repos/acme/shop/actions/runs/${RUN_ID}`]);
    expect(operations(world, 'actions/list-jobs-for-workflow-run').map((r) => r.query.filter)).toEqual(['all']);
    expect(operations(world, 'actions/list-workflow-runs').map((r) => r.query.head_sha)).toEqual([world.sha]);
    expect(section(run.report(), 'CI gate')).toContain(
      "Set aside as the release workflow's own check runs (by identity, not CI): .github/workflows/release.yml: workflow run 4242 (attempt 1) and 1 other run(s) of it on this commit, found through the Actions API.",
    );
  });
});

describe('CI gate: required checks', () => {
  it('blocks after ci-wait-minutes when a required check never reports, naming it', async () => {
    const world = await start();
    // `e2e` exists only as a job of the release workflow: that is not CI either.
    world.github.state.addJob(RUN_ID, { name: 'e2e', sha: world.sha, conclusion: 'success' });
    const run = await world.run({ 'required-checks': 'unit tests, e2e', 'ci-wait-minutes': '0.05' });
    expect(run.code).toBe(2);
    expect(section(run.report(), 'Blocked')).toContain(
      `required check e2e not found on ${world.sha} outside the release workflow (its own jobs are not CI) after waiting 0.05 min (ci-wait-minutes)`,
    );
    const ci = run.json('devops/status/ci-green.json');
    expect(ci).toMatchObject({ green: false, required_checks: ['unit tests', 'e2e'], missing_required: ['e2e'] });
    expect(ci.polls).toBeGreaterThan(1);
    expect(section(run.report(), 'CI gate')).toContain('Required checks: `unit tests`, `e2e`; not found: `e2e`.');
    expect(run.stdout).toContain('CI gate: waiting for required check e2e');
    expect(githubWrites(world)).toEqual([]);
  });

  it('waits for a required check that reports late, then passes', async () => {
    const world = await start();
    world.github.state.addCheckRun({ sha: world.sha, name: 'e2e', appearAfterMs: 2500 });
    const run = await world.run({ 'dry-run': 'true', 'required-checks': 'e2e', 'ci-wait-minutes': '0.5' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('CI gate: waiting for required check e2e');
    expect(run.json('devops/status/ci-green.json')).toMatchObject({ green: true, missing_required: [] });
    expect(run.json('devops/status/ci-green.json').polls).toBeGreaterThan(1);
  });

  it('passes when every required check is there and green, a commit status included', async () => {
    const world = await start();
    const run = await world.run({ 'dry-run': 'true', 'required-checks': 'build, ci/jenkins' });
    expect(run.code).toBe(0);
    expect(run.json('devops/status/ci-green.json')).toMatchObject({ green: true, missing_required: [] });
  });
});

describe('CI gate: missing permissions are named', () => {
  it.each([
    ['actions', 'actions: read', 'read workflow run 4242'],
    ['checks', 'checks: read', 'list the check runs of'],
    ['statuses', 'statuses: read', 'list the commit statuses of'],
  ] as const)('without %s the run fails (exit 1), naming `%s`', async (permission, needed, what) => {
    const world = await start();
    world.github.permissions.set(permission, 'none');
    const run = await world.run({ 'dry-run': 'true' });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failed');
    const report = rendered(run.report());
    expect(report).toContain(`GitHub refused to ${what}`);
    expect(report).toContain('403 Resource not accessible by integration');
    expect(report).toContain(`the token needs ${'`'}${needed}${'`'}`);
    expect(world.github.requests.filter((r) => r.status === 403)).not.toEqual([]);
  });
});

describe('approval gate', () => {
  it('without actions: read the environment reviews cannot be read: the run fails naming the permission', async () => {
    const world = await start();
    world.github.permissions.set('actions', 'none');
    const run = await world.run({ approvers: '@alice' });
    expect(run.code).toBe(1);
    expect(rendered(run.report())).toContain(`GitHub refused to read the environment reviews of workflow run ${RUN_ID} (403 Resource not accessible by integration): the token needs \`actions: read\``);
    expect(githubWrites(world)).toEqual([]);
  });

  it("blocks a re-run of an approver's run by someone who is not an approver", async () => {
    const world = await start();
    // Alice (an approver) started the run; mallory re-ran it. GITHUB_ACTOR stays alice.
    const env = { GITHUB_ACTOR: 'alice', GITHUB_TRIGGERING_ACTOR: 'mallory', GITHUB_RUN_ATTEMPT: '2' };
    const run = await world.run({ approvers: '@alice' }, { env });
    expect(run.code).toBe(2);
    expect(run.outputs.result).toBe('blocked');
    const blocked = section(run.report(), 'Blocked');
    expect(blocked).toContain('actor @mallory (started attempt 2; the run was started by @alice): not listed');
    expect(githubWrites(world)).toEqual([]);
    expect(world.kube.requests).toEqual([]);
    // The same re-run started by alice herself is allowed.
    const own = await world.run({ approvers: '@alice', 'dry-run': 'true' }, { env: { ...env, GITHUB_TRIGGERING_ACTOR: 'alice' } });
    expect(own.code).toBe(0);
  });

  it('does not count environment reviews of attempt 1 on attempt 2', async () => {
    const world = await start();
    world.github.state.addApproval(RUN_ID, { user: 'alice', state: 'approved', environments: ['prod'] });
    const first = await world.run({ approvers: '@alice', 'dry-run': 'true' });
    expect(first.code).toBe(0);
    const second = await world.run({ approvers: '@alice' }, { env: { GITHUB_RUN_ATTEMPT: '2' } });
    expect(second.code).toBe(2);
    const blocked = section(second.report(), 'Blocked');
    expect(blocked).toContain('environment reviews: not counted on attempt 2');
    expect(blocked).toContain('actor @octocat: not listed');
  });

  it('with a GITHUB_TOKEN, a team membership that cannot be read blocks and names the permission — never "not a member"', async () => {
    const world = await start();
    world.github.state.addTeamMember('acme', 'sre', 'octocat');
    const run = await world.run({ approvers: '@acme/sre' });
    expect(run.code).toBe(2);
    const blocked = section(run.report(), 'Blocked');
    expect(blocked).toContain('actor @octocat: not listed; membership of @acme/sre could not be read: GitHub answered 404');
    expect(blocked).toContain('Members: read');
    expect(blocked).toContain('read:org');
    expect(rendered(run.report())).not.toMatch(/not a member/);
    // GitHub answered 404 to both the membership and the team itself: hidden and missing look alike.
    expect(operations(world, 'teams/get-membership-for-user-in-org').map((r) => r.status)).toEqual([404]);
    expect(operations(world, 'teams/get-by-name').map((r) => r.status)).toEqual([404]);
    expect(githubWrites(world)).toEqual([]);
  });
});
