// Real child processes: the check-slo.sh contract as a user's script sees it.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Slo } from '../src/settings.js';
import { commandProvider, observedValues } from '../src/slo/command.js';
import type { SloContext } from '../src/slo/provider.js';

const slo: Slo = { errorRateMax: 0.005, p95LatencyMs: 300, windowMinutes: 2.5, intervalSeconds: 10, minRequests: 0, noData: 'breach' };
const context: SloContext = { service: 'checkout-api', namespace: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), step: 25, canaryHash: 'c4n4ry', stableHash: 'st4b1e', slo };
const env = { PATH: process.env.PATH };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slo-command-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function script(name: string, body: string, mode = 0o755): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, body.startsWith('#!') ? body : `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
  return path;
}

const provider = (argv: string[]) => commandProvider({ argv }, { env, cwd: dir });

describe('command provider: exit code', () => {
  it('exit 0 is within, 1 is breach, and values come from a JSON last line', async () => {
    const ok = await script('ok.sh', `echo checking "$1" at step "$2"\necho '{"error_rate": 0.001, "p95_latency_ms": 120, "requests": 5400, "saturation": 0.4, "note": "fine"}'\necho`);
    expect(await provider([ok]).measure(context)).toEqual({ errorRate: 0.001, p95LatencyMs: 120, requests: 5400, extra: { saturation: 0.4 }, decision: 'within' });
    const bad = await script('bad.sh', `echo '{"error_rate": 0.032, "p95_latency_ms": 287}'\nexit 1`);
    expect(await provider([bad]).measure(context)).toEqual({ errorRate: 0.032, p95LatencyMs: 287, requests: null, decision: 'breach' });
  });

  it('reads no values when the last line is not a JSON object', async () => {
    const plain = await script('plain.sh', `echo '{"error_rate": 0.5}'\necho all good`);
    expect(await provider([plain]).measure(context)).toEqual({ errorRate: null, p95LatencyMs: null, requests: null, decision: 'within' });
    expect(observedValues('[1,2]')).toEqual({ errorRate: null, p95LatencyMs: null, requests: null });
    expect(observedValues('{"error_rate": "0.1", "p95_latency_ms": null}')).toEqual({ errorRate: null, p95LatencyMs: null, requests: null });
  });

  it('any other exit code is a gate error that quotes stderr', async () => {
    const broken = await script('broken.sh', `echo 'curl: (7) Failed to connect to prometheus' >&2\nexit 2`);
    expect(await provider([broken]).measure(context)).toEqual({
      errorRate: null, p95LatencyMs: null, requests: null,
      gateError: `slo-command ${broken} exited with code 2 (0 = within, 1 = breach): curl: (7) Failed to connect to prometheus`,
    });
  });

  it('a program killed by a signal is a gate error', async () => {
    const killed = await script('killed.sh', 'kill -9 $$');
    expect((await provider([killed]).measure(context)).gateError).toBe(`slo-command ${killed} was killed by SIGKILL`);
  });
});

describe('command provider: arguments and environment', () => {
  it('passes words literally, never through a shell, then service and step', async () => {
    const sentinel = join(dir, 'sentinel');
    await writeFile(sentinel, 'still here');
    const args = join(dir, 'args.txt');
    const echo = await script('echo-args.sh', `for a in "$@"; do printf '%s\\n' "$a"; done > "${args}"`);
    const words = ['arg with  spaces', `$(rm -rf ${sentinel})`, '`rm -rf /`; rm -rf /', '*', "it's", '$HOME'];
    expect((await provider([echo, ...words]).measure(context)).decision).toBe('within');
    expect((await readFile(args, 'utf8')).split('\n').slice(0, -1)).toEqual([...words, 'checkout-api', '25']);
    expect(existsSync(sentinel)).toBe(true);
  });

  it('adds RELEASE_* and SLO_* to the inherited environment', async () => {
    const out = join(dir, 'env.txt');
    const names = ['RELEASE_SERVICE', 'RELEASE_NAMESPACE', 'RELEASE_VERSION', 'RELEASE_SHA', 'RELEASE_STEP', 'RELEASE_CANARY_HASH', 'RELEASE_STABLE_HASH', 'SLO_ERROR_RATE_MAX', 'SLO_P95_LATENCY_MS', 'SLO_WINDOW_MINUTES', 'INHERITED'];
    const dump = await script('env.sh', `{\n${names.map((n) => `printf '%s=%s\\n' ${n} "$${n}"`).join('\n')}\n} > "${out}"`);
    await commandProvider({ argv: [dump] }, { env: { ...env, INHERITED: 'from the runner' }, cwd: dir }).measure(context);
    expect(await readFile(out, 'utf8')).toBe(
      [
        'RELEASE_SERVICE=checkout-api', 'RELEASE_NAMESPACE=prod', 'RELEASE_VERSION=v2.14.0', `RELEASE_SHA=${'a'.repeat(40)}`, 'RELEASE_STEP=25',
        'RELEASE_CANARY_HASH=c4n4ry', 'RELEASE_STABLE_HASH=st4b1e', 'SLO_ERROR_RATE_MAX=0.005', 'SLO_P95_LATENCY_MS=300', 'SLO_WINDOW_MINUTES=2.5',
        'INHERITED=from the runner', '',
      ].join('\n'),
    );
  });

  it('withholds the action\'s inputs and the runner\'s tokens', async () => {
    const out = join(dir, 'secrets.txt');
    const dump = await script('secrets.sh', `env > "${out}"`);
    await commandProvider({ argv: [dump] }, { env: { ...env, 'INPUT_GITHUB-TOKEN': 'ghs_x', INPUT_KUBECONFIG: 'k', ACTIONS_RUNTIME_TOKEN: 'r', GITHUB_REPOSITORY: 'acme/shop' }, cwd: dir }).measure(context);
    const seen = await readFile(out, 'utf8');
    expect(seen).toContain('GITHUB_REPOSITORY=acme/shop');
    expect(seen).not.toMatch(/INPUT_|ACTIONS_RUNTIME_TOKEN|ghs_x/);
  });

  it('finds a relative command in the working directory and a bare name on PATH', async () => {
    await script('relative.sh', 'exit 1');
    expect((await provider(['./relative.sh']).measure(context)).decision).toBe('breach');
    expect((await provider(['sh', '-c', 'exit 0']).measure(context)).decision).toBe('within');
  });

  it('describes the command line as it runs, quoted', () => {
    expect(provider(['./check-slo.sh', '--env', 'prod east']).describe(context)).toEqual(["command: ./check-slo.sh --env 'prod east' checkout-api 25 (timeout 10 s: the sample period, slo.interval_seconds, but never less than 5 s)"]);
  });
});

describe('command provider: failures', () => {
  it('stops a command that does not answer within the sample period, with everything it started', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const slow = await script('slow.sh', `sleep 30 &\necho $! > "${pidFile}"\nwait`);
    const started = Date.now();
    // A sample period of 0.5 s still gives the command the contract's floor of 5 s.
    const result = await provider([slow]).measure({ ...context, slo: { ...slo, intervalSeconds: 0.5 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    expect(Date.now() - started).toBeLessThan(15000);
    expect(result).toEqual({ errorRate: null, p95LatencyMs: null, requests: null, gateError: `slo-command ${slow} did not answer within 5 s (the sample period, slo.interval_seconds, but never less than 5 s) and was stopped` });
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('says which command was not found', async () => {
    expect((await provider(['./x']).measure(context)).gateError).toBe(`slo-command ./x not found (relative to ${dir})`);
    expect((await provider(['check-slo-nowhere']).measure(context)).gateError).toBe('slo-command check-slo-nowhere not found on PATH');
  });

  it('tells a missing #! interpreter from a missing script, and a script that is not executable', async () => {
    const orphan = await script('orphan.sh', '#!/nonexistent/interpreter\nexit 0\n');
    expect((await provider([orphan]).measure(context)).gateError).toBe(`slo-command ${orphan} could not start: the interpreter on its #! line was not found`);
    const plain = await script('plain-file.sh', 'exit 0', 0o644);
    expect((await provider([plain]).measure(context)).gateError).toMatch(/is not executable: chmod \+x it/);
  });

  it('keeps only the tail of a flood of output, and still reads the last line', async () => {
    const flood = await script('flood.sh', `head -c 3000000 /dev/zero | tr '\\0' x\necho\necho '{"error_rate": 0.002}'`);
    const result = await commandProvider({ argv: [flood] }, { env, cwd: dir, maxOutputBytes: 1024 }).measure(context);
    expect(result).toEqual({ errorRate: 0.002, p95LatencyMs: null, requests: null, decision: 'within' });
  });

  it('kills the command and rejects when the release is cancelled', async () => {
    const slow = await script('cancelled.sh', 'sleep 30');
    const controller = new AbortController();
    const reason = new Error('workflow cancelled');
    setTimeout(() => controller.abort(reason), 200);
    await expect(provider([slow]).measure(context, controller.signal)).rejects.toBe(reason);
  });
});

describe('command provider: ping', () => {
  it('accepts an executable on PATH or relative to the working directory, without running it', async () => {
    const marker = join(dir, 'ran');
    await script('check-slo.sh', `touch "${marker}"`);
    await expect(provider(['./check-slo.sh']).ping()).resolves.toBeUndefined();
    await expect(provider(['sh']).ping()).resolves.toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it('rejects a missing or non-executable command with what to do', async () => {
    await expect(provider(['./missing.sh']).ping()).rejects.toThrow(`slo-command ./missing.sh not found (relative to ${dir}): commit it (and chmod +x) or install it before this step`);
    await expect(provider(['no-such-command-anywhere']).ping()).rejects.toThrow('slo-command no-such-command-anywhere not found on PATH');
    await script('not-exec.sh', 'exit 0', 0o644);
    await expect(provider(['./not-exec.sh']).ping()).rejects.toThrow(/not-exec.sh \(.*\) is not executable: chmod \+x it/);
    await expect(provider([dir]).ping()).rejects.toThrow('not found');
  });
});

/** A killed process may linger as a zombie when nothing reaps orphans (PID 1 in a container). */
async function gone(pid: number): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return status === '' || /^State:\s+Z/m.test(status);
}
