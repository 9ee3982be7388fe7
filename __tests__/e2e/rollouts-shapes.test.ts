// Rollouts as teams write them, end to end through dist/index.js: every fixture shape of
// sim/kube/fixtures/rollouts (one per shape of steps and strategy found in Argo's own manifests)
// with canary-steps auto. First the preflight verdict with the contract's default SLO (window
// 5 min, a sample every 30 s) — accepted, or refused for the reason the contract prescribes with its
// fix in the message — printed as a tally; then every accepted shape released on the simulated
// cluster (with a short SLO window, and timed pauses shortened to match it), and rolled back from a
// breach at its first gate. One namespace per fixture: several share an AnalysisTemplate's name.
import { FIXTURES, loadFixture, type Fixture, type RefusalReason } from '../../sim/kube/fixtures/rollouts/index.js';
import type { KObject } from '../../sim/kube/types.js';
import { startWorld, type World } from '../../sim/world.js';

const DEFAULT_SLO = '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 5, interval_seconds: 30}';

/** The contract's refusal a preflight message stands for. */
function reasonsIn(text: string): RefusalReason[] {
  const found: RefusalReason[] = [];
  if (/shorter than the SLO window .* make it `pause: \{\}` or at least `/.test(text)) found.push('timed-pause-too-short');
  if (/is held by no pause, analysis or experiment .* Add `pause: \{\}` after it/.test(text)) found.push('unheld-set-weight');
  if (/no traffic routing: at its first gate, .*Set `spec.replicas: \d+` \(or more\), or set `allow-coarse-canary: true`/.test(text)) found.push('coarse-canary');
  if (/Deployment .*workloadRef.* still asks for \d+ pods? \(spec\.replicas: \d+\).*Scale it to 0/.test(text)) found.push('workload-deployment-has-replicas');
  if (/does not use the canary strategy/.test(text)) found.push('not-canary');
  return found;
}

function image(name: string): string {
  return `ghcr.io/acme/${name}`;
}

function inputs(fixture: Fixture, extra: Record<string, string> = {}): Record<string, string> {
  return { service: fixture.name, namespace: fixture.name, container: fixture.name, image: image(fixture.name), 'lock-wait-minutes': '0', ...extra };
}

describe('every fixture shape with canary-steps auto and the default SLO: accepted, or refused with its fix', () => {
  let world: World;
  const tally: Record<string, string[]> = { accepted: [] };
  beforeAll(async () => {
    world = await startWorld({ rollout: false });
    for (const f of FIXTURES) world.kube.addManifests(loadFixture(f.name), { namespace: f.name, image: `${image(f.name)}:v1` });
  });
  afterAll(async () => {
    const lines = Object.entries(tally).map(([k, v]) => `${k}: ${v.length} (${v.join(', ')})`);
    console.log(`Fixture shapes with canary-steps auto, default SLO (${Object.values(tally).flat().length} Rollouts):\n${lines.join('\n')}`);
    await world?.stop();
  });

  it.each(FIXTURES.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const run = await world.run(inputs(fixture, { 'dry-run': 'true', slo: DEFAULT_SLO }));
    const text = `${run.report()}\n${run.stdout}`;
    const reasons = [...new Set(run.code === 0 ? [] : reasonsIn(text))];
    if (run.code === 0) tally.accepted!.push(fixture.name);
    for (const r of reasons) (tally[`refused: ${r}`] ??= []).push(fixture.name);
    if (run.code !== 0 && reasons.length === 0) (tally['refused: other'] ??= []).push(fixture.name);
    const expected = [...new Set(fixture.expected.problems.map((p) => p.reason))];
    expect({ code: run.code, reasons: reasons.sort() }).toEqual({ code: fixture.expected.accepted ? 0 : 1, reasons: expected.sort() });
    // Every refusal carries its fix: the duration, or the replica count.
    for (const p of fixture.expected.problems) {
      if (p.fix?.duration) expect(text).toContain(`or at least \`${String(p.fix.duration)}\``);
      if (p.fix?.replicas) expect(text).toContain(`Set \`spec.replicas: ${String(p.fix.replicas)}\``);
    }
  });
});

/** Timed pauses shortened so that they still outlast the short test window (0.6 s + one 0.2 s sample). */
function shortenTimedPauses(docs: KObject[]): KObject[] {
  return docs.map((doc) => {
    const steps = (doc.spec as { strategy?: { canary?: { steps?: Record<string, unknown>[] } } } | undefined)?.strategy?.canary?.steps;
    if (doc.kind !== 'Rollout' || !steps) return doc;
    const short = steps.map((s) => (s.pause && typeof s.pause === 'object' && (s.pause as { duration?: unknown }).duration !== undefined ? { pause: { duration: 3 } } : s));
    const spec = doc.spec as { strategy: { canary: Record<string, unknown> } };
    return { ...doc, spec: { ...spec, strategy: { ...spec.strategy, canary: { ...spec.strategy.canary, steps: short } } } } as KObject;
  });
}

describe('every accepted fixture shape releases end to end', () => {
  let world: World;
  const accepted = FIXTURES.filter((f) => f.expected.accepted);
  beforeAll(async () => {
    world = await startWorld({ rollout: false });
    for (const f of accepted) world.kube.addManifests(shortenTimedPauses(loadFixture(f.name)), { namespace: f.name, image: `${image(f.name)}:v1` });
  });
  afterAll(async () => world?.stop());

  it.each(accepted.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const run = await world.run(inputs(fixture, { 'step-timeout-minutes': '0.5' }));
    expect({ code: run.code, report: run.code === 0 ? '' : run.report() }).toEqual({ code: 0, report: '' });
    expect(run.outputs.result).toBe('released');
    const result = run.json('devops/status/deploy-result.json');
    expect(result.steps.map((s: { weight: number }) => s.weight)).toEqual(fixture.expected.gates);
    const ro = world.kube.getRollout(fixture.name, fixture.name);
    expect(ro.status?.stableRS).toBe(ro.status?.currentPodHash);
    expect(ro.status?.phase).toBe('Healthy');
  });
});

describe('every accepted fixture shape rolls back to its stable ReplicaSet on a breach at its first gate', () => {
  let world: World;
  const accepted = FIXTURES.filter((f) => f.expected.accepted);
  beforeAll(async () => {
    world = await startWorld({ rollout: false });
    for (const f of accepted) world.kube.addManifests(shortenTimedPauses(loadFixture(f.name)), { namespace: f.name, image: `${image(f.name)}:v1` });
  });
  afterAll(async () => world?.stop());

  it.each(accepted.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const stable = world.kube.getRollout(fixture.name, fixture.name).status?.stableRS;
    const sets = world.kube.listReplicaSets(fixture.name).length;
    const first = fixture.expected.gates[0]!;
    // An unscripted step analysis (or experiment) ends Successful in 50 ms, before any SLO sample could be taken (the
    // analysis then decides that weight alone); real ones run for minutes: let them run while we sample.
    const steps = (world.kube.getRollout(fixture.name, fixture.name).spec.strategy?.canary?.steps ?? []) as Record<string, unknown>[];
    steps.forEach((step, stepIndex) => {
      if (step.analysis) world.kube.controller.scriptAnalysis(fixture.name, { namespace: fixture.name, kind: 'Step', stepIndex, phase: 'Successful', afterMs: 10_000 });
      if (step.experiment) world.kube.controller.scriptExperiment(fixture.name, { namespace: fixture.name, phase: 'Successful', afterMs: 10_000 });
    });
    const run = await world.run(inputs(fixture, { 'step-timeout-minutes': '0.5' }), { env: { SLO_PLAN: JSON.stringify({ [String(first)]: { error_rate: 0.5 } }) } });
    expect({ code: run.code, abortedAt: run.outputs['aborted-at-step'] }).toEqual({ code: 3, abortedAt: String(first) });
    expect(run.json('devops/status/deploy-result.json')).toMatchObject({ state: 'slo_breach', rollback: { status: 'rolled-back' } });
    const ro = world.kube.getRollout(fixture.name, fixture.name);
    // Back on the same stable ReplicaSet: a fast rollback, no new ReplicaSet of the old version.
    expect({ phase: ro.status?.phase, stable: ro.status?.stableRS, current: ro.status?.currentPodHash }).toEqual({ phase: 'Healthy', stable, current: stable });
    expect(world.kube.listReplicaSets(fixture.name)).toHaveLength(sets + 1);
  });
});
