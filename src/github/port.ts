// What the release procedure needs from GitHub, in its own words. The Octokit adapter implements
// it; the stages depend only on this, so their decisions stay testable without HTTP.
import type { Sha } from '../settings.js';

export interface CheckRun {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
  readonly app: string;
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

export interface WorkflowJob {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly runnerName: string | null;
}

export interface RunApproval {
  readonly user: string;
  readonly state: string;
  readonly environments: readonly string[];
  readonly comment: string;
}

export type Membership = { readonly member: boolean; readonly detail: string };

/** The commit a tag finally points at, after peeling annotated tag objects. */
export interface ExistingTag {
  readonly commit: string;
  readonly annotated: boolean;
}

export interface GitHubPort {
  commitExists(sha: Sha): Promise<boolean>;
  findTag(tag: string): Promise<ExistingTag | undefined>;
  /** Creates the tag object then the ref; 'exists' when the ref was already there (a race or a retried request). */
  createAnnotatedTag(tag: string, sha: Sha, message: string): Promise<'created' | 'exists'>;
  listCheckRuns(sha: Sha): Promise<CheckRun[]>;
  listStatuses(sha: Sha): Promise<CommitStatus[]>;
  listJobs(runId: number, attempt: number): Promise<WorkflowJob[]>;
  listRunApprovals(runId: number): Promise<RunApproval[]>;
  teamMembership(org: string, team: string, user: string): Promise<Membership>;
  /** Requests sent so far that change state on GitHub (for the report and for dry-run's promise). */
  readonly writes: number;
}
