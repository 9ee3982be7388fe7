// The CI gate's decision, pure: which checks count, which pass, and why each one that does not
// count was set aside. Fed by the adapter's raw lists; unit-tested on its own.
//
// The model (reference/github-actions.md, "Check suites"): each workflow run has one check suite;
// every Actions job is a check run of the one GitHub Actions app, named by its job; a re-run adds
// check runs to the same suite. So a check is a (suite, name) pair: within one the latest run
// counts, and a same-named run of another suite (another workflow) is another check.
//
// One workflow run can also hold several jobs of one name at once: two jobs with the same `name:`,
// or matrix legs whose `name:` expression leaves out a matrix value (GitHub appends the matrix
// values only to a name without an expression). Those are siblings, not attempts: a re-run starts
// only once its run has completed ("Re-running workflows and jobs", docs.github.com), so a run that
// started before a same-named one had completed did not replace it. Siblings never hide each other,
// and where a check's name has siblings no run of it is taken for a re-run of another: which one a
// later run replaces cannot be told, and a failure must never be hidden by a guess.
import type { CheckRun, CommitStatus } from '../github/port.js';

/** How this job's own check run was recognised (for the report): never by name. */
export type OwnCheckRun =
  | { readonly kind: 'id'; readonly id: number; readonly source: string }
  | { readonly kind: 'none'; readonly source: string };

/**
 * The release workflow's own check runs, found by identity through the Actions API: the check
 * suites of its runs on the commit (this run in every attempt, other runs of the same workflow
 * file) and the job ids of this run. Each maps to the reason shown in the report.
 */
export interface ReleaseWorkflow {
  readonly suites: ReadonlyMap<number, string>;
  readonly jobs: ReadonlyMap<number, string>;
  /** How it was identified, e.g. `.github/workflows/release.yml, run 4242 (attempt 1)`. */
  readonly source: string;
}

export const NOT_IN_A_WORKFLOW: ReleaseWorkflow = { suites: new Map(), jobs: new Map(), source: 'not in a workflow run (no GITHUB_RUN_ID): nothing excluded' };

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
  /** required-checks entries with no check run or status outside the release workflow. */
  readonly missingRequired: readonly string[];
  /** Nothing outside the release workflow counts: no CI result at all. */
  readonly noCi: boolean;
  readonly green: boolean;
  /** ignore-checks entries that matched nothing: most often a typo. */
  readonly unmatchedIgnores: readonly string[];
}

export interface CiRules {
  readonly ignore: readonly string[];
  readonly required: readonly string[];
}

const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

export function evaluateCi(checkRuns: readonly CheckRun[], statuses: readonly CommitStatus[], release: ReleaseWorkflow, rules: CiRules): CiEvaluation {
  const ignored = new Set(rules.ignore);
  const matchedIgnores = new Set<string>();
  const releaseReason = (run: CheckRun) => release.jobs.get(run.id) ?? (run.suiteId !== null ? release.suites.get(run.suiteId) : undefined);

  const supersededBy = reruns(checkRuns);
  const runs = checkRuns.map((run): JudgedRun => {
    const own = releaseReason(run);
    if (own !== undefined) return { ...run, verdict: 'excluded', reason: `the release workflow, not CI: ${own}` };
    const latest = supersededBy.get(run);
    if (latest !== undefined) return { ...run, verdict: 'superseded', reason: `re-run in the same check suite as check run ${latest.id}` };
    if (ignored.has(run.name)) {
      matchedIgnores.add(run.name);
      return { ...run, verdict: 'ignored', reason: 'listed in ignore-checks' };
    }
    if (run.status !== 'completed') return { ...run, verdict: 'pending' };
    return { ...run, verdict: PASSING_CONCLUSIONS.has(run.conclusion ?? '') ? 'pass' : 'fail' };
  });

  const latestStatus = latestBy(statuses, (s) => s.context, (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  const judgedStatuses = statuses.map((s): JudgedStatus => {
    if (latestStatus.get(s.context) !== s) return { ...s, verdict: 'superseded', reason: 'a newer status of this context exists' };
    if (ignored.has(s.context)) {
      matchedIgnores.add(s.context);
      return { ...s, verdict: 'ignored', reason: 'listed in ignore-checks' };
    }
    if (s.state === 'success') return { ...s, verdict: 'pass' };
    return { ...s, verdict: s.state === 'pending' ? 'pending' : 'fail' };
  });

  const counted = [...runs.map((r) => ({ name: r.name, verdict: r.verdict })), ...judgedStatuses.map((s) => ({ name: s.context, verdict: s.verdict }))].filter(
    (c) => c.verdict === 'pass' || c.verdict === 'fail' || c.verdict === 'pending',
  );
  const present = new Set(counted.map((c) => c.name));
  const failing = [
    ...runs.filter((r) => r.verdict === 'fail').map((r) => `check run "${r.name}" (${r.conclusion ?? r.status})`),
    ...judgedStatuses.filter((s) => s.verdict === 'fail').map((s) => `commit status "${s.context}" (${s.state})`),
  ];
  const pending = [
    ...runs.filter((r) => r.verdict === 'pending').map((r) => `check run "${r.name}" (${r.status})`),
    ...judgedStatuses.filter((s) => s.verdict === 'pending').map((s) => `commit status "${s.context}" (pending)`),
  ];
  const passing = counted.filter((c) => c.verdict === 'pass').length;
  const missingRequired = rules.required.filter((name) => !present.has(name));
  // The gate never passes on an empty set: a commit whose only checks are the release
  // workflow's own jobs (a lone `needs: build`) has no CI result.
  const noCi = counted.length === 0;
  return {
    runs,
    statuses: judgedStatuses,
    failing,
    pending,
    passing,
    missingRequired,
    noCi,
    green: failing.length === 0 && pending.length === 0 && missingRequired.length === 0 && !noCi,
    unmatchedIgnores: rules.ignore.filter((name) => !matchedIgnores.has(name)),
  };
}

/** Why the gate blocks once it may wait no longer; `waited` says how long it waited. */
export function blockedReasons(evaluation: CiEvaluation, sha: string, waited: string): string[] {
  if (evaluation.failing.length > 0) return evaluation.failing.map((f) => `${f} failed on ${sha}`);
  const excluded = evaluation.runs.filter((r) => r.verdict === 'excluded').length;
  const releaseOnly = (name: string) => evaluation.runs.some((r) => r.verdict === 'excluded' && r.name === name);
  return [
    ...evaluation.pending.map((p) => `${p} still in progress${waited}`),
    ...evaluation.missingRequired.map(
      (name) => `required check ${name} not found on ${sha}${releaseOnly(name) ? ' outside the release workflow (its own jobs are not CI)' : ''}${waited}`,
    ),
    ...(evaluation.noCi
      ? [`no CI result for ${sha}: no check run or commit status outside the release workflow${excluded > 0 ? ` (${excluded} check run${excluded === 1 ? '' : 's'} of the release workflow set aside)` : ''}${waited}`]
      : []),
  ];
}

/**
 * Each check run a re-run replaced → the run that replaced it: the latest of its (suite, name)
 * group, when every run of the group ran after the previous one had completed (one job, re-run).
 * Check run ids grow with creation, so the latest is the highest id.
 */
function reruns(checkRuns: readonly CheckRun[]): Map<CheckRun, CheckRun> {
  const groups = new Map<string, CheckRun[]>();
  for (const run of checkRuns) {
    const key = `${run.suiteId ?? `app:${run.app}`}\u0000${run.name}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const replaced = new Map<CheckRun, CheckRun>();
  for (const group of groups.values()) {
    const byAge = [...group].sort((a, b) => a.id - b.id);
    const attempts = byAge.every((run, i) => i === 0 || startedAfterCompletion(run, byAge[i - 1]!));
    if (!attempts) continue;
    const latest = byAge.at(-1)!;
    for (const run of byAge.slice(0, -1)) replaced.set(run, latest);
  }
  return replaced;
}

/** Whether `later` started once `earlier` had completed (unknown times: not shown, so no). */
function startedAfterCompletion(later: CheckRun, earlier: CheckRun): boolean {
  if (later.startedAt === null || earlier.completedAt === null) return false;
  return Date.parse(later.startedAt) >= Date.parse(earlier.completedAt);
}

function latestBy<T>(items: readonly T[], key: (item: T) => string, order: (a: T, b: T) => number): Map<string, T> {
  const latest = new Map<string, T>();
  for (const item of items) {
    const current = latest.get(key(item));
    if (!current || order(item, current) < 0) latest.set(key(item), item);
  }
  return latest;
}
