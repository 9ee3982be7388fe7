// The simulated world an end-to-end test (or the demo) runs against: a GitHub with a green commit, a cluster
// with a Healthy Rollout, and the inputs a workflow would pass. Each test changes what it needs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SimGitHub, type SimGitHubOptions } from './github/index.js';
import { SimKube, type SimKubeOptions } from './kube/index.js';
import { RUN_ID, runAction, type ActionRun, type RunOptions } from './run-action.js';

export const STABLE_IMAGE = `ghcr.io/acme/checkout-api@sha256:${'a'.repeat(64)}`;
export const DIGEST = `sha256:${'b'.repeat(64)}`;
export const NEW_IMAGE = `ghcr.io/acme/checkout-api@${DIGEST}`;
export const CHECK_SLO = path.join(import.meta.dirname, 'check-slo.mjs');

export const ROLLOUT = { namespace: 'prod', name: 'checkout-api', image: STABLE_IMAGE, replicas: 6, steps: [{ setWeight: 5 }, { pause: {} }, { setWeight: 25 }, { pause: {} }, { setWeight: 100 }] };

export interface World {
  readonly github: SimGitHub;
  readonly kube: SimKube;
  /** The commit being released (head of main, CI green). */
  readonly sha: string;
  readonly kubeconfigPath: string;
  /** Runs dist/index.js with the world's inputs, overridden by `inputs`. */
  run(inputs?: Record<string, string>, options?: Omit<RunOptions, 'inputs'>): Promise<ActionRun>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  /** Seed the release job's own in-progress check run (job of RUN_ID on runner-7). Default true. */
  readonly ownJob?: boolean;
  readonly rollout?: Parameters<SimKube['addRollout']>[0] | false;
  readonly kube?: SimKubeOptions;
  /**
   * Seeds more history after the world's first three commits (tags, pull requests, direct pushes,
   * other branches). The release commit `sha`, the one CI is green on, is then the default branch's head.
   */
  readonly history?: (github: SimGitHub) => void;
  /** Passed to SimGitHub.start (owner and repo stay acme/shop), e.g. onRequest to time the sim's own replies. */
  readonly github?: Omit<SimGitHubOptions, 'owner' | 'repo'>;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const github = await SimGitHub.start({ ...options.github, owner: 'acme', repo: 'shop' });
  const kube = await SimKube.start(options.kube);
  github.state.addCommits(3, { author: 'alice' });
  options.history?.(github);
  const sha = github.state.resolve(github.state.defaultBranch)!;
  github.state.addCheckRun({ sha, name: 'build' });
  github.state.addCheckRun({ sha, name: 'unit tests' });
  github.state.addStatus({ sha, context: 'ci/jenkins', state: 'success' });
  if (options.ownJob !== false) github.state.addJob(RUN_ID, { name: 'release', status: 'in_progress', runnerName: 'runner-7', sha });
  if (options.rollout !== false) {
    kube.addRollout(options.rollout ?? ROLLOUT);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'rtp-world-'));
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kube.kubeconfig());
  const base = {
    environment: 'prod',
    version: 'v2.14.0',
    sha,
    service: 'checkout-api',
    digest: DIGEST,
    'slo-command': `${process.execPath} ${CHECK_SLO}`,
    // One sample per step (at 0 s) and 2 s for it: the check-slo script is a Node process, and under
    // load (two test runs on two cores) starting one took longer than a 0.2 s sample period, which
    // the command provider rightly reports as a gate error — the canary tests' flakiness.
    slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.01, interval_seconds: 2}',
    'step-timeout-minutes': '0.5',
    kubeconfig: kube.kubeconfig(),
  };
  return {
    github,
    kube,
    sha,
    kubeconfigPath,
    run: (inputs = {}, runOptions = {}) =>
      runAction({
        tempRoot: dir,
        ...runOptions,
        inputs: Object.fromEntries(Object.entries({ ...base, ...inputs }).filter(([, v]) => v !== undefined)),
        env: { GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: github.graphqlUrl, ...runOptions.env },
      }),
    stop: async () => {
      await Promise.all([github.stop(), kube.stop()]);
      // The kubeconfig and every run's workspace (made under `dir`): a test run leaves nothing in /tmp.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The GitHub writes a run made, as `METHOD path` lines. */
export function githubWrites(world: World): string[] {
  return world.github.writes().map((r) => `${r.method} ${r.path}`);
}
