import type { CheckRun, CommitStatus } from '../src/github/port.js';
import { evaluateCi } from '../src/stages/ci-verdict.js';

let nextId = 1;
const run = (name: string, status: string, conclusion: string | null, extra: Partial<CheckRun> = {}): CheckRun => ({
  id: nextId++, name, status, conclusion, app: 'github-actions', detailsUrl: `https://github.com/acme/shop/actions/runs/7/job/${nextId}`,
  startedAt: '2026-11-26T10:00:00Z', completedAt: null, ...extra,
});
const status = (context: string, state: string, createdAt = '2026-11-26T10:00:00Z'): CommitStatus => ({
  id: nextId++, context, state, description: null, targetUrl: null, createdAt,
});
const none = { kind: 'none', source: 'test' } as const;

describe('evaluateCi', () => {
  it('passes success, neutral and skipped; fails everything else that completed', () => {
    const result = evaluateCi(
      [run('a', 'completed', 'success'), run('b', 'completed', 'neutral'), run('c', 'completed', 'skipped'), run('d', 'completed', 'timed_out'), run('e', 'completed', 'action_required')],
      [], none, []);
    expect(result.green).toBe(false);
    expect(result.failing).toEqual(['check run "d" (timed_out)', 'check run "e" (action_required)']);
    expect(result.passing).toBe(3);
  });

  it('fails on a failed commit status even when every check run is green', () => {
    const result = evaluateCi([run('build', 'completed', 'success')], [status('ci/jenkins', 'failure'), status('deploy/preview', 'error')], none, []);
    expect(result.failing).toEqual(['commit status "ci/jenkins" (failure)', 'commit status "deploy/preview" (error)']);
  });

  it('counts only the latest run of a check and the latest status of a context', () => {
    const result = evaluateCi(
      [run('test', 'completed', 'failure', { startedAt: '2026-11-26T09:00:00Z' }), run('test', 'completed', 'success', { startedAt: '2026-11-26T09:30:00Z' })],
      [status('ci/jenkins', 'failure', '2026-11-26T09:00:00Z'), status('ci/jenkins', 'success', '2026-11-26T09:10:00Z')],
      none, []);
    expect(result.green).toBe(true);
    expect(result.runs.map((r) => r.verdict)).toEqual(['superseded', 'pass']);
    expect(result.statuses.map((s) => s.verdict)).toEqual(['superseded', 'pass']);
  });

  it('keeps same-named checks of different apps apart', () => {
    const result = evaluateCi([run('build', 'completed', 'success'), run('build', 'completed', 'failure', { app: 'circleci' })], [], none, []);
    expect(result.failing).toEqual(['check run "build" (failure)']);
  });

  it('excludes the own check run by id, not by name', () => {
    const own = run('release', 'in_progress', null);
    const namesake = run('release', 'in_progress', null, { app: 'other-ci' });
    const result = evaluateCi([own, namesake, run('test', 'completed', 'success')], [], { kind: 'id', id: own.id, source: 'check-run-id input' }, []);
    expect(result.runs[0]).toMatchObject({ verdict: 'excluded' });
    expect(result.pending).toEqual(['check run "release" (in_progress)']);
  });

  it('falls back to in-progress runs of this workflow run', () => {
    const mine = run('release', 'in_progress', null, { detailsUrl: 'https://github.com/acme/shop/actions/runs/42/job/9' });
    const earlier = run('unit', 'completed', 'failure', { detailsUrl: 'https://github.com/acme/shop/actions/runs/42/job/8' });
    const result = evaluateCi([mine, earlier], [], { kind: 'run', runId: 42, source: 'run' }, []);
    expect(result.runs.map((r) => r.verdict)).toEqual(['excluded', 'fail']);
  });

  it('sets ignored checks aside and reports ignore entries that matched nothing', () => {
    const result = evaluateCi([run('flaky', 'completed', 'failure'), run('unit', 'completed', 'success')], [status('codecov', 'failure')], none, ['flaky', 'codecov', 'lnt']);
    expect(result.green).toBe(true);
    expect(result.unmatchedIgnores).toEqual(['lnt']);
  });

  it('is not green without any check', () => {
    expect(evaluateCi([], [], none, []).green).toBe(false);
    expect(evaluateCi([run('x', 'queued', null)], [status('y', 'pending')], none, []).pending).toEqual(['check run "x" (queued)', 'commit status "y" (pending)']);
  });
});
