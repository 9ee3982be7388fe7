// Counts from counter readings, pure. A provider reads counters (one value per series: a pod's
// requests, errors or one histogram bucket); this turns successive readings into counts since the
// gate started, the way Prometheus' increase() does, without its extrapolation:
// - a value lower than the last one is a counter reset (a restarted pod): the new value is all new;
// - a series first seen after the first reading belongs to a pod that started since: all of it is new;
// - a series that vanished (a pod gone) keeps what it served.
// Missing counts are no data: a reading without requests for both groups gives no counts.
import type { Bucket, CompareCounts, GroupCounts } from './types.js';

export interface CounterReading {
  /** Identity of the series (its label set), stable across readings. */
  readonly series: string;
  readonly group: 'canary' | 'stable';
  readonly kind: 'requests' | 'errors' | 'bucket';
  /** For buckets: the `le` bound in milliseconds (Infinity for +Inf). */
  readonly leMs?: number;
  readonly value: number;
}

/**
 * `first-reading`: counters since some past origin (Prometheus): the first reading is the baseline.
 * `zero`: counts since the gate started (the command provider): the baseline is 0.
 */
export type Origin = 'first-reading' | 'zero';

interface Tally {
  readonly reading: CounterReading;
  readonly last: number;
  readonly total: number;
}

export type CounterState = ReadonlyMap<string, Tally>;

export function advanceCounters(state: CounterState | undefined, readings: readonly CounterReading[], origin: Origin): CounterState {
  const next = new Map(state ?? []);
  for (const reading of readings) {
    if (!Number.isFinite(reading.value)) continue;
    const key = `${reading.group}\u0000${reading.kind}\u0000${reading.leMs ?? ''}\u0000${reading.series}`;
    const known = next.get(key);
    let total: number;
    if (known) total = known.total + (reading.value >= known.last ? reading.value - known.last : reading.value);
    else total = state === undefined && origin === 'first-reading' ? 0 : reading.value;
    next.set(key, { reading, last: reading.value, total });
  }
  return next;
}

export function countsOf(state: CounterState | undefined): CompareCounts | undefined {
  if (!state) return undefined;
  const canary = group(state, 'canary');
  const stable = group(state, 'stable');
  return canary && stable ? { canary, stable } : undefined;
}

function group(state: CounterState, name: CounterReading['group']): GroupCounts | undefined {
  const tallies = [...state.values()].filter((t) => t.reading.group === name);
  const requestTallies = tallies.filter((t) => t.reading.kind === 'requests');
  if (requestTallies.length === 0) return undefined;
  const sum = (list: readonly Tally[]) => list.reduce((s, t) => s + t.total, 0);
  const byBound = new Map<number, number>();
  for (const t of tallies) if (t.reading.kind === 'bucket') byBound.set(t.reading.leMs!, (byBound.get(t.reading.leMs!) ?? 0) + t.total);
  const buckets: Bucket[] = [...byBound].sort((a, b) => a[0] - b[0]).map(([leMs, count]) => ({ leMs, count }));
  return { requests: sum(requestTallies), errors: sum(tallies.filter((t) => t.reading.kind === 'errors')), ...(buckets.length ? { buckets } : {}) };
}
