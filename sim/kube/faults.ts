/** Injected failures: the next `times` requests matching method and path get an error Status. */
import { FaultRules, type RequestRule } from '../fault-rules.js';
import { injected, type ApiError } from './errors.js';

export interface FaultSpec extends RequestRule {
  readonly status: 409 | 429 | 500 | 502 | 503 | 504;
  readonly message?: string;
  /**
   * "Applied but the answer was lost": the request is carried out (stored, watch events sent), then
   * the client gets `status` instead of the answer — as when a proxy or load balancer in front of the
   * API server times out or fails after forwarding it.
   */
  readonly applied?: boolean;
  /** The connection is destroyed instead of answered (with `applied`: after carrying the request out). */
  readonly destroy?: boolean;
}

export interface FaultHit {
  readonly error: ApiError;
  readonly applied: boolean;
  readonly destroy: boolean;
}

export class Faults {
  readonly #rules = new FaultRules<FaultSpec>();

  add(spec: FaultSpec): void {
    this.#rules.add(spec);
  }

  clear(): void {
    this.#rules.clear();
  }

  /** How many injected failures are still armed. */
  pending(): number {
    return this.#rules.remaining();
  }

  take(method: string, path: string): FaultHit | undefined {
    const rule = this.#rules.take(method, path);
    return rule && { error: injected(rule.status, rule.message), applied: rule.applied === true, destroy: rule.destroy === true };
  }
}
