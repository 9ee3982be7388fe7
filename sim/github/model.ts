/** The sim's in-memory records. Times are epoch milliseconds; routes render them as ISO strings. */

export type Sha = string;

export interface User {
  readonly login: string;
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly type: 'User' | 'Bot' | 'Organization';
}

export interface Commit {
  readonly sha: Sha;
  readonly tree: Sha;
  readonly message: string;
  /** Login of the GitHub account the commit is attributed to, when there is one. */
  readonly authorLogin?: string;
  readonly authorName: string;
  readonly authorEmail: string;
  readonly date: number;
  readonly parents: readonly Sha[];
}

export interface TagObject {
  readonly sha: Sha;
  readonly tag: string;
  readonly message: string;
  readonly object: { readonly sha: Sha; readonly type: 'commit' | 'tree' | 'blob' | 'tag' };
  readonly tagger: { readonly name: string; readonly email: string; readonly date: number };
}

export type CheckStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type Conclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | 'stale';

/** How a check run or job moves: as seeded, or completing by itself at a later clock time. */
export interface Progress {
  readonly status: CheckStatus;
  readonly conclusion: Conclusion | null;
  readonly startedAt: number;
  readonly completedAt: number | null;
  /** Completes this many ms after the server started serving. */
  readonly completeAfterMs?: number;
  readonly completeWith?: Conclusion;
}

export interface App {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
}

export interface CheckRun extends Progress {
  readonly id: number;
  readonly name: string;
  readonly headSha: Sha;
  readonly app: App;
  readonly suiteId: number;
  readonly runId?: number;
  readonly detailsUrl?: string;
  readonly htmlUrl?: string;
  readonly externalId: string;
  /** Not created (not listed) until this many ms after the server started serving. */
  readonly appearAfterMs?: number;
}

export type StatusState = 'error' | 'failure' | 'pending' | 'success';

export interface CommitStatus {
  readonly id: number;
  readonly sha: Sha;
  readonly context: string;
  readonly state: StatusState;
  readonly description: string | null;
  readonly targetUrl: string | null;
  readonly createdAt: number;
  readonly creator: string;
}

export interface WorkflowRun {
  readonly id: number;
  readonly name: string;
  readonly headSha: Sha;
  readonly headBranch: string;
  readonly event: string;
  readonly status: CheckStatus;
  readonly conclusion: Conclusion | null;
  readonly attempt: number;
  readonly runNumber: number;
  readonly workflowId: number;
  /** The workflow file, e.g. `.github/workflows/release.yml`; one workflow id per file. */
  readonly path: string;
  /** One check suite per workflow run; every attempt adds its check runs to this same suite. */
  readonly suiteId: number;
  /** Who started the run; stays the same on every re-run. */
  readonly actor: string;
  /** Who started the latest attempt (`GITHUB_TRIGGERING_ACTOR`): differs from `actor` after a re-run by someone else. */
  readonly triggeringActor: string;
  readonly createdAt: number;
}

export interface Job extends Progress {
  readonly id: number;
  readonly runId: number;
  readonly attempt: number;
  readonly name: string;
  readonly headSha: Sha;
  readonly runnerName: string | null;
}

export interface Approval {
  readonly runId: number;
  readonly user: string;
  readonly state: 'approved' | 'rejected';
  readonly environments: readonly string[];
  readonly comment: string;
}

export interface Environment {
  readonly id: number;
  readonly name: string;
  readonly createdAt: number;
}

export interface TeamMembership {
  readonly org: string;
  readonly team: string;
  readonly user: string;
  readonly state: 'active' | 'pending';
  readonly role: 'member' | 'maintainer';
}

export interface Label {
  readonly id: number;
  readonly name: string;
  readonly color: string;
  readonly description: string | null;
}

export interface Comment {
  readonly id: number;
  readonly issueNumber: number;
  readonly body: string;
  readonly user: string;
  readonly createdAt: number;
}

/** Fields issues and pull requests share; they also share one number sequence, as on GitHub. */
export interface IssueLike {
  readonly id: number;
  readonly number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: string[];
  assignees: string[];
  readonly user: string;
  readonly createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

export type Issue = IssueLike;

export interface PullRequest extends IssueLike {
  readonly base: string;
  readonly head: string;
  readonly headSha: Sha;
  readonly mergedAt: number | null;
  readonly mergeCommitSha: Sha | null;
  /** Commits of the PR branch; a commit is "associated" with the PRs that contain or merged it. */
  readonly commits: readonly Sha[];
  /** Commits a rebase merge replayed onto the base (new shas GitHub still associates with the PR). */
  readonly landed: readonly Sha[];
}

export interface Release {
  readonly id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  readonly author: string;
  readonly createdAt: number;
  publishedAt: number | null;
}

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentStatus {
  readonly id: number;
  readonly deploymentId: number;
  readonly state: DeploymentState;
  readonly description: string;
  readonly environment: string;
  readonly environmentUrl: string;
  readonly logUrl: string;
  readonly creator: string;
  readonly createdAt: number;
}

export interface Deployment {
  readonly id: number;
  readonly sha: Sha;
  readonly ref: string;
  readonly task: string;
  readonly environment: string;
  readonly description: string | null;
  readonly payload: Record<string, unknown> | string;
  readonly creator: string;
  readonly createdAt: number;
  readonly transient: boolean;
  readonly production: boolean;
  readonly statuses: DeploymentStatus[];
}
