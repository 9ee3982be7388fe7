// Runs the bundled dist/index.js as a child process, exactly as the runner does (e2e tests, demo): inputs as
// INPUT_<NAME> variables with action.yml defaults expanded, GITHUB_* variables, and the
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. Nothing from the host's own GITHUB_* leaks in.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as YAML from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
// RTP_DIST_DIR: run a bundle built elsewhere than dist/ (npm run bundle honours it too).
export const DIST = path.join(path.resolve(ROOT, process.env.RTP_DIST_DIR || 'dist'), 'index.js');
export const RUN_ID = 4242;

const action = YAML.parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly workspace: string;
  readonly summary: string;
  /** A workspace file's text, or undefined when it was not written. */
  file(relative: string): string | undefined;
  json<T = any>(relative: string): T;
  report(): string;
  /** Every file the run wrote into its workspace. */
  files(): string[];
}

export interface RunOptions {
  readonly inputs: Record<string, string>;
  readonly env?: Record<string, string | undefined>;
  /** The run's GITHUB_WORKSPACE, which the caller removes; else a new temp folder under `tempRoot`. */
  readonly workspace?: string;
  /** Where a new workspace is made (default: the OS temp folder); a World passes its own, removed by stop(). */
  readonly tempRoot?: string;
  readonly timeoutMs?: number;
  /** Node's arguments instead of the bundle, e.g. to import src/main.ts and call run() as @github/local-action does. */
  readonly node?: readonly string[];
  /** Called with the child once it runs (e.g. to send it a signal). */
  readonly onSpawn?: (child: ReturnType<typeof spawn>) => void;
  /** Called with each line the action prints (the demo shows progress with it). */
  readonly onLine?: (line: string) => void;
}

/** What `${{ … }}` defaults expand to on a runner for these tests. */
function expandDefault(value: string, sha: string): string {
  return value
    .replace('${{ github.sha }}', sha)
    .replace('${{ github.token }}', 'ghs_e2eSecretToken0123456789')
    .replace('${{ job.check_run_id }}', '');
}

export async function runAction({ inputs, env = {}, workspace, tempRoot = tmpdir(), timeoutMs = 120_000, node, onSpawn, onLine }: RunOptions): Promise<ActionRun> {
  const dir = workspace ?? mkdtempSync(path.join(tempRoot, 'rtp-e2e-'));
  // RUNNER_TEMP lives only as long as the run (as on a runner): removed once the outputs are read.
  const runnerTemp = mkdtempSync(path.join(tempRoot, 'rtp-runner-'));
  try {
    return await runIn(dir, runnerTemp, { inputs, env, timeoutMs, node, onSpawn, onLine });
  } finally {
    rmSync(runnerTemp, { recursive: true, force: true });
  }
}

async function runIn(dir: string, runnerTemp: string, { inputs, env = {}, timeoutMs = 120_000, node = [DIST], onSpawn, onLine }: RunOptions): Promise<ActionRun> {
  const outputFile = path.join(runnerTemp, 'output');
  const summaryFile = path.join(runnerTemp, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const sha = inputs.sha ?? env.GITHUB_SHA ?? '';
  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    inputEnv[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? (spec.default !== undefined ? expandDefault(spec.default, sha) : '');
  }
  for (const name of Object.keys(inputs)) if (!(name in action.inputs)) throw new Error(`test passes unknown input ${name}`);
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? runnerTemp,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: String(RUN_ID),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    // Set on every runner: who started this attempt (GITHUB_ACTOR stays the original actor on a re-run).
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_NAME: 'runner-7',
    RUNNER_TEMP: runnerTemp,
    ...inputEnv,
  };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, node, { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!onLine) return;
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`action did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const file = (relative: string) => (existsSync(path.join(dir, relative)) ? readFileSync(path.join(dir, relative), 'utf8') : undefined);
  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'));
  const summary = readFileSync(summaryFile, 'utf8');
  return {
    code,
    stdout,
    stderr,
    outputs,
    workspace: dir,
    summary,
    file,
    json: (relative) => JSON.parse(file(relative) ?? 'null'),
    report: () => {
      const text = outputs['report-path'] ? file(outputs['report-path']) : undefined;
      if (text === undefined) throw new Error(`no report written\n${stdout}\n${stderr}`);
      return text;
    },
    files: () => listFiles(dir),
  };
}

// The GITHUB_OUTPUT file format of @actions/core: `name<<delimiter\nvalue\ndelimiter`.
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const end = lines.indexOf(match[2]!, i + 1);
    outputs[match[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

export const SECRET_TOKEN = 'ghs_e2eSecretToken0123456789';
