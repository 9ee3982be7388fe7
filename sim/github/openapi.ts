/**
 * The route table: every path + method of GitHub's OpenAPI description, matched segment-wise.
 * A request that matches no template gets GitHub's 404, whether or not the sim implements it.
 */
import type { Operation } from './spec.js';

/**
 * Parameters GitHub lets carry slashes (`git/ref/tags/v1.0.0`, `compare/main...feature/x`,
 * `releases/tags/team/v1`). Octokit sends them percent-encoded (`tags%2Fv1.0.0`), other clients
 * raw; either way they may span several segments. owner/repo/ids never do.
 */
const SLASHY_PARAMS = new Set(['ref', 'basehead', 'path', 'tag', 'branch']);

type Segment = { readonly literal: string } | { readonly param: string; readonly slashy: boolean };

export interface Route {
  readonly operation: Operation;
  readonly segments: readonly Segment[];
  /** Index of the one segment that may absorb several path segments, or -1. */
  readonly greedyAt: number;
  readonly literals: number;
}

export interface Match {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
}

function compile(operation: Operation): Route {
  const segments: Segment[] = operation.template
    .split('/')
    .slice(1)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      return name === undefined ? { literal: part } : { param: name, slashy: SLASHY_PARAMS.has(name) };
    });
  // Only the last slashy parameter is greedy: one greedy span keeps matching unambiguous.
  let greedyAt = -1;
  segments.forEach((segment, i) => {
    if ('param' in segment && segment.slashy) greedyAt = i;
  });
  return { operation, segments, greedyAt, literals: segments.filter((s) => 'literal' in s).length };
}

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function matchSegments(route: Route, parts: readonly string[]): Record<string, string> | undefined {
  const { segments, greedyAt } = route;
  const greedySpan = parts.length - segments.length + 1;
  if (greedyAt < 0 ? parts.length !== segments.length : greedySpan < 1) return undefined;
  const params: Record<string, string> = {};
  let p = 0;
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s]!;
    const take = s === greedyAt ? greedySpan : 1;
    const raw = parts.slice(p, p + take).join('/');
    p += take;
    if ('literal' in segment) {
      if (raw !== segment.literal) return undefined;
      continue;
    }
    const value = decode(raw);
    if (value === undefined || value === '' || parts.slice(p - take, p).includes('')) return undefined;
    params[segment.param] = value;
  }
  return params;
}

export class RouteTable {
  readonly #byMethod = new Map<string, Route[]>();
  readonly #byOperationId = new Map<string, Operation>();

  constructor(operations: readonly Operation[]) {
    for (const operation of operations) {
      const routes = this.#byMethod.get(operation.method) ?? [];
      routes.push(compile(operation));
      this.#byMethod.set(operation.method, routes);
      this.#byOperationId.set(operation.operationId, operation);
    }
  }

  hasOperation(operationId: string): boolean {
    return this.#byOperationId.has(operationId);
  }

  /** The most specific template wins: most literal segments, then the shortest greedy span. */
  match(method: string, pathname: string): Match | undefined {
    const parts = pathname.split('/').slice(1);
    let best: { match: Match; literals: number; span: number } | undefined;
    for (const route of this.#byMethod.get(method) ?? []) {
      const params = matchSegments(route, parts);
      if (!params) continue;
      const span = parts.length - route.segments.length;
      if (!best || route.literals > best.literals || (route.literals === best.literals && span < best.span)) {
        best = { match: { route, params }, literals: route.literals, span };
      }
    }
    return best?.match;
  }
}
