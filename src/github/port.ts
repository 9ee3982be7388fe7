// What the release procedure needs from GitHub, in its own words. The Octokit adapter implements
// it; the stages depend only on this, so their decisions stay testable without HTTP.
import type { Sha } from '../settings.js';

export interface CheckRun {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
  readonly app: string;
  /** Its check suite: one per workflow run for Actions (every attempt adds to it), one per app and commit otherwise. */
  readonly suiteId: number | null;
  readonly detailsUrl: string | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
}

export interface CommitStatus {
  readonly id: number;
  readonly context: string;
  readonly state: string;
  readonly description: string | null;
  readonly targetUrl: string | null;
  readonly createdAt: string;
}

/** A job of a workflow run; its id is also its check run's id. */
export interface WorkflowJob {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly runnerName: string | null;
  readonly runAttempt: number;
}

export interface WorkflowRun {
  readonly id: number;
  readonly workflowId: number;
  /** The workflow file, e.g. `.github/workflows/release.yml`. */
  readonly path: string;
  readonly checkSuiteId: number;
  readonly attempt: number;
  readonly headSha: string;
  readonly event: string;
}

export interface RunApproval {
  readonly user: string;
  readonly state: string;
  readonly environments: readonly string[];
  readonly comment: string;
}

/** `unreadable`: the token may not see the team (GitHub answers 404 for hidden and missing teams alike). */
export type Membership = { readonly state: 'member' | 'not-member' | 'unreadable'; readonly detail: string };

/** The commit a tag finally points at, after peeling annotated tag objects. */
export interface ExistingTag {
  readonly commit: string;
  readonly annotated: boolean;
}

export interface Issue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
  readonly state: string;
}

export interface Release {
  readonly id: number;
  readonly url: string;
}

export interface GitHubPort {
  commitExists(sha: Sha): Promise<boolean>;
  findTag(tag: string): Promise<ExistingTag | undefined>;
  /** Creates the tag object then the ref; 'exists' when the ref was already there (a race or a retried request). */
  createAnnotatedTag(tag: string, sha: Sha, message: string): Promise<'created' | 'exists'>;
  listCheckRuns(sha: Sha): Promise<CheckRun[]>;
  listStatuses(sha: Sha): Promise<CommitStatus[]>;
  /** Jobs of a workflow run in every attempt (`actions: read`). */
  listJobs(runId: number): Promise<WorkflowJob[]>;
  getWorkflowRun(runId: number): Promise<WorkflowRun>;
  /** Runs of one workflow (by id) on a commit, every event (`actions: read`). */
  listWorkflowRuns(workflowId: number, headSha: Sha): Promise<WorkflowRun[]>;
  listRunApprovals(runId: number): Promise<RunApproval[]>;
  teamMembership(org: string, team: string, user: string): Promise<Membership>;
  /** The deployment GitHub made for a job with `environment:` at this sha, if any. */
  findDeployment(sha: Sha, environment: string): Promise<number | undefined>;
  createDeployment(sha: Sha, environment: string, description: string): Promise<number>;
  setDeploymentStatus(id: number, state: 'in_progress' | 'success' | 'failure', logUrl: string | undefined, description: string): Promise<void>;
  /** Issues carrying every one of these labels (open and closed), newest first. */
  listIssues(labels: readonly string[], state: 'open' | 'all'): Promise<Issue[]>;
  createIssue(title: string, body: string, labels: readonly string[]): Promise<Issue>;
  comment(issue: number, body: string): Promise<string>;
  findRelease(tag: string): Promise<Release | undefined>;
  /** `latest`: whether GitHub may mark it Latest (make_latest); 'exists' when the tag has another release. */
  createRelease(tag: string, name: string, body: string, prerelease: boolean, latest: boolean): Promise<Release | 'exists'>;
  /** Tags of the published releases that are not pre-releases. */
  listReleaseTags(): Promise<string[]>;
  updateRelease(id: number, name: string, body: string): Promise<Release>;
  /** Requests sent so far that change state on GitHub (for the report and for dry-run's promise). */
  readonly writes: number;
}
