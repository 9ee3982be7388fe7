// A KubePort whose client is loaded in the background: @kubernetes/client-node takes a few hundred
// milliseconds to import, which now overlaps the GitHub stages, and a run that stops before the
// cluster (invalid input, a gate) never pays it.
import type { KubePort } from './port.js';

export function lazyKubePort(load: () => Promise<KubePort>): KubePort {
  let loaded: KubePort | undefined;
  const ready = load().then((port) => (loaded = port));
  // Surfaced at first use; a run that never reaches the cluster must not die of it.
  ready.catch(() => undefined);
  const call = <K extends keyof KubePort>(name: K) =>
    (async (...args: unknown[]) => {
      const port = await ready;
      return (port[name] as (...a: unknown[]) => unknown)(...args);
    }) as KubePort[K];
  return {
    get writes() {
      return loaded?.writes ?? 0;
    },
    getRollout: call('getRollout'),
    replaceRollout: call('replaceRollout'),
    patchRolloutStatus: call('patchRolloutStatus'),
    jsonPatchRollout: call('jsonPatchRollout'),
    jsonPatchRolloutStatus: call('jsonPatchRolloutStatus'),
    getLease: call('getLease'),
    createLease: call('createLease'),
    replaceLease: call('replaceLease'),
    deleteLease: call('deleteLease'),
    getDeployment: call('getDeployment'),
    replaceDeployment: call('replaceDeployment'),
    jsonPatchDeployment: call('jsonPatchDeployment'),
    listReplicaSets: call('listReplicaSets'),
    listAnalysisRuns: call('listAnalysisRuns'),
    listExperiments: call('listExperiments'),
    watchRollout: call('watchRollout'),
  };
}
