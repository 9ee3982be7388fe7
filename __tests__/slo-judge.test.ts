import type { Slo } from '../src/settings.js';
import { judge } from '../src/slo/judge.js';
import type { Measurement } from '../src/slo/provider.js';

const slo: Slo = { errorRateMax: 0.005, p95LatencyMs: 300, windowMinutes: 5, intervalSeconds: 30, minRequests: 0, noData: 'breach' };
const m = (values: Partial<Measurement>): Measurement => ({ errorRate: null, p95LatencyMs: null, requests: null, ...values });

describe('judge', () => {
  it('is within when both metrics are under their thresholds, and equal counts as within', () => {
    expect(judge(m({ errorRate: 0.001, p95LatencyMs: 120, requests: 5400 }), slo)).toEqual({
      verdict: 'within',
      breaches: [],
      summary: 'within: error rate 0.001 ≤ 0.005, p95 120 ms ≤ 300 ms, 5400 requests',
    });
    expect(judge(m({ errorRate: 0.005, p95LatencyMs: 300 }), slo).verdict).toBe('within');
  });

  it('names each metric over its threshold with the observed value and the threshold', () => {
    expect(judge(m({ errorRate: 0.032, p95LatencyMs: 120 }), slo)).toMatchObject({
      verdict: 'breach',
      breaches: [{ metric: 'error_rate', value: 0.032, threshold: 0.005 }],
      summary: 'breach: error rate 0.032 > 0.005, p95 120 ms ≤ 300 ms',
    });
    expect(judge(m({ errorRate: 0.01, p95LatencyMs: 301 }), slo).breaches).toEqual([
      { metric: 'error_rate', value: 0.01, threshold: 0.005 },
      { metric: 'p95_latency_ms', value: 301, threshold: 300 },
    ]);
  });

  it('breaches on latency alone when the error rate is unknown', () => {
    expect(judge(m({ p95LatencyMs: 900 }), slo)).toMatchObject({ verdict: 'breach', breaches: [{ metric: 'p95_latency_ms', value: 900, threshold: 300 }] });
  });

  it('reads no value at all as no data, never as zero', () => {
    expect(judge(m({ requests: 3 }), slo)).toEqual({ verdict: 'no-data', breaches: [], summary: 'no data: error rate n/a, p95 n/a, 3 requests' });
  });

  it('is within on one known metric under its threshold', () => {
    expect(judge(m({ errorRate: 0 }), slo).verdict).toBe('within');
  });

  it('makes a gate error its own verdict', () => {
    expect(judge(m({ gateError: 'Prometheus at http://p did not answer: ECONNREFUSED' }), slo)).toEqual({
      verdict: 'gate-error',
      breaches: [{ metric: 'gate_error', value: null, threshold: null }],
      summary: 'gate error: Prometheus at http://p did not answer: ECONNREFUSED',
    });
  });

  it("lets the provider's decision win, but still lists the values it reported over a threshold", () => {
    const said = judge(m({ decision: 'within', errorRate: 0.02 }), slo);
    expect(said.verdict).toBe('within');
    expect(said.breaches).toEqual([{ metric: 'error_rate', value: 0.02, threshold: 0.005 }]);
    expect(said.summary).toBe('within (decided by the provider): error rate 0.02 > 0.005, p95 n/a');

    expect(judge(m({ decision: 'breach' }), slo)).toMatchObject({ verdict: 'breach', breaches: [] });
    expect(judge(m({ decision: 'breach', p95LatencyMs: 287, extra: { saturation: 0.93 } }), slo).summary).toBe(
      'breach (decided by the provider): error rate n/a, p95 287 ms ≤ 300 ms, saturation 0.93',
    );
  });

  it('shows min_requests next to the request count when it is set', () => {
    expect(judge(m({ errorRate: 0, requests: 1200 }), { ...slo, minRequests: 100 }).summary).toContain('1200 requests (min_requests 100)');
  });
});
