// The sequential test against exact references (values from SciPy's gammaln/betainc and numerical
// integration of the truncated beta mixture, computed once and written here) and, by seeded
// simulation, against its promise: checked after every event, it rejects a true null at most alpha
// of the time.
import { logBetaTails, logEvidence, logGamma, ratioInterval, shareUnder, splitPrior } from '../src/slo/compare/sequential.js';
import { binomial, seededRandom } from '../sim/metrics/traffic.js';

describe('special functions', () => {
  it.each([
    [1, 0],
    [5, Math.log(24)],
    [0.5, 0.5723649429247],
    [100.5, 361.43554046777757],
    [1e6 + 0.3, 12815508.713800674],
  ])('logGamma(%p)', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, Math.abs(expected) > 1e6 ? 3 : 9);
  });

  it.each([
    [0.3, 2.5, 7.1, -0.43228777240400257, -1.04703338528058],
    [0.05, 1, 19, -0.4737765016428595, -0.9745725933634611],
    [0.9, 300, 20, -4.938478858648624, -0.007191285229874138],
    [0.001, 5, 5000, -0.5792894102919216, -0.8216543380413664],
    // The upper tail is e^-122: computed directly, not lost as 1 − (1 − tiny).
    [0.6, 40000, 30000, 0, -121.8289104403834],
  ])('log I_%p(%p, %p) and its complement', (x, a, b, lower, upper) => {
    const tails = logBetaTails(x, a, b);
    expect(tails.lower).toBeCloseTo(lower, 7);
    expect(tails.upper).toBeCloseTo(upper, 6);
  });
});

describe('truncated beta-binomial mixture e-values', () => {
  it.each([
    [7, 40, 0.0525, 1, 19, 2.181812700786255, -2.194552275414798],
    [3, 60, 0.0525, 1, 19, -0.7097319683980126, -0.7572245679431817],
    [30, 70, 0.25, 5, 15, 0.17080345114695206, -1.6466560696972792],
    [0, 0, 0.3, 6, 14, 0, 0],
  ])('x=%p y=%p p0=%p Beta(%p,%p) matches numerical integration', (x, y, p0, a, b, above, below) => {
    const e = logEvidence(x, y, p0, { a, b });
    expect(e.above).toBeCloseTo(above, 6);
    expect(e.below).toBeCloseTo(below, 6);
  });

  it('grows with canary events and falls as the boundary rises', () => {
    const prior = splitPrior(0.05);
    expect(logEvidence(12, 60, 0.05, prior).above).toBeGreaterThan(logEvidence(6, 60, 0.05, prior).above);
    expect(logEvidence(12, 60, 0.1, prior).above).toBeLessThan(logEvidence(12, 60, 0.05, prior).above);
  });
});

/** Events one at a time, each the canary's with probability p; the e-value read every 3 events. */
function everRejects(random: () => number, p: number, p0: number, events: number, alpha: number, side: 'above' | 'below'): boolean {
  const prior = splitPrior(0.25);
  let x = 0;
  for (let n = 1; n <= events; n += 1) {
    x += binomial(random, 1, p);
    if (n % 3 === 0 && logEvidence(x, n - x, p0, prior)[side] >= Math.log(1 / alpha)) return true;
  }
  return false;
}

describe('anytime-valid: simulated type-I error under continuous monitoring', () => {
  const alpha = 0.05;
  const runs = 1000;
  const split = 0.25;

  it('at the boundary (canary exactly 1 + tolerance × stable) rejects at most alpha of the time', () => {
    const random = seededRandom(9);
    const p0 = shareUnder(1.1, split);
    let rejected = 0;
    for (let i = 0; i < runs; i += 1) if (everRejects(random, p0, p0, 300, alpha, 'above')) rejected += 1;
    expect(rejected / runs).toBeLessThanOrEqual(alpha);
  });

  it('inside the null (a canary better than stable) rejects less often still', () => {
    const random = seededRandom(10);
    let rejected = 0;
    for (let i = 0; i < runs; i += 1) if (everRejects(random, shareUnder(0.8, split), shareUnder(1.1, split), 300, alpha, 'above')) rejected += 1;
    expect(rejected / runs).toBeLessThanOrEqual(alpha / 2);
  });

  it('the promotion side, at its boundary, also stays under alpha', () => {
    const random = seededRandom(11);
    const p0 = shareUnder(1.1, split);
    let rejected = 0;
    for (let i = 0; i < runs; i += 1) if (everRejects(random, p0, p0, 300, alpha, 'below')) rejected += 1;
    expect(rejected / runs).toBeLessThanOrEqual(alpha);
  });

  it('detects a threefold rate almost always within 300 events', () => {
    const random = seededRandom(12);
    let rejected = 0;
    for (let i = 0; i < 200; i += 1) if (everRejects(random, shareUnder(3, split), shareUnder(1.1, split), 300, alpha, 'above')) rejected += 1;
    expect(rejected / 200).toBeGreaterThan(0.95);
  });
});

describe('confidence sequence for the rate ratio', () => {
  it('covers the true ratio at every look in at least 1 − 2·alpha of runs', () => {
    const random = seededRandom(13);
    const split = 0.05;
    const truth = 2;
    const p = shareUnder(truth, split);
    const prior = splitPrior(split);
    let missed = 0;
    const runs = 200;
    for (let i = 0; i < runs; i += 1) {
      let x = 0;
      for (let n = 1; n <= 200; n += 1) {
        x += binomial(random, 1, p);
        if (n % 25 !== 0) continue;
        const { lower, upper } = ratioInterval(x, n - x, split, prior, 0.05, 0.05);
        if (truth < lower || truth > upper) {
          missed += 1;
          break;
        }
      }
    }
    expect(missed / runs).toBeLessThanOrEqual(0.1);
  });

  it('is unbounded on a side the data cannot bound yet, and narrows with data', () => {
    const prior = splitPrior(0.25);
    expect(ratioInterval(0, 0, 0.25, prior, 0.01, 0.01)).toEqual({ lower: 0, upper: Infinity });
    const few = ratioInterval(10, 10, 0.25, prior, 0.01, 0.01);
    const many = ratioInterval(1000, 1000, 0.25, prior, 0.01, 0.01);
    expect(many.lower).toBeGreaterThan(few.lower);
    expect(many.upper).toBeLessThan(few.upper);
    // 1000 vs 1000 events at a 25% split: the canary's rate is 3× stable's.
    expect(many.lower).toBeLessThan(3);
    expect(many.upper).toBeGreaterThan(3);
    expect(many.upper / many.lower).toBeLessThan(1.5);
  });
});
