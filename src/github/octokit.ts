// The GitHubPort over Octokit from @actions/github, with the retry and throttling plugins so that
// a 502 or a secondary rate limit is retried rather than turned into a verdict.
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import type { RunContext, Sha } from '../settings.js';
import { createOnce, intentId, intentMarker, NO_BLIND_RETRY } from './once.js';
import type { CheckRun, CommitStatus, ExistingTag, GitHubPort, Issue, Membership, Release, RunApproval, WorkflowJob, WorkflowRun } from './port.js';

export type Octokit = ReturnType<typeof getOctokit>;
export interface Log {
  info(message: string): void;
  warning(message: string): void;
}

const MAX_RATE_LIMIT_RETRIES = 3;
// A primary rate limit resets on the hour: waiting for it up to three times could hold a release
// (and the Rollout's lock) for hours. Waits add up to this at most; then the request fails.
const MAX_RATE_LIMIT_WAIT_SECONDS = 5 * 60;

type RateLimitHandler = (retryAfter: number, options: { method: string; url: string }, octokit: unknown, retryCount: number) => boolean;

/**
 * The throttling plugin's handlers for one Octokit: retry while the waits so far plus this one stay
 * within `maxTotalSeconds`, at most `maxRetries` times per request; else say so and let it fail.
 */
export function rateLimitPolicy(log: Log, maxTotalSeconds = MAX_RATE_LIMIT_WAIT_SECONDS, maxRetries = MAX_RATE_LIMIT_RETRIES): { onRateLimit: RateLimitHandler; onSecondaryRateLimit: RateLimitHandler } {
  let waited = 0;
  const handler = (kind: string): RateLimitHandler => (retryAfter, options, _octokit, retryCount) => {
    if (retryCount >= maxRetries || waited + retryAfter > maxTotalSeconds) {
      log.warning(`GitHub ${kind} on ${options.method} ${options.url}: it lifts in ${retryAfter} s, and release-to-prod waits at most ${maxTotalSeconds} s in all (${waited} s spent): giving up. Run again once it has lifted, or use a token with a higher limit.`);
      return false;
    }
    waited += retryAfter;
    log.warning(`GitHub ${kind} on ${options.method} ${options.url}: retrying in ${retryAfter} s`);
    return true;
  };
  return { onRateLimit: handler('rate limit'), onSecondaryRateLimit: handler('secondary rate limit') };
}

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
        ...rateLimitPolicy(log),
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
      // The tag object is only content: one sent again after a lost answer is an object no ref
      // names, which nobody sees. The ref is the tag: created once, looked up after a lost answer.
      const { data: object } = await write(() => octokit.rest.git.createTag({ ...repo, tag, message: `${message}\n\nrelease-to-prod:${intentId(run, `tag/${tag}`)}`, object: sha, type: 'commit' }));
      try {
        await createOnce(
          async () => (await write(() => octokit.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: object.sha, ...NO_BLIND_RETRY }))).data.object.sha,
          async () => {
            const { data } = await octokit.rest.git.getRef({ ...repo, ref: `tags/${tag}` }).catch(() => ({ data: undefined }));
            return data?.object.sha === object.sha ? data.object.sha : undefined;
          },
        );
        return 'created';
      } catch (error) {
        // Only "Reference already exists" means the tag is there; a ruleset's 422 is a refusal.
        if (status(error) === 422 && /already exists/i.test(gitHubMessage(error))) return 'exists';
        if (status(error) === 422) {
          throw new Error(`GitHub refused to create the tag ${tag} (422 ${gitHubMessage(error).split('\n')[0]}): a repository ruleset restricts creating it. Add the release job's token (GitHub Actions) to the ruleset's bypass list, or let the rule allow release tags.`);
        }
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
      const intent = intentId(run, `deployment/${environment}`);
      return createOnce(
        async () => {
          const { data } = await write(() => octokit.rest.repos.createDeployment({ ...repo, ref: sha, environment, description, auto_merge: false, required_contexts: [], production_environment: true, payload: { 'release-to-prod': intent }, ...NO_BLIND_RETRY }));
          if (!('id' in data)) throw new Error(`GitHub did not create a deployment: ${data.message ?? 'no reason given'}`);
          return data.id;
        },
        async () => {
          const { data } = await octokit.rest.repos.listDeployments({ ...repo, sha, environment, per_page: 100 });
          return data.find((d) => typeof d.payload === 'object' && d.payload !== null && (d.payload as Record<string, unknown>)['release-to-prod'] === intent)?.id;
        },
      );
    },
    async setDeploymentStatus(id, state, logUrl, description) {
      await write(() => octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state, description: description.slice(0, 140), ...(logUrl ? { log_url: logUrl } : {}) }));
    },
    async listIssues(labels, state) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, labels: labels.join(','), state, per_page: 100, sort: 'created', direction: 'desc' });
      return issues.filter((i) => !i.pull_request).map((i): Issue => ({ number: i.number, title: i.title, body: i.body ?? '', url: i.html_url, state: i.state }));
    },
    async createIssue(title, body, labels) {
      const marker = intentMarker(intentId(run, 'incident-issue'));
      const issue = (i: { number: number; title: string; body?: string | null; html_url: string; state: string }): Issue => ({ number: i.number, title: i.title, body: i.body ?? '', url: i.html_url, state: i.state });
      return createOnce(
        async () => issue((await write(() => octokit.rest.issues.create({ ...repo, title, body: `${body}\n${marker}\n`, labels: [...labels], ...NO_BLIND_RETRY }))).data),
        async () => {
          const { data } = await octokit.rest.issues.listForRepo({ ...repo, state: 'all', sort: 'created', direction: 'desc', per_page: 100 });
          const found = data.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
          return found && issue(found);
        },
      );
    },
    async comment(issue, body) {
      const marker = intentMarker(intentId(run, `comment/${issue}`));
      return createOnce(
        async () => (await write(() => octokit.rest.issues.createComment({ ...repo, issue_number: issue, body: `${body}\n${marker}\n`, ...NO_BLIND_RETRY }))).data.html_url,
        async () => (await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 })).find((c) => (c.body ?? '').includes(marker))?.html_url,
      );
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
    async createRelease(tag, name, body, prerelease, latest) {
      const marker = intentMarker(intentId(run, `release/${tag}`));
      try {
        return await createOnce(
          async () => {
            // make_latest defaults to true for a published non-prerelease: a hotfix of an older
            // line would become Latest. Say it every time (GitHub: "Create a release", make_latest).
            const { data } = await write(() => octokit.rest.repos.createRelease({ ...repo, tag_name: tag, name, body: `${body}\n${marker}\n`, prerelease, make_latest: latest ? 'true' : 'false', ...NO_BLIND_RETRY }));
            return { id: data.id, url: data.html_url } satisfies Release;
          },
          async () => {
            const found = await octokit.rest.repos.getReleaseByTag({ ...repo, tag }).catch(() => undefined);
            return found && (found.data.body ?? '').includes(marker) ? { id: found.data.id, url: found.data.html_url } : undefined;
          },
        );
      } catch (error) {
        if (status(error) === 422 && JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? '').includes('already_exists')) return 'exists';
        throw error;
      }
    },
    async listReleaseTags() {
      const releases = await octokit.paginate(octokit.rest.repos.listReleases, { ...repo, per_page: 100 });
      return releases.filter((r) => !r.draft && !r.prerelease).map((r) => r.tag_name);
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
