// The command provider's counts (CONTRACT.md, "Counts from the command provider"): the last stdout
// line's `canary` / `stable` objects become counter readings counted from zero (cumulative since
// the step started).
import { advanceCounters, countsOf } from '../src/slo/compare/counts.js';
import { startComparison } from '../src/slo/compare/step.js';
import { compare } from '../src/slo/compare/verdict.js';
import { observedValues } from '../src/slo/command.js';

describe('command provider counts', () => {
  it('reads the contract example, buckets in ms with +Inf', () => {
    const line = JSON.stringify({
      error_rate: 0.0038, p95_latency_ms: 230,
      canary: { requests: 1834, errors: 7, latency_ms_buckets: { 50: 900, 100: 1500, 250: 1800, '+Inf': 1834 } },
      stable: { requests: 35012, errors: 104, latency_ms_buckets: { 50: 20000, 100: 30000, 250: 34800, '+Inf': 35012 } },
    });
    const observed = observedValues(`starting\n${line}\n`);
    expect(observed).toMatchObject({ errorRate: 0.0038, p95LatencyMs: 230, counters: { origin: 'zero' } });
    expect(observed.extra).toBeUndefined();
    expect(countsOf(advanceCounters(undefined, observed.counters!.readings, 'zero'))).toEqual({
      canary: { requests: 1834, errors: 7, buckets: [{ leMs: 50, count: 900 }, { leMs: 100, count: 1500 }, { leMs: 250, count: 1800 }, { leMs: Infinity, count: 1834 }] },
      stable: { requests: 35012, errors: 104, buckets: [{ leMs: 50, count: 20000 }, { leMs: 100, count: 30000 }, { leMs: 250, count: 34800 }, { leMs: Infinity, count: 35012 }] },
    });
  });

  it('treats a count that goes down within the step as a reset, not as negative traffic', () => {
    const at = (requests: number, errors: number) => observedValues(JSON.stringify({ canary: { requests, errors }, stable: { requests: requests * 10, errors } })).counters!;
    let state = advanceCounters(undefined, at(100, 2).readings, 'zero');
    state = advanceCounters(state, at(150, 3).readings, 'zero');
    state = advanceCounters(state, at(20, 1).readings, 'zero');
    expect(countsOf(state)).toEqual({ canary: { requests: 170, errors: 4 }, stable: { requests: 1700, errors: 4 } });
  });

  it('takes a group without `errors` as a missing error count (no data), never as 0 errors', () => {
    const counts = countsOf(advanceCounters(undefined, observedValues('{"canary": {"requests": 1000}, "stable": {"requests": 19000, "errors": 190}}').counters!.readings, 'zero'));
    expect(counts).toEqual({ canary: { requests: 1000 }, stable: { requests: 19000, errors: 190 } });
    const options = { alphaShare: 0.01, alpha: 0.01, tolerance: 0.1, earlyPromote: true, elapsedSeconds: 300, minWindowSeconds: 0 };
    expect(compare(counts, options)).toEqual({ verdict: 'no-data', evidence: [] });
  });

  it('makes a step\'s error comparison no data at a sample without `errors`, whatever was counted before', () => {
    const comparison = startComparison({ errorRateMax: 0.05, p95LatencyMs: 300, windowMinutes: 5, intervalSeconds: 10, minRequests: 0, noData: 'breach', compare: { alpha: 0.01, tolerance: 0.1, earlyPromote: true, minWindowMinutes: 0 } }, 5)!;
    const sample = (json: object, t: number) => comparison.observe({ errorRate: null, p95LatencyMs: null, requests: null, counters: observedValues(JSON.stringify(json)).counters! }, t);
    // 2e6 vs 6e6 requests at 0.1% errors: shown within a 10% tolerance, promoted early.
    expect(sample({ canary: { requests: 2e6, errors: 2000 }, stable: { requests: 6e6, errors: 6000 } }, 10).verdict).toBe('pass-early');
    expect(sample({ canary: { requests: 2.1e6 }, stable: { requests: 6.3e6, errors: 6300 } }, 20)).toMatchObject({ verdict: 'no-data', evidence: [] });
    expect(sample({ canary: { requests: 2.2e6, errors: 2200 }, stable: { requests: 6.6e6, errors: 6600 } }, 30).verdict).toBe('pass-early');
  });

  it('gives no counts when a group is missing or its requests are not a count (no data)', () => {
    expect(countsOf(advanceCounters(undefined, observedValues('{"canary": {"requests": 10, "errors": 1}}').counters!.readings, 'zero'))).toBeUndefined();
    expect(observedValues('{"canary": {"requests": "10"}, "stable": {"requests": -1}}').counters).toBeUndefined();
    expect(observedValues('{"error_rate": 0.01}').counters).toBeUndefined();
  });
});
