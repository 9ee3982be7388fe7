// The tests that start the real Prometheus (they import sim/metrics/prometheus.ts) on a machine
// that may not have it. Plain JavaScript for Node 20+: jest.config.js, .ci/run and `npm test` use it.
//
// - `node scripts/prometheus-tests.js --install` (run by `npm test` and `.ci/run`): installs the
//   Debian package `prometheus` when it is missing and the machine allows it (root, apt-get).
// - jest.config.js leaves those test files out when Prometheus is missing; the reporter prints ONE
//   line saying which and how to run them; under CI=true the global setup fails the run instead:
//   in CI a skipped test is a failure.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the tests start Prometheus from: PROMETHEUS_BINARY in sim/metrics/prometheus.ts (a test keeps the two equal). */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
export const HOW_TO_RUN = 'sudo apt-get update && sudo apt-get install -y prometheus, then npm test (or run .ci/run as root)';
const ROOT = path.resolve(import.meta.dirname, '..');

/** RTP_TEST_WITHOUT_PROMETHEUS=1 plays a machine without it (the test of this very mechanism). */
export function prometheusInstalled(env = process.env, binary = PROMETHEUS_BINARY) {
  if (env.RTP_TEST_WITHOUT_PROMETHEUS === '1') return false;
  try {
    accessSync(binary, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function isCi(env = process.env) {
  return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}

const STARTS_PROMETHEUS = /import\s*\{[^}]*\bstartPrometheus\b[^}]*\}\s*from\s*'(\.\.\/)+sim\/metrics\/prometheus\.js'/;

/** Test files (relative to the repository) that start the real Prometheus: found by what they import, so the list cannot drift. */
export function testsNeedingPrometheus(root = ROOT) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts') && STARTS_PROMETHEUS.test(readFileSync(full, 'utf8'))) found.push(path.relative(root, full));
    }
  };
  walk(path.join(root, '__tests__'));
  return found.sort();
}

/** The one line a developer sees when those tests did not run. */
export function skipLine(files) {
  return `SKIPPED ${files.length} test file(s) that need Prometheus, not installed at ${PROMETHEUS_BINARY} (${files.join(', ')}). To run them: ${HOW_TO_RUN}.`;
}

/** Installs the Debian package when missing, if the machine allows it (root and apt-get). Returns whether Prometheus is there. */
export function ensurePrometheus({
  env = process.env,
  installed = () => prometheusInstalled(env),
  root = typeof process.getuid === 'function' && process.getuid() === 0,
  apt = hasAptGet,
  run = execFileSync,
  log = console,
} = {}) {
  if (installed()) return true;
  if (env.RTP_TEST_WITHOUT_PROMETHEUS === '1' || !root || !apt()) return false;
  log.log('Installing the Debian package prometheus for the tests that need it (apt-get)…');
  try {
    const options = { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
    run('apt-get', ['update', '-qq'], options);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], options);
  } catch (error) {
    log.error(`apt-get could not install prometheus: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
  }
  return installed();
}

function hasAptGet() {
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Jest global setup: in CI, a test that would be skipped fails the run, before any test starts. */
export function globalSetup(env = process.env) {
  if (prometheusInstalled(env) || !isCi(env)) return;
  const files = testsNeedingPrometheus();
  throw new Error(`CI=${env.CI}: ${files.length} test file(s) need Prometheus at ${PROMETHEUS_BINARY} and would be skipped (${files.join(', ')}). In CI a skip is a failure: install it first (${HOW_TO_RUN}).`);
}

/** Jest reporter (this module's default export): the skip line, once, at the end of the run where it is seen. */
export default class PrometheusSkipReporter {
  onRunComplete() {
    if (!prometheusInstalled()) console.log(`\n⚠️  ${skipLine(testsNeedingPrometheus())}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--install')) {
  const there = ensurePrometheus();
  // In CI a machine that cannot have Prometheus is an error now, not a skip later.
  if (!there && isCi()) {
    console.error(`Prometheus is not installed at ${PROMETHEUS_BINARY} and could not be installed here (needs root and apt-get): ${HOW_TO_RUN}.`);
    process.exitCode = 1;
  }
}
