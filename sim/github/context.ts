/** What every route handler receives. */
import type { Links } from './links.js';
import type { Reply } from './reply.js';
import type { Operation } from './spec.js';
import type { SimState } from './state.js';

export interface Ctx {
  readonly operation: Operation;
  /** Decoded path parameters (slashes allowed in ref-like ones). */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters parsed by their schema types, spec defaults filled in. */
  readonly query: Readonly<Record<string, unknown>>;
  /** The JSON body, already validated against the operation's requestBody schema. */
  readonly body: unknown;
  readonly state: SimState;
  readonly links: Links;
  /** The request's own path and query, for Link headers. */
  readonly pathname: string;
  readonly search: URLSearchParams;
}

export type Handler = (ctx: Ctx) => Reply;

/** Handlers keyed by OpenAPI operationId (e.g. `checks/list-for-ref`). */
export type HandlerTable = Readonly<Record<string, Handler>>;

export function intParam(ctx: Ctx, name: string): number {
  return Number(ctx.params[name]);
}

export function body<T>(ctx: Ctx): T {
  return (ctx.body ?? {}) as T;
}
