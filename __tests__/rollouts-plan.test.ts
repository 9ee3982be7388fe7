// The plan (rollouts/plan.ts) on every fixture shape (sim/kube/fixtures/rollouts, with the verdict
// the contract prescribes for each) and on the surprising cases of each clause of "Rollouts as
// teams write them".
import { FIXTURES, fixtureRollout } from '../sim/kube/fixtures/rollouts/index.js';
import { compilePlan, describeGate, weightAt, type PlanSettings } from '../src/rollouts/plan.js';
import type { RolloutObject } from '../src/rollouts/observe.js';
import type { Weight } from '../src/settings.js';

const AUTO: PlanSettings = { canarySteps: 'auto', slo: { windowMinutes: 5, intervalSeconds: 30 } };
const W = (...w: number[]) => w as Weight[];

function rollout(steps: unknown[] | undefined, extra: Record<string, unknown> = {}, replicas = 20): RolloutObject {
  return { metadata: { name: 'checkout-api' }, spec: { replicas, strategy: { canary: { ...(steps ? { steps } : {}), ...extra } } } };
}

/** The contract's refusal reason a problem message stands for. */
function reasonOf(problem: string): string {
  if (/shorter than the SLO window/.test(problem)) return 'timed-pause-too-short';
  if (/held by no pause/.test(problem)) return 'unheld-set-weight';
  if (/no traffic routing: at its first gate/.test(problem)) return 'coarse-canary';
  if (/canary-steps asks for/.test(problem)) return 'canary-steps-mismatch';
  return `unknown: ${problem}`;
}

// Checked elsewhere than the plan: the Deployment (preflight reads it) and the strategy.
const NOT_PLAN = new Set(['workload-deployment-has-replicas', 'not-canary']);

describe('compilePlan on every fixture shape (canary-steps: auto, window 5 min, sample 30 s)', () => {
  const canary = FIXTURES.filter((f) => !f.expected.problems.some((p) => p.reason === 'not-canary'));
  it.each(canary.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const compiled = compilePlan(fixtureRollout(fixture.name) as unknown as RolloutObject, AUTO);
    const planReasons = fixture.expected.problems.filter((p) => !NOT_PLAN.has(p.reason));
    // A refused Rollout's gates are only what the plan could make of it; an unheld weight is none.
    if (fixture.expected.accepted) expect(compiled.plan.gates.filter((g) => g.kind !== 'pass').map((g) => g.percent)).toEqual(fixture.expected.gates);
    expect(compiled.ok ? [] : compiled.problems.map(reasonOf)).toEqual(planReasons.map((p) => p.reason));
    if (fixture.expected.firstGateShare !== undefined && !compiled.plan.trafficRouted && planReasons.every((p) => p.reason === 'coarse-canary')) {
      expect(Number(compiled.plan.firstShare!.share.toFixed(1))).toBe(fixture.expected.firstGateShare);
    }
    // Every refusal names its fix.
    for (const p of planReasons) {
      const message = (compiled.ok ? [] : compiled.problems).find((m) => reasonOf(m) === p.reason && (p.step === undefined || m.includes(`step ${p.step + 1}`)))!;
      expect(message).toBeDefined();
      if (p.fix?.duration) expect(message).toContain(`make it \`pause: {}\` or at least \`${p.fix.duration}\``);
      if (p.fix?.replicas) expect(message).toContain(`Set \`spec.replicas: ${p.fix.replicas}\``);
    }
  });
});

describe('compilePlan clause by clause', () => {
  it('setWeight + pause {}: a pause gate promoted by us; 100 after full promotion', () => {
    const { plan } = compilePlan(rollout([{ setWeight: 5 }, { pause: {} }, { setWeight: 25 }, { pause: {} }, { setWeight: 100 }]), AUTO);
    expect(plan.gates.map((g) => [g.kind, g.percent, g.from, g.promote])).toEqual([['pause', 5, 1, [1]], ['pause', 25, 3, [3]], ['full', 100, 5, []]]);
    expect(describeGate(plan.gates[0]!)).toBe('5%: held by `pause: {}` at step 2; SLO gate for the full window, then promote');
  });

  it('a timed pause shorter than window + one sample is refused naming the step and the fix', () => {
    const compiled = compilePlan(rollout([{ setWeight: 20 }, { pause: { duration: '2m' } }, { setWeight: 50 }, { pause: { duration: 600 } }]), AUTO);
    expect(compiled.ok).toBe(false);
    expect(!compiled.ok && compiled.problems).toEqual([
      'Rollout checkout-api step 2 is `pause: {duration: 2m}` after step 1 `setWeight: 20`, shorter than the SLO window (5 min) plus one sample (30 s): make it `pause: {}` or at least `5m30s`',
    ]);
    // Exactly window + interval is enough; a timed gate is left by the controller.
    const ok = compilePlan(rollout([{ setWeight: 20 }, { pause: { duration: '5m30s' } }]), AUTO);
    expect(ok.ok).toBe(true);
    expect(ok.plan.gates[0]).toMatchObject({ kind: 'timed-pause', holdSeconds: 330, promote: [] });
  });

  it('timed pauses at one weight add up; an indefinite pause beside them makes it a pause gate', () => {
    expect(compilePlan(rollout([{ setWeight: 20 }, { pause: { duration: '3m' } }, { pause: { duration: '3m' } }]), AUTO).ok).toBe(true);
    const mixed = compilePlan(rollout([{ setWeight: 20 }, { pause: { duration: '10s' } }, { pause: {} }]), AUTO);
    expect(mixed.ok).toBe(true);
    expect(mixed.plan.gates[0]).toMatchObject({ kind: 'pause', from: 1, promote: [2] });
  });

  it('a setWeight held by nothing before the next setWeight (or the end) is refused', () => {
    const compiled = compilePlan(rollout([{ setWeight: 10 }, { setCanaryScale: { replicas: 2 } }, { setWeight: 30 }, { pause: {} }]), AUTO);
    expect(!compiled.ok && compiled.problems).toEqual([
      'Rollout checkout-api step 1 `setWeight: 10` is held by no pause, analysis or experiment before the next setWeight (step 3): the SLO gate would have no time at 10%. Add `pause: {}` after it (or remove it)',
    ]);
    expect(!compilePlan(rollout([{ setWeight: 10 }, { pause: {} }, { setWeight: 30 }]), AUTO).ok).toBe(true);
  });

  it('an analysis or experiment alone holds its weight: that is the gate', () => {
    const { plan } = compilePlan(rollout([{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }, { setWeight: 40 }, { experiment: { templates: [] } }]), AUTO);
    expect(plan.gates.map((g) => [g.kind, g.percent])).toEqual([['analysis', 20], ['analysis', 40], ['full', 100]]);
    expect(describeGate(plan.gates[0]!)).toContain('analysis at step 2 (success-rate)');
  });

  it('pauses before any setWeight, after setWeight 0 and at 100 hold no traffic: promoted at once, not gates', () => {
    const { plan, ok } = compilePlan(rollout([{ pause: {} }, { setWeight: 0 }, { pause: {} }, { setWeight: 25 }, { pause: {} }, { setWeight: 100 }, { pause: {} }]), AUTO);
    expect(ok).toBe(true);
    expect(plan.gates.map((g) => [g.kind, g.percent, g.promote])).toEqual([['pass', 0, [0]], ['pass', 0, [2]], ['pause', 25, [4]], ['pass', 100, [6]], ['full', 100, []]]);
    // setWeight 0 is not the first gate of the real-share rule.
    expect(plan.firstShare?.percent).toBe(25);
  });

  it('timed pauses holding no traffic delay the next gate: its wait allows for them', () => {
    const { plan } = compilePlan(rollout([{ pause: { duration: '1h' } }, { setWeight: 10 }, { pause: {} }, { setWeight: 100 }, { pause: { duration: 600 } }]), AUTO);
    expect(plan.gates.map((g) => [g.kind, g.leadSeconds])).toEqual([['pause', 3600], ['full', 600]]);
  });

  it('several pauses at one weight share its gate; route, scale and plugin steps are recorded', () => {
    const { plan } = compilePlan(rollout([{ setWeight: 10 }, { setHeaderRoute: { name: 'h' } }, { pause: {} }, { setMirrorRoute: { name: 'm' } }, { pause: {} }, { plugin: { name: 'p' } }]), AUTO);
    expect(plan.gates[0]).toMatchObject({ kind: 'pause', percent: 10, from: 2, to: 5, promote: [2, 4] });
    expect(plan.recorded.map((r) => r.index)).toEqual([1, 3, 5]);
  });

  it('no setWeight below 100: gated only at 100', () => {
    for (const steps of [undefined, [], [{ experiment: {} }], [{ plugin: { name: 'x' } }]]) {
      const { plan, ok } = compilePlan(rollout(steps), AUTO);
      expect(ok).toBe(true);
      expect(plan.gates.map((g) => g.kind)).toEqual(['full']);
    }
  });

  it('background analysis is noted: a failure aborts, inconclusive is a breach', () => {
    const { plan } = compilePlan(rollout([{ setWeight: 20 }, { pause: {} }], { analysis: { templates: [{ templateName: 'bg' }], startingStep: 1 } }), AUTO);
    expect(plan.background).toEqual({ templates: ['bg'], startingStep: 1 });
    expect(plan.notes.join('\n')).toContain('background analysis bg from step 2');
  });

  it('an explicit canary-steps must equal the setWeight sequence, and the message prints both', () => {
    const r = rollout([{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} }]);
    expect(compilePlan(r, { ...AUTO, canarySteps: W(10, 50, 100) }).ok).toBe(true);
    const compiled = compilePlan(r, { ...AUTO, canarySteps: W(5, 25, 100) });
    expect(!compiled.ok && compiled.problems[0]).toBe(
      "Rollout checkout-api's setWeight steps give 10 → 50 → 100%, canary-steps asks for 5 → 25 → 100%. Set canary-steps to `auto` to follow the Rollout, " +
        'or give the Rollout these steps:\nsteps:\n  - setWeight: 5\n  - pause: {}\n  - setWeight: 25\n  - pause: {}\n  - setWeight: 100',
    );
  });

  it('keeps v1: the v1 shape with the v1 list is accepted with the same gates', () => {
    const r = rollout([{ setWeight: 5 }, { pause: {} }, { setWeight: 25 }, { pause: {} }]);
    const compiled = compilePlan(r, { ...AUTO, canarySteps: W(5, 25, 100) });
    expect(compiled.ok).toBe(true);
    expect(compiled.plan.gates.map((g) => [g.kind, g.percent, g.promote])).toEqual([['pause', 5, [1]], ['pause', 25, [3]], ['full', 100, []]]);
  });

  it('the real share of the first gate: refused above max(2·W, W+10) naming a replica count, unless allowed', () => {
    const one = compilePlan(rollout([{ setWeight: 5 }, { pause: {} }], {}, 1), AUTO);
    expect(!one.ok && one.problems).toEqual([
      'Rollout checkout-api has 1 replica and no traffic routing: at its first gate, `setWeight: 5`, Argo runs 1 canary pod of 2, so the canary takes 50% of the traffic, not 5% ' +
        '(the limit is max(2·W, W + 10) = 15%). Set `spec.replicas: 6` (or more), or set `allow-coarse-canary: true` to accept it',
    ]);
    expect(compilePlan(rollout([{ setWeight: 5 }, { pause: {} }], {}, 1), { ...AUTO, allowCoarseCanary: true }).ok).toBe(true);
    // Under traffic routing the router weight is exact.
    expect(compilePlan(rollout([{ setWeight: 5 }, { pause: {} }], { trafficRouting: { nginx: {} } }, 1), AUTO).ok).toBe(true);
  });

  it('maxTrafficWeight scales the weights', () => {
    const { plan } = compilePlan(rollout([{ setWeight: 5 }, { pause: {} }, { setWeight: 250 }, { pause: {} }], { trafficRouting: { nginx: {}, maxTrafficWeight: 1000 } }), AUTO);
    expect(plan.gates.map((g) => [g.weight, g.percent])).toEqual([[5, 0.5], [250, 25], [1000, 100]]);
  });

  it('weightAt: the last setWeight at or before a step, 100 past the last step', () => {
    const { plan } = compilePlan(rollout([{ setWeight: 5 }, { pause: {} }, { setWeight: 25 }, { pause: {} }]), AUTO);
    expect([0, 1, 2, 3, 4].map((i) => weightAt(plan, i))).toEqual([5, 5, 25, 25, 100]);
  });
});
