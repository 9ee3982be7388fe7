// The comparison's pure modules: errors, latency, the verdict after each sample, and counts from
// counter readings. Fed counts, returning evidence (STYLE.md).
import { advanceCounters, countsOf, type CounterReading } from '../src/slo/compare/counts.js';
import { errorEvidence } from '../src/slo/compare/errors.js';
import { cumulativeAt, latencyEvidence } from '../src/slo/compare/latency.js';
import { startComparison } from '../src/slo/compare/step.js';
import type { Bucket, CompareCounts } from '../src/slo/compare/types.js';
import { alphaPerStep, compare, type CompareOptions } from '../src/slo/compare/verdict.js';
import type { Slo } from '../src/settings.js';
import { binomial, drawBuckets, poisson, seededRandom } from '../sim/metrics/traffic.js';

const levels = { breachAlpha: 0.005, promoteAlpha: 0.01, tolerance: 0.1 };
const options: CompareOptions = { alphaShare: 0.01, alpha: 0.01, tolerance: 0.1, earlyPromote: true, elapsedSeconds: 300, minWindowSeconds: 60 };
const BOUNDS = [25, 50, 75, 100, 125, 150, 175, 200, 225, 250, 275, 300];

/** Expected bucket counts of n requests uniform on [0, maxMs] (piecewise linear: interpolation is exact). */
function uniformBuckets(n: number, maxMs: number): Bucket[] {
  return [...BOUNDS.map((le) => ({ leMs: le, count: n * Math.min(1, le / maxMs) })), { leMs: Infinity, count: n }];
}

describe('errors', () => {
  it('estimates the rate ratio and its interval from counts', () => {
    const counts: CompareCounts = { canary: { requests: 1000, errors: 30 }, stable: { requests: 19000, errors: 190 } };
    const e = errorEvidence(counts, levels)!;
    expect(e.estimate).toBeCloseTo(3, 10);
    expect(e.lower!).toBeGreaterThan(1.1);
    expect(e.lower!).toBeLessThan(3);
    expect(e.upper!).toBeGreaterThan(3);
    expect(e.logEWorse).toBeGreaterThan(Math.log(1 / 0.005));
    expect(e).toMatchObject({ metric: 'error_rate', boundary: 1.1, canaryEvents: 30, stableEvents: 190 });
  });

  it('gives no evidence without requests on either side (no data, never a pass)', () => {
    expect(errorEvidence({ canary: { requests: 0, errors: 0 }, stable: { requests: 500, errors: 1 } }, levels)).toBeUndefined();
    expect(compare({ canary: { requests: 0, errors: 0 }, stable: { requests: 500, errors: 1 } }, options).verdict).toBe('no-data');
    expect(compare(undefined, options).verdict).toBe('no-data');
  });

  it('never calls a canary better than stable worse, however much data', () => {
    const counts: CompareCounts = { canary: { requests: 1e6, errors: 500 }, stable: { requests: 3e6, errors: 3000 } };
    expect(errorEvidence(counts, levels)!.logEWorse).toBeLessThan(0);
  });

  it('clamps counts an extrapolating backend puts out of range', () => {
    const e = errorEvidence({ canary: { requests: 10, errors: 10.4 }, stable: { requests: 100, errors: -0.2 } }, levels)!;
    expect(e.canaryEvents).toBe(10);
    expect(e.stableEvents).toBe(0);
    expect(e.estimate).toBeNull();
  });
});

describe('latency', () => {
  it('interpolates cumulative counts linearly between bounds, from 0 ms below the first', () => {
    const buckets = [{ leMs: 50, count: 100 }, { leMs: 100, count: 300 }, { leMs: Infinity, count: 400 }];
    expect(cumulativeAt(buckets, 25)).toBe(50);
    expect(cumulativeAt(buckets, 75)).toBe(200);
    expect(cumulativeAt(buckets, 100)).toBe(300);
    expect(cumulativeAt(buckets, 150)).toBe(300);
  });

  it('finds a canary 60% slower, and names the bound and the shares', () => {
    const counts: CompareCounts = {
      canary: { requests: 2000, errors: 0, buckets: uniformBuckets(2000, 320) },
      stable: { requests: 38000, errors: 0, buckets: uniformBuckets(38000, 200) },
    };
    const e = latencyEvidence(counts, levels)!;
    expect(e.metric).toBe('latency');
    expect(e.logEWorse).toBeGreaterThan(Math.log(1 / 0.005));
    expect(e.boundMs).toBeDefined();
    expect(e.estimate!).toBeGreaterThan(1);
    expect(compare(counts, options)).toMatchObject({ verdict: 'breach', decidedBy: { metric: 'latency' } });
  });

  it('shows an identical canary within tolerance once there is enough data, and promotes early', () => {
    const counts: CompareCounts = {
      canary: { requests: 60000, errors: 600, buckets: uniformBuckets(60000, 200) },
      stable: { requests: 180000, errors: 1800, buckets: uniformBuckets(180000, 200) },
    };
    const e = latencyEvidence(counts, levels)!;
    expect(e.logEWorse).toBeLessThan(0);
    expect(e.logEWithin).toBeGreaterThan(Math.log(1 / 0.01));
    expect(compare(counts, { ...options, tolerance: 0.5 }).verdict).toBe('pass-early');
  });

  it('has no latency evidence without buckets (errors alone are compared)', () => {
    const counts: CompareCounts = { canary: { requests: 100, errors: 1 }, stable: { requests: 1000, errors: 10 } };
    expect(latencyEvidence(counts, levels)).toBeUndefined();
    expect(compare(counts, options).evidence.map((e) => e.metric)).toEqual(['error_rate']);
  });

  it('at the tolerance boundary (canary exactly 1.1× slower) aborts at most alpha of releases, read every sample', () => {
    const random = seededRandom(21);
    const releases = 200;
    let aborted = 0;
    const shares = (n: number, maxMs: number) => {
      const counts = drawBuckets(random, n, BOUNDS, (ms) => Math.min(1, ms / maxMs));
      return [...BOUNDS.map((le, i) => ({ leMs: le, count: counts[i]! })), { leMs: Infinity, count: n }];
    };
    for (let r = 0; r < releases; r += 1) {
      const canary = { requests: 0, errors: 0, buckets: shares(0, 220) };
      const stable = { requests: 0, errors: 0, buckets: shares(0, 200) };
      for (let sample = 0; sample < 15; sample += 1) {
        const nc = poisson(random, 30);
        const ns = poisson(random, 570);
        const add = (into: Bucket[], fresh: Bucket[]) => into.map((b, i) => ({ leMs: b.leMs, count: b.count + fresh[i]!.count }));
        canary.buckets = add(canary.buckets, shares(nc, 220));
        stable.buckets = add(stable.buckets, shares(ns, 200));
        canary.requests += nc;
        stable.requests += ns;
        const verdict = compare({ canary, stable }, { ...options, alphaShare: 0.1, earlyPromote: false, interval: false }).verdict;
        if (verdict === 'breach') {
          aborted += 1;
          break;
        }
      }
    }
    // alphaShare 0.1 gives each metric 0.05.
    expect(aborted / releases).toBeLessThanOrEqual(0.05);
  });
});

describe('the verdict after each sample', () => {
  const aa: CompareCounts = { canary: { requests: 2e6, errors: 2000 }, stable: { requests: 6e6, errors: 6000 } };

  it('passes early only when asked, and not before min_window_minutes', () => {
    expect(compare(aa, { ...options, tolerance: 0.2 }).verdict).toBe('pass-early');
    expect(compare(aa, { ...options, tolerance: 0.2, earlyPromote: false }).verdict).toBe('continue');
    expect(compare(aa, { ...options, tolerance: 0.2, elapsedSeconds: 59 }).verdict).toBe('continue');
  });

  it('continues while the evidence is thin either way', () => {
    expect(compare({ canary: { requests: 500, errors: 1 }, stable: { requests: 9500, errors: 19 } }, options).verdict).toBe('continue');
  });

  it('breaches on a threefold error rate, naming the metric', () => {
    const result = compare({ canary: { requests: 1000, errors: 30 }, stable: { requests: 19000, errors: 190 } }, options);
    expect(result.verdict).toBe('breach');
    expect(result.decidedBy?.metric).toBe('error_rate');
  });

  it('shares the release alpha equally across the steps that compare (100% compares nothing)', () => {
    expect(alphaPerStep(0.01, [5, 25, 100])).toBe(0.005);
    expect(alphaPerStep(0.01, [100])).toBe(0.01);
  });

  it('keeps the whole release under alpha: A/A releases of two steps, simulated, read every 10 s', () => {
    const random = seededRandom(22);
    const releases = 400;
    const alpha = 0.05;
    let aborted = 0;
    for (let r = 0; r < releases; r += 1) {
      let abortedHere = false;
      for (const weight of [5, 25]) {
        let counts: CompareCounts = { canary: { requests: 0, errors: 0 }, stable: { requests: 0, errors: 0 } };
        for (let t = 10; t <= 300 && !abortedHere; t += 10) {
          const n = poisson(random, 1000);
          const nc = binomial(random, n, weight / 100);
          counts = {
            canary: { requests: counts.canary.requests + nc, errors: counts.canary.errors! + binomial(random, nc, 0.01) },
            stable: { requests: counts.stable.requests + n - nc, errors: counts.stable.errors! + binomial(random, n - nc, 0.01) },
          };
          const verdict = compare(counts, { ...options, alpha, alphaShare: alphaPerStep(alpha, [5, 25, 100]), earlyPromote: false, interval: false }).verdict;
          if (verdict === 'breach') abortedHere = true;
        }
      }
      if (abortedHere) aborted += 1;
    }
    expect(aborted / releases).toBeLessThanOrEqual(alpha);
  });
});

describe('the canary\'s traffic share changing within a step (no traffic routing: stable scales out)', () => {
  // Weight 5 without a traffic router: one canary pod against stable pods an HPA scales from 4 to
  // 19 between minutes 2 and 3 of the 5-minute step, so the canary's share falls from 20% to 5%,
  // while the error rate of both versions falls from 1% to 0.1% (overload errors go as stable
  // scales out). An identical canary (A/A), read every 10 s through the bake's own entry point,
  // counts from the command provider. Pooling the step's counts (the share from its totals, the
  // code before this test) aborted 50 and 300 of these 300 releases.
  const slo: Slo = { errorRateMax: 0.05, p95LatencyMs: 300, windowMinutes: 5, intervalSeconds: 10, minRequests: 0, noData: 'breach', compare: { alpha: 0.01, tolerance: 0.1, earlyPromote: false, minWindowMinutes: 5 } };

  function falseAborts(rps: number, releases: number, seed: number): number {
    const random = seededRandom(seed);
    let aborted = 0;
    for (let r = 0; r < releases; r += 1) {
      const comparison = startComparison(slo, 5, [5, 100], { interval: false })!;
      const canary = { requests: 0, errors: 0 };
      const stable = { requests: 0, errors: 0 };
      for (let t = 10; t <= 300; t += 10) {
        const progress = Math.min(1, Math.max(0, (t - 120) / 60));
        const share = 1 / (1 + 4 + 15 * progress);
        const errorRate = 0.01 * 10 ** -progress;
        const n = poisson(random, rps * 10);
        const nc = binomial(random, n, share);
        canary.requests += nc;
        canary.errors += binomial(random, nc, errorRate);
        stable.requests += n - nc;
        stable.errors += binomial(random, n - nc, errorRate);
        const readings: CounterReading[] = [
          { series: 'canary', group: 'canary', kind: 'requests', value: canary.requests }, { series: 'canary', group: 'canary', kind: 'errors', value: canary.errors },
          { series: 'stable', group: 'stable', kind: 'requests', value: stable.requests }, { series: 'stable', group: 'stable', kind: 'errors', value: stable.errors },
        ];
        if (comparison.observe({ errorRate: null, p95LatencyMs: null, requests: canary.requests, counters: { origin: 'zero', readings } }, t).verdict === 'breach') {
          aborted += 1;
          break;
        }
      }
    }
    return aborted;
  }

  it.each([
    [200, 91],
    [2000, 92],
  ])('at %p rps, an identical canary is falsely aborted in at most alpha of 300 releases', (rps, seed) => {
    expect(falseAborts(rps, 300, seed) / 300).toBeLessThanOrEqual(0.01);
  });
});

describe('counts from counter readings', () => {
  const read = (series: string, group: 'canary' | 'stable', kind: CounterReading['kind'], value: number, leMs?: number): CounterReading => ({ series, group, kind, value, ...(leMs !== undefined ? { leMs } : {}) });

  it('counts from the first reading, survives a counter reset, and keeps what a vanished pod served', () => {
    let state = advanceCounters(undefined, [read('c1', 'canary', 'requests', 1000), read('s1', 'stable', 'requests', 50000)], 'first-reading');
    expect(countsOf(state)).toEqual({ canary: { requests: 0, errors: 0 }, stable: { requests: 0, errors: 0 } });
    state = advanceCounters(state, [read('c1', 'canary', 'requests', 1100), read('s1', 'stable', 'requests', 52000)], 'first-reading');
    // c1 restarted (1100 → 40), a new canary pod c2 started (all of its 30 are new); s1 is gone.
    state = advanceCounters(state, [read('c1', 'canary', 'requests', 40), read('c2', 'canary', 'requests', 30)], 'first-reading');
    expect(countsOf(state)).toEqual({ canary: { requests: 170, errors: 0 }, stable: { requests: 2000, errors: 0 } });
  });

  it('counts from zero for a backend that reports since the step started, and sums buckets across pods', () => {
    const state = advanceCounters(undefined, [
      read('a', 'canary', 'requests', 10), read('a', 'canary', 'errors', 1), read('a50', 'canary', 'bucket', 6, 50), read('aInf', 'canary', 'bucket', 10, Infinity),
      read('b50', 'canary', 'bucket', 2, 50), read('b', 'canary', 'requests', 3), read('bInf', 'canary', 'bucket', 3, Infinity),
      read('s', 'stable', 'requests', 100),
    ], 'zero');
    expect(countsOf(state)).toEqual({
      canary: { requests: 13, errors: 1, buckets: [{ leMs: 50, count: 8 }, { leMs: Infinity, count: 13 }] },
      stable: { requests: 100, errors: 0 },
    });
  });

  it('is no data while a group has no request counter at all', () => {
    expect(countsOf(advanceCounters(undefined, [read('s', 'stable', 'requests', 100)], 'zero'))).toBeUndefined();
    expect(countsOf(undefined)).toBeUndefined();
  });
});
