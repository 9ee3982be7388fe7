// Armed failures shared by both simulated servers: the next `times` requests that match a rule's
// method and path (plus whatever else the server matches on) fail as the rule says.

export interface RequestRule {
  /** HTTP method, case-insensitive; any method when absent. */
  readonly method?: string;
  /** A RegExp tested against the URL path, or a string equal to it; any path when absent. */
  readonly path?: RegExp | string;
  /** How many matching requests fail (default 1). */
  readonly times?: number;
}

export class FaultRules<R extends RequestRule> {
  readonly #armed: { readonly rule: R; remaining: number }[] = [];

  add(rule: R): void {
    this.#armed.push({ rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.#armed.length = 0;
  }

  /** Firings still to come, over all rules. */
  remaining(): number {
    return this.#armed.reduce((sum, a) => sum + a.remaining, 0);
  }

  /** Consumes one firing of the first rule that matches, or returns undefined. */
  take(method: string, path: string, also: (rule: R) => boolean = () => true): R | undefined {
    const hit = this.#armed.find((a) => a.remaining > 0 && matches(a.rule, method, path) && also(a.rule));
    if (!hit) return undefined;
    hit.remaining -= 1;
    return hit.rule;
  }
}

function matches(rule: RequestRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
}
