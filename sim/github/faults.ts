/**
 * Injected failures: the next `times` requests matching method/path/operationId fail. The bodies
 * are what octokit's retry and throttling plugins key on (status, message text, headers).
 */
import type { Reply } from './reply.js';
import { FaultRules, type RequestRule } from '../fault-rules.js';

export type FaultKind = number | 'secondary-rate-limit' | 'rate-limit';

export interface FaultSpec extends RequestRule {
  /** OpenAPI operationId, e.g. `checks/list-for-ref`; `graphql` for POST /graphql. */
  readonly operationId?: string;
  readonly status: FaultKind;
  /**
   * "Applied, then 502": the request is carried out (a write is stored) and only then is its answer
   * replaced by the fault. GitHub's edge answers 502/504 when its backend is slow to reply, while the
   * backend may still complete the write; GitHub's REST guide says to check whether a timed-out
   * POST took effect before sending it again ("Troubleshooting the REST API": timeouts; "Best
   * practices": avoid duplicate writes). A client that retries blindly makes a second issue.
   */
  readonly applied?: boolean;
  /** The `message` of the answer instead of the default one for the status (e.g. a ruleset's 422). */
  readonly message?: string;
}

const MESSAGES: Record<number, string> = {
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
  504: 'We couldn\u2019t respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.',
};

/** Primary limit: the throttling plugin reads x-ratelimit-remaining "0" and waits for x-ratelimit-reset. */
function rateLimited(nowMs: number): Reply {
  return {
    status: 403,
    body: { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(nowMs / 1000) + 1) },
  };
}

/** Secondary limit: the plugin matches /\bsecondary rate\b/i in the message and honours retry-after. */
const SECONDARY: Reply = {
  status: 403,
  body: {
    message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  },
  headers: { 'retry-after': '1' },
};

export function faultReply(kind: FaultKind, nowMs: number, message?: string): Reply {
  if (kind === 'secondary-rate-limit') return SECONDARY;
  if (kind === 'rate-limit') return rateLimited(nowMs);
  return { status: kind, body: { message: message ?? MESSAGES[kind] ?? `Simulated failure ${kind}`, ...(kind < 500 ? { documentation_url: 'https://docs.github.com/rest' } : {}) } };
}

/**
 * A ruleset that restricts tag creation (GitHub: "Repository rule violations found … Cannot create
 * ref due to creations being restricted", answered as 422 on POST git/refs — not the "Reference
 * already exists" of a tag that is there). Arm with `sim.faults.add(RULESET_REFUSES_TAGS)`.
 */
export const RULESET_REFUSES_TAGS: FaultSpec = {
  method: 'POST',
  operationId: 'git/create-ref',
  status: 422,
  times: 100,
  message: 'Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n',
};

export class Faults {
  readonly #rules = new FaultRules<FaultSpec>();

  add(spec: FaultSpec): void {
    this.#rules.add(spec);
  }

  clear(): void {
    this.#rules.clear();
  }

  /** Faults still to fire. */
  get pending(): number {
    return this.#rules.remaining();
  }

  /** Consumes one firing of the first matching fault. */
  take(method: string, path: string, operationId: string | undefined): FaultSpec | undefined {
    return this.#rules.take(method, path, (spec) => !spec.operationId || spec.operationId === operationId);
  }
}
