/**
 * Where a check run or job stands at a given clock time. Computed on every read rather than
 * stored, so a run seeded with `completeAfterMs` needs no timer and follows an injected clock.
 */
import type { CheckStatus, Conclusion, Progress } from './model.js';

export interface ProgressView {
  readonly status: CheckStatus;
  readonly conclusion: Conclusion | null;
  readonly startedAt: number;
  readonly completedAt: number | null;
}

export function progressAt(progress: Progress, servingSince: number, now: number): ProgressView {
  const { completeAfterMs } = progress;
  if (completeAfterMs === undefined || now - servingSince < completeAfterMs) {
    return {
      status: progress.status,
      conclusion: progress.status === 'completed' ? progress.conclusion : null,
      startedAt: progress.startedAt,
      completedAt: progress.status === 'completed' ? progress.completedAt : null,
    };
  }
  return {
    status: 'completed',
    conclusion: progress.completeWith ?? 'success',
    startedAt: progress.startedAt,
    completedAt: servingSince + completeAfterMs,
  };
}

/** Seeds say as little as they like; fill the rest the way GitHub would. */
export function seedProgress(
  seed: { status?: CheckStatus; conclusion?: Conclusion | null; completeAfterMs?: number; completeWith?: Conclusion },
  startedAt: number,
): Progress {
  const pending = seed.completeAfterMs !== undefined;
  const status = seed.status ?? (pending ? 'in_progress' : seed.conclusion === null ? 'in_progress' : 'completed');
  const completed = status === 'completed';
  return {
    status,
    conclusion: completed ? (seed.conclusion ?? 'success') : null,
    startedAt,
    completedAt: completed ? startedAt + 60_000 : null,
    ...(seed.completeAfterMs !== undefined && { completeAfterMs: seed.completeAfterMs }),
    ...(seed.completeWith !== undefined && { completeWith: seed.completeWith }),
  };
}
