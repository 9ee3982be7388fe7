import type { Clock } from '../src/clock.js';
import type { Slo } from '../src/settings.js';
import { bake, type Sample } from '../src/slo/bake.js';
import type { Measurement, SloContext, SloProviderBackend } from '../src/slo/provider.js';

const START = Date.parse('2026-11-26T10:00:00Z');
const slo: Slo = { errorRateMax: 0.005, p95LatencyMs: 300, windowMinutes: 1, intervalSeconds: 30, minRequests: 0, noData: 'breach' };
const context: SloContext = { service: 'checkout-api', namespace: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), step: 25, canaryHash: 'c4n4ry', stableHash: 'st4b1e', slo };
const good: Measurement = { errorRate: 0.001, p95LatencyMs: 120, requests: 900 };
const nothing: Measurement = { errorRate: null, p95LatencyMs: null, requests: null };

/** Time only moves when the code under test sleeps (or a fake provider spends it). */
function fakeClock() {
  let now = START;
  const clock: Clock = {
    now: () => new Date(now),
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      now += ms;
    },
  };
  return { clock, spend: (ms: number) => (now += ms) };
}

/** Answers by elapsed seconds; records when it was asked. */
function fakeProvider(clock: Clock, answer: (elapsedSeconds: number) => Measurement | Promise<Measurement>) {
  const askedAt: number[] = [];
  const provider: SloProviderBackend = {
    name: 'command',
    ping: async () => undefined,
    measure: async () => {
      const elapsed = (clock.now().getTime() - START) / 1000;
      askedAt.push(elapsed);
      return answer(elapsed);
    },
    describe: () => ['fake'],
  };
  return { provider, askedAt };
}

describe('bake', () => {
  it('samples at once, then every interval up to and including the window end', async () => {
    const { clock } = fakeClock();
    const { provider } = fakeProvider(clock, () => good);
    const result = await bake(provider, context, slo, clock);
    expect(result.verdict).toBe('within');
    expect(result.samples.map((s) => s.elapsedSeconds)).toEqual([0, 30, 60]);
    expect(result.startedAt).toBe('2026-11-26T10:00:00.000Z');
    expect(result.endedAt).toBe('2026-11-26T10:01:00.000Z');
    expect(result.breach).toBeUndefined();
  });

  it.each([
    [{ windowMinutes: 1, intervalSeconds: 25 }, [0, 25, 50]],
    [{ windowMinutes: 0.1, intervalSeconds: 1.5 }, [0, 1.5, 3, 4.5, 6]],
    [{ windowMinutes: 0.5, intervalSeconds: 60 }, [0]],
    [{ windowMinutes: 10 / 60, intervalSeconds: 2 }, [0, 2, 4, 6, 8, 10]],
  ])('keeps the last sample at or just before the window end (%o)', async (shape, expected) => {
    const { clock } = fakeClock();
    const { provider } = fakeProvider(clock, () => good);
    const result = await bake(provider, context, { ...slo, ...shape }, clock);
    expect(result.samples.map((s) => s.elapsedSeconds)).toEqual(expected);
  });

  it('fails fast on the first breach, with the metric, its value and its threshold in the sample', async () => {
    const { clock } = fakeClock();
    const { provider, askedAt } = fakeProvider(clock, (t) => (t < 60 ? good : { errorRate: 0.032, p95LatencyMs: 140, requests: 1000 }));
    const seen: Sample[] = [];
    const result = await bake(provider, context, { ...slo, windowMinutes: 5 }, clock, { onSample: (s) => seen.push(s) });
    expect(result.verdict).toBe('breach');
    expect(askedAt).toEqual([0, 30, 60]);
    expect(seen).toEqual(result.samples);
    expect(result.breach).toEqual({
      at: '2026-11-26T10:01:00.000Z',
      elapsedSeconds: 60,
      step: 25,
      errorRate: 0.032,
      p95LatencyMs: 140,
      requests: 1000,
      verdict: 'breach',
      breaches: [{ metric: 'error_rate', value: 0.032, threshold: 0.005 }],
      summary: 'breach: error rate 0.032 > 0.005, p95 140 ms ≤ 300 ms, 1000 requests',
      thresholds: { errorRateMax: 0.005, p95LatencyMs: 300 },
    });
    expect(result.endedAt).toBe('2026-11-26T10:01:00.000Z');
  });

  it('stops at a gate error and fails the step with it', async () => {
    const { clock } = fakeClock();
    const { provider, askedAt } = fakeProvider(clock, (t) => (t === 0 ? good : { ...nothing, gateError: 'Prometheus at http://prom did not answer within 10 s' }));
    const result = await bake(provider, context, { ...slo, windowMinutes: 5 }, clock);
    expect(result.verdict).toBe('breach');
    expect(askedAt).toEqual([0, 30]);
    expect(result.breach).toMatchObject({
      verdict: 'gate-error',
      gateError: 'Prometheus at http://prom did not answer within 10 s',
      breaches: [{ metric: 'gate_error', value: null, threshold: null }],
    });
  });

  it('turns a provider that throws into a gate error instead of crashing the release', async () => {
    const { clock } = fakeClock();
    const { provider } = fakeProvider(clock, () => Promise.reject(new Error('socket hang up')));
    const result = await bake(provider, context, slo, clock);
    expect(result.breach).toMatchObject({ verdict: 'gate-error', gateError: 'command provider failed: socket hang up' });
  });

  it('asks an unavailable backend again within the sample period: one proxy 502 does not abort a healthy canary', async () => {
    const { clock } = fakeClock();
    let calls = 0;
    const { provider, askedAt } = fakeProvider(clock, () => (++calls === 2 ? { ...nothing, unavailable: 'Prometheus answered HTTP 502' } : good));
    const result = await bake(provider, context, slo, clock);
    expect(result.verdict).toBe('within');
    expect(result.samples.map((s) => s.verdict)).toEqual(['within', 'within', 'within']);
    expect(askedAt).toEqual([0, 30, 30.25, 60]);
  });

  it('counts a sample as no data once its period is spent, never as a gate error, and keeps to the schedule', async () => {
    const fake = fakeClock();
    const { provider, askedAt } = fakeProvider(fake.clock, (t) => {
      if (t >= 60) return good;
      fake.spend(9_000);
      return { ...nothing, unavailable: 'Prometheus at http://prom answered HTTP 503' };
    });
    const result = await bake(provider, context, slo, fake.clock, { retryMinTimeoutMs: 1000 });
    expect(result.verdict).toBe('within');
    // Asked, 9 s to fail, 1 s pause, asked, 9 s, 2 s pause, asked, 9 s: the period (30 s) is spent.
    expect(askedAt).toEqual([0, 10, 21, 30, 40, 51, 60]);
    expect(result.samples.map((s) => [s.elapsedSeconds, s.verdict])).toEqual([[0, 'no-data'], [30, 'no-data'], [60, 'within']]);
    expect(result.samples[0]?.summary).toBe('no data: Prometheus at http://prom answered HTTP 503 (asked 3 times within the sample period)');
  });

  it('breaches with no_data when the backend stays unavailable to the end of the window', async () => {
    const { clock } = fakeClock();
    const { provider } = fakeProvider(clock, () => ({ ...nothing, unavailable: 'Prometheus did not answer within 10 s' }));
    const result = await bake(provider, context, { ...slo, windowMinutes: 0.5, intervalSeconds: 30 }, clock);
    expect(result.verdict).toBe('breach');
    expect(result.breach?.breaches).toEqual([{ metric: 'no_data', value: null, threshold: null }]);
  });

  it('breaches with no_data when the window ends without data', async () => {
    const { clock } = fakeClock();
    const { provider } = fakeProvider(clock, () => ({ ...nothing, requests: 12 }));
    const result = await bake(provider, context, { ...slo, minRequests: 100 }, clock);
    expect(result.verdict).toBe('breach');
    expect(result.samples.map((s) => s.verdict)).toEqual(['no-data', 'no-data', 'breach']);
    expect(result.breach).toMatchObject({ elapsedSeconds: 60, breaches: [{ metric: 'no_data', value: 12, threshold: 100 }] });
    expect(result.breach?.summary).toMatch(/^breach: no data at the end of the window and slo.no_data is breach/);
  });

  it('passes a window without data when slo.no_data is pass', async () => {
    const { clock } = fakeClock();
    const { provider } = fakeProvider(clock, () => nothing);
    const result = await bake(provider, context, { ...slo, noData: 'pass' }, clock);
    expect(result.verdict).toBe('within');
    expect(result.samples.map((s) => s.verdict)).toEqual(['no-data', 'no-data', 'no-data']);
  });

  it('judges no data by the last sample only: data arriving late passes, data vanishing at the end breaches', async () => {
    const late = fakeClock();
    const arriving = fakeProvider(late.clock, (t) => (t < 60 ? nothing : good));
    expect((await bake(arriving.provider, context, slo, late.clock)).verdict).toBe('within');

    const early = fakeClock();
    const vanishing = fakeProvider(early.clock, (t) => (t < 60 ? good : nothing));
    const result = await bake(vanishing.provider, context, slo, early.clock);
    expect(result.verdict).toBe('breach');
    expect(result.breach?.breaches).toEqual([{ metric: 'no_data', value: null, threshold: null }]);
  });

  it('keeps to the schedule when measuring is slow', async () => {
    const fake = fakeClock();
    const { provider, askedAt } = fakeProvider(fake.clock, () => {
      fake.spend(20_000);
      return good;
    });
    await bake(provider, context, slo, fake.clock);
    expect(askedAt).toEqual([0, 30, 60]);
  });

  it("follows the provider's own decision (command provider)", async () => {
    const { clock } = fakeClock();
    const { provider } = fakeProvider(clock, (t) => (t < 30 ? { ...nothing, decision: 'within' } : { ...nothing, decision: 'breach' }));
    const result = await bake(provider, context, slo, clock);
    expect(result.breach).toMatchObject({ elapsedSeconds: 30, verdict: 'breach', breaches: [] });
  });

  it('gives the provider the SLO it is judged against', async () => {
    const { clock } = fakeClock();
    const seen: SloContext[] = [];
    const provider: SloProviderBackend = { ...fakeProvider(clock, () => good).provider, measure: async (c) => (seen.push(c), good) };
    const strict = { ...slo, errorRateMax: 0.0001 };
    await bake(provider, context, strict, clock);
    expect(seen[0]?.slo).toBe(strict);
  });

  it('stops when cancelled, with the reason of the signal', async () => {
    const { clock } = fakeClock();
    const { provider, askedAt } = fakeProvider(clock, () => good);
    const controller = new AbortController();
    const reason = new Error('workflow cancelled');
    const run = bake(provider, context, { ...slo, windowMinutes: 5 }, clock, {
      signal: controller.signal,
      onSample: (s) => s.elapsedSeconds === 30 && controller.abort(reason),
    });
    await expect(run).rejects.toBe(reason);
    expect(askedAt).toEqual([0, 30]);
  });
});
