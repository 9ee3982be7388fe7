// Exactly-once creates. GitHub's edge can answer 502/504 for a POST its backend goes on to apply
// (GitHub's REST docs: check whether a timed-out write took effect before sending it again), and
// @octokit/plugin-retry resends every 5xx, POSTs included: two incident issues for one rollback.
// So a create is sent with the plugin's retries off; after an error whose outcome is unknown the
// action looks for the create's marker, and sends again only when it is not there. Reads keep the
// retry plugin.
import pRetry from 'p-retry';

/** Turns off @octokit/plugin-retry for one request (it reads `request.retries`). */
export const NO_BLIND_RETRY = { request: { retries: 0 } } as const;

/** The hidden marker a created issue, comment or release body carries for its intent. */
export function intentMarker(intent: string): string {
  return `<!-- release-to-prod:${intent.replace(/--+|>/g, '-')} -->`;
}

/** One intent of this run attempt, e.g. `acme/shop/runs/42/attempts/1/runner-7/incident-issue`. */
export function intentId(run: { owner: string; repo: string; runId?: number; runAttempt: number; runnerName?: string }, purpose: string): string {
  return [run.owner, run.repo, 'runs', run.runId ?? 'local', 'attempts', run.runAttempt, run.runnerName ?? 'runner', purpose].join('/');
}

function httpStatus(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : undefined;
}

/**
 * A 5xx (Octokit also reports a request that got no answer as 500) or no status at all: the
 * request may or may not have been applied. A 4xx was refused: nothing was created.
 */
export function outcomeUnknown(error: unknown): boolean {
  const status = httpStatus(error);
  return status === undefined || status >= 500;
}

export interface OnceOptions {
  /** Attempts after the first (default 3). */
  readonly retries?: number;
  /** First wait before looking and resending, ms (default 500; doubles each time). */
  readonly minTimeoutMs?: number;
}

/**
 * `send` once; after an unknown outcome, `find` the create by its marker and return what it finds,
 * else send again (with backoff), up to `retries` times. A refusal (4xx) is thrown at once.
 */
export function createOnce<T>(send: () => Promise<T>, find: () => Promise<T | undefined>, options: OnceOptions = {}): Promise<T> {
  return pRetry(
    async (attempt) => {
      if (attempt > 1) {
        const found = await find();
        if (found !== undefined) return found;
      }
      return send();
    },
    { retries: options.retries ?? 3, minTimeout: options.minTimeoutMs ?? 500, maxTimeout: 8000, shouldRetry: ({ error }) => outcomeUnknown(error) },
  );
}
