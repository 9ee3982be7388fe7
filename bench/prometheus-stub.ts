/**
 * A stand-in for the Prometheus HTTP API (`GET /api/v1/query`) for bench/canary.ts: it answers the
 * action's built-in queries at once with values the bench chooses, and records when each answer
 * left (the `finish` event: the whole response handed to the kernel), so a breach can be timed from
 * the moment the breaching sample returned. Real Prometheus is exercised by
 * __tests__/e2e/prometheus.test.ts; here only the action's own reaction time is of interest.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reading {
  readonly errorRate: number;
  readonly p95Seconds: number;
  readonly requests: number;
}

export interface Answer {
  readonly kind: 'error-rate' | 'latency' | 'requests' | 'ping' | 'other';
  /** Epoch ms (sub-ms precision) at which the response finished. */
  readonly finishedAt: number;
  readonly value: number;
}

export interface PrometheusStub {
  readonly url: string;
  readonly answers: Answer[];
  stop(): Promise<void>;
}

const wallNow = () => performance.timeOrigin + performance.now();

function kindOf(query: string): Answer['kind'] {
  if (query === 'vector(1)') return 'ping';
  if (query.includes('histogram_quantile')) return 'latency';
  if (query.startsWith('sum(increase(')) return 'requests';
  if (query.includes('status=~"5.."')) return 'error-rate';
  return 'other';
}

/** `reading()` is asked on every query, so the bench can turn a breach on at a chosen step. */
export async function startPrometheusStub(reading: () => Reading): Promise<PrometheusStub> {
  const answers: Answer[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    if (url.pathname !== '/api/v1/query') {
      response.writeHead(404).end();
      return;
    }
    const kind = kindOf(url.searchParams.get('query') ?? '');
    const now = reading();
    const value = { 'error-rate': now.errorRate, latency: now.p95Seconds, requests: now.requests, ping: 1, other: 0 }[kind];
    const body = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, String(value)] }] } });
    response.on('finish', () => answers.push({ kind, value, finishedAt: wallNow() }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answers,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
