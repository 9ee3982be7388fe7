/** Commit-graph questions (ancestry, ranges, merge base) over the sim's commit map. Pure. */
import type { Commit, Sha } from './model.js';

export type CommitGraph = ReadonlyMap<Sha, Commit>;

/** Every commit reachable from `sha`, itself included. */
export function ancestors(graph: CommitGraph, sha: Sha): Set<Sha> {
  const seen = new Set<Sha>();
  const stack = [sha];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next)?.parents ?? []));
  }
  return seen;
}

/**
 * Commits reachable from `head` but not from `base`, parents before children (GitHub's order).
 * Without `base`: every ancestor of `head` (the whole history `git log head` shows).
 */
export function range(graph: CommitGraph, base: Sha | undefined, head: Sha): Commit[] {
  const excluded = base === undefined ? new Set<Sha>() : ancestors(graph, base);
  const ordered: Commit[] = [];
  const visited = new Set<Sha>();
  // Iterative post-order walk: a commit is emitted once all its parents are.
  const stack: Array<{ sha: Sha; expanded: boolean }> = [{ sha: head, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    const commit = graph.get(top.sha);
    if (!commit || excluded.has(top.sha)) continue;
    if (top.expanded) {
      ordered.push(commit);
      continue;
    }
    if (visited.has(top.sha)) continue;
    visited.add(top.sha);
    stack.push({ sha: top.sha, expanded: true });
    for (const parent of [...commit.parents].reverse()) stack.push({ sha: parent, expanded: false });
  }
  return ordered;
}

/** Nearest common ancestor, walking breadth-first back from `head`. */
export function mergeBase(graph: CommitGraph, base: Sha, head: Sha): Sha | undefined {
  const fromBase = ancestors(graph, base);
  const queue = [head];
  const seen = new Set<Sha>();
  while (queue.length > 0) {
    const sha = queue.shift()!;
    if (fromBase.has(sha)) return sha;
    if (seen.has(sha)) continue;
    seen.add(sha);
    queue.push(...(graph.get(sha)?.parents ?? []));
  }
  return undefined;
}

export type CompareStatus = 'identical' | 'ahead' | 'behind' | 'diverged';

export function compareStatus(aheadBy: number, behindBy: number): CompareStatus {
  if (aheadBy === 0 && behindBy === 0) return 'identical';
  if (behindBy === 0) return 'ahead';
  return aheadBy === 0 ? 'behind' : 'diverged';
}
