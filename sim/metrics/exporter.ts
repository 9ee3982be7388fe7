/**
 * A tiny Prometheus exporter for canary and stable pods: `http_requests_total{status}` counters and
 * `http_request_duration_seconds` histograms that grow at known rates, changeable at run time, so a
 * test knows the true error ratio and p95 that Prometheus should report.
 *
 * Counters are advanced lazily to "now" on every scrape and before every change: Prometheus sees
 * the same numbers a ticking timer would give, without a timer to leak.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Traffic {
  /** Requests per second. */
  readonly rps: number;
  /** Share of requests answered 5xx (SLO errors). */
  readonly errorRatio: number;
  /** Share answered 4xx: counted as requests, not as errors. */
  readonly clientErrorRatio: number;
  /** Latencies are spread uniformly over [0, p95Ms / 0.95], so p95Ms is the true p95. */
  readonly p95Ms: number;
}

export interface Pod extends Traffic {
  readonly namespace: string;
  /** The `rollouts_pod_template_hash` label: which ReplicaSet (canary or stable) the pod belongs to. */
  readonly hash: string;
}

export interface Exporter {
  /** Base URL, e.g. http://127.0.0.1:41234 (metrics at /metrics). */
  readonly url: string;
  /** host:port, for a Prometheus static target. */
  readonly target: string;
  /** Changes a pod's traffic from now on; what it served so far stays counted. */
  set(pod: string, traffic: Partial<Traffic>): void;
  /** A restarted pod: its counters start again from 0 (a counter reset, as Prometheus sees it). */
  restart(pod: string): void;
  /** A pod that starts (counters from 0) or, with `undefined`, one that is gone (its series vanish). */
  place(pod: string, spec: (Partial<Pod> & Pick<Pod, 'namespace' | 'hash'>) | undefined): void;
  /** The exposition text, as a scrape would see it now. */
  render(): string;
  stop(): Promise<void>;
}

/** Bucket bounds in seconds; 0.15 and 0.2 make p95s around 190 ms land on a bucket boundary. */
export const BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5] as const;

export const DEFAULT_TRAFFIC: Traffic = { rps: 100, errorRatio: 0, clientErrorRatio: 0, p95Ms: 100 };

interface Counters {
  ok: number;
  client: number;
  server: number;
  buckets: number[];
  sum: number;
}

export async function startExporter(pods: Readonly<Record<string, Partial<Pod> & Pick<Pod, 'namespace' | 'hash'>>>, deps: { now?: () => number } = {}): Promise<Exporter> {
  const now = deps.now ?? Date.now;
  const started = now();
  const state = new Map(
    Object.entries(pods).map(([name, pod]) => [name, { pod: { ...DEFAULT_TRAFFIC, ...pod }, at: started, counters: zero() }]),
  );

  const advance = (at: number) => {
    for (const entry of state.values()) {
      accrue(entry.counters, entry.pod, Math.max(0, at - entry.at) / 1000);
      entry.at = at;
    }
  };
  const set = (name: string, traffic: Partial<Traffic>) => {
    const entry = state.get(name);
    if (!entry) throw new Error(`no pod ${name} in the exporter (pods: ${[...state.keys()].join(', ')})`);
    advance(now());
    entry.pod = { ...entry.pod, ...traffic };
  };
  const restart = (name: string) => {
    set(name, {});
    state.get(name)!.counters = zero();
  };
  const place = (name: string, spec: (Partial<Pod> & Pick<Pod, 'namespace' | 'hash'>) | undefined) => {
    advance(now());
    if (spec) state.set(name, { pod: { ...DEFAULT_TRAFFIC, ...spec }, at: now(), counters: zero() });
    else state.delete(name);
  };
  const render = () => {
    advance(now());
    return exposition([...state].map(([name, entry]) => ({ name, pod: entry.pod, counters: entry.counters })));
  };

  const server = createServer((request, response) => route(request, response, { render, set }));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    target: `127.0.0.1:${port}`,
    set,
    restart,
    place,
    render,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function zero(): Counters {
  return { ok: 0, client: 0, server: 0, buckets: BUCKETS.map(() => 0), sum: 0 };
}

function accrue(c: Counters, pod: Pod, seconds: number): void {
  const n = pod.rps * seconds;
  const maxSeconds = pod.p95Ms / 0.95 / 1000;
  c.server += n * pod.errorRatio;
  c.client += n * pod.clientErrorRatio;
  c.ok += n * (1 - pod.errorRatio - pod.clientErrorRatio);
  BUCKETS.forEach((le, i) => {
    c.buckets[i]! += n * Math.min(1, le / maxSeconds);
  });
  c.sum += (n * maxSeconds) / 2;
}

function exposition(pods: ReadonlyArray<{ name: string; pod: Pod; counters: Counters }>): string {
  const lines = ['# HELP http_requests_total Requests served, by status.', '# TYPE http_requests_total counter'];
  const labels = (name: string, pod: Pod, extra = '') => `{namespace="${pod.namespace}",pod="${name}",rollouts_pod_template_hash="${pod.hash}"${extra}}`;
  for (const { name, pod, counters } of pods) {
    lines.push(`http_requests_total${labels(name, pod, ',status="200"')} ${counters.ok}`);
    lines.push(`http_requests_total${labels(name, pod, ',status="404"')} ${counters.client}`);
    lines.push(`http_requests_total${labels(name, pod, ',status="500"')} ${counters.server}`);
  }
  lines.push('# HELP http_request_duration_seconds Request latency.', '# TYPE http_request_duration_seconds histogram');
  for (const { name, pod, counters } of pods) {
    const count = counters.ok + counters.client + counters.server;
    BUCKETS.forEach((le, i) => lines.push(`http_request_duration_seconds_bucket${labels(name, pod, `,le="${le}"`)} ${counters.buckets[i]}`));
    lines.push(`http_request_duration_seconds_bucket${labels(name, pod, ',le="+Inf"')} ${count}`);
    lines.push(`http_request_duration_seconds_sum${labels(name, pod)} ${counters.sum}`);
    lines.push(`http_request_duration_seconds_count${labels(name, pod)} ${count}`);
  }
  return `${lines.join('\n')}\n`;
}

// GET /metrics for Prometheus; PUT /pods/<name> with a JSON Partial<Traffic> for a demo in another process.
function route(request: IncomingMessage, response: ServerResponse, exporter: Pick<Exporter, 'render' | 'set'>): void {
  const path = new URL(request.url ?? '/', 'http://exporter').pathname;
  if (request.method === 'GET' && path === '/metrics') {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exporter.render());
    return;
  }
  const pod = /^\/pods\/([^/]+)$/.exec(path)?.[1];
  if (request.method === 'PUT' && pod) {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        exporter.set(decodeURIComponent(pod), JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Traffic>);
        response.writeHead(204).end();
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
      }
    });
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics or PUT /pods/<name>\n');
}
