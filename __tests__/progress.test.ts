// The log a person follows: one line per SLO sample, each value against its threshold, the window left.
import type { Sample } from '../src/slo/bake.js';
import { annotate, sampleLine } from '../src/progress.js';

const base: Sample = {
  at: '2026-11-30T10:00:30.000Z', elapsedSeconds: 30, step: 25, errorRate: 0.002, p95LatencyMs: 120, requests: 1834,
  verdict: 'within', breaches: [], summary: 'within', thresholds: { errorRateMax: 0.005, p95LatencyMs: 300 },
};

describe('sampleLine', () => {
  it('shows each value against its threshold and the time left in the window', () => {
    expect(sampleLine(base, 5)).toBe('  sample 25% +30 s: error rate 0.002 ≤ 0.005 ✓, p95 120 ms ≤ 300 ms ✓, 1834 requests — within; 270 s of the 300 s window left');
  });

  it('marks only the metric that breached, and says the step stops', () => {
    const line = sampleLine({ ...base, errorRate: 0.05, verdict: 'breach', breaches: [{ metric: 'error_rate', value: 0.05, threshold: 0.005 }] }, 5);
    expect(line).toContain('error rate 0.05 > 0.005 ✗');
    expect(line).toContain('p95 120 ms ≤ 300 ms ✓');
    expect(line).toMatch(/— breach; the step stops here$/);
  });

  it('says no data rather than a number, and names a gate error', () => {
    const line = sampleLine({ ...base, errorRate: null, p95LatencyMs: null, requests: null, verdict: 'gate-error', gateError: 'exit 7', breaches: [{ metric: 'gate_error', value: null, threshold: null }] }, 0.5);
    expect(line).toBe('  sample 25% +30 s: error rate no data (threshold 0.005), p95 no data (threshold 300 ms) — gate-error: exit 7; the step stops here');
  });

  it('never shows a negative time left (a timed pause can outlast the window)', () => {
    expect(sampleLine({ ...base, elapsedSeconds: 400 }, 5)).toMatch(/; 0 s of the 300 s window left$/);
    expect(sampleLine({ ...base, elapsedSeconds: 1.25 }, 0.05)).toMatch(/\+1\.3 s: .*; 1\.8 s of the 3 s window left$/);
  });
});

describe('annotations', () => {
  it('titles name what stopped the release, on one line', () => {
    expect(annotate.breach(25, 'error_rate', 'error_rate 0.05 over threshold 0.01 at 25%')).toEqual({ title: 'SLO breach at 25%: error_rate', message: 'error_rate 0.05 over threshold 0.01 at 25%' });
    expect(annotate.preflight('steps do not match\nsteps:\n  - setWeight: 5').title).toBe('Preflight refused: steps do not match');
    expect(annotate.ci('build (failure)').title).toBe('CI gate blocked: build (failure)');
    expect(annotate.canaryStopped(25, 'step_timeout', 'x').title).toBe('Canary stopped at 25% (step timeout)');
    expect(annotate.ci('x'.repeat(300)).title.length).toBe(120);
  });
});
