#!/usr/bin/env node
// The check-slo.sh contract, driven by a plan in SLO_PLAN (JSON: {"<weight>": {"error_rate": …,
// "p95_latency_ms": …, "exit": n, "sleep_ms": n}}); steps without a plan are healthy.
const [, , service, step] = process.argv;
const plan = JSON.parse(process.env.SLO_PLAN ?? '{}')[step] ?? {};
const errorRate = plan.error_rate ?? 0.001;
const p95 = plan.p95_latency_ms ?? 120;
if (plan.sleep_ms) await new Promise((resolve) => setTimeout(resolve, plan.sleep_ms));
console.log(`checking ${service} at ${step}% (canary ${process.env.RELEASE_CANARY_HASH}, stable ${process.env.RELEASE_STABLE_HASH})`);
console.log(JSON.stringify({ error_rate: errorRate, p95_latency_ms: p95, requests: 1000 }));
const breach = errorRate > Number(process.env.SLO_ERROR_RATE_MAX) || p95 > Number(process.env.SLO_P95_LATENCY_MS);
process.exit(plan.exit ?? (breach ? 1 : 0));
