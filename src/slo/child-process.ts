// Runs one program without a shell, with a deadline that kills its whole process tree and a cap on
// what it may print. Only the command provider uses it; it knows nothing about SLOs.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';

export interface RunOptions {
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly timeoutMs: number;
  /** Per stream; the *last* bytes are kept because the verdict line comes last. */
  readonly maxOutputBytes: number;
  readonly signal?: AbortSignal;
}

export type RunResult =
  | { readonly kind: 'exited'; readonly code: number; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'signalled'; readonly signal: string; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'timed-out'; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'failed'; readonly error: NodeJS.ErrnoException };

/** Resolves with how the program ended; rejects with the signal's reason when cancelled. */
export function runProgram(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    let child: ChildProcess;
    try {
      // detached: the program leads its own process group, so a deadline can kill what it started
      // too (a `sh` script's `sleep` would otherwise keep the pipes, and us, waiting).
      child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    } catch (error) {
      resolvePromise({ kind: 'failed', error: error as NodeJS.ErrnoException });
      return;
    }
    const stdout = tail(options.maxOutputBytes);
    const stderr = tail(options.maxOutputBytes);
    child.stdout?.on('data', stdout.push);
    child.stderr?.on('data', stderr.push);

    const timeout = AbortSignal.timeout(options.timeoutMs);
    const stop = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let stopped = false;
    const onStop = () => {
      stopped = true;
      killTree(child);
      // A grandchild that escaped the group could hold the pipes open; stop listening to it.
      child.stdout?.destroy();
      child.stderr?.destroy();
    };
    stop.addEventListener('abort', onStop, { once: true });

    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      stop.removeEventListener('abort', onStop);
      finish();
    };
    child.once('error', (error) => settle(() => resolvePromise({ kind: 'failed', error })));
    child.once('close', (code, signal) =>
      settle(() => {
        const output = { stdout: stdout.text(), stderr: stderr.text() };
        if (options.signal?.aborted) reject(options.signal.reason);
        else if (stopped) resolvePromise({ kind: 'timed-out', ...output });
        else if (code !== null) resolvePromise({ kind: 'exited', code, ...output });
        else resolvePromise({ kind: 'signalled', signal: signal ?? 'unknown signal', ...output });
      }),
    );
  });
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function tail(limit: number) {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    push: (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // Compact now and then, so memory stays bounded by twice the limit whatever the program prints.
      if (size > 2 * limit) {
        chunks = [Buffer.concat(chunks).subarray(-limit)];
        size = limit;
      }
    },
    text: () => Buffer.concat(chunks).subarray(-limit).toString('utf8'),
  };
}

export type Lookup = { readonly kind: 'found'; readonly path: string } | { readonly kind: 'missing' | 'not-executable'; readonly path?: string };

/**
 * Where spawn would find `file`, without running it: a name with a slash is relative to cwd,
 * a bare name is searched on PATH (the PATH of the environment the program will get).
 */
export async function findProgram(file: string, cwd: string, pathVariable: string | undefined): Promise<Lookup> {
  const candidates = file.includes('/') ? [resolve(cwd, file)] : (pathVariable ?? '').split(delimiter).filter(Boolean).map((dir) => resolve(cwd, join(dir, file)));
  let notExecutable: string | undefined;
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => undefined);
    if (!info?.isFile()) continue;
    const executable = await access(candidate, constants.X_OK).then(() => true, () => false);
    if (executable) return { kind: 'found', path: candidate };
    notExecutable ??= candidate;
  }
  return notExecutable ? { kind: 'not-executable', path: notExecutable } : { kind: 'missing' };
}
