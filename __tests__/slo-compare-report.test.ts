// The report's "Canary vs stable" section and deploy-result.json's figures, from real bakes.
import type { Clock } from '../src/clock.js';
import type { Settings, Slo } from '../src/settings.js';
import { bake, type BakeResult } from '../src/slo/bake.js';
import type { Measurement, SloContext, SloProviderBackend } from '../src/slo/provider.js';
import { comparisonSection, sampleComparisonJson, stepComparisonJson } from '../src/report/verdict.js';

const START = Date.parse('2026-11-26T10:00:00Z');
const slo: Slo = {
  errorRateMax: 0.005, p95LatencyMs: 300, windowMinutes: 5, intervalSeconds: 15, minRequests: 0, noData: 'breach',
  compare: { alpha: 0.01, tolerance: 0.1, earlyPromote: true, minWindowMinutes: 1 },
};
const settings = { slo } as unknown as Settings;

async function bakeWith(canaryErrorRatio: number, stableErrorRatio: number, rps: number, step = 5): Promise<BakeResult> {
  let now = START;
  const clock: Clock = { now: () => new Date(now), sleep: async (ms) => void (now += ms) };
  const provider: SloProviderBackend = {
    name: 'command', ping: async () => undefined, describe: () => [],
    measure: async (): Promise<Measurement> => {
      const t = (now - START) / 1000;
      const c = rps * 0.05 * t;
      const s = rps * 0.95 * t;
      return {
        errorRate: canaryErrorRatio, p95LatencyMs: 100, requests: c,
        counters: { origin: 'zero', readings: [
          { series: 'c', group: 'canary', kind: 'requests', value: c }, { series: 'c', group: 'canary', kind: 'errors', value: c * canaryErrorRatio },
          { series: 's', group: 'stable', kind: 'requests', value: s }, { series: 's', group: 'stable', kind: 'errors', value: s * stableErrorRatio },
        ] },
      };
    },
  };
  const context: SloContext = { service: 'api', namespace: 'prod', version: 'v1.0.0', sha: 'a'.repeat(40), step, canaryHash: 'c', stableHash: 's', slo };
  return bake(provider, context, slo, clock, { releaseWeights: [5, 25, 100] });
}

describe('Canary vs stable in the report', () => {
  it('states a comparison breach in plain words, with the figures and a chart in an explicit palette', async () => {
    const breached = await bakeWith(0.003, 0.001, 3000);
    const section = comparisonSection([{ weight: 5, bake: breached }], settings);
    expect(section).toMatch(/^## Canary vs stable\n/);
    expect(section).toContain('at most 0.01 over the whole release (0.005 per step, 0.0025 per metric)');
    expect(section).toMatch(/### 5%: ABORTED — canary worse than stable beyond tolerance: canary error rate 3× stable's, 99% interval [\d.]+–[\d.]+× \(tolerance 1.1×\), after \d+ s/);
    expect(section).toContain('| error rate | 3× |');
    expect(section).toContain('"plotColorPalette": "#e8590c, #1c7ed6, #1c7ed6, #868e96"');
    expect(section).toContain('title "Error rate, canary ÷ stable, at 5%"');
  });

  it('says when a step was promoted early, and is empty without a comparison', async () => {
    const early = await bakeWith(0.004, 0.004, 400_000);
    expect(early.endedEarly).toBe(true);
    expect(comparisonSection([{ weight: 5, bake: early }], settings)).toMatch(/### 5%: promoted early after 60 s of 300 s: shown within tolerance/);
    const full = await bakeWith(0.001, 0.001, 400, 100);
    expect(comparisonSection([{ weight: 100, bake: full }], settings)).toBe('');
    expect(comparisonSection([{ weight: 5, bake: early }], { slo: { ...slo, compare: undefined } } as unknown as Settings)).toBe('');
  });

  it('puts the figures in deploy-result.json', async () => {
    const breached = await bakeWith(0.003, 0.001, 3000);
    expect(stepComparisonJson(breached)).toEqual({ comparison: { alpha: 0.01, alpha_share: 0.005, tolerance: 0.1, ended_early: false } });
    const figures = sampleComparisonJson(breached.breach!) as { comparison: { verdict: string; metrics: Array<Record<string, unknown>> } };
    expect(figures.comparison.verdict).toBe('breach');
    expect(figures.comparison.metrics[0]).toMatchObject({ metric: 'error_rate', estimate: expect.closeTo(3, 6), boundary: 1.1, e_value_worse: expect.any(Number) });
    expect((figures.comparison.metrics[0]!.e_value_worse as number)).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(JSON.stringify(figures))).toEqual(figures);
  });
});
