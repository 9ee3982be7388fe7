// The pod-template hashes the simulated controller will give the seed Rollout's template with each
// image (the template the action PUTs is the stored one with the container's image replaced), so
// that exporters can label canary and stable pods before the action runs.
import { podTemplateHash, SimKube } from '../../sim/kube/index.js';
import { ROLLOUT } from '../../sim/world.js';

export async function templateHashes(...images: string[]): Promise<{ stable: string; canary: string[] }> {
  const kube = await SimKube.start();
  try {
    kube.addRollout(ROLLOUT);
    const stored = kube.getRollout(ROLLOUT.namespace, ROLLOUT.name).spec.template!;
    const withImage = (image: string) => {
      const template = structuredClone(stored);
      template.spec!.containers!.find((c) => c.name === ROLLOUT.name)!.image = image;
      return podTemplateHash(template);
    };
    return { stable: kube.getRollout(ROLLOUT.namespace, ROLLOUT.name).status!.stableRS as string, canary: images.map(withImage) };
  } finally {
    await kube.stop();
  }
}
