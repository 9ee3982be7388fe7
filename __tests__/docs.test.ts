import { readFileSync } from 'node:fs';
import * as YAML from 'yaml';
import { updateReadme } from '../scripts/generate-docs.js';

const readme = readFileSync('README.md', 'utf8');
const actionYml = readFileSync('action.yml', 'utf8');

describe('README and action.yml', () => {
  it('README tables are what action.yml generates (run `npm run docs` when this fails)', () => {
    expect(updateReadme(readme, actionYml)).toBe(readme);
  });

  it('action.yml declares every input and output of the contract', () => {
    const action = YAML.parse(actionYml) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string } };
    expect(Object.keys(action.inputs)).toEqual([
      'environment', 'version', 'sha', 'service', 'namespace', 'container', 'image', 'digest', 'canary-steps', 'slo',
      'prometheus-url', 'prometheus-headers', 'error-rate-query', 'latency-query', 'slo-command', 'previous-release-tag',
      'approvers', 'dry-run', 'create-release', 'ci-wait-minutes', 'ignore-checks', 'required-checks', 'check-run-id', 'step-timeout-minutes', 'allow-coarse-canary', 'lock-wait-minutes',
      'kubeconfig', 'kube-context', 'rollouts-dashboard-url', 'github-token', 'report-dir', 'incident-labels',
    ]);
    expect(Object.keys(action.outputs)).toEqual(['result', 'report-path', 'tag', 'aborted-at-step', 'incident-id', 'incident-url', 'release-url', 'changelog', 'exit-code', 'image', 'previous-image', 'deployment-id']);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('README puts the two fresh-machine commands near the top', () => {
    const top = readme.split('\n').slice(0, 15).join('\n');
    expect(top).toContain('npm ci && npm run demo');
    expect(top).toContain('npm test');
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/^npm test$/m);
  });
});
