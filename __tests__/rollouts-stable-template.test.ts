import type { PodTemplateHolder } from '../src/kube/port.js';
import type { RolloutObject } from '../src/rollouts/observe.js';
import { EPHEMERAL_METADATA, restorableTemplate } from '../src/rollouts/stable-template.js';

const userTemplate = {
  metadata: { labels: { app: 'demo', team: 'payments' }, annotations: { 'prometheus.io/scrape': 'true' } },
  spec: { containers: [{ name: 'demo', image: 'demo:v1' }] },
};
const hashTerm = { labelSelector: { matchExpressions: [{ key: 'rollouts-pod-template-hash', operator: 'In', values: ['older'] }] }, namespaces: ['prod'], topologyKey: 'kubernetes.io/hostname' };
const userTerm = { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' };

function rs(template: object, ephemeral?: object): PodTemplateHolder {
  return { metadata: { name: 'demo-stable', annotations: ephemeral ? { [EPHEMERAL_METADATA]: JSON.stringify(ephemeral) } : {} }, spec: { template } };
}
function rollout(antiAffinity?: object): RolloutObject {
  return { metadata: { name: 'demo' }, spec: { strategy: { canary: { steps: [], ...(antiAffinity ? { antiAffinity } : {}) } as never } } };
}

describe('restorableTemplate', () => {
  it('removes the hash label and what stableMetadata injected, keeping the user\'s own labels', () => {
    const live = {
      ...userTemplate,
      metadata: {
        labels: { ...userTemplate.metadata.labels, 'rollouts-pod-template-hash': 'abc', role: 'stable' },
        annotations: { ...userTemplate.metadata.annotations, 'example.com/tier': 'stable' },
      },
    };
    const restored = restorableTemplate(rs(live, { labels: { role: 'stable' }, annotations: { 'example.com/tier': 'stable' } }), rollout());
    expect(restored.template).toEqual(userTemplate);
    expect(restored.stripped).toEqual(['label role=stable', 'annotation example.com/tier']);
  });

  it('drops an annotations map only the controller had filled', () => {
    const live = { metadata: { labels: { app: 'demo', role: 'stable' }, annotations: { x: '1' } }, spec: userTemplate.spec };
    expect(restorableTemplate(rs(live, { labels: { role: 'stable' }, annotations: { x: '1' } }), rollout()).template).toEqual({ metadata: { labels: { app: 'demo' } }, spec: userTemplate.spec });
  });

  it('trusts only the ephemeral-metadata record: without it (or unreadable), only the hash label goes', () => {
    const live = { ...userTemplate, metadata: { ...userTemplate.metadata, labels: { ...userTemplate.metadata.labels, 'rollouts-pod-template-hash': 'abc' } } };
    expect(restorableTemplate(rs(live), rollout()).template).toEqual(userTemplate);
    const broken: PodTemplateHolder = { metadata: { annotations: { [EPHEMERAL_METADATA]: '{not json' } }, spec: { template: live } };
    expect(restorableTemplate(broken, rollout()).template).toEqual(userTemplate);
  });

  it('removes the injected preferred anti-affinity term and the objects it leaves empty', () => {
    const live = { ...userTemplate, spec: { ...userTemplate.spec, affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: hashTerm }] } } } };
    const restored = restorableTemplate(rs(live), rollout({ preferredDuringSchedulingIgnoredDuringExecution: { weight: 100 } }));
    expect(restored.template).toEqual(userTemplate);
    expect(restored.stripped).toEqual(['the injected anti-affinity term']);
  });

  it('keeps the user\'s own required anti-affinity terms, removing only the one on the hash label', () => {
    const affinity = (terms: object[]) => ({ ...userTemplate, spec: { ...userTemplate.spec, affinity: { nodeAffinity: { x: 1 }, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } } });
    const restored = restorableTemplate(rs(affinity([userTerm, hashTerm])), rollout({ requiredDuringSchedulingIgnoredDuringExecution: {} }));
    expect(restored.template).toEqual(affinity([userTerm]));
  });

  it('leaves affinity alone when the Rollout asks for no anti-affinity', () => {
    const live = { ...userTemplate, spec: { ...userTemplate.spec, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [hashTerm] } } } };
    expect(restorableTemplate(rs(live), rollout()).template).toEqual(live);
  });
});
