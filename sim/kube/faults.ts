/** Injected failures: the next `times` requests matching method and path get an error Status. */
import { injected, type ApiError } from './errors.js';

export interface FaultSpec {
  /** HTTP method, case-insensitive; any method when absent. */
  readonly method?: string;
  /** A RegExp tested against the URL path, or a string equal to it; any path when absent. */
  readonly path?: RegExp | string;
  readonly status: 409 | 429 | 500 | 503 | 504;
  /** How many matching requests fail (default 1). */
  readonly times?: number;
  readonly message?: string;
}

interface Rule {
  readonly spec: FaultSpec;
  remaining: number;
}

export class Faults {
  readonly #rules: Rule[] = [];

  add(spec: FaultSpec): void {
    this.#rules.push({ spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** How many injected failures are still armed. */
  pending(): number {
    return this.#rules.reduce((sum, r) => sum + r.remaining, 0);
  }

  take(method: string, path: string): ApiError | undefined {
    const rule = this.#rules.find((r) => r.remaining > 0 && matches(r.spec, method, path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return injected(rule.spec.status, rule.spec.message);
  }
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return false;
  if (spec.path === undefined) return true;
  return typeof spec.path === 'string' ? spec.path === path : spec.path.test(path);
}
