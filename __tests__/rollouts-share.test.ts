// Argo's replica-ratio weights (utils/replicaset/canary.go approximateWeightedCanaryStableReplicaCounts),
// checked against the figures in reference §11 and the examples in the function's doc comment.
import { basicCanaryCounts, basicCanaryShare, replicasWithinLimit, resolveMaxSurge } from '../src/rollouts/share.js';

const share = (replicas: number, weight: number) => Math.round(basicCanaryShare(replicas, weight, 100, resolveMaxSurge(undefined, replicas)));

describe('basic canary share', () => {
  it('matches reference §11 with the default maxSurge 25%', () => {
    expect([share(1, 5), share(1, 25)]).toEqual([50, 50]);
    expect(share(2, 5)).toBe(33);
    expect(share(3, 5)).toBe(25);
    expect([share(4, 5), share(4, 25)]).toEqual([20, 25]);
    expect([share(5, 5), share(5, 25)]).toEqual([17, 20]);
    expect([share(10, 5), share(10, 25)]).toEqual([9, 27]);
    expect(share(20, 5)).toBe(5);
  });

  it('keeps the examples of the Go doc comment', () => {
    expect(basicCanaryCounts(10, 10, 100, 1)).toEqual({ canary: 1, stable: 9 });
    expect(basicCanaryCounts(1, 5, 100, 1)).toEqual({ canary: 1, stable: 1 });
    expect(basicCanaryCounts(1, 95, 100, 1)).toEqual({ canary: 1, stable: 1 });
  });

  it('gives zero canary pods with 1 replica and maxSurge 0 (zeroAllowed), ties round up', () => {
    expect(basicCanaryCounts(1, 20, 100, 0)).toEqual({ canary: 0, stable: 1 });
    expect(basicCanaryCounts(3, 50, 100, 0)).toEqual({ canary: 2, stable: 1 });
  });

  it('names the smallest replica count within max(2·W, W+10)', () => {
    expect(replicasWithinLimit(1, 5, 100, (r) => resolveMaxSurge(undefined, r))).toBe(6);
    expect(replicasWithinLimit(4, 5, 100, (r) => resolveMaxSurge(undefined, r))).toBe(6);
    expect(replicasWithinLimit(1, 20, 100, (r) => resolveMaxSurge(undefined, r))).toBe(2);
  });

  it('resolves maxSurge as an int or a percentage rounded up', () => {
    expect([resolveMaxSurge(undefined, 10), resolveMaxSurge('10%', 10), resolveMaxSurge(0, 10), resolveMaxSurge('1', 10)]).toEqual([3, 1, 0, 1]);
  });
});
