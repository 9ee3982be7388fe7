/**
 * A simulated GitHub API on 127.0.0.1: REST checked against GitHub's OpenAPI description, GraphQL
 * against GitHub's schema, state seeded and inspected through `sim.state`. See README.md.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults.js';
import { Links } from './links.js';
import { Permissions } from './permissions.js';
import { RouteTable } from './openapi.js';
import { isWrite, type RequestRecord } from './requestlog.js';
import { handlers } from './routes/index.js';
import { Dispatcher } from './server.js';
import { graphqlSchema, restOperations } from './spec.js';
import { SimState } from './state.js';
import { Validators } from './validate.js';

export type { FaultSpec } from './faults.js';
export type { Access, Permission } from './permissions.js';
export type { RequestRecord } from './requestlog.js';
export { SimState, TOKEN_USER } from './state.js';
export type * from './model.js';
export type * from './seeds.js';

export interface SimGitHubOptions {
  readonly owner?: string;
  readonly repo?: string;
  readonly defaultBranch?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Check every reply against the operation's documented response schema (500 on mismatch). */
  readonly validateResponses?: boolean;
  /** Epoch ms; drives timestamps and `completeAfterMs`. Defaults to real time. */
  readonly clock?: () => number;
  /** Called after each reply (the CLI prints requests with it). */
  readonly onRequest?: (record: RequestRecord) => void;
}

export interface StartupTimings {
  /** Parse of the OpenAPI description; 0 after the first server in a process. */
  readonly restSpecMs: number;
  readonly graphqlSchemaMs: number;
  /** Whole start(), including listen. */
  readonly totalMs: number;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Checks at start that every handler names a real operation, so a typo cannot hide as a 501. */
function checkHandlers(routes: RouteTable): void {
  const unknown = Object.keys(handlers).filter((id) => !routes.hasOperation(id));
  if (unknown.length > 0) throw new Error(`sim/github: handlers for unknown operationIds: ${unknown.join(', ')}`);
}

export class SimGitHub {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly state: SimState;
  readonly faults = new Faults();
  /** What the token may do; default: a GITHUB_TOKEN with every repository permission (see permissions.ts). */
  readonly permissions = new Permissions();
  readonly startup: StartupTimings;
  readonly #server: Server;
  readonly #log: RequestRecord[] = [];

  private constructor(server: Server, url: string, state: SimState, startup: StartupTimings) {
    this.#server = server;
    this.url = url;
    this.graphqlUrl = `${url}/graphql`;
    this.state = state;
    this.startup = startup;
  }

  static async start(options: SimGitHubOptions = {}): Promise<SimGitHub> {
    const started = performance.now();
    const rest = restOperations();
    const graphql = graphqlSchema();
    const routes = new RouteTable(rest.value);
    checkHandlers(routes);
    const server = createServer();
    const port = await listen(server, options.port ?? 0);
    const url = `http://127.0.0.1:${port}`;
    const owner = options.owner ?? 'acme';
    const repo = options.repo ?? 'shop';
    const state = new SimState({ owner, repo, clock: options.clock ?? Date.now, ...(options.defaultBranch && { defaultBranch: options.defaultBranch }) });
    const sim = new SimGitHub(server, url, state, {
      restSpecMs: rest.loadMs,
      graphqlSchemaMs: graphql.loadMs,
      totalMs: Math.round(performance.now() - started),
    });
    const dispatcher = new Dispatcher({
      routes,
      handlers,
      validators: new Validators(),
      graphqlSchema: graphql.value,
      state,
      links: new Links(url, owner, repo),
      faults: sim.faults,
      permissions: sim.permissions,
      log: sim.#log,
      validateResponses: options.validateResponses ?? false,
      ...(options.onRequest && { onRequest: options.onRequest }),
    });
    server.on('request', (req, res) => {
      dispatcher.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: `sim/github internal error: ${String(error)}` }));
      });
    });
    return sim;
  }

  /** Every request so far, in arrival order (faulted ones marked `fault: true`). */
  get requests(): readonly RequestRecord[] {
    return this.#log;
  }

  /** Requests that change state: non-GET/HEAD REST calls and GraphQL mutations. */
  writes(): RequestRecord[] {
    return this.#log.filter(isWrite);
  }

  async stop(): Promise<void> {
    // Octokit's fetch keeps connections alive; close them or close() waits for their timeout.
    const closed = new Promise<void>((resolve, reject) => this.#server.close((error) => (error ? reject(error) : resolve())));
    this.#server.closeAllConnections();
    await closed;
  }
}
