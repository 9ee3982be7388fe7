/**
 * One request, start to finish: log → fault → route (404) → validate (422) → handler (501 when
 * missing) → optional response-schema check → GitHub's headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Ctx, HandlerTable } from './context.js';
import { faultReply, type Faults } from './faults.js';
import { bodyIsMutation, graphqlReply } from './graphql.js';
import type { Links } from './links.js';
import type { Match, RouteTable } from './openapi.js';
import { HttpError, type Reply } from './reply.js';
import type { RequestRecord } from './requestlog.js';
import { tokenOf, type Permissions } from './permissions.js';
import type { Operation } from './spec.js';
import type { SimState } from './state.js';
import type { Problem, Validators } from './validate.js';

export interface DispatcherDeps {
  readonly routes: RouteTable;
  readonly handlers: HandlerTable;
  readonly validators: Validators;
  readonly graphqlSchema: GraphQLSchema;
  readonly state: SimState;
  readonly links: Links;
  readonly faults: Faults;
  /** What the request's token may do (403/404 otherwise), checked before the handler. */
  readonly permissions: Permissions;
  readonly log: RequestRecord[];
  readonly validateResponses: boolean;
  readonly onRequest?: (record: RequestRecord) => void;
}

const RATE_LIMIT = 5000;
const NOT_FOUND_DOCS = 'https://docs.github.com/rest';

class BadJson extends Error {}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadJson();
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function invalid(problems: Problem[]): HttpError {
  return new HttpError(422, {
    message: `Invalid request.\n\n${problems.map((p) => p.message).join('\n')}`,
    errors: problems.map((p) => ({ resource: 'Request', field: p.field, code: p.code, message: p.message })),
  });
}

/** Path parameters GitHub's router would not match: wrong repo, non-numeric ids. */
function pathMismatch(operation: Operation, params: Readonly<Record<string, string>>, state: SimState): boolean {
  if (params.owner !== undefined && params.owner.toLowerCase() !== state.owner.toLowerCase()) return true;
  if (params.repo !== undefined && params.repo.toLowerCase() !== state.repo.toLowerCase()) return true;
  return operation.parameters.some((p) => p.in === 'path' && p.schema?.type === 'integer' && !/^\d+$/.test(params[p.name] ?? ''));
}

export class Dispatcher {
  readonly #deps: DispatcherDeps;
  #served = 0;

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { state, faults, log } = this.#deps;
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    let json: unknown;
    let badJson = false;
    try {
      json = parseJson(raw);
    } catch {
      badJson = true;
      json = raw.toString('utf8');
    }
    const record: RequestRecord = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: json, status: 0, at: state.now() };
    log.push(record);
    const isGraphql = url.pathname === '/graphql' && method === 'POST';
    if (isGraphql) record.mutation = bodyIsMutation(json);
    const match = isGraphql ? undefined : this.#deps.routes.match(method === 'HEAD' ? 'GET' : method, url.pathname);
    const operationId = isGraphql ? 'graphql' : match?.route.operation.operationId;
    if (operationId) record.operationId = operationId;

    let reply: Reply;
    const fault = faults.take(method, url.pathname, operationId);
    if (fault !== undefined && !fault.applied) {
      record.fault = true;
      reply = faultReply(fault.status, state.now(), fault.message);
    } else if (badJson) {
      reply = { status: 400, body: { message: 'Problems parsing JSON' } };
    } else if (isGraphql) {
      reply = await graphqlReply(this.#deps.graphqlSchema, state, this.#deps.links, json);
    } else {
      reply = this.#rest(match, url, json, tokenOf(req.headers.authorization));
    }
    if (fault?.applied) {
      // Carried out above; the client only learns that something went wrong (see FaultSpec.applied).
      record.fault = true;
      record.appliedStatus = reply.status;
      reply = faultReply(fault.status, state.now(), fault.message);
    }
    record.status = reply.status;
    this.#send(res, reply, method, isGraphql, match?.route.operation.docsUrl);
    this.#deps.onRequest?.(record);
  }

  #rest(match: Match | undefined, url: URL, body: unknown, token: string): Reply {
    try {
      if (!match || pathMismatch(match.route.operation, match.params, this.#deps.state)) throw new HttpError(404, { message: 'Not Found' });
      const refusal = this.#deps.permissions.refusal(match.route.operation.operationId, match.route.operation.method.toUpperCase(), token);
      if (refusal) throw refusal;
      const reply = this.#invoke(match, url, body);
      return this.#checked(match.route.operation, reply);
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, body: error.body, headers: error.headers };
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      return { status: 500, body: { message: `sim/github internal error: ${message}` } };
    }
  }

  #invoke(match: Match, url: URL, body: unknown): Reply {
    const { operation } = match.route;
    const { validators, handlers } = this.#deps;
    const query = validators.query(operation, url.searchParams);
    const bodyProblems = validators.body(operation, body);
    const problems = [...query.problems, ...bodyProblems];
    if (problems.length > 0) throw invalid(problems);
    const handler = handlers[operation.operationId];
    if (!handler) {
      return {
        status: 501,
        body: {
          message: `sim/github does not implement ${operation.operationId} (${operation.method} ${operation.template}). GitHub has this route; add a handler in sim/github/routes/.`,
        },
      };
    }
    const ctx: Ctx = {
      operation,
      params: match.params,
      query: query.value,
      body,
      state: this.#deps.state,
      links: this.#deps.links,
      pathname: url.pathname,
      search: url.searchParams,
    };
    return handler(ctx);
  }

  /** With validateResponses, a reply that is not GitHub-shaped becomes a loud 500. */
  #checked(operation: Operation, reply: Reply): Reply {
    if (!this.#deps.validateResponses) return reply;
    const problems = this.#deps.validators.response(operation, reply.status, reply.body);
    if (problems.length === 0) return reply;
    return {
      status: 500,
      body: {
        message: `sim/github: the ${reply.status} response of ${operation.operationId} does not match GitHub's schema`,
        errors: problems.map((p) => `${p.field || '(root)'}: ${p.message}`),
      },
    };
  }

  #headers(reply: Reply, isGraphql: boolean): Record<string, string> {
    this.#served += 1;
    const now = this.#deps.state.now();
    return {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `51D0:${this.#served.toString(16).toUpperCase().padStart(6, '0')}:SIM`,
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': String(RATE_LIMIT),
      // Never 0 by itself: a 0 here makes octokit's throttling treat the next 403 as a primary
      // rate limit. Use the 'rate-limit' fault to simulate exhaustion on purpose.
      'x-ratelimit-remaining': String(Math.max(1, RATE_LIMIT - this.#served)),
      'x-ratelimit-used': String(this.#served),
      'x-ratelimit-reset': String(Math.floor(now / 1000) + 3600),
      'x-ratelimit-resource': isGraphql ? 'graphql' : 'core',
      ...reply.headers,
    };
  }

  #send(res: ServerResponse, reply: Reply, method: string, isGraphql: boolean, docsUrl: string | undefined): void {
    const headers = this.#headers(reply, isGraphql);
    let body = reply.body;
    // GitHub's error bodies carry the docs link and the status as a string.
    if (reply.status >= 400 && body && typeof body === 'object' && !Array.isArray(body) && !isGraphql) {
      body = { documentation_url: docsUrl ?? NOT_FOUND_DOCS, ...body, status: String(reply.status) };
    }
    if (body === undefined || reply.status === 204 || method === 'HEAD') {
      res.writeHead(reply.status, headers).end();
      return;
    }
    res.writeHead(reply.status, headers).end(JSON.stringify(body));
  }
}
