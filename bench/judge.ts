/**
 * The judge of issue 9 against the canary judges teams use today, on the same simulated traffic.
 * Figures only: no pass/fail.
 *
 *   npm run bench:judge [-- releases-per-cell, default 1000]
 *
 * Live traffic, per 15 s sample: Poisson requests (10, 100 or 1,000 per second) split at random by
 * the canary weight (5% or 25%), binomial errors (stable 1%), log-normal latencies (stable median
 * 60 ms, σ 0.5: p95 137 ms) counted into Prometheus' default buckets. The canary has stable's error
 * rate times 1 (A/A), 1.05 (within the 10% tolerance), 1.5, 2 or 5, or its latencies stretched by
 * 1.2 or 1.6. Absolute thresholds: error_rate_max 2.5%, p95 300 ms, min_requests 100, so ×2 errors
 * (2%) and +60% latency (p95 219 ms; 242 ms as histogram_quantile reads the buckets) are
 * regressions *under* the thresholds; ×5 errors (5%) is over.
 * Then, on clean (A/A) steps only, early promotion at tolerances 0.1, 0.25 and 0.5.
 * Window 5 min, a sample every 15 s; one step per release (the 5% or the 25% step of 5 → 25 → 100).
 *
 * Side by side, on the same data:
 * 1. window end, thresholds: the seed's procedure, one threshold check after the window;
 * 2. Argo Rollouts / Flagger: every sample, the thresholds on the last 60 s; abort on the third
 *    failure (failureLimit 2); fewer than min_requests in the last minute is no measurement;
 * 3. Kayenta style: at the window end, a one-sided two-proportion z-test (errors) and a one-sided
 *    Mann-Whitney test on the bucketed latencies (ties by bucket), each at 0.0025: the same alpha
 *    per step as ours (0.01 over the release's two compared steps, two metrics);
 * 4. ours: src/slo/compare (the REAL module, through startComparison as the bake calls it) after
 *    every sample, alpha 0.01 over the release, tolerance 0.1; with and without early_promote
 *    (min_window_minutes 1). Both come from one pass: early promotion only stops the step sooner.
 *    Last column, the whole bake: ours plus the absolute thresholds checked at every sample on the
 *    counts since the step started (they trip at once), and no data at the window end a breach.
 */
import { loadavg } from 'node:os';
import type { Slo } from '../src/settings.js';
import type { CounterReading } from '../src/slo/compare/counts.js';
import { startComparison } from '../src/slo/compare/step.js';
import { binomial, DEFAULT_BOUNDS_MS, drawBuckets, logNormalCdf, poisson, seededRandom, standardNormalCdf, type LogNormal } from '../sim/metrics/traffic.js';

const RELEASES = Number(process.argv[2] ?? 1000);
const INTERVAL_S = 15;
const WINDOW_S = 300;
const SAMPLES = WINDOW_S / INTERVAL_S;
const BASE_ERROR = 0.01;
const LATENCY: LogNormal = { medianMs: 60, sigma: 0.5 };
const THRESHOLDS = { errorRateMax: 0.025, p95Ms: 300, minRequests: 100 };
const ALPHA = 0.01;
const KAYENTA_ALPHA = 0.0025;
const FAILURE_LIMIT = 2;
const BOUNDS = DEFAULT_BOUNDS_MS;

const sloWith = (tolerance: number): Slo => ({
  errorRateMax: THRESHOLDS.errorRateMax, p95LatencyMs: THRESHOLDS.p95Ms, windowMinutes: WINDOW_S / 60, intervalSeconds: INTERVAL_S,
  minRequests: THRESHOLDS.minRequests, noData: 'breach',
  compare: { alpha: ALPHA, tolerance, earlyPromote: true, minWindowMinutes: 1 },
});

interface Scenario {
  readonly name: string;
  readonly errors: number;
  readonly stretch: number;
  /** Aborting it is wrong (A/A, within tolerance). */
  readonly clean: boolean;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'A/A', errors: 1, stretch: 1, clean: true },
  { name: 'errors ×1.05', errors: 1.05, stretch: 1, clean: true },
  { name: 'errors ×1.5', errors: 1.5, stretch: 1, clean: false },
  { name: 'errors ×2', errors: 2, stretch: 1, clean: false },
  { name: 'errors ×5', errors: 5, stretch: 1, clean: false },
  { name: 'latency +20%', errors: 1, stretch: 1.2, clean: false },
  { name: 'latency +60%', errors: 1, stretch: 1.6, clean: false },
];
const TRAFFIC = [10, 100, 1000];
const WEIGHTS = [5, 25];
const METHODS = ['window', 'argo', 'kayenta', 'ours', 'early', 'bake'] as const;
type Method = (typeof METHODS)[number];

/** When each method ended the step: aborted at t, or finished (passed) at t. */
type Ending = { readonly aborted: boolean; readonly t: number };

interface Group {
  requests: number;
  errors: number;
  buckets: number[];
}

function simulate(random: () => number, rps: number, weight: number, scenario: Scenario, tolerance = 0.1): Record<Method, Ending> {
  const canaryCdf = (ms: number) => logNormalCdf(LATENCY, ms, scenario.stretch);
  const stableCdf = (ms: number) => logNormalCdf(LATENCY, ms);
  const comparison = startComparison(sloWith(tolerance), weight, [5, 25, 100], { interval: false })!;
  const canary: Group = { requests: 0, errors: 0, buckets: BOUNDS.map(() => 0) };
  const stable: Group = { requests: 0, errors: 0, buckets: BOUNDS.map(() => 0) };
  const recent: Group[] = [];
  let failures = 0;
  let argo: Ending | undefined;
  let oursBreach: number | undefined;
  let oursPass: number | undefined;
  let thresholdBreach: number | undefined;

  for (let k = 1; k <= SAMPLES; k += 1) {
    const t = k * INTERVAL_S;
    const n = poisson(random, rps * INTERVAL_S);
    const nc = binomial(random, n, weight / 100);
    const fresh: Group = { requests: nc, errors: binomial(random, nc, BASE_ERROR * scenario.errors), buckets: drawBuckets(random, nc, BOUNDS, canaryCdf) };
    const ns = n - nc;
    add(canary, fresh);
    add(stable, { requests: ns, errors: binomial(random, ns, BASE_ERROR), buckets: drawBuckets(random, ns, BOUNDS, stableCdf) });

    // 2. Argo/Flagger: the thresholds on the last minute, every sample, a failure limit.
    recent.push(fresh);
    if (recent.length > 60 / INTERVAL_S) recent.shift();
    if (!argo) {
      const minute = recent.reduce((sum, g) => (add(sum, g), sum), { requests: 0, errors: 0, buckets: BOUNDS.map(() => 0) });
      if (minute.requests >= THRESHOLDS.minRequests && overThresholds(minute)) failures += 1;
      if (failures > FAILURE_LIMIT) argo = { aborted: true, t };
    }

    // 4. Ours: the comparison; apart, the absolute thresholds on the step so far (the bake adds them).
    if (thresholdBreach === undefined && canary.requests >= THRESHOLDS.minRequests && overThresholds(canary)) thresholdBreach = t;
    if (oursBreach === undefined) {
      const verdict = comparison.observe({ errorRate: null, p95LatencyMs: null, requests: canary.requests, counters: { origin: 'zero', readings: readings(canary, stable) } }, t).verdict;
      if (verdict === 'breach') oursBreach = t;
      if (verdict === 'pass-early' && oursPass === undefined) oursPass = t;
    }
  }
  if (thresholdBreach === undefined && canary.requests < THRESHOLDS.minRequests) thresholdBreach = WINDOW_S;
  // 1. The seed: one check after the window; no data at the end is a breach.
  const window: Ending = { aborted: canary.requests < THRESHOLDS.minRequests || overThresholds(canary), t: WINDOW_S };
  // 3. Kayenta: fixed-horizon tests at the window end.
  const kayenta: Ending = { aborted: proportionZ(canary, stable) > zFor(KAYENTA_ALPHA) || mannWhitneyZ(canary, stable) > zFor(KAYENTA_ALPHA), t: WINDOW_S };
  const ours: Ending = oursBreach !== undefined ? { aborted: true, t: oursBreach } : { aborted: false, t: WINDOW_S };
  const early: Ending = oursBreach !== undefined && (oursPass === undefined || oursBreach < oursPass) ? { aborted: true, t: oursBreach } : { aborted: false, t: oursPass ?? WINDOW_S };
  const first = Math.min(oursBreach ?? Infinity, thresholdBreach ?? Infinity);
  const bake: Ending = first <= (oursPass ?? WINDOW_S) ? { aborted: true, t: first } : { aborted: false, t: oursPass ?? WINDOW_S };
  return { window, argo: argo ?? { aborted: false, t: WINDOW_S }, kayenta, ours, early, bake };
}

function add(into: Group, g: Group): void {
  into.requests += g.requests;
  into.errors += g.errors;
  for (let i = 0; i < BOUNDS.length; i += 1) into.buckets[i]! += g.buckets[i]!;
}

function overThresholds(g: Group): boolean {
  return g.errors / g.requests > THRESHOLDS.errorRateMax || p95(g) > THRESHOLDS.p95Ms;
}

/** histogram_quantile(0.95): linear within the bucket holding the rank, from 0 below the first bound. */
function p95(g: Group): number {
  const rank = 0.95 * g.requests;
  let previousBound = 0;
  let previousCount = 0;
  for (let i = 0; i < BOUNDS.length; i += 1) {
    const count = g.buckets[i]!;
    if (count >= rank) return previousBound + ((BOUNDS[i]! - previousBound) * (rank - previousCount)) / Math.max(1e-9, count - previousCount);
    previousBound = BOUNDS[i]!;
    previousCount = count;
  }
  return BOUNDS.at(-1)!;
}

function readings(canary: Group, stable: Group): CounterReading[] {
  const of = (name: 'canary' | 'stable', g: Group): CounterReading[] => [
    { series: name, group: name, kind: 'requests', value: g.requests },
    { series: name, group: name, kind: 'errors', value: g.errors },
    ...BOUNDS.map((le, i) => ({ series: `${name}${le}`, group: name, kind: 'bucket' as const, leMs: le, value: g.buckets[i]! })),
    { series: `${name}Inf`, group: name, kind: 'bucket', leMs: Infinity, value: g.requests },
  ];
  return [...of('canary', canary), ...of('stable', stable)];
}

function proportionZ(c: Group, s: Group): number {
  if (c.requests === 0 || s.requests === 0) return 0;
  const pooled = (c.errors + s.errors) / (c.requests + s.requests);
  const sd = Math.sqrt(pooled * (1 - pooled) * (1 / c.requests + 1 / s.requests));
  return sd > 0 ? (c.errors / c.requests - s.errors / s.requests) / sd : 0;
}

/** Mann-Whitney U of canary over stable from bucket counts (ties within a bucket), normal approximation. */
function mannWhitneyZ(c: Group, s: Group): number {
  const cb = [...c.buckets.map((v, i) => v - (i > 0 ? c.buckets[i - 1]! : 0)), c.requests - c.buckets.at(-1)!];
  const sb = [...s.buckets.map((v, i) => v - (i > 0 ? s.buckets[i - 1]! : 0)), s.requests - s.buckets.at(-1)!];
  const n1 = c.requests;
  const n2 = s.requests;
  const total = n1 + n2;
  if (n1 === 0 || n2 === 0) return 0;
  let u = 0;
  let below = 0;
  let ties = 0;
  for (let i = 0; i < cb.length; i += 1) {
    u += cb[i]! * (below + sb[i]! / 2);
    below += sb[i]!;
    const t = cb[i]! + sb[i]!;
    ties += t * t * t - t;
  }
  const variance = ((n1 * n2) / 12) * (total + 1 - ties / (total * (total - 1)));
  return variance > 0 ? (u - (n1 * n2) / 2) / Math.sqrt(variance) : 0;
}

function zFor(alpha: number): number {
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (1 - standardNormalCdf(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

interface Figures {
  readonly abortRate: number;
  readonly median: number | null;
  readonly p90: number | null;
  readonly meanStep: number;
}

function figures(endings: readonly Ending[]): Figures {
  const times = endings.filter((e) => e.aborted).map((e) => e.t).sort((a, b) => a - b);
  const at = (q: number) => (times.length ? times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]! : null);
  return { abortRate: times.length / endings.length, median: at(0.5), p90: at(0.9), meanStep: endings.reduce((s, e) => s + e.t, 0) / endings.length };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const secs = (f: Figures) => (f.median === null ? '—' : `${f.median}/${f.p90}`);

const started = performance.now();
console.log(`bench/judge: ${RELEASES} releases per cell, ${TRAFFIC.length * WEIGHTS.length * SCENARIOS.length} cells; load ${loadavg()[0]!.toFixed(1)}`);
const rows: string[] = [];
const results = new Map<string, Record<Method, Figures>>();
let seed = 1;
for (const rps of TRAFFIC) {
  for (const weight of WEIGHTS) {
    for (const scenario of SCENARIOS) {
      const random = seededRandom(seed++);
      const endings: Record<Method, Ending[]> = { window: [], argo: [], kayenta: [], ours: [], early: [], bake: [] };
      for (let r = 0; r < RELEASES; r += 1) {
        const result = simulate(random, rps, weight, scenario);
        for (const m of METHODS) endings[m].push(result[m]);
      }
      const f = Object.fromEntries(METHODS.map((m) => [m, figures(endings[m])])) as Record<Method, Figures>;
      results.set(`${rps}/${weight}/${scenario.name}`, f);
      rows.push(`| ${rps} | ${weight}% | ${scenario.name} | ${pct(f.window.abortRate)} | ${pct(f.argo.abortRate)} · ${secs(f.argo)} | ${pct(f.kayenta.abortRate)} | ${pct(f.ours.abortRate)} · ${secs(f.ours)} | ${pct(f.early.abortRate)} · ${secs(f.early)} · ${f.early.meanStep.toFixed(0)} s | ${pct(f.bake.abortRate)} · ${secs(f.bake)} |`);
      process.stderr.write('.');
    }
  }
}
process.stderr.write('\n');
console.log('');
console.log('Abort rate: a false abort in the A/A and ×1.05 rows, the detection rate in the others. Times to abort: median/p90 in seconds (fixed-window methods always abort at 300 s). Last column: mean time to finish the step (an aborted step counts its abort time).');
console.log('');
console.log('| rps | weight | canary | 1. window end, thresholds | 2. Argo/Flagger, failureLimit 2 | 3. Kayenta z / Mann-Whitney | 4. ours | 4. ours + early_promote (mean step) | the bake: ours + thresholds every sample |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);

// The goals of issue 9, read from the table.
const get = (rps: number, weight: number, name: string) => results.get(`${rps}/${weight}/${name}`)!;
console.log('');
console.log('Goals (issue 9):');
const overRelease = (m: Method) => Math.max(...TRAFFIC.map((rps) => WEIGHTS.reduce((sum, w) => sum + get(rps, w, 'A/A')[m].abortRate, 0)));
console.log(`- A/A false aborts of ours over a release (its 5% and 25% steps added), worst traffic: ${pct(overRelease('ours'))} (alpha ${pct(ALPHA)}: ${overRelease('ours') <= ALPHA ? 'met' : 'NOT met'}); with early_promote ${pct(overRelease('early'))}; the whole bake, thresholds included, ${pct(overRelease('bake'))} (the thresholds' own noise at low traffic, as method 2's)`);
for (const name of ['errors ×2', 'latency +60%']) {
  for (const w of WEIGHTS) {
    const c = get(100, w, name);
    const aa = get(100, w, 'A/A');
    const fixed = [['1', c.window, aa.window], ['3', c.kayenta, aa.kayenta]] as const;
    const best = fixed.filter(([, cell]) => cell.abortRate > 0).sort((a, b) => b[1].abortRate - a[1].abortRate)[0];
    const equalOrLower = best !== undefined && aa.ours.abortRate <= best[2].abortRate;
    console.log(`- ${name} at 100 rps, ${w}%: ours median ${c.ours.median ?? '—'} s (detects ${pct(c.ours.abortRate)}, A/A false ${pct(aa.ours.abortRate)}) vs fixed window 300 s (method ${best?.[0] ?? '—'}: detects ${pct(best?.[1].abortRate ?? 0)}, A/A false ${pct(best?.[2].abortRate ?? 0)}); goal ≤ 150 s at equal or lower false aborts: ${c.ours.median !== null && c.ours.median <= 150 && equalOrLower ? 'met' : 'NOT met'}`);
  }
}
for (const rps of TRAFFIC) {
  console.log(`- early_promote, clean (A/A) step at ${rps} rps: mean ${WEIGHTS.map((w) => `${(get(rps, w, 'A/A').early.meanStep / WINDOW_S * 100).toFixed(0)}% of the window at ${w}%`).join(', ')} (goal ≤ 40%)`);
}
for (const name of ['errors ×2', 'latency +60%']) {
  console.log(`- ${name} (under the thresholds) at 1000 rps, 25%: detected by 1. ${pct(get(1000, 25, name).window.abortRate)}, 2. ${pct(get(1000, 25, name).argo.abortRate)}, ours ${pct(get(1000, 25, name).ours.abortRate)}`);
}

// Early promotion needs the canary shown within tolerance: for rare errors, thousands of them at
// tolerance 0.1. Clean steps only, at three tolerances.
console.log('');
console.log('Early promotion on clean (A/A) steps: mean time to finish the step, % of the 300 s window (min_window_minutes 1), and false aborts.');
console.log('');
console.log(`| rps | weight | ${[0.1, 0.25, 0.5].map((t) => `tolerance ${t}`).join(' | ')} |`);
console.log('|---|---|---|---|---|');
for (const rps of TRAFFIC) {
  for (const weight of WEIGHTS) {
    const cells = [0.1, 0.25, 0.5].map((tolerance) => {
      const random = seededRandom(seed++);
      const endings: Ending[] = [];
      for (let r = 0; r < RELEASES; r += 1) endings.push(simulate(random, rps, weight, SCENARIOS[0]!, tolerance).early);
      const f = figures(endings);
      return `${(f.meanStep / WINDOW_S * 100).toFixed(0)}% (${f.meanStep.toFixed(0)} s), aborts ${pct(f.abortRate)}`;
    });
    console.log(`| ${rps} | ${weight}% | ${cells.join(' | ')} |`);
    process.stderr.write('.');
  }
}
const cpu = process.cpuUsage();
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU on one core`);
