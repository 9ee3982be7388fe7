/** The seeding API's argument types and the small helpers every seeding module shares. */
import { createHash } from 'node:crypto';
import type * as M from './model.js';

/** An ISO date string, epoch ms, or Date. */
export type Time = string | number | Date;
/** A login, or git identity fields (a login also registers the user). */
export type PersonSeed = string | { login?: string; name?: string; email?: string };

/** The account GITHUB_TOKEN acts as; the author of whatever the action creates. */
export const TOKEN_USER = 'github-actions[bot]';
export const ACTIONS_APP: M.App = { id: 15368, slug: 'github-actions', name: 'GitHub Actions' };

export function toMs(time: Time | undefined, fallback: number): number {
  if (time === undefined) return fallback;
  return typeof time === 'number' ? time : new Date(time).getTime();
}

/** Deterministic object ids: the same seeding gives the same shas on every run. */
export function sha1(text: string): M.Sha {
  return createHash('sha1').update(text).digest('hex');
}

export interface CommitSeed {
  sha?: M.Sha;
  message?: string;
  author?: PersonSeed;
  date?: Time;
  /** Default: the current head of `branch`. */
  parents?: M.Sha[];
  /** Branch whose head moves to the new commit (default: the default branch); null moves none. */
  branch?: string | null;
}

export interface TagSeed {
  /** Default true: a tag object plus the ref, as `git tag -a` makes. */
  annotated?: boolean;
  message?: string;
  tagger?: PersonSeed;
  date?: Time;
}

export interface CheckRunSeed {
  sha: M.Sha;
  name: string;
  /** Default `completed`, or `in_progress` with `completeAfterMs` / `conclusion: null`. */
  status?: M.CheckStatus;
  /** Default `success` when completed. */
  conclusion?: M.Conclusion | null;
  /**
   * Workflow run of an Actions check run (its check suite; drives details_url). Omitted: a new
   * completed run of `workflow`, so two seeds without runId are two workflow runs, two suites.
   */
  runId?: number;
  /** Workflow file of the run created for an Actions check run without `runId` (default `.github/workflows/ci.yml`). */
  workflow?: string;
  /** Default: the GitHub Actions app (id 15368). */
  app?: Partial<M.App>;
  id?: number;
  detailsUrl?: string;
  startedAt?: Time;
  /** Completes by itself this many ms after the server started serving (per the injected clock). */
  completeAfterMs?: number;
  /** Conclusion reached at `completeAfterMs` (default success). */
  completeWith?: M.Conclusion;
  /** Created this many ms after the server started serving: not listed before (a check that reports late). */
  appearAfterMs?: number;
}

export interface StatusSeed {
  sha: M.Sha;
  context: string;
  state: M.StatusState;
  description?: string;
  targetUrl?: string;
  createdAt?: Time;
  creator?: string;
}

export interface RunSeed {
  id?: number;
  sha?: M.Sha;
  branch?: string;
  name?: string;
  event?: string;
  status?: M.CheckStatus;
  conclusion?: M.Conclusion | null;
  attempt?: number;
  actor?: string;
  /** Who started the latest attempt (default: `actor`). */
  triggeringActor?: string;
  /** Workflow file (default `.github/workflows/release.yml`); runs of one file share a workflow id. */
  path?: string;
}

export interface JobSeed {
  id?: number;
  name: string;
  status?: M.CheckStatus;
  conclusion?: M.Conclusion | null;
  /** Default 'GitHub Actions 2'; null for a job not yet on a runner. */
  runnerName?: string | null;
  attempt?: number;
  /** With a sha the job also gets its check run (same id, as for real Actions jobs). */
  sha?: M.Sha;
  startedAt?: Time;
  completeAfterMs?: number;
  completeWith?: M.Conclusion;
}

export interface ApprovalSeed {
  user: string;
  state: M.Approval['state'];
  environments: string[];
  comment?: string;
}

export interface IssueSeed {
  number?: number;
  title: string;
  body?: string | null;
  state?: 'open' | 'closed';
  labels?: string[];
  assignees?: string[];
  user?: string;
  createdAt?: Time;
}

/** How a merged PR lands on its base, as GitHub's three merge buttons do it. */
export type MergeMethod = 'squash' | 'merge' | 'rebase';

export interface PullRequestSeed extends IssueSeed {
  base?: string;
  head?: string;
  /** Default: true unless `state: 'open'`. A merged PR lands on `base` by `mergeMethod`. */
  merged?: boolean;
  /** Also the date of the commits the merge creates on `base`. Default: now. */
  mergedAt?: Time;
  /**
   * Default `squash`: one commit `"<title> (#n)"` on `base`. `merge`: the branch commits, then a
   * two-parent merge commit. `rebase`: the branch commits, then a copy of each replayed on `base`
   * (new shas; the last is the merge commit). Ignored with `mergeCommitSha`.
   */
  mergeMethod?: MergeMethod;
  /** Branch commits `merge`/`rebase` create: how many, or their messages (default 2). */
  branchCommits?: number | string[];
  /** An existing commit to use as the merge commit instead of a new one. */
  mergeCommitSha?: M.Sha;
  /** Commits of the PR branch (associated with the PR). */
  commits?: M.Sha[];
}

export interface CommentSeed {
  body: string;
  user?: string;
  createdAt?: Time;
}

export interface ReleaseSeed {
  tagName: string;
  targetCommitish?: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  author?: string;
  createdAt?: Time;
}

export interface DeploymentSeed {
  sha?: M.Sha;
  ref?: string;
  environment?: string;
  task?: string;
  description?: string | null;
  payload?: Record<string, unknown> | string;
  creator?: string;
  transient?: boolean;
  production?: boolean;
  createdAt?: Time;
}

export interface DeploymentStatusSeed {
  state: M.DeploymentState;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
  environment?: string;
  creator?: string;
  /** Default true: a success marks earlier successful deployments to the environment inactive. */
  autoInactive?: boolean;
}
