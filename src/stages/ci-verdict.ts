// The CI gate's decision, pure: which checks count, which pass, and why each one that does not
// count was set aside. Fed by the adapter's raw lists; unit-tested on its own.
import type { CheckRun, CommitStatus } from '../github/port.js';

/** How this job's own check run is recognised: never by name, always by identity. */
export type OwnCheckRun =
  | { readonly kind: 'id'; readonly id: number; readonly source: string }
  | { readonly kind: 'run'; readonly runId: number; readonly source: string }
  | { readonly kind: 'none'; readonly source: string };

export type Verdict = 'pass' | 'fail' | 'pending' | 'excluded' | 'ignored' | 'superseded';

export interface JudgedRun extends CheckRun {
  readonly verdict: Verdict;
  readonly reason?: string;
}
export interface JudgedStatus extends CommitStatus {
  readonly verdict: Verdict;
  readonly reason?: string;
}

export interface CiEvaluation {
  readonly runs: readonly JudgedRun[];
  readonly statuses: readonly JudgedStatus[];
  /** `name (conclusion)` of each failing check run or status. */
  readonly failing: readonly string[];
  readonly pending: readonly string[];
  readonly passing: number;
  readonly green: boolean;
  /** ignore-checks entries that matched nothing: most often a typo. */
  readonly unmatchedIgnores: readonly string[];
}

const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

export function evaluateCi(checkRuns: readonly CheckRun[], statuses: readonly CommitStatus[], own: OwnCheckRun, ignore: readonly string[]): CiEvaluation {
  const ignored = new Set(ignore);
  const matchedIgnores = new Set<string>();
  const newestFirst = <T extends { id: number }>(time: (x: T) => string | null) => (a: T, b: T) =>
    (time(b) ?? '').localeCompare(time(a) ?? '') || b.id - a.id;

  const latestRun = latestBy(checkRuns, (r) => `${r.app}\u0000${r.name}`, newestFirst<CheckRun>((r) => r.startedAt));
  const runs = checkRuns.map((run): JudgedRun => {
    if (own.kind === 'id' && run.id === own.id) return { ...run, verdict: 'excluded', reason: `this release job (${own.source})` };
    if (own.kind === 'run' && run.status !== 'completed' && run.detailsUrl?.includes(`/actions/runs/${own.runId}/`)) {
      return { ...run, verdict: 'excluded', reason: `in progress in this workflow run (${own.source})` };
    }
    if (latestRun.get(`${run.app}\u0000${run.name}`) !== run) return { ...run, verdict: 'superseded', reason: 'a newer run of this check exists' };
    if (ignored.has(run.name)) {
      matchedIgnores.add(run.name);
      return { ...run, verdict: 'ignored', reason: 'listed in ignore-checks' };
    }
    if (run.status !== 'completed') return { ...run, verdict: 'pending' };
    return { ...run, verdict: PASSING_CONCLUSIONS.has(run.conclusion ?? '') ? 'pass' : 'fail' };
  });

  const latestStatus = latestBy(statuses, (s) => s.context, newestFirst<CommitStatus>((s) => s.createdAt));
  const judgedStatuses = statuses.map((s): JudgedStatus => {
    if (latestStatus.get(s.context) !== s) return { ...s, verdict: 'superseded', reason: 'a newer status of this context exists' };
    if (ignored.has(s.context)) {
      matchedIgnores.add(s.context);
      return { ...s, verdict: 'ignored', reason: 'listed in ignore-checks' };
    }
    if (s.state === 'success') return { ...s, verdict: 'pass' };
    return { ...s, verdict: s.state === 'pending' ? 'pending' : 'fail' };
  });

  const failing = [
    ...runs.filter((r) => r.verdict === 'fail').map((r) => `check run "${r.name}" (${r.conclusion ?? r.status})`),
    ...judgedStatuses.filter((s) => s.verdict === 'fail').map((s) => `commit status "${s.context}" (${s.state})`),
  ];
  const pending = [
    ...runs.filter((r) => r.verdict === 'pending').map((r) => `check run "${r.name}" (${r.status})`),
    ...judgedStatuses.filter((s) => s.verdict === 'pending').map((s) => `commit status "${s.context}" (pending)`),
  ];
  const passing = runs.filter((r) => r.verdict === 'pass').length + judgedStatuses.filter((s) => s.verdict === 'pass').length;
  return {
    runs,
    statuses: judgedStatuses,
    failing,
    pending,
    passing,
    // A commit with no checks at all proves nothing: CI may not have started yet.
    green: failing.length === 0 && pending.length === 0 && passing > 0,
    unmatchedIgnores: ignore.filter((name) => !matchedIgnores.has(name)),
  };
}

function latestBy<T>(items: readonly T[], key: (item: T) => string, order: (a: T, b: T) => number): Map<string, T> {
  const latest = new Map<string, T>();
  for (const item of items) {
    const current = latest.get(key(item));
    if (!current || order(item, current) < 0) latest.set(key(item), item);
  }
  return latest;
}
