// The report's header and the outputs image / previous-image / deployment-id: the facts on the
// paths the end-to-end tests do not take (a re-run, a dry run, a failed rollback), the links.
import { failed, released, type Outcome } from '../src/outcome.js';
import type { ReleaseRun } from '../src/release.js';
import { externalLink, headerLines, releaseFacts, rolloutDashboardUrl, shortDigests } from '../src/report/header.js';
import { parseSettings, type Settings } from '../src/settings.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const STABLE = `ghcr.io/acme/checkout-api@sha256:${'a'.repeat(64)}`;

function settingsWith(inputs: Record<string, string> = {}): Settings {
  const all: Record<string, string> = { environment: 'prod', version: 'v2.14.0', sha: 'c'.repeat(40), service: 'checkout-api', digest: DIGEST, 'github-token': 't', 'slo-command': './check-slo.sh', ...inputs };
  const { settings, errors } = parseSettings((name) => all[name] ?? '', { GITHUB_REPOSITORY: 'acme/shop', GITHUB_WORKSPACE: '/tmp/ws' });
  if (!settings) throw new Error(errors.join('\n'));
  return settings;
}

const run = (parts: Partial<ReleaseRun>, outcome: Outcome = released('x')): ReleaseRun => ({ outcome, stages: [], ...parts }) as ReleaseRun;

describe('releaseFacts', () => {
  it('a re-run that found the image already running replaced nothing: no previous image', () => {
    const facts = releaseFacts(settingsWith(), run({ cluster: { alreadyDeployed: true, stableImages: [`ghcr.io/acme/checkout-api@${DIGEST}`] } as unknown as ReleaseRun['cluster'] }));
    expect(facts).toEqual({ image: `ghcr.io/acme/checkout-api@${DIGEST}` });
  });

  it('after a rollback, the image production went back to; the deployment when recorded', () => {
    const facts = releaseFacts(settingsWith(), run({
      cluster: { alreadyDeployed: false, stableImages: [STABLE] } as unknown as ReleaseRun['cluster'],
      rollback: { status: 'rolled-back', stableImages: [STABLE] } as unknown as ReleaseRun['rollback'],
      deployment: { id: 77, created: true, statuses: [], problems: [] },
      suspects: { from: 'v2.13.0', changes: [] },
    }));
    expect(facts).toEqual({ image: `ghcr.io/acme/checkout-api@${DIGEST}`, previousImage: STABLE, previousRelease: 'v2.13.0', deploymentId: 77 });
  });

  it('a dry run without a digest has no image; invalid inputs have no facts', () => {
    expect(releaseFacts(settingsWith({ digest: '', 'dry-run': 'true' }), undefined)).toEqual({});
    expect(releaseFacts(undefined, undefined)).toEqual({});
  });
});

describe('links', () => {
  it('the dashboard route under its root path, namespace and name encoded', () => {
    expect(rolloutDashboardUrl('http://localhost:3100/rollouts/', 'prod', 'checkout-api')).toBe('http://localhost:3100/rollouts/rollout/prod/checkout-api');
  });

  it('only http(s) becomes a link, and nothing in the address ends the link or the cell early', () => {
    expect(externalLink('lint', 'https://ci.example/a (b)|c')).toBe('[lint](https://ci.example/a%20%28b%29%7Cc)');
    expect(externalLink('lint', 'javascript:alert(1)')).toBe('lint');
    expect(externalLink('lint', 'data:text/html,x')).toBe('lint');
    expect(externalLink('lint', 'not a url')).toBe('lint');
    expect(externalLink('lint', null)).toBe('lint');
    // The label is text from elsewhere: inert inside the link.
    expect(externalLink('[x](https://evil.test) @team', 'https://ci.example/1')).toBe('[\\[x\\](https\u200d://evil.test) @\u200dteam](https://ci.example/1)');
  });

  it('digests are shortened to 12 hex digits; anything else is left alone', () => {
    expect(shortDigests(`set to ${STABLE}; hash 8flfwtlzgv`)).toBe('set to ghcr.io/acme/checkout-api@sha256:aaaaaaaaaaaa…; hash 8flfwtlzgv');
    expect(shortDigests('sha256:abc')).toBe('sha256:abc');
  });
});

describe('headerLines', () => {
  it('a rollback that did not complete says production may still run the canary, and how a re-run behaves', () => {
    const lines = headerLines(failed('rollback did not complete'), settingsWith(), run({
      cluster: { alreadyDeployed: false, stableImages: [STABLE] } as unknown as ReleaseRun['cluster'],
      tag: { status: 'created', tag: 'v2.14.0', detail: '' },
      canary: { state: 'slo_breach' } as unknown as ReleaseRun['canary'],
      rollback: { status: 'failed', stableImages: [] } as unknown as ReleaseRun['rollback'],
    }, failed('x')));
    expect(lines).toContain('ROLLBACK DID NOT COMPLETE: production may still run the canary');
    expect(lines).toContain('**A re-run:** is refused by preflight until the Rollout is at rest: restore production first');
  });

  it('links the incident issue where to look, a working link (the reasons show it as inert text)', () => {
    const incident = { id: 'INC-2026-11-30-01', url: 'https://github.com/acme/shop/issues/6', reused: false, file: { path: 'incidents/INC-2026-11-30-01.md', content: '' } };
    const lines = headerLines(failed('x'), settingsWith(), run({ incident }, failed('x')));
    expect(lines).toContain('Incident [INC-2026-11-30-01](https://github.com/acme/shop/issues/6)');
    expect(headerLines(failed('x'), settingsWith(), run({ incident: { ...incident, url: undefined, problem: 'no issues: write' } }, failed('x')))).not.toContain('Incident [');
  });

  it('links the Rollout in the dashboard when rollouts-dashboard-url is set', () => {
    const lines = headerLines(released('x'), settingsWith({ 'rollouts-dashboard-url': 'https://rollouts.example.com/rollouts' }), run({}));
    expect(lines).toContain('Rollout: [prod/checkout-api](https://rollouts.example.com/rollouts/rollout/prod/checkout-api)');
  });
});

describe('rollouts-dashboard-url input', () => {
  it.each([
    ['ftp://rollouts.example.com'],
    ['https://rollouts.example.com/?namespace=prod'],
    ['https://user:pass@rollouts.example.com/rollouts'],
    ['rollouts.example.com'],
  ])('%s is an input error naming the input', (url) => {
    const all: Record<string, string> = { environment: 'prod', version: 'v2.14.0', sha: 'c'.repeat(40), service: 'checkout-api', digest: DIGEST, 'github-token': 't', 'slo-command': 'x', 'rollouts-dashboard-url': url };
    const { settings, errors } = parseSettings((name) => all[name] ?? '', { GITHUB_REPOSITORY: 'acme/shop' });
    expect(settings).toBeUndefined();
    expect(errors).toEqual([expect.stringMatching(/^rollouts-dashboard-url '.*' is not the http\(s\) base URL of the Argo Rollouts dashboard/)]);
    expect(errors.join('')).not.toContain('pass');
  });
});
