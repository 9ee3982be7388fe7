/** The HTTP front of the simulated API server: auth, fault injection, request log, routing. */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApiError, badRequest, notFoundPath, unauthorized, unsupportedMediaType } from './errors.js';
import type { FaultHit, Faults } from './faults.js';
import { handleResource, isDryRun, isWatch } from './handlers.js';
import { route } from './routes.js';
import type { Store } from './store.js';
import type { KObject, SimClock } from './types.js';
import { toTable, wantsTable } from './table.js';
import { serveWatch } from './watch.js';

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly contentType?: string;
  /** Parsed JSON when the body is JSON, else the raw text; undefined when empty. */
  readonly body?: unknown;
  status: number;
  readonly at: number;
  readonly watch: boolean;
  readonly dryRun: boolean;
}

export interface ApiServerOptions {
  readonly store: Store;
  readonly faults: Faults;
  readonly clock: SimClock;
  readonly token: string;
  readonly requests: RequestRecord[];
  /** Serve https with this certificate; plain http when absent. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}

export class ApiServer {
  readonly #server: Server;
  readonly #opts: ApiServerOptions;
  readonly #watches = new Set<() => void>();

  private constructor(opts: ApiServerOptions) {
    this.#opts = opts;
    const listener: RequestListener = (req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, new ApiError(500, 'InternalError', String(err)).toStatus());
      });
    };
    this.#server = opts.tls ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) : createServer(listener);
  }

  static async listen(opts: ApiServerOptions, port = 0): Promise<ApiServer> {
    const server = new ApiServer(opts);
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(port, '127.0.0.1', () => resolve());
    });
    return server;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `${this.#opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const stop of [...this.#watches]) stop();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = (req.method ?? 'GET').toUpperCase();
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const target = route(url.pathname);
    const watch = target?.kind === 'resource' && method === 'GET' && isWatch(target, url.searchParams);
    const record: RequestRecord = {
      method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0,
      at: this.#opts.clock.now(), watch, dryRun: url.searchParams.has('dryRun'),
      ...(contentType ? { contentType } : {}), ...(text ? { body: parseBody(text) } : {}),
    };
    this.#opts.requests.push(record);
    let lost: FaultHit | undefined;
    const reply = (status: number, body: unknown): void => {
      if (lost?.destroy) {
        record.status = 0; // the client saw the connection drop
        res.destroy();
        return;
      }
      if (lost) {
        record.status = lost.error.code;
        send(res, lost.error.code, lost.error.toStatus());
        return;
      }
      record.status = status;
      send(res, status, body);
    };
    try {
      if (req.headers.authorization !== `Bearer ${this.#opts.token}`) throw unauthorized();
      const fault = this.#opts.faults.take(method, url.pathname);
      if (fault?.applied) lost = fault;
      else if (fault?.destroy) {
        lost = fault;
        return reply(0, undefined);
      } else if (fault) throw fault.error;
      if (!target) throw notFoundPath();
      if (target.kind === 'health') return reply(200, 'ok');
      if (target.kind === 'document') return reply(200, target.body);
      // kubectl 1.32 creates built-in kinds in protobuf (and does not fall back); say so plainly.
      if (contentType.includes('protobuf')) throw unsupportedMediaType(['application/json', 'application/yaml']);
      if (text !== '' && typeof record.body === 'string' && !contentType.endsWith('yaml')) throw badRequest('error decoding request body: not valid JSON');
      if (record.dryRun) isDryRun(url.searchParams);
      const result = handleResource(this.#opts.store, { method, target, query: url.searchParams, contentType, body: record.body });
      if ('watch' in result) {
        record.status = 200;
        const table = wantsTable(req.headers.accept);
        const encode = (obj: KObject): unknown => toTable(target.def, [obj], obj.metadata.resourceVersion ?? '', this.#opts.clock.now());
        const stop = serveWatch(this.#opts.store, table ? { ...result.watch, encode } : result.watch, res);
        this.#watches.add(stop);
        res.on('close', () => this.#watches.delete(stop));
        return;
      }
      if (method === 'GET' && target.subresource === undefined && wantsTable(req.headers.accept)) {
        const body = result.body as { items?: KObject[]; metadata?: { resourceVersion?: string } } & KObject;
        const objects = body.items ?? [body];
        return reply(200, toTable(target.def, objects, this.#opts.store.resourceVersion(), this.#opts.clock.now()));
      }
      reply(result.status, result.body);
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(500, 'InternalError', String(err));
      reply(apiErr.code, apiErr.toStatus());
    }
  }
}
