// npm run demo: the action's bundle (dist/index.js) against the simulated world, twice — a clean
// release of v2.14.0 and a release of v2.15.0 whose canary breaches its SLO at 25%. Prints each
// stage as the action reports it, and where the two reports are.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ActionRun } from '../sim/run-action.js';
import { RUN_ID } from '../sim/run-action.js';
import { startWorld, type World } from '../sim/world.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, '.demo');

async function release(world: World, title: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun & { kept: string }> {
  console.log(`\n━━ ${title} ━━`);
  const run = await world.run(inputs, {
    env,
    onLine: (line) => {
      // The action's own progress lines; workflow commands (::set-output and the like) are for the runner.
      // A stage is a group (`::group::▶ canary`); annotations carry a title (`::error title=…::`).
      const command = /^::(group|error|warning|notice)(?: title=([^:]*))?::(.*)$/.exec(line);
      const decode = (text: string) => decodeURIComponent(text.replace(/%0A/g, '\n  │   '));
      if (line.trim() && !line.startsWith('::')) console.log(`  │ ${line}`);
      else if (command?.[1] === 'group') console.log(`  │ ${command[3]}`);
      else if (command) console.log(`  │ ${command[2] ? `${decode(command[2])}: ` : ''}${decode(command[3]!)}`);
    },
  });
  const keep = path.join(OUT, inputs.version ?? 'run');
  rmSync(keep, { recursive: true, force: true });
  mkdirSync(keep, { recursive: true });
  cpSync(run.workspace, keep, { recursive: true });
  const kept = path.relative(ROOT, path.join(keep, run.outputs['report-path'] ?? ''));
  console.log(`  └ exit ${run.code}, result ${run.outputs.result}`);
  return { ...run, kept };
}

if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) {
  console.error('dist/index.js is missing: run `npm run bundle` first.');
  process.exit(1);
}
rmSync(OUT, { recursive: true, force: true });
// A little history for the changelogs: an earlier release, then the PRs of v2.14.0 and v2.15.0.
const world = await startWorld({ ownJob: false });
const { state } = world.github;
state.addTag('v2.13.0', world.sha);
for (const pr of [
  { title: 'feat(cart): remember the cart across devices', user: 'alice' },
  { title: 'fix: round VAT per line, not per order', user: 'bob', labels: ['bug'] },
  { title: 'docs: document the checkout API errors', user: 'carol' },
  { title: 'chore(deps): bump express to 5.1', user: 'dependabot[bot]' },
]) state.addPullRequest({ ...pr, mergeMethod: 'squash' });
const v214 = state.resolve('refs/heads/main')!;
state.addCheckRun({ sha: v214, name: 'build' });
state.addJob(RUN_ID, { name: 'release', status: 'in_progress', runnerName: 'runner-7', sha: v214 });
const SLO = '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.05, interval_seconds: 1}';
console.log(`Simulated GitHub at ${world.github.url}, simulated cluster at ${world.kube.url}.`);
console.log('acme/shop: CI green; Rollout prod/checkout-api Healthy; SLO gate: a check-slo script (command provider), 3 s per step.');
try {
  const good = await release(world, 'v2.14.0: a clean canary 5% → 25% → 100%', { version: 'v2.14.0', sha: v214, slo: SLO, 'create-release': 'true' });
  state.addPullRequest({ title: 'feat!: new checkout flow, drops the v1 cart API', user: 'dave', mergeMethod: 'merge' });
  const v215 = state.resolve('refs/heads/main')!;
  state.addCheckRun({ sha: v215, name: 'build' });
  const bad = await release(world, 'v2.15.0: the canary breaches its error-rate SLO at 25%', { version: 'v2.15.0', sha: v215, digest: `sha256:${'c'.repeat(64)}`, slo: SLO },
    { SLO_PLAN: JSON.stringify({ 25: { error_rate: 0.042, p95_latency_ms: 180 } }) });
  console.log('\nReports:');
  for (const run of [good, bad]) console.log(`  ${(run.outputs.result ?? '?').toUpperCase().padEnd(9)} ${run.kept}`);
  if (bad.outputs['incident-id']) console.log(`  incident  .demo/v2.15.0/incidents/${bad.outputs['incident-id']}.md (and issue ${bad.outputs['incident-url']})`);
  if (good.outputs['release-url']) console.log(`  release   ${good.outputs['release-url']}`);
  const ok = good.code === 0 && bad.code === 3;
  console.log(ok ? '\nBoth releases ended as expected (exit 0, then exit 3 with production back on the stable version).' : '\nUnexpected outcome: see the reports above.');
  process.exitCode = ok ? 0 : 1;
} finally {
  await world.stop();
}
