/**
 * Start the simulator by hand:
 *   npm exec -- tsx sim/kube/cli.ts [--seed prod/checkout-api=ghcr.io/acme/checkout-api:v1[,traffic][,workloadRef]]…
 *     [--fixture analysis-inline[@namespace]]… (a fixture Rollout of fixtures/rollouts, namespace default `default`)
 *     [--kubeconfig .demo/simkube.kubeconfig] [--port 0] [--token T] [--http] [--tick 20] [--pod-ready 30]
 * Prints the URL and writes a kubeconfig for kubectl and the action; Ctrl-C stops it.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFixture } from './fixtures/rollouts/index.js';
import type { RolloutSeed } from './seed.js';
import { SimKube } from './sim.js';

function parseSeed(text: string): RolloutSeed {
  const m = /^([^/]+)\/([^=]+)=([^,]+)((?:,\w+)*)$/.exec(text);
  if (!m) throw new Error(`--seed wants namespace/name=image[,traffic][,workloadRef], got "${text}"`);
  const flags = new Set((m[4] ?? '').split(',').filter(Boolean));
  return {
    namespace: m[1] as string, name: m[2] as string, image: m[3] as string,
    trafficRouting: flags.has('traffic'), workloadRef: flags.has('workloadRef'),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', multiple: true, default: [] },
      fixture: { type: 'string', multiple: true, default: [] },
      kubeconfig: { type: 'string', default: '.demo/simkube.kubeconfig' },
      port: { type: 'string', default: '0' },
      token: { type: 'string' },
      http: { type: 'boolean', default: false },
      tick: { type: 'string', default: '20' },
      'pod-ready': { type: 'string', default: '30' },
    },
  });
  const sim = await SimKube.start({
    port: Number(values.port), token: values.token, tls: !values.http,
    tickMs: Number(values.tick), podReadyMs: Number(values['pod-ready']),
  });
  for (const seed of values.seed ?? []) sim.addRollout(parseSeed(seed));
  for (const spec of values.fixture ?? []) {
    const [name, namespace] = spec.split('@');
    sim.addManifests(loadFixture(name ?? ''), { namespace: namespace || 'default' });
  }
  const path = resolve(values.kubeconfig ?? '.demo/simkube.kubeconfig');
  await mkdir(dirname(path), { recursive: true });
  await sim.writeKubeconfig(path);
  process.stdout.write(`simkube listening on ${sim.url}\nkubeconfig: ${path}\n  export KUBECONFIG=${path}\n`);
  const stop = (): void => {
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
