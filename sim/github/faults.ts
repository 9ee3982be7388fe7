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

export function faultReply(kind: FaultKind, nowMs: number): Reply {
  if (kind === 'secondary-rate-limit') return SECONDARY;
  if (kind === 'rate-limit') return rateLimited(nowMs);
  return { status: kind, body: { message: MESSAGES[kind] ?? `Simulated failure ${kind}` } };
}

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
  take(method: string, path: string, operationId: string | undefined): FaultKind | undefined {
    return this.#rules.take(method, path, (spec) => !spec.operationId || spec.operationId === operationId)?.status;
  }
}
