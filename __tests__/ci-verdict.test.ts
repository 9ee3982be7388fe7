import type { CheckRun, CommitStatus } from '../src/github/port.js';
import { blockedReasons, evaluateCi, NOT_IN_A_WORKFLOW, type ReleaseWorkflow } from '../src/stages/ci-verdict.js';

let nextId = 1;
/** A check run of workflow run (check suite) `suite`, as GitHub lists it. */
const run = (name: string, status: string, conclusion: string | null, extra: Partial<CheckRun> = {}): CheckRun => ({
  id: nextId++, name, status, conclusion, app: 'github-actions', suiteId: 100, detailsUrl: null,
  startedAt: '2026-11-26T10:00:00Z', completedAt: null, ...extra,
});
const status = (context: string, state: string, createdAt = '2026-11-26T10:00:00Z'): CommitStatus => ({
  id: nextId++, context, state, description: null, targetUrl: null, createdAt,
});
const none = NOT_IN_A_WORKFLOW;
const rules = (over: { ignore?: string[]; required?: string[] } = {}) => ({ ignore: over.ignore ?? [], required: over.required ?? [] });
/** The release workflow: run 4242's suite 900 (every attempt), another run of release.yml (suite 901). */
const release: ReleaseWorkflow = {
  suites: new Map([[900, 'workflow run 4242 (.github/workflows/release.yml), every attempt'], [901, 'workflow run 4100 of the same workflow file']]),
  jobs: new Map([[5000, 'job "release (eu)" of workflow run 4242, attempt 1']]),
  source: 'test',
};

describe('evaluateCi', () => {
  it('passes success, neutral and skipped; fails everything else that completed', () => {
    const result = evaluateCi(
      [run('a', 'completed', 'success'), run('b', 'completed', 'neutral'), run('c', 'completed', 'skipped'), run('d', 'completed', 'timed_out'), run('e', 'completed', 'action_required')],
      [], none, rules());
    expect(result.green).toBe(false);
    expect(result.failing).toEqual(['check run "d" (timed_out)', 'check run "e" (action_required)']);
    expect(result.passing).toBe(3);
  });

  it('fails on a failed commit status even when every check run is green', () => {
    const result = evaluateCi([run('build', 'completed', 'success')], [status('ci/jenkins', 'failure'), status('deploy/preview', 'error')], none, rules());
    expect(result.failing).toEqual(['commit status "ci/jenkins" (failure)', 'commit status "deploy/preview" (error)']);
  });

  it('a re-run attempt supersedes its failing first attempt in the same suite', () => {
    // GitHub re-runs a workflow run only once it has completed: the re-run starts after the first attempt ended.
    const first = run('test', 'completed', 'failure', { suiteId: 7, completedAt: '2026-11-26T10:04:00Z' });
    const rerun = run('test', 'completed', 'success', { suiteId: 7, startedAt: '2026-11-26T10:30:00Z', completedAt: '2026-11-26T10:34:00Z' });
    const result = evaluateCi([rerun, first], [status('ci/jenkins', 'failure', '2026-11-26T09:00:00Z'), status('ci/jenkins', 'success', '2026-11-26T09:10:00Z')], none, rules());
    expect(result.green).toBe(true);
    expect(result.runs.map((r) => [r.id, r.verdict])).toEqual([[rerun.id, 'pass'], [first.id, 'superseded']]);
    expect(result.runs[1]!.reason).toBe(`re-run in the same check suite as check run ${rerun.id}`);
    expect(result.statuses.map((s) => s.verdict)).toEqual(['superseded', 'pass']);
  });

  it('never hides a failing run of one suite behind a newer passing run of the same name in another suite', () => {
    // Workflow A's `test` failed; workflow B's `test` (same app, same name, newer) passed.
    const a = run('test', 'completed', 'failure', { suiteId: 1 });
    const b = run('test', 'completed', 'success', { suiteId: 2, startedAt: '2026-11-26T11:00:00Z' });
    const result = evaluateCi([a, b], [], none, rules());
    expect(result.green).toBe(false);
    expect(result.failing).toEqual(['check run "test" (failure)']);
    expect(result.runs.map((r) => r.verdict)).toEqual(['fail', 'pass']);
  });

  it('never lets same-named siblings of one workflow run hide each other', () => {
    // `name: test (${{ matrix.os }})` over os × node: two legs named "test (ubuntu)" in one run,
    // side by side. The node-18 leg failed; the node-20 leg (a higher id) passed.
    const node18 = run('test (ubuntu)', 'completed', 'failure', { suiteId: 7, startedAt: '2026-11-26T10:00:05Z', completedAt: '2026-11-26T10:03:00Z' });
    const node20 = run('test (ubuntu)', 'completed', 'success', { suiteId: 7, startedAt: '2026-11-26T10:00:04Z', completedAt: '2026-11-26T10:04:00Z' });
    const result = evaluateCi([node18, node20], [], none, rules());
    expect(result.green).toBe(false);
    expect(result.failing).toEqual(['check run "test (ubuntu)" (failure)']);
    // A re-run of one of them, after the run completed, cannot say which leg it replaces: both still count.
    const rerun = run('test (ubuntu)', 'completed', 'success', { suiteId: 7, startedAt: '2026-11-26T11:00:00Z', completedAt: '2026-11-26T11:03:00Z' });
    expect(evaluateCi([node18, node20, rerun], [], none, rules()).failing).toEqual(['check run "test (ubuntu)" (failure)']);
    // A newer same-named run still going while an older one runs is a sibling too: both are waited for.
    const going = run('lint', 'in_progress', null, { suiteId: 7 });
    const alongside = run('lint', 'completed', 'success', { suiteId: 7, completedAt: '2026-11-26T10:01:00Z' });
    expect(evaluateCi([going, alongside], [], none, rules()).pending).toEqual(['check run "lint" (in_progress)']);
  });

  it('keeps same-named checks of different apps apart', () => {
    const result = evaluateCi([run('build', 'completed', 'success'), run('build', 'completed', 'failure', { app: 'circleci', suiteId: 55 })], [], none, rules());
    expect(result.failing).toEqual(['check run "build" (failure)']);
  });

  it('sets aside the release workflow by identity: its suites and its jobs, never by name', () => {
    const ownLeg = run('release (eu)', 'in_progress', null, { id: 5000, suiteId: 900 });
    const otherLeg = run('release (us)', 'in_progress', null, { suiteId: 900 });
    const earlierRun = run('release (eu)', 'completed', 'failure', { suiteId: 901 });
    const namesake = run('release (eu)', 'completed', 'success', { suiteId: 300 });
    const result = evaluateCi([ownLeg, otherLeg, earlierRun, namesake], [], release, rules());
    expect(result.runs.map((r) => r.verdict)).toEqual(['excluded', 'excluded', 'excluded', 'pass']);
    expect(result.runs[0]!.reason).toBe('the release workflow, not CI: job "release (eu)" of workflow run 4242, attempt 1');
    expect(result.runs[1]!.reason).toContain('workflow run 4242');
    // Two matrix legs of one release run: neither waits for the other.
    expect(result.pending).toEqual([]);
    expect(result.green).toBe(true);
  });

  it('has no CI result when the only check run is the release workflow\'s own `needs: build` job', () => {
    const build = run('build', 'completed', 'success', { suiteId: 900 });
    const result = evaluateCi([build, run('release', 'in_progress', null, { suiteId: 900 })], [], release, rules());
    expect(result).toMatchObject({ noCi: true, green: false, passing: 0 });
    expect(blockedReasons(result, 'abc', ' (ci-wait-minutes is 0)')).toEqual([
      'no CI result for abc: no check run or commit status outside the release workflow (2 check runs of the release workflow set aside) (ci-wait-minutes is 0)',
    ]);
  });

  it('is not green without any check, and a status alone is a CI result', () => {
    expect(evaluateCi([], [], none, rules())).toMatchObject({ green: false, noCi: true });
    expect(evaluateCi([], [status('ci/jenkins', 'success')], none, rules())).toMatchObject({ green: true, noCi: false });
    expect(evaluateCi([run('x', 'queued', null)], [status('y', 'pending')], none, rules()).pending).toEqual(['check run "x" (queued)', 'commit status "y" (pending)']);
  });

  it('requires each required check present outside the release workflow and green', () => {
    const checks = [run('unit', 'completed', 'success', { suiteId: 3 }), run('e2e', 'completed', 'success', { suiteId: 900 })];
    const result = evaluateCi(checks, [status('security/scan', 'success')], release, rules({ required: ['unit', 'security/scan', 'e2e', 'lint'] }));
    expect(result.missingRequired).toEqual(['e2e', 'lint']);
    expect(result.green).toBe(false);
    expect(blockedReasons(result, 'abc', ' after waiting 1 min (ci-wait-minutes)')).toEqual([
      'required check e2e not found on abc outside the release workflow (its own jobs are not CI) after waiting 1 min (ci-wait-minutes)',
      'required check lint not found on abc after waiting 1 min (ci-wait-minutes)',
    ]);
    const failing = evaluateCi([run('unit', 'completed', 'failure')], [], none, rules({ required: ['unit'] }));
    expect(failing).toMatchObject({ missingRequired: [], failing: ['check run "unit" (failure)'] });
  });

  it('sets ignored checks aside and reports ignore entries that matched nothing', () => {
    const result = evaluateCi([run('flaky', 'completed', 'failure'), run('unit', 'completed', 'success')], [status('codecov', 'failure')], none, rules({ ignore: ['flaky', 'codecov', 'lnt'] }));
    expect(result.green).toBe(true);
    expect(result.unmatchedIgnores).toEqual(['lnt']);
  });

  it('has no CI result when every check outside the release workflow is ignored', () => {
    expect(evaluateCi([run('flaky', 'completed', 'success')], [], none, rules({ ignore: ['flaky'] }))).toMatchObject({ noCi: true, green: false });
  });

  it('names failures first and alone: a failure blocks at once', () => {
    const result = evaluateCi([run('unit', 'completed', 'failure'), run('e2e', 'in_progress', null)], [], none, rules({ required: ['lint'] }));
    expect(blockedReasons(result, 'abc', '')).toEqual(['check run "unit" (failure) failed on abc']);
  });
});
