/**
 * Injected failures: the next `times` requests matching method/path/operationId fail. The bodies
 * are what octokit's retry and throttling plugins key on (status, message text, headers).
 */
import type { Reply } from './reply.js';

export type FaultKind = number | 'secondary-rate-limit' | 'rate-limit';

export interface FaultSpec {
  /** HTTP method, case-insensitive; any when omitted. */
  readonly method?: string;
  /** Exact request path (no query) or a pattern tested against it; any when omitted. */
  readonly path?: RegExp | string;
  /** OpenAPI operationId, e.g. `checks/list-for-ref`; `graphql` for POST /graphql. */
  readonly operationId?: string;
  readonly status: FaultKind;
  /** How many matching requests fail (default 1). */
  readonly times?: number;
}

interface Armed {
  readonly spec: FaultSpec;
  remaining: number;
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
  readonly #armed: Armed[] = [];

  add(spec: FaultSpec): void {
    this.#armed.push({ spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.#armed.length = 0;
  }

  /** Faults still to fire. */
  get pending(): number {
    return this.#armed.reduce((sum, a) => sum + a.remaining, 0);
  }

  /** Consumes one firing of the first matching fault. */
  take(method: string, path: string, operationId: string | undefined): FaultKind | undefined {
    const hit = this.#armed.find((a) => a.remaining > 0 && matches(a.spec, method, path, operationId));
    if (!hit) return undefined;
    hit.remaining -= 1;
    return hit.spec.status;
  }
}

function matches(spec: FaultSpec, method: string, path: string, operationId: string | undefined): boolean {
  if (spec.method && spec.method.toUpperCase() !== method) return false;
  if (spec.operationId && spec.operationId !== operationId) return false;
  if (spec.path instanceof RegExp) return spec.path.test(path);
  return spec.path === undefined || spec.path === path;
}
