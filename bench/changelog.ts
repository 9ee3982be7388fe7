/**
 * What a changelog costs: GitHub requests, wall time and peak memory for ranges of 100, 1,000 and
 * 5,000 commits (30% of them in PRs merged by squash, merge and rebase in turn, the rest direct
 * pushes; sim/github/scenarios/release-history.ts). Targets: at most ceil(commits/100) + 3
 * requests (issue 10: a GraphQL history page carries its commits' PRs); 5,000 commits under 10 s
 * and 256 MB (issue 4).
 *
 *   npm exec -- tsx bench/changelog.ts
 *
 * The simulated GitHub runs in its own process, and each measurement in a fresh one, so the memory
 * figures are the changelog's (plus Node and Octokit), not the simulator's. Each size is measured
 * twice: with the action's createOctokit, and with the same Octokit minus plugin-throttling, whose
 * "write" limiter spaces every GraphQL request (queries included) one second apart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { changelogPort } from '../src/changelog/github.js';
import { buildChangelog } from '../src/changelog/index.js';
import { createOctokit, type Octokit } from '../src/github/octokit.js';
import { parseSettings, type RunContext } from '../src/settings.js';

const SIZES = [100, 1_000, 5_000];
const MODES = ['createOctokit', 'unthrottled'] as const;
type Mode = (typeof MODES)[number];
const PR_SHARE = 0.3;
const self = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

interface Figures {
  commits: number;
  prs: number;
  requests: number;
  ms: number;
  rssMb: number;
  heapMb: number;
}

/** Runs a TypeScript file the way this one was started (tsx's loader is in execArgv). */
function node(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

async function firstLineMatching(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  throw new Error(`child ${child.pid} ended before printing ${pattern}`);
}

function octokitFor(mode: Mode, run: RunContext): Octokit {
  const log = { info: () => undefined, warning: (m: string) => console.error(m) };
  if (mode === 'createOctokit') return createOctokit('bench', run, log);
  return getOctokit('bench', { baseUrl: run.apiUrl, throttle: { enabled: false } }, retry, throttling);
}

/** Child mode: one changelog against the sim at SIM_URL, figures as one JSON line. */
async function measure(mode: Mode): Promise<void> {
  const env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: process.env.SIM_URL!, GITHUB_SERVER_URL: process.env.SIM_URL! };
  const head = (await (await fetch(`${env.GITHUB_API_URL}/repos/acme/shop/git/ref/heads/main`)).json()) as { object: { sha: string } };
  const inputs: Record<string, string> = { environment: 'prod', service: 'shop', 'dry-run': 'true', 'github-token': 'bench', version: 'v1.1.0', sha: head.object.sha };
  const { settings, errors } = parseSettings((n) => inputs[n] ?? '', env);
  if (!settings) throw new Error(errors.join('\n'));
  let heap = 0;
  const sampler = setInterval(() => (heap = Math.max(heap, process.memoryUsage().heapUsed)), 10);
  const started = performance.now();
  const result = await buildChangelog(settings, changelogPort(octokitFor(mode, settings.run), settings.run));
  const ms = performance.now() - started;
  clearInterval(sampler);
  heap = Math.max(heap, process.memoryUsage().heapUsed);
  const figures: Figures = { commits: result.range.commits, prs: result.prs.length, requests: result.requests, ms, rssMb: process.resourceUsage().maxRSS / 1024, heapMb: heap / 2 ** 20 };
  console.log(`FIGURES ${JSON.stringify(figures)}`);
}

async function main(): Promise<void> {
  console.log('changelog bench: sim/github in its own process, one process per measurement');
  console.log('commits    PRs  octokit         requests  budget     time   peak RSS  peak heap');
  for (const commits of SIZES) {
    const sim = node(['sim/github/cli.ts', '--quiet', '--scenario', 'sim/github/scenarios/release-history.ts'], { SIM_COMMITS: String(commits), SIM_PRS: String(Math.round(commits * PR_SHARE)) });
    try {
      const [, url] = await firstLineMatching(sim, / at (http:\/\/\S+)/);
      for (const mode of MODES) {
        const child = node([self, '--measure', mode], { SIM_URL: url! });
        const [, json] = await firstLineMatching(child, /^FIGURES (.*)$/);
        await once(child, 'exit');
        const f = JSON.parse(json!) as Figures;
        const budget = Math.ceil(f.commits / 100) + 3;
        console.log(
          `${f.commits.toLocaleString('en-US').padStart(7)}  ${String(f.prs).padStart(5)}  ${mode.padEnd(14)}  ${String(f.requests).padStart(8)}  ${String(budget).padStart(6)}  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${f.rssMb.toFixed(0).padStart(5)} MB  ${f.heapMb.toFixed(0).padStart(6)} MB`,
        );
      }
    } finally {
      sim.kill('SIGTERM');
      await once(sim, 'exit');
    }
  }
}

const at = process.argv.indexOf('--measure');
await (at >= 0 ? measure(process.argv[at + 1] as Mode) : main());
