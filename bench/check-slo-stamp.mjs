#!/usr/bin/env node
// Bench-only variant of sim/check-slo.mjs (the check-slo.sh contract): healthy, except at the step
// named by BENCH_BREACH_STEP, where it reports a 20% error rate and exits 1 — writing the wall-clock
// time (epoch ms, sub-ms precision) to BENCH_STAMP_FILE just before it exits, so bench/canary.ts can
// measure "breaching sample returned → abort request arrived" from outside the action.
import { appendFileSync } from 'node:fs';

const [, , , step] = process.argv;
const breach = step === process.env.BENCH_BREACH_STEP;
console.log(JSON.stringify({ error_rate: breach ? 0.2 : 0.001, p95_latency_ms: 120, requests: 1000 }));
if (breach) {
  if (process.env.BENCH_STAMP_FILE) appendFileSync(process.env.BENCH_STAMP_FILE, `${performance.timeOrigin + performance.now()}\n`);
  process.exit(1);
}
process.exit(0);
