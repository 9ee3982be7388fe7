// Azurite, the Azure Storage emulator (npm package `azurite`), as the blob store behind the simulated
// Actions results service: its blob service only, on 127.0.0.1 with an OS-chosen port, in memory
// (nothing on disk), no telemetry. Tests and nothing else start it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Azurite's well-known development account (documented in Azurite's README; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** The blob endpoint of the dev account, e.g. http://127.0.0.1:41234/devstoreaccount1. */
  readonly blobUrl: string;
  stop(): Promise<void>;
}

export async function startAzurite({ startTimeoutMs = 60_000 }: { startTimeoutMs?: number } = {}): Promise<Azurite> {
  const main = path.join(path.dirname(createRequire(import.meta.url).resolve('azurite/package.json')), 'dist', 'src', 'blob', 'main.js');
  const child = spawn(process.execPath, [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--extentMemoryLimit', '64', '--silent', '--disableTelemetry', '--skipApiVersionCheck'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  let output = '';
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${startTimeoutMs} ms: ${output}`)), startTimeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /successfully listens on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited before it listened: ${output}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  try {
    const url = await listening;
    return { blobUrl: `${url}/${DEV_ACCOUNT}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
