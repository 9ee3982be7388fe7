// The comparison inside a step's bake: a regression under the absolute thresholds aborts, an A/A
// canary with early_promote ends the step early, never before min_window_minutes; at 100% nothing
// is compared. Counts come as a command provider gives them (cumulative since the step started).
import type { Clock } from '../src/clock.js';
import type { Slo } from '../src/settings.js';
import { bake } from '../src/slo/bake.js';
import type { CounterReading } from '../src/slo/compare/counts.js';
import type { Measurement, SloContext, SloProviderBackend } from '../src/slo/provider.js';

const START = Date.parse('2026-11-26T10:00:00Z');
const base: Slo = { errorRateMax: 0.005, p95LatencyMs: 300, windowMinutes: 5, intervalSeconds: 10, minRequests: 0, noData: 'breach' };
const compareSlo = (over: Partial<NonNullable<Slo['compare']>> = {}, errorRateMax = base.errorRateMax): Slo => ({ ...base, errorRateMax, compare: { alpha: 0.01, tolerance: 0.1, earlyPromote: false, minWindowMinutes: 5, ...over } });
const context = (slo: Slo, step = 5): SloContext => ({ service: 'checkout-api', namespace: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), step, canaryHash: 'c4n4ry', stableHash: 'st4b1e', slo });

function fakeClock(): Clock {
  let now = START;
  return { now: () => new Date(now), sleep: async (ms) => void (now += ms) };
}

/** Expected counts at `rps` total, 5% to the canary, with the given error ratios: cumulative since the step began. */
function provider(clock: Clock, canaryErrorRatio: number, stableErrorRatio: number, rps = 400, withCounts = (_t: number) => true): SloProviderBackend {
  return {
    name: 'command',
    ping: async () => undefined,
    describe: () => ['fake'],
    measure: async (): Promise<Measurement> => {
      const t = (clock.now().getTime() - START) / 1000;
      const canary = rps * 0.05 * t;
      const stable = rps * 0.95 * t;
      const readings: CounterReading[] = [
        { series: 'canary', group: 'canary', kind: 'requests', value: canary },
        { series: 'canary', group: 'canary', kind: 'errors', value: canary * canaryErrorRatio },
        { series: 'stable', group: 'stable', kind: 'requests', value: stable },
        { series: 'stable', group: 'stable', kind: 'errors', value: stable * stableErrorRatio },
      ];
      return { errorRate: canaryErrorRatio, p95LatencyMs: 120, requests: canary, ...(withCounts(t) ? { counters: { origin: 'zero' as const, readings } } : {}) };
    },
  };
}

describe('bake with slo.compare: stable', () => {
  it('aborts a canary with three times stable error rate although it is under error_rate_max, in plain words', async () => {
    const clock = fakeClock();
    const slo = compareSlo();
    const result = await bake(provider(clock, 0.003, 0.001, 2000), context(slo), slo, clock, { releaseWeights: [5, 25, 100] });
    expect(result.verdict).toBe('breach');
    expect(result.comparison).toEqual({ alphaShare: 0.005, alpha: 0.01, tolerance: 0.1 });
    const breach = result.breach!;
    expect(breach.elapsedSeconds).toBeLessThan(300);
    expect(breach.breaches).toEqual([{ metric: 'error_rate_vs_stable', value: expect.closeTo(3, 6), threshold: 1.1 }]);
    expect(breach.summary).toMatch(/^breach: canary worse than stable beyond tolerance: canary error rate 3× stable's, 99% interval [\d.]+–[\d.]+× \(tolerance 1.1×\), after \d+ s$/);
    expect(breach.comparison).toMatchObject({ verdict: 'breach', decidedBy: 'error_rate' });
  });

  it('lets the same canary through with compare: none (the threshold alone cannot see it)', async () => {
    const clock = fakeClock();
    const result = await bake(provider(clock, 0.003, 0.001, 2000), context(base), base, clock);
    expect(result.verdict).toBe('within');
    expect(result.samples).toHaveLength(31);
    expect(result.samples[0]?.comparison).toBeUndefined();
  });

  it('ends an A/A step early with early_promote, not before min_window_minutes', async () => {
    const clock = fakeClock();
    const slo = compareSlo({ earlyPromote: true, minWindowMinutes: 2, tolerance: 0.5 }, 0.05);
    const result = await bake(provider(clock, 0.02, 0.02, 4000), context(slo), slo, clock);
    expect(result.verdict).toBe('within');
    expect(result.endedEarly).toBe(true);
    const last = result.samples.at(-1)!;
    expect(last.elapsedSeconds).toBe(120);
    expect(last.comparison?.verdict).toBe('pass-early');
    // Shown within tolerance before min_window_minutes, yet not promoted then.
    expect(result.samples.filter((s) => s.elapsedSeconds < 120).map((s) => s.comparison?.verdict)).toContain('continue');
  });

  it('runs the full window without early_promote', async () => {
    const clock = fakeClock();
    const slo = compareSlo({ tolerance: 0.5 }, 0.05);
    const result = await bake(provider(clock, 0.02, 0.02, 4000), context(slo), slo, clock);
    expect(result.endedEarly).toBeUndefined();
    expect(result.samples.at(-1)?.elapsedSeconds).toBe(300);
  });

  it('compares nothing at 100%, and never shortens that bake', async () => {
    const clock = fakeClock();
    const slo = compareSlo({ earlyPromote: true, minWindowMinutes: 0, tolerance: 0.5 });
    const result = await bake(provider(clock, 0.003, 0.001), context(slo, 100), slo, clock);
    expect(result.verdict).toBe('within');
    expect(result.comparison).toBeUndefined();
    expect(result.samples.at(-1)?.elapsedSeconds).toBe(300);
    expect(result.samples.every((s) => s.comparison === undefined)).toBe(true);
  });

  it('reads missing counts as no data for the comparison: never a pass, never promoted early', async () => {
    const clock = fakeClock();
    const slo = compareSlo({ earlyPromote: true, minWindowMinutes: 0, tolerance: 0.5 }, 0.05);
    const result = await bake(provider(clock, 0.02, 0.02, 4000, () => false), context(slo), slo, clock);
    expect(result.endedEarly).toBeUndefined();
    expect(result.samples.every((s) => s.comparison?.verdict === 'no-data')).toBe(true);
    // Every threshold sample was within, yet the step is not passed: slo.no_data (breach) decides.
    expect(result.samples.slice(0, -1).every((s) => s.verdict === 'within')).toBe(true);
    expect(result.verdict).toBe('breach');
    expect(result.breach).toMatchObject({ elapsedSeconds: 300, breaches: [{ metric: 'no_data' }] });
    expect(result.breach?.summary).toMatch(/^breach: no comparison with stable at the end of the window .* slo\.no_data is breach/);
  });

  it('passes a step whose comparison had no data only when slo.no_data is pass', async () => {
    const clock = fakeClock();
    const slo: Slo = { ...compareSlo({ tolerance: 0.5 }, 0.05), noData: 'pass' };
    const result = await bake(provider(clock, 0.02, 0.02, 4000, () => false), context(slo), slo, clock);
    expect(result.verdict).toBe('within');
    expect(result.samples).toHaveLength(31);
  });

  it('judges the end of the window on its own counts: counts that stop coming are no data', async () => {
    const clock = fakeClock();
    const slo = compareSlo({ tolerance: 0.5 }, 0.05);
    const result = await bake(provider(clock, 0.02, 0.02, 4000, (t) => t < 200), context(slo), slo, clock);
    expect(result.verdict).toBe('breach');
    expect(result.breach?.breaches).toEqual([{ metric: 'no_data', value: null, threshold: null }]);
  });

  it('lets the absolute thresholds speak first', async () => {
    const clock = fakeClock();
    const slo = compareSlo();
    const result = await bake(provider(clock, 0.03, 0.001), context(slo), slo, clock);
    expect(result.breach?.breaches[0]?.metric).toBe('error_rate');
    expect(result.breach?.elapsedSeconds).toBe(0);
  });
});
