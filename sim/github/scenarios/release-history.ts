/**
 * A release's worth of history for changelog tests and benchmarks: a root commit and one merged
 * PR per "returning" author, tagged `from`; then exactly `commits` commits that hold `prs` PRs
 * merged by squash, merge and rebase in turn, direct pushes filling the rest.
 *
 * As a CLI scenario: SIM_COMMITS (1000) and SIM_PRS (300) size it.
 *   npx tsx sim/github/cli.ts --quiet --scenario sim/github/scenarios/release-history.ts
 */
import type { SimGitHub } from '../index.js';
import type { MergeMethod } from '../seeds.js';
import type { SimState } from '../state.js';

export interface ReleaseHistoryOptions {
  readonly commits: number;
  readonly prs: number;
  /** Size of the author pool (default 40); the first three quarters have a PR before `from`. */
  readonly authors?: number;
  readonly from?: string;
}

export interface ReleaseHistory {
  readonly from: string;
  readonly fromSha: string;
  readonly head: string;
  /** PR numbers merged after `from`, in merge order. */
  readonly prs: readonly number[];
  readonly directCommits: number;
  /** Authors whose first merged PR is after `from`. */
  readonly newcomers: readonly string[];
}

const METHODS: readonly MergeMethod[] = ['squash', 'merge', 'rebase'];
/** Commits each method adds to the range with two branch commits. */
const COST: Readonly<Record<MergeMethod, number>> = { squash: 1, merge: 3, rebase: 2 };
const TITLES = ['feat: add saved carts', 'fix: round tax per line', 'docs: explain refunds', 'chore(deps): bump undici', 'refactor: split checkout', 'perf: cache prices', 'Improve logging'];

export function seedReleaseHistory(state: SimState, options: ReleaseHistoryOptions): ReleaseHistory {
  const pool = Array.from({ length: options.authors ?? 40 }, (_, i) => `dev${String(i + 1).padStart(2, '0')}`);
  const returning = pool.slice(0, Math.ceil(pool.length * 0.75));
  // One minute apart, so "merged before the tag" means something to search.
  let minute = 0;
  // Later than anything already on main (a World's first commits carry the real clock): a history
  // whose dates run backwards would be a clock set wrong, which the changelog handles apart.
  const head = state.resolve('main');
  const origin = Math.max(Date.UTC(2025, 0, 1), head === undefined ? 0 : (state.commits.get(head)?.date ?? 0) + 60_000);
  const at = () => origin + 60_000 * minute++;
  state.addCommit({ message: 'Initial commit', author: pool[0]!, date: at() });
  returning.forEach((user, i) => state.addPullRequest({ title: `feat: early work ${i + 1}`, user, mergedAt: at() }));
  const from = options.from ?? 'v1.0.0';
  const fromSha = state.resolve('main')!;
  state.addTag(from, fromSha);

  const methods = Array.from({ length: options.prs }, (_, i) => METHODS[i % METHODS.length]!);
  const direct = options.commits - methods.reduce((n, m) => n + COST[m], 0);
  if (direct < 0) throw new Error(`release-history: ${options.prs} PRs need more than ${options.commits} commits`);
  const push = (n: number, author: string) => {
    for (let k = 0; k < n; k += 1) state.addCommit({ message: `chore: direct push ${minute}`, author, date: at() });
  };
  const prs: number[] = [];
  let pushed = 0;
  methods.forEach((mergeMethod, i) => {
    const user = pool[i % pool.length]!;
    const title = TITLES[i % TITLES.length]!;
    prs.push(state.addPullRequest({ title: `${title} (${i + 1})`, user, mergeMethod, branchCommits: 2, mergedAt: at(), labels: i % 5 === 0 ? ['enhancement'] : [] }).number);
    // Spread the direct pushes evenly between the PRs.
    const due = Math.floor(((i + 1) * direct) / Math.max(1, options.prs)) - pushed;
    push(due, user);
    pushed += due;
  });
  push(direct - pushed, pool[0]!);
  const authorsAfter = new Set(methods.map((_, i) => pool[i % pool.length]!));
  return { from, fromSha, head: state.resolve('main')!, prs, directCommits: direct, newcomers: pool.filter((u) => !returning.includes(u) && authorsAfter.has(u)) };
}

export default function scenario(sim: SimGitHub): void {
  seedReleaseHistory(sim.state, { commits: Number(process.env.SIM_COMMITS ?? 1000), prs: Number(process.env.SIM_PRS ?? 300) });
}
