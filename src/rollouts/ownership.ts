// "Is this canary the one this run wrote?" — asked before every promote (contract: One release per
// Rollout at a time). The Lease keeps other runs of release-to-prod out; this catches everyone
// else: a person with kubectl, another pipeline, a GitOps sync that set another image mid-release.
// The canary is the ReplicaSet of status.currentPodHash owned by the Rollout; it must run our
// image@digest in our container and, once we have seen it, keep the pod-template hash the
// controller computed from our change (another edit of the template — an env var, a label — gives
// another hash even with our image).
import type { KubePort } from '../kube/port.js';
import type { RolloutObject } from './observe.js';
import { ownedReplicaSet, templateImages } from './replicasets.js';

export class NotOurCanaryError extends Error {
  constructor(
    /** The image(s) the canary found runs, comma-separated ('unknown' when unreadable). */
    readonly image: string,
    /** The pod-template hash of the canary found. */
    readonly hash: string,
    detail?: string,
  ) {
    super(
      `the canary is not this run's: it runs ${image} (pod-template hash ${hash})${detail ? `; ${detail}` : ''}. ` +
        'Someone else changed the Rollout during this release: it was not promoted, and not rolled back either (it is theirs). ' +
        'Find out who changed it before releasing again.',
    );
    this.name = 'NotOurCanaryError';
  }
}

export interface ExpectedCanary {
  /** image@digest, as this run set it. */
  readonly image: string;
  /** The pod-template hash first seen for our change; undefined until then. */
  readonly canaryHash?: string;
  /** The container whose image this run set; without it, any container of the template. */
  readonly container?: string;
}

/** Resolves to the canary's pod-template hash when it is ours; throws NotOurCanaryError when not. */
export async function verifyOwnCanary(kube: KubePort, namespace: string, rollout: RolloutObject, expected: ExpectedCanary): Promise<string> {
  const hash = rollout.status?.currentPodHash;
  const name = rollout.metadata.name ?? '?';
  if (!hash) throw new Error(`Rollout ${name} has no current pod-template hash yet: cannot tell whose canary it is`);
  const rs = await ownedReplicaSet(kube, namespace, rollout, hash);
  const images = templateImages(rs, expected.container);
  const found = images.join(', ') || 'unknown';
  if (expected.canaryHash && hash !== expected.canaryHash) {
    throw new NotOurCanaryError(found, hash, `this run's canary was ${expected.canaryHash} running ${expected.image}`);
  }
  if (!rs) throw new Error(`no ReplicaSet of Rollout ${name} has pod-template hash ${hash} yet: cannot tell whose canary it is`);
  const ours = expected.container ? images.length > 0 && images.every((i) => i === expected.image) : images.includes(expected.image);
  if (!ours) throw new NotOurCanaryError(found, hash, `this run set ${expected.container ? `container ${expected.container} to ` : ''}${expected.image}`);
  return hash;
}

/** What the Rollout's canary runs now — "image (pod-template hash h)" — for the failure message. */
export async function describeCanary(kube: KubePort, namespace: string, name: string, container?: string): Promise<string | undefined> {
  const rollout = await kube.getRollout(namespace, name);
  const hash = rollout?.status?.currentPodHash;
  if (!rollout || !hash) return undefined;
  const images = templateImages(await ownedReplicaSet(kube, namespace, rollout, hash), container);
  return `${images.join(', ') || 'an unknown image'} (pod-template hash ${hash})`;
}
