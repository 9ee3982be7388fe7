/** Injected failures: the next `times` requests matching method and path get an error Status. */
import { FaultRules, type RequestRule } from '../fault-rules.js';
import { injected, type ApiError } from './errors.js';

export interface FaultSpec extends RequestRule {
  readonly status: 409 | 429 | 500 | 503 | 504;
  readonly message?: string;
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

  take(method: string, path: string): ApiError | undefined {
    const rule = this.#rules.take(method, path);
    return rule && injected(rule.status, rule.message);
  }
}
