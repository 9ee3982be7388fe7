import type { TemplateOwner } from '../src/rollouts/image.js';
import type { RolloutObject } from '../src/rollouts/observe.js';
import { preflightSafety, WARNING } from '../src/rollouts/preflight-safety.js';
import { parseSettings, type Settings } from '../src/settings.js';

function settings(slo = '{window_minutes: 5, interval_seconds: 30}'): Settings {
  const all: Record<string, string> = { environment: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), service: 'checkout-api', digest: `sha256:${'b'.repeat(64)}`, 'github-token': 'x', 'slo-command': './check.sh', slo };
  return parseSettings((n) => all[n] ?? '', { GITHUB_REPOSITORY: 'acme/shop' }).settings!;
}
const rollout = (canary: object): RolloutObject => ({ metadata: { name: 'checkout-api' }, spec: { strategy: { canary: { steps: [], ...canary } } } });
const inRollout = (r: RolloutObject): TemplateOwner => ({ kind: 'Rollout', name: 'checkout-api', object: r as never });
const deployment = (replicas: number | undefined): TemplateOwner => ({ kind: 'Deployment', name: 'checkout-api-deploy', object: { metadata: { name: 'checkout-api-deploy' }, spec: replicas === undefined ? {} : { replicas } } });
const routed = { trafficRouting: { nginx: { stableIngress: 'x' } } };

describe('preflightSafety', () => {
  it('refuses a workloadRef Deployment that still asks for pods, naming it and the fix', () => {
    const { problems } = preflightSafety(rollout(routed), deployment(3), settings());
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('Deployment checkout-api-deploy (the workloadRef of Rollout checkout-api) still asks for 3 pods (spec.replicas: 3)');
    expect(problems[0]).toContain('kubectl scale deployment checkout-api-deploy -n prod --replicas=0');
    // Absent replicas is 1 on the API server.
    expect(preflightSafety(rollout(routed), deployment(undefined), settings()).problems[0]).toContain('still asks for 1 pod (spec.replicas: 1)');
    expect(preflightSafety(rollout(routed), deployment(0), settings('{window_minutes: 0.25}')).problems).toEqual([]);
  });

  it('warns when the default 30 s scale-down delay is shorter than the 100% bake', () => {
    const { warnings, problems } = preflightSafety(rollout(routed), inRollout(rollout(routed)), settings());
    expect(problems).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^${WARNING}scaleDownDelaySeconds is 30 s \\(the default with traffic routing\\), shorter than the 100% bake \\(5 min\\)`))]);
    expect(warnings[0]).toContain('set spec.strategy.canary.scaleDownDelaySeconds to at least 330 on Rollout checkout-api');
  });

  it('is quiet when scaleDownDelaySeconds covers the bake', () => {
    expect(preflightSafety(rollout({ ...routed, scaleDownDelaySeconds: 300 }), inRollout(rollout(routed)), settings()).warnings).toEqual([]);
    expect(preflightSafety(rollout(routed), inRollout(rollout(routed)), settings('{window_minutes: 0.25}')).warnings).toEqual([]);
  });

  it('warns a basic canary that its stable is scaled down at once', () => {
    const { warnings } = preflightSafety(rollout({}), inRollout(rollout({})), settings('{window_minutes: 0.5}'));
    expect(warnings).toEqual([expect.stringContaining('without traffic routing the stable ReplicaSet is scaled down as soon as the canary is fully promoted, shorter than the 100% bake (30 s)')]);
  });
});
