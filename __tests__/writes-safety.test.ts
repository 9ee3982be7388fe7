/**
 * What a run may write and what it must mask, decided before the first write: evidence never goes
 * through a symbolic link out of the workspace; every kubeconfig credential is a secret; a
 * previous-release-tag that does not exist fails preflight; a refused incident issue still leaves
 * its postmortem file.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as YAML from 'yaml';
import type { GitHubPort } from '../src/github/port.js';
import { kubeconfigCredentials } from '../src/kube/secrets.js';
import { evidenceDirs, unsafeWrites } from '../src/report/workspace.js';
import { parseSettings, type Settings } from '../src/settings.js';
import { preflight } from '../src/stages/preflight.js';
import { artifactName } from '../src/finish.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rtp-writes-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('evidence never goes through a symbolic link out of the workspace', () => {
  it('a devops link out of the workspace is refused, once, naming where it leads', async () => {
    const workspace = tempDir();
    const outside = tempDir();
    symlinkSync(outside, path.join(workspace, 'devops'));
    const problems = await unsafeWrites(workspace, evidenceDirs('devops'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^report-dir 'devops' resolves to .*rtp-writes-.*, outside the workspace .* \(through a symbolic link\): nothing is written through it\. Make it a real directory in the workspace, or choose another report-dir\.$/);
  });

  it('a link deeper down (devops/status, incidents) and a dangling one too; a link inside the workspace is fine', async () => {
    const workspace = tempDir();
    mkdirSync(path.join(workspace, 'devops'));
    symlinkSync(tempDir(), path.join(workspace, 'devops', 'status'));
    symlinkSync('/nonexistent/rtp', path.join(workspace, 'incidents'));
    const problems = await unsafeWrites(workspace, evidenceDirs('devops'));
    expect(problems.map((p) => p.split(' ').slice(0, 2).join(' '))).toEqual(["report-dir 'devops/status'", "incidents/ 'incidents':"]);
    const fine = tempDir();
    mkdirSync(path.join(fine, 'evidence'));
    symlinkSync(path.join(fine, 'evidence'), path.join(fine, 'reports-link'));
    expect(await unsafeWrites(fine, evidenceDirs('reports-link/devops'))).toEqual([]);
  });

  it('a file that is itself a link is refused; directories that do not exist yet are fine', async () => {
    const workspace = tempDir();
    mkdirSync(path.join(workspace, 'devops', 'reports'), { recursive: true });
    symlinkSync('/etc/hostname', path.join(workspace, 'devops', 'reports', 'release-v1.md'));
    expect(await unsafeWrites(workspace, evidenceDirs('devops'), ['devops/reports/release-v1.md', 'devops/status/ci-green.json'])).toEqual([
      'devops/reports/release-v1.md is a symbolic link: the evidence is never written through one. Remove it.',
    ]);
    expect(await unsafeWrites(tempDir(), evidenceDirs('a/b/c'))).toEqual([]);
  });
});

describe('kubeconfig credentials are all secrets', () => {
  const kubeconfig = {
    apiVersion: 'v1',
    clusters: [{ name: 'c', cluster: { server: 'https://k8s.example' } }],
    users: [
      { name: 'static', user: { token: 'static-token-123', 'client-key-data': Buffer.from('-----BEGIN KEY-----\nKEYMATERIAL42\n-----END KEY-----').toString('base64') } },
      { name: 'oidc', user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'eyJ.id.token', 'refresh-token': 'refresh-abc', 'client-secret': 'oidc-secret' } } } },
      { name: 'exec', user: { exec: { command: 'get-token', args: ['--token=exec-arg-secret', '--region', 'eu', 'positional-secret'], env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'aws-secret-value' }] } } },
    ],
  };

  it('tokens, client keys (as given and decoded), auth-provider config values, exec args and env values', () => {
    const secrets = kubeconfigCredentials(kubeconfig);
    for (const s of ['static-token-123', kubeconfig.users[0]!.user['client-key-data']!, 'KEYMATERIAL42', 'eyJ.id.token', 'refresh-abc', 'oidc-secret', 'exec-arg-secret', 'positional-secret', 'aws-secret-value']) expect(secrets).toContain(s);
    // Flags and tiny values are not credentials (masking them would blank every log line holding them).
    for (const s of ['--region', 'eu', '-----BEGIN KEY-----', 'get-token']) expect(secrets).not.toContain(s);
  });

  it('parseSettings registers them (plain and base64 kubeconfig)', () => {
    for (const given of [YAML.stringify(kubeconfig), Buffer.from(YAML.stringify(kubeconfig)).toString('base64')]) {
      const inputs: Record<string, string> = { environment: 'prod', version: 'v1.0.0', sha: 'a'.repeat(40), service: 'api', 'dry-run': 'true', 'github-token': 't', kubeconfig: given };
      const { secrets } = parseSettings((n) => inputs[n] ?? '', { GITHUB_REPOSITORY: 'acme/shop' });
      for (const s of ['eyJ.id.token', 'exec-arg-secret', 'aws-secret-value']) expect(secrets).toContain(s);
    }
  });
});

describe('previous-release-tag is checked in preflight', () => {
  const settings = (previous?: string): Settings => {
    const inputs: Record<string, string> = { environment: 'prod', version: 'v1.1.0', sha: 'a'.repeat(40), service: 'api', 'dry-run': 'true', 'github-token': 't', 'previous-release-tag': previous ?? '' };
    return parseSettings((n) => inputs[n] ?? '', { GITHUB_REPOSITORY: 'acme/shop' }).settings!;
  };
  const github = { commitExists: async () => true, findTag: async (tag: string) => (tag === 'v1.0.0' ? { commit: 'b'.repeat(40), annotated: true } : undefined) } as unknown as GitHubPort;

  it('a tag that does not exist fails it, saying what to do', async () => {
    const result = await preflight(settings('v0.9.9'), github);
    expect(result.status).toBe('failed');
    expect(result.reasons).toEqual(["previous-release-tag 'v0.9.9' does not exist in acme/shop: give an existing tag, or leave it empty to pick the highest SemVer tag below the version"]);
  });

  it('an existing one passes and is recorded', async () => {
    const result = await preflight(settings('v1.0.0'), github);
    expect(result.status).toBe('passed');
    expect(result.checks).toContain(`previous-release-tag v1.0.0 exists (on ${'b'.repeat(40)})`);
  });
});

describe('the artifact name', () => {
  const legs = (checkRunId: string, runner = 'runner-7') => {
    const inputs: Record<string, string> = { environment: 'prod', version: 'v1.0.0', sha: 'a'.repeat(40), service: 'api', 'dry-run': 'true', 'github-token': 't', 'check-run-id': checkRunId };
    const parsed = parseSettings((n) => inputs[n] ?? '', { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ATTEMPT: '2', RUNNER_NAME: runner });
    return artifactName(parsed.settings, parsed.partial, undefined);
  };

  it('differs per matrix leg (its check run id, else its runner) and per attempt', () => {
    expect(legs('101')).toBe('release-v1.0.0-attempt-2-job-101');
    expect(legs('102')).toBe('release-v1.0.0-attempt-2-job-102');
    expect(legs('', 'GitHub Actions 12')).toBe('release-v1.0.0-attempt-2-job-GitHub_Actions_12');
  });
});
