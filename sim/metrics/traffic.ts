/**
 * Seeded random traffic for the judge's tests and bench/judge.ts: Poisson request counts split
 * between canary and stable, binomial errors, log-normal latencies counted into Prometheus-style
 * cumulative buckets. Deterministic for a seed, so a test's simulated type-I error is reproducible.
 */

/** mulberry32: a small, fast 32-bit generator, good enough for simulation (not for secrets). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Poisson(mean): inversion for small means, a rounded normal beyond 50 (error far below the noise). */
export function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

/** Binomial(n, p): exact by Poisson thinning for small n·p, else normal with continuity. */
export function binomial(random: () => number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (n < 60) {
    let k = 0;
    for (let i = 0; i < n; i += 1) if (random() < p) k += 1;
    return k;
  }
  if (mean < 30 || n - mean < 30) return Math.min(n, poisson(random, mean));
  return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(random))));
}

/** Bucket bounds in ms, the Prometheus client defaults ×1000 (5 ms … 10 s). */
export const DEFAULT_BOUNDS_MS = [5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000] as const;

export interface LogNormal {
  /** Median latency in ms. */
  readonly medianMs: number;
  /** σ of log latency. */
  readonly sigma: number;
}

/** P(latency ≤ ms) for a log-normal; `stretch` multiplies every latency (1.6: 60% slower). */
export function logNormalCdf(dist: LogNormal, ms: number, stretch = 1): number {
  if (ms <= 0) return 0;
  return standardNormalCdf(Math.log(ms / (dist.medianMs * stretch)) / dist.sigma);
}

/** The latency below which a share q of requests fall. */
export function logNormalQuantile(dist: LogNormal, q: number, stretch = 1): number {
  return dist.medianMs * stretch * Math.exp(dist.sigma * standardNormalQuantile(q));
}

/**
 * n requests counted into cumulative `le` buckets: the multinomial drawn as a chain of binomials,
 * so a sample costs one draw per bucket, not one per request.
 */
export function drawBuckets(random: () => number, n: number, boundsMs: readonly number[], cdf: (ms: number) => number): number[] {
  const counts: number[] = [];
  let left = n;
  let below = 0;
  let previous = 0;
  for (const bound of boundsMs) {
    const p = cdf(bound);
    const inBucket = previous >= 1 ? 0 : binomial(random, left, Math.min(1, Math.max(0, (p - previous) / (1 - previous))));
    left -= inBucket;
    below += inBucket;
    counts.push(below);
    previous = p;
  }
  return counts;
}

// Abramowitz–Stegun 7.1.26 via erf: absolute error < 1.5e-7, plenty for simulated traffic.
export function standardNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

// Acklam's rational approximation (relative error < 1.2e-9).
export function standardNormalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155211977];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -standardNormalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
