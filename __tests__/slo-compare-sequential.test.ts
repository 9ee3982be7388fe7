// The sequential test against exact references (the grid mixture of binomial likelihood ratios,
// computed once in double precision from p(r) = r·n / (r·n + m) and written here) and, by seeded
// simulation, against its promise: read after every interval, whatever the traffic share does from
// one interval to the next, it rejects a true null at most alpha of the time.
import { EMPTY_STREAM, extend, type IntervalEvents, logEvidence, logMixture, ratioInterval, shareTerms } from '../src/slo/compare/sequential.js';
import { binomial, poisson, seededRandom } from '../sim/metrics/traffic.js';

describe('grid mixture e-values, interval by interval', () => {
  const one = (canaryEvents: number, stableEvents: number, canaryRequests: number, stableRequests: number): IntervalEvents => ({ canaryEvents, stableEvents, canaryRequests, stableRequests });

  it.each([
    [[one(7, 40, 1000, 19000)], 1.1, 1.3888307985531507, -1.170588412964056],
    [[one(3, 60, 1000, 19000)], 1.1, -0.6520313240339947, -0.38726277076434246],
    // Two intervals at different shares (25% then 5%): each scored at its own.
    [[one(30, 70, 500, 1500), one(2, 40, 100, 1900)], 1, -0.223900439998732, -1.350665902890665],
    [[], 1.1, 0, 0],
  ])('%j at r0 = %p matches the reference', (intervals, r0, above, below) => {
    const e = logEvidence(intervals, r0);
    expect(e.above).toBeCloseTo(above, 9);
    expect(e.below).toBeCloseTo(below, 9);
  });

  it('grows with canary events and falls as the boundary rises', () => {
    expect(logEvidence([one(12, 60, 1000, 19000)], 1.1).above).toBeGreaterThan(logEvidence([one(6, 60, 1000, 19000)], 1.1).above);
    expect(logEvidence([one(12, 60, 1000, 19000)], 2).above).toBeLessThan(logEvidence([one(12, 60, 1000, 19000)], 1.1).above);
  });

  it('gives the same evidence kept as running sums as recomputed from the intervals', () => {
    const intervals = [one(5, 20, 400, 1600), one(0, 0, 10, 10), one(9, 90, 100, 1900)];
    const stream = intervals.reduce((s, i) => extend(s, i, shareTerms(i.canaryRequests, i.stableRequests, 1.1)), EMPTY_STREAM);
    expect(logMixture(stream.sums.worse)).toBeCloseTo(logEvidence(intervals, 1.1).above, 12);
    expect(logMixture(stream.sums.within)).toBeCloseTo(logEvidence(intervals, 1.1).below, 12);
  });
});

/**
 * One release: 30 intervals, the canary's share falling from 30% to 5% and stable's event rate
 * falling tenfold; the canary's rate is `ratio` × stable's; the e-value read after every interval.
 */
function everRejects(random: () => number, ratio: number, r0: number, alpha: number, side: 'above' | 'below'): boolean {
  let stream = EMPTY_STREAM;
  for (let t = 0; t < 30; t += 1) {
    const share = 0.3 - (0.25 * t) / 29;
    const rate = 0.02 - (0.018 * t) / 29;
    const n = poisson(random, 2000);
    const nc = binomial(random, n, share);
    stream = extend(stream, { canaryRequests: nc, stableRequests: n - nc, canaryEvents: binomial(random, nc, Math.min(1, ratio * rate)), stableEvents: binomial(random, n - nc, rate) }, shareTerms(nc, n - nc, r0));
    if (logMixture(side === 'above' ? stream.sums.worse : stream.sums.within) >= Math.log(1 / alpha)) return true;
  }
  return false;
}

describe('anytime-valid: simulated type-I error under continuous monitoring, the share moving', () => {
  const alpha = 0.05;
  const runs = 600;

  it('at the boundary (canary exactly 1 + tolerance × stable) rejects at most alpha of the time', () => {
    const random = seededRandom(9);
    let rejected = 0;
    for (let i = 0; i < runs; i += 1) if (everRejects(random, 1.1, 1.1, alpha, 'above')) rejected += 1;
    expect(rejected / runs).toBeLessThanOrEqual(alpha);
  });

  it('inside the null (a canary better than stable) rejects less often still', () => {
    const random = seededRandom(10);
    let rejected = 0;
    for (let i = 0; i < runs; i += 1) if (everRejects(random, 0.8, 1.1, alpha, 'above')) rejected += 1;
    expect(rejected / runs).toBeLessThanOrEqual(alpha / 2);
  });

  it('the promotion side, at its boundary, also stays under alpha', () => {
    const random = seededRandom(11);
    let rejected = 0;
    for (let i = 0; i < runs; i += 1) if (everRejects(random, 1.1, 1.1, alpha, 'below')) rejected += 1;
    expect(rejected / runs).toBeLessThanOrEqual(alpha);
  });

  it('detects a threefold rate almost always', () => {
    const random = seededRandom(12);
    let rejected = 0;
    for (let i = 0; i < 200; i += 1) if (everRejects(random, 3, 1.1, alpha, 'above')) rejected += 1;
    expect(rejected / 200).toBeGreaterThan(0.95);
  });
});

describe('confidence sequence for the rate ratio', () => {
  it('covers the true ratio at every look in at least 1 − 2·alpha of runs', () => {
    const random = seededRandom(13);
    const truth = 2;
    let missed = 0;
    const runs = 150;
    for (let i = 0; i < runs; i += 1) {
      const intervals: IntervalEvents[] = [];
      for (let t = 1; t <= 6; t += 1) {
        const nc = poisson(random, 100 + 50 * t);
        const ns = poisson(random, 1900);
        intervals.push({ canaryRequests: nc, stableRequests: ns, canaryEvents: binomial(random, nc, truth * 0.01), stableEvents: binomial(random, ns, 0.01) });
        const { lower, upper } = ratioInterval(intervals, 0.05, 0.05);
        if (truth < lower || truth > upper) {
          missed += 1;
          break;
        }
      }
    }
    expect(missed / runs).toBeLessThanOrEqual(0.1);
  });

  it('is unbounded on a side the data cannot bound yet, and narrows with data', () => {
    const at = (x: number, y: number) => [{ canaryEvents: x, stableEvents: y, canaryRequests: 25_000, stableRequests: 75_000 }];
    expect(ratioInterval([], 0.01, 0.01)).toEqual({ lower: 0, upper: Infinity });
    expect(ratioInterval(at(20, 0), 0.01, 0.01).upper).toBe(Infinity);
    const few = ratioInterval(at(10, 10), 0.01, 0.01);
    const many = ratioInterval(at(1000, 1000), 0.01, 0.01);
    expect(many.lower).toBeGreaterThan(few.lower);
    expect(many.upper).toBeLessThan(few.upper);
    // 1000 vs 1000 events at a 25% share: the canary's rate is 3× stable's.
    expect(many.lower).toBeLessThan(3);
    expect(many.upper).toBeGreaterThan(3);
    expect(many.upper / many.lower).toBeLessThan(1.5);
  });
});
