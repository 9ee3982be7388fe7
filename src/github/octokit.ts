// The GitHubPort over Octokit from @actions/github, with the retry and throttling plugins so that
// a 502 or a secondary rate limit is retried rather than turned into a verdict.
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import type { RunContext, Sha } from '../settings.js';
import type { CheckRun, CommitStatus, ExistingTag, GitHubPort, Issue, Membership, Release, RunApproval, WorkflowJob, WorkflowRun } from './port.js';

export type Octokit = ReturnType<typeof getOctokit>;
export interface Log {
  info(message: string): void;
  warning(message: string): void;
}

const MAX_RATE_LIMIT_RETRIES = 3;

// The throttling plugin spaces every POST a second apart, GraphQL queries included, which makes a
// changelog of thousands of commits take minutes. A release sends a handful of writes, one at a
// time: keep them serial (GitHub's advice against secondary limits), space them 100 ms apart, and
// let onSecondaryRateLimit below wait out the rare limit GitHub still answers.
const WRITE_SPACING_MS = 100;

export function createOctokit(token: string, run: RunContext, log: Log): Octokit {
  return getOctokit(
    token,
    {
      baseUrl: run.apiUrl,
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
      throttle: {
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: WRITE_SPACING_MS }),
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

function gitHubMessage(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } }).response?.data;
  return typeof data?.message === 'string' ? data.message : error instanceof Error ? error.message : String(error);
}

/**
 * A read that needs a token permission: GitHub's 403 "Resource not accessible by integration"
 * becomes an error naming the permission and where to grant it. A `permissions:` block gives
 * every permission it does not name `none`, so this is the common way to meet it.
 */
async function needing<T>(permission: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (status(error) === 403 && /not accessible/i.test(gitHubMessage(error))) {
      throw new Error(`GitHub refused to ${what} (403 ${gitHubMessage(error)}): the token needs \`${permission}\`. Add \`${permission}\` under \`permissions:\` of the release job (a \`permissions:\` block sets every permission it does not name to none).`);
    }
    throw error;
  }
}

interface RawRun {
  id: number;
  workflow_id: number;
  path: string;
  check_suite_id?: number;
  run_attempt?: number;
  head_sha: string;
  event: string;
}

function workflowRun(r: RawRun): WorkflowRun {
  return { id: r.id, workflowId: r.workflow_id, path: r.path, checkSuiteId: r.check_suite_id ?? 0, attempt: r.run_attempt ?? 1, headSha: r.head_sha, event: r.event };
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
      // filter=all: the gate itself groups by suite and name and reports what a re-run superseded.
      const runs = await needing('checks: read', `list the check runs of ${sha}`, () => octokit.paginate(octokit.rest.checks.listForRef, { ...repo, ref: sha, filter: 'all', per_page: 100 }));
      return runs.map(
        (r): CheckRun => ({
          id: r.id,
          name: r.name,
          status: r.status,
          conclusion: r.conclusion ?? null,
          app: r.app?.slug ?? '',
          suiteId: r.check_suite?.id ?? null,
          detailsUrl: r.details_url ?? null,
          startedAt: r.started_at ?? null,
          completedAt: r.completed_at ?? null,
        }),
      );
    },
    async listStatuses(sha) {
      // The list endpoint (not the combined one): the combined endpoint answers `pending` for a
      // commit with no statuses at all, and its pages do not flatten.
      const statuses = await needing('statuses: read', `list the commit statuses of ${sha}`, () => octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, { ...repo, ref: sha, per_page: 100 }));
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
    async listJobs(runId) {
      // filter=all: the jobs of every attempt, earlier attempts' check runs included.
      const jobs = await needing('actions: read', `list the jobs of workflow run ${runId}`, () =>
        octokit.paginate(octokit.rest.actions.listJobsForWorkflowRun, { ...repo, run_id: runId, filter: 'all', per_page: 100 }),
      );
      return jobs.map((j): WorkflowJob => ({ id: j.id, name: j.name, status: j.status, runnerName: j.runner_name ?? null, runAttempt: j.run_attempt ?? 1 }));
    },
    async getWorkflowRun(runId) {
      const { data } = await needing('actions: read', `read workflow run ${runId}`, () => octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId }));
      return workflowRun(data);
    },
    async listWorkflowRuns(workflowId, headSha) {
      const runs = await needing('actions: read', `list the runs of workflow ${workflowId} on ${headSha}`, () =>
        octokit.paginate(octokit.rest.actions.listWorkflowRuns, { ...repo, workflow_id: workflowId, head_sha: headSha, per_page: 100 }),
      );
      return runs.map(workflowRun);
    },
    async listRunApprovals(runId) {
      const { data } = await needing('actions: read', `read the environment reviews of workflow run ${runId}`, () => octokit.rest.actions.getReviewsForRun({ ...repo, run_id: runId }));
      return data.map(
        (a): RunApproval => ({
          user: a.user.login,
          state: a.state,
          environments: a.environments.map((e) => e.name ?? ''),
          comment: a.comment,
        }),
      );
    },
    async findDeployment(sha, environment) {
      const { data } = await octokit.rest.repos.listDeployments({ ...repo, sha, environment, per_page: 10 });
      return data[0]?.id;
    },
    async createDeployment(sha, environment, description) {
      // auto_merge and required_contexts at their defaults answer 202 or 409: the release job has
      // already checked CI itself.
      const { data } = await write(() => octokit.rest.repos.createDeployment({ ...repo, ref: sha, environment, description, auto_merge: false, required_contexts: [], production_environment: true }));
      if (!('id' in data)) throw new Error(`GitHub did not create a deployment: ${data.message ?? 'no reason given'}`);
      return data.id;
    },
    async setDeploymentStatus(id, state, logUrl, description) {
      await write(() => octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state, description: description.slice(0, 140), ...(logUrl ? { log_url: logUrl } : {}) }));
    },
    async listIssues(labels, state) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, labels: labels.join(','), state, per_page: 100, sort: 'created', direction: 'desc' });
      return issues.filter((i) => !i.pull_request).map((i): Issue => ({ number: i.number, title: i.title, body: i.body ?? '', url: i.html_url, state: i.state }));
    },
    async createIssue(title, body, labels) {
      const { data } = await write(() => octokit.rest.issues.create({ ...repo, title, body, labels: [...labels] }));
      return { number: data.number, title: data.title, body: data.body ?? '', url: data.html_url, state: data.state };
    },
    async comment(issue, body) {
      const { data } = await write(() => octokit.rest.issues.createComment({ ...repo, issue_number: issue, body }));
      return data.html_url;
    },
    async findRelease(tag) {
      try {
        const { data } = await octokit.rest.repos.getReleaseByTag({ ...repo, tag });
        return { id: data.id, url: data.html_url } satisfies Release;
      } catch (error) {
        if (status(error) === 404) return undefined;
        throw error;
      }
    },
    async createRelease(tag, name, body, prerelease) {
      try {
        const { data } = await write(() => octokit.rest.repos.createRelease({ ...repo, tag_name: tag, name, body, prerelease }));
        return { id: data.id, url: data.html_url };
      } catch (error) {
        if (status(error) === 422 && JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? '').includes('already_exists')) return 'exists';
        throw error;
      }
    },
    async updateRelease(id, name, body) {
      const { data } = await write(() => octokit.rest.repos.updateRelease({ ...repo, release_id: id, name, body }));
      return { id: data.id, url: data.html_url };
    },
    async teamMembership(org, team, user): Promise<Membership> {
      try {
        const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: team, username: user });
        return data.state === 'active' ? { state: 'member', detail: `active member of @${org}/${team}` } : { state: 'not-member', detail: `membership of @${org}/${team} is ${data.state}` };
      } catch (error) {
        if (status(error) !== 404 && status(error) !== 403) throw error;
      }
      // A 404 means "not a member" only when the token can see the team: GitHub answers 404 for a
      // team the token cannot see and for a missing one alike, and a GITHUB_TOKEN sees no team.
      try {
        await octokit.rest.teams.getByName({ org, team_slug: team });
        return { state: 'not-member', detail: `not a member of @${org}/${team}` };
      } catch (error) {
        const code = status(error);
        if (code !== 404 && code !== 403) throw error;
        return {
          state: 'unreadable',
          detail:
            `membership of @${org}/${team} could not be read: GitHub answered ${code} for the team, as it does for a team the token may not see and for one that does not exist ` +
            `(a GITHUB_TOKEN cannot read organization members). Pass a github-token that can — a GitHub App token with the organization permission Members: read, or a personal access token with read:org — or list the approvers as @users`,
        };
      }
    },
  };
}
