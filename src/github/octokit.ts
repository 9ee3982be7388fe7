// The GitHubPort over Octokit from @actions/github, with the retry and throttling plugins so that
// a 502 or a secondary rate limit is retried rather than turned into a verdict.
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { RunContext, Sha } from '../settings.js';
import type { CheckRun, CommitStatus, ExistingTag, GitHubPort, Membership, RunApproval, WorkflowJob } from './port.js';

export type Octokit = ReturnType<typeof getOctokit>;
export interface Log {
  info(message: string): void;
  warning(message: string): void;
}

const MAX_RATE_LIMIT_RETRIES = 3;

export function createOctokit(token: string, run: RunContext, log: Log): Octokit {
  return getOctokit(
    token,
    {
      baseUrl: run.apiUrl,
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
      throttle: {
        onRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log.warning(`GitHub rate limit on ${options.method} ${options.url}: retrying in ${retryAfter}s`);
          return retryCount < MAX_RATE_LIMIT_RETRIES;
        },
        onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log.warning(`GitHub secondary rate limit on ${options.method} ${options.url}: retrying in ${retryAfter}s`);
          return retryCount < MAX_RATE_LIMIT_RETRIES;
        },
      },
    },
    retry,
    throttling,
  );
}

function status(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : undefined;
}

export function gitHubPort(octokit: Octokit, run: RunContext): GitHubPort {
  const repo = { owner: run.owner, repo: run.repo };
  let writes = 0;
  const write = async <T>(call: () => Promise<T>): Promise<T> => {
    writes += 1;
    return call();
  };

  async function peel(sha: string, type: string): Promise<ExistingTag> {
    let annotated = false;
    // A tag object may point at another tag object; GitHub allows chains, real ones are short.
    for (let depth = 0; type === 'tag' && depth < 5; depth += 1) {
      const { data } = await octokit.rest.git.getTag({ ...repo, tag_sha: sha });
      annotated = true;
      sha = data.object.sha;
      type = data.object.type;
    }
    return { commit: sha, annotated };
  }

  return {
    get writes() {
      return writes;
    },
    async commitExists(sha) {
      try {
        await octokit.rest.git.getCommit({ ...repo, commit_sha: sha });
        return true;
      } catch (error) {
        if (status(error) === 404 || status(error) === 422) return false;
        throw error;
      }
    },
    async findTag(tag) {
      try {
        const { data } = await octokit.rest.git.getRef({ ...repo, ref: `tags/${tag}` });
        return await peel(data.object.sha, data.object.type);
      } catch (error) {
        if (status(error) === 404) return undefined;
        throw error;
      }
    },
    async createAnnotatedTag(tag, sha, message) {
      const { data: object } = await write(() => octokit.rest.git.createTag({ ...repo, tag, message, object: sha, type: 'commit' }));
      try {
        await write(() => octokit.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: object.sha }));
        return 'created';
      } catch (error) {
        if (status(error) === 422) return 'exists';
        throw error;
      }
    },
    async listCheckRuns(sha) {
      const runs = await octokit.paginate(octokit.rest.checks.listForRef, { ...repo, ref: sha, filter: 'latest', per_page: 100 });
      return runs.map(
        (r): CheckRun => ({
          id: r.id,
          name: r.name,
          status: r.status,
          conclusion: r.conclusion ?? null,
          app: r.app?.slug ?? '',
          detailsUrl: r.details_url ?? null,
          startedAt: r.started_at ?? null,
          completedAt: r.completed_at ?? null,
        }),
      );
    },
    async listStatuses(sha) {
      // The list endpoint (not the combined one): the combined endpoint answers `pending` for a
      // commit with no statuses at all, and its pages do not flatten.
      const statuses = await octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, { ...repo, ref: sha, per_page: 100 });
      return statuses.map(
        (s): CommitStatus => ({
          id: s.id,
          context: s.context,
          state: s.state,
          description: s.description ?? null,
          targetUrl: s.target_url ?? null,
          createdAt: s.created_at,
        }),
      );
    },
    async listJobs(runId, attempt) {
      const jobs = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRunAttempt, { ...repo, run_id: runId, attempt_number: attempt, per_page: 100 });
      return jobs.map((j): WorkflowJob => ({ id: j.id, name: j.name, status: j.status, runnerName: j.runner_name ?? null }));
    },
    async listRunApprovals(runId) {
      const { data } = await octokit.rest.actions.getReviewsForRun({ ...repo, run_id: runId });
      return data.map(
        (a): RunApproval => ({
          user: a.user.login,
          state: a.state,
          environments: a.environments.map((e) => e.name ?? ''),
          comment: a.comment,
        }),
      );
    },
    async teamMembership(org, team, user): Promise<Membership> {
      try {
        const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: team, username: user });
        return data.state === 'active' ? { member: true, detail: `active member of @${org}/${team}` } : { member: false, detail: `membership of @${org}/${team} is ${data.state}` };
      } catch (error) {
        if (status(error) === 404) return { member: false, detail: `not a member of @${org}/${team}` };
        if (status(error) === 403) return { member: false, detail: `membership of @${org}/${team} could not be read (403: the token needs organization members read access)` };
        throw error;
      }
    },
  };
}
