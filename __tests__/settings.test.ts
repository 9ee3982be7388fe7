import { parseListValue, parseSettings, type Env } from '../src/settings.js';

const SHA = 'a'.repeat(40);
const DIGEST = `sha256:${'b'.repeat(64)}`;
const ENV: Env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '42', GITHUB_ACTOR: 'alice', GITHUB_WORKSPACE: '/tmp/ws' };

function parse(inputs: Record<string, string>, env: Env = ENV) {
  const all: Record<string, string> = {
    environment: 'prod-us-east-1', version: 'v2.14.0', sha: SHA, service: 'checkout-api', digest: DIGEST,
    'github-token': 'ghs_secret', 'slo-command': './check-slo.sh', ...inputs,
  };
  return parseSettings((name) => all[name] ?? '', env);
}

describe('parseSettings', () => {
  it('applies the contract defaults', () => {
    const { settings, errors } = parse({});
    expect(errors).toEqual([]);
    expect(settings).toMatchObject({
      namespace: 'prod-us-east-1',
      container: 'checkout-api',
      image: 'ghcr.io/acme/checkout-api',
      canarySteps: 'auto',
      allowCoarseCanary: false,
      slo: { errorRateMax: 0.005, p95LatencyMs: 300, windowMinutes: 5, intervalSeconds: 30, noData: 'breach' },
      sloProvider: { kind: 'command', argv: ['./check-slo.sh'] },
      dryRun: false,
      ciWaitMinutes: 0,
      stepTimeoutMinutes: 10,
      reportDir: 'devops',
      incidentLabels: ['incident'],
      version: { tag: 'v2.14.0', semver: '2.14.0', prerelease: false },
    });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings!.canarySteps)).toBe(true);
  });

  it('names every bad input at once', () => {
    const { settings, errors } = parse({
      version: '2.14', sha: 'abc', 'canary-steps': '25,5', digest: 'sha256:xyz', slo: '{error_rate: 1}',
      'dry-run': 'yes', 'ci-wait-minutes': 'soon', approvers: '@alice, not a user', 'report-dir': '../out',
    });
    expect(settings).toBeUndefined();
    expect(errors).toEqual([
      "dry-run 'yes' is not a boolean (true or false)",
      "version '2.14' is not SemVer (e.g. v2.14.0 or v3.0.0-rc.1)",
      "sha 'abc' is not a 40-hex commit",
      "digest 'sha256:xyz' is not 'sha256:' followed by 64 lower-case hex digits",
      'canary-steps must be `auto` or ascend and end at 100: got 25,5',
      'slo has unknown key error_rate (known: error_rate_max, p95_latency_ms, window_minutes, interval_seconds, min_requests, no_data, compare, alpha, tolerance, early_promote, min_window_minutes)',
      "approvers 'not a user' is neither @user nor @org/team",
      "ci-wait-minutes 'soon' is not a number",
      "report-dir '../out' must be a relative path inside the workspace",
    ]);
  });

  it('accepts YAML, JSON and comma lists alike', () => {
    for (const steps of ['10, 50, 100', '[10, 50, 100]', '- 10\n- 50\n- 100']) {
      expect(parse({ 'canary-steps': steps }).settings?.canarySteps).toEqual([10, 50, 100]);
    }
    expect(parseListValue('["a, b", c]').items).toEqual(['a, b', 'c']);
    expect(parseListValue('lint\nunit, e2e').items).toEqual(['lint', 'unit', 'e2e']);
    expect(parseListValue('[a, {b: 1}]').error).toMatch(/plain values/);
  });

  it('rejects canary weights that Argo cannot take', () => {
    expect(parse({ 'canary-steps': '5,25.5,100' }).errors).toEqual(["canary-steps '25.5' is not a whole percentage from 1 to 100"]);
    expect(parse({ 'canary-steps': '5,25,90' }).errors).toEqual(['canary-steps must be `auto` or ascend and end at 100: got 5,25,90']);
    expect(parse({ 'canary-steps': 'auto' }).settings?.canarySteps).toBe('auto');
    expect(parse({ 'canary-steps': '5,25,100' }).settings?.canarySteps).toEqual([5, 25, 100]);
    expect(parse({ 'canary-steps': '5,5,100' }).errors).toHaveLength(1);
  });

  it('merges a partial SLO over the defaults and checks ranges', () => {
    expect(parse({ slo: 'window_minutes: 0.5\ninterval_seconds: 2.5' }).settings?.slo).toMatchObject({ errorRateMax: 0.005, windowMinutes: 0.5, intervalSeconds: 2.5 });
    const { errors } = parse({ slo: '{"error_rate_max": 2}' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^slo\.error_rate_max is invalid: .* \(got 2\)$/);
    expect(parse({ slo: '[1]' }).errors).toEqual(['slo must be a YAML or JSON mapping']);
  });

  it('requires exactly one SLO provider outside dry-run', () => {
    expect(parse({ 'slo-command': '' }).errors).toEqual(['prometheus-url or slo-command is required: the canary needs an SLO provider']);
    expect(parse({ 'prometheus-url': 'http://prom:9090' }).errors).toEqual(['prometheus-url and slo-command are both set: choose one SLO provider']);
    expect(parse({ 'slo-command': '', 'dry-run': 'true', digest: '' }).errors).toEqual([]);
    expect(parse({ 'slo-command': '', 'prometheus-url': 'http://prom:9090/' }).settings?.sloProvider).toMatchObject({ kind: 'prometheus', url: 'http://prom:9090' });
  });

  it('splits slo-command into words and refuses shell syntax', () => {
    expect(parse({ 'slo-command': './check "a b" $HOME' }).settings?.sloProvider).toEqual({ kind: 'command', argv: ['./check', 'a b', '$HOME'] });
    expect(parse({ 'slo-command': './check | tee log' }).errors).toEqual(['slo-command contains shell syntax (|); it is split into words and run without a shell: wrap it in a script']);
  });

  it('checks query placeholders', () => {
    expect(parse({ 'slo-command': '', 'prometheus-url': 'http://p', 'error-rate-query': 'sum(x{h="{{canary_hash}}",s="{{svc}}"})' }).errors)
      .toEqual(['error-rate-query has unknown placeholder {{svc}} (known: {{service}}, {{namespace}}, {{canary_hash}}, {{stable_hash}}, {{window}})']);
  });

  it('collects secrets to mask and never echoes them in errors', () => {
    const { secrets, errors } = parse({ 'slo-command': '', 'prometheus-url': 'http://p', 'prometheus-headers': 'Authorization: Bearer t0ps3cret', kubeconfig: 'hunter2-not-a-kubeconfig' });
    expect(secrets).toEqual(expect.arrayContaining(['ghs_secret', 'Bearer t0ps3cret', 'hunter2-not-a-kubeconfig']));
    expect(errors).toEqual(['kubeconfig is neither a kubeconfig (YAML with clusters) nor base64 of one']);
    expect(errors.join(' ')).not.toContain('hunter2');
  });

  it('refuses header values HTTP cannot carry, without echoing them', () => {
    const { errors } = parse({ 'slo-command': '', 'prometheus-url': 'http://p', 'prometheus-headers': '{"Authorization": "Bearer s3cr3t\\nX-Other: y"}' });
    expect(errors).toEqual(['prometheus-headers value of Authorization has a line break or another character HTTP headers cannot carry']);
  });

  it('masks the kubeconfig credentials, not its structure', () => {
    const yaml = 'apiVersion: v1\nclusters: []\nusers:\n- name: ci\n  user:\n    token: tok-123456\n';
    const { secrets } = parse({ kubeconfig: yaml });
    expect(secrets).toContain('tok-123456');
    expect(secrets).not.toContain('apiVersion: v1');
  });

  it('decodes a base64 kubeconfig', () => {
    const yaml = 'apiVersion: v1\nclusters: []\ncontexts: []\nusers: []\n';
    expect(parse({ kubeconfig: Buffer.from(yaml).toString('base64') }).settings?.kubeconfig).toBe(yaml);
    expect(parse({ kubeconfig: yaml }).settings?.kubeconfig).toBe(yaml.trim());
  });

  it('parses approvers as users and teams', () => {
    expect(parse({ approvers: '["@alice", "@acme/sre", "bob"]' }).settings?.approvers).toEqual([
      { kind: 'user', display: '@alice', login: 'alice' },
      { kind: 'team', display: '@acme/sre', org: 'acme', team: 'sre' },
      { kind: 'user', display: '@bob', login: 'bob' },
    ]);
  });

  it('requires the repository and derives the run URL', () => {
    expect(parse({}, {}).errors).toEqual(['GITHUB_REPOSITORY is not set (owner/repo of the repository to release)']);
    expect(parse({}, { ...ENV, GITHUB_RUN_ATTEMPT: '2', GITHUB_SERVER_URL: 'https://ghe.example' }).settings?.run.runUrl).toBe('https://ghe.example/acme/shop/actions/runs/42/attempts/2');
  });

  it('takes digest only unless dry-run, and image without tag', () => {
    expect(parse({ digest: '' }).errors).toEqual(['digest is required unless dry-run is true']);
    expect(parse({ image: 'ghcr.io/acme/api:v1' }).errors).toEqual(["image 'ghcr.io/acme/api:v1' must be a repository without tag or digest (the digest input pins it)"]);
    expect(parse({ image: 'registry.local:5000/team/api' }).errors).toEqual([]);
  });

  it('reads required-checks as a list, refuses one that is also ignored, and reads the triggering actor', () => {
    expect(parse({ 'required-checks': 'unit, e2e' }).settings?.requiredChecks).toEqual(['unit', 'e2e']);
    expect(parse({ 'required-checks': '[unit, lint]', 'ignore-checks': 'lint' }).errors).toEqual(["required-checks 'lint' is also in ignore-checks: a check cannot be both required and ignored"]);
    expect(parse({}, { ...ENV, GITHUB_TRIGGERING_ACTOR: 'mallory' }).settings?.run).toMatchObject({ actor: 'alice', triggeringActor: 'mallory' });
  });

  it('lower-cases the sha and names a namespace taken from a bad environment', () => {
    expect(parse({ sha: 'A'.repeat(40) }).settings?.sha).toBe('a'.repeat(40));
    expect(parse({ environment: 'Production' }).errors).toEqual(["namespace 'Production' (taken from environment) is not a valid Kubernetes namespace: set namespace explicitly"]);
  });
});
