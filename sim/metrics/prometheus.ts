/**
 * Starts a real Prometheus (the Debian package's /usr/bin/prometheus) on 127.0.0.1, scraping the
 * given targets every second, with its storage in a temp dir. For tests, e2e runs and the demo.
 *
 * Nothing reaches beyond the machine: the config has only static 127.0.0.1 targets, no
 * alertmanagers, no remote write; the listener is bound to loopback instead of 0.0.0.0.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setInterval as every, setTimeout as delay } from 'node:timers/promises';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface StartPrometheusOptions {
  /** host:port of each exporter to scrape. */
  readonly targets: readonly string[];
  readonly binary?: string;
  readonly scrapeIntervalSeconds?: number;
  /** How long Prometheus may take to be ready and to have scraped every target once. */
  readonly startTimeoutMs?: number;
}

export interface PrometheusServer {
  readonly url: string;
  /** Stops Prometheus and removes its storage. */
  stop(): Promise<void>;
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusServer> {
  const binary = options.binary ?? PROMETHEUS_BINARY;
  await access(binary, constants.X_OK).catch(() => {
    throw new Error(`Prometheus is not installed at ${binary}: install the Debian package (apt-get update && apt-get install -y prometheus); CI installs it`);
  });
  const dir = await mkdtemp(join(tmpdir(), 'release-to-prod-prometheus-'));
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  // JSON is YAML: no YAML writer needed. scrape_timeout must not exceed scrape_interval (default 10s).
  const config = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    scrape_configs: [{ job_name: 'sim', static_configs: [{ targets: options.targets }] }],
  };
  await writeFile(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      // The Debian defaults point at /etc/prometheus; keep the instance self-contained.
      `--web.console.templates=${join(dir, 'consoles')}`,
      `--web.console.libraries=${join(dir, 'console_libraries')}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const gone = await Promise.race([exited.then(() => true), delay(5000, false, { ref: false })]);
      if (!gone) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitUntil(options.startTimeoutMs ?? 20_000, async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Prometheus exited (${child.exitCode ?? child.signalCode}): ${log.trim()}`);
      return (await upTargets(url)) >= options.targets.length;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** How many targets were scraped successfully (0 while Prometheus is still starting). */
async function upTargets(url: string): Promise<number> {
  try {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('count(up == 1)')}`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
    return Number(body.data?.result?.[0]?.value[1] ?? 0);
  } catch {
    return 0;
  }
}

async function waitUntil(timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    for await (const _ of every(100, undefined, { signal: deadline })) {
      if (await ready()) return;
    }
  } catch (error) {
    if (deadline.aborted) throw new Error(`Prometheus was not ready and scraping within ${timeoutMs} ms`);
    throw error;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
