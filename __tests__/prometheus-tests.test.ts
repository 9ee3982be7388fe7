// The tests that need the real Prometheus, on a machine without it: left out with ONE line saying
// how to run them, and under CI=true a failure. Runs Jest itself as a developer would.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROMETHEUS_BINARY as STARTED_FROM } from '../sim/metrics/prometheus.js';
// @ts-expect-error -- plain JavaScript for Node 20 (.ci/run runs it before npm ci would bring tsx)
import { ensurePrometheus, PROMETHEUS_BINARY, skipLine, testsNeedingPrometheus } from '../scripts/prometheus-tests.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Jest on this file's first test and on a file that needs Prometheus, on a machine that plays not having it. */
function jestWithoutPrometheus(ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, RTP_TEST_WITHOUT_PROMETHEUS: '1', NODE_OPTIONS: '--experimental-vm-modules' };
  delete env.CI;
  if (ci) env.CI = 'true';
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const result = spawnSync(process.execPath, [jest, '__tests__/prometheus-tests.test.ts', '__tests__/slo-prometheus.test.ts', '-t', 'are found by what they import'], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('tests that need Prometheus', () => {
  it('are found by what they import, and start Prometheus from the path that is checked', () => {
    expect(testsNeedingPrometheus()).toEqual(expect.arrayContaining(['__tests__/e2e/prometheus.test.ts', '__tests__/slo-prometheus.test.ts']));
    expect(testsNeedingPrometheus()).not.toContain('__tests__/prometheus-tests.test.ts');
    expect(PROMETHEUS_BINARY).toBe(STARTED_FROM);
  });

  it('without Prometheus: left out, the rest passes (exit 0), and one line says exactly how to run them', () => {
    const { code, output } = jestWithoutPrometheus(false);
    expect(code).toBe(0);
    expect(output).toContain('PASS __tests__/prometheus-tests.test.ts');
    expect(output).not.toContain('__tests__/slo-prometheus.test.ts (');
    const line = skipLine(testsNeedingPrometheus());
    expect(line).toMatch(/^SKIPPED \d+ test file\(s\) that need Prometheus, not installed at \/usr\/bin\/prometheus \(.*__tests__\/slo-prometheus\.test\.ts.*\)\. To run them: sudo apt-get update && sudo apt-get install -y prometheus, then npm test \(or run \.ci\/run as root\)\.$/);
    expect(output.split(line).length - 1).toBe(1);
  }, 120_000);

  it('without Prometheus under CI=true: the run fails before any test, saying why', () => {
    const { code, output } = jestWithoutPrometheus(true);
    expect(code).not.toBe(0);
    expect(output).toContain('In CI a skip is a failure: install it first');
    expect(output).not.toContain('PASS __tests__/prometheus-tests.test.ts');
  }, 120_000);

  it('npm test installs it with apt-get when it is missing and the machine allows it (root), else leaves it to the skip line', () => {
    const calls: string[] = [];
    const run = (command: string, args: string[]) => calls.push([command, ...args].join(' '));
    const log = { log: () => undefined, error: () => undefined };
    expect(ensurePrometheus({ env: {}, installed: () => calls.length > 0, root: true, apt: () => true, run, log })).toBe(true);
    expect(calls).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends prometheus']);
    calls.length = 0;
    expect(ensurePrometheus({ env: {}, installed: () => false, root: false, apt: () => true, run, log })).toBe(false);
    expect(ensurePrometheus({ env: {}, installed: () => false, root: true, apt: () => false, run, log })).toBe(false);
    expect(calls).toEqual([]);
  });
});
