// Counts from counter readings, pure. A provider reads counters (one value per series: a pod's
// requests, errors or one histogram bucket); this turns successive readings into counts since the
// gate started, the way Prometheus' increase() does, without its extrapolation:
// - a value lower than the last one is a counter reset (a restarted pod): the new value is all new;
// - a series first seen after the first reading belongs to a pod that started since: all of it is new;
// - a series that vanished (a pod gone) keeps what it served.
// Missing counts are no data: a reading without requests for both groups gives no counts, and a
// reading whose value is missing (NaN: the command provider's group without `errors`) makes that
// count no data until a reading has it again. A provider that has an errors series only where errors
// occurred (Prometheus: a 5xx series appears at its first 5xx) simply has none: 0 errors.
import type { Bucket, CompareCounts, GroupCounts } from './types.js';

export interface CounterReading {
  /** Identity of the series (its label set), stable across readings. */
  readonly series: string;
  readonly group: 'canary' | 'stable';
  readonly kind: 'requests' | 'errors' | 'bucket';
  /** For buckets: the `le` bound in milliseconds (Infinity for +Inf). */
  readonly leMs?: number;
  /** NaN: the count is missing from this reading (no data). */
  readonly value: number;
}

/**
 * `first-reading`: counters since some past origin (Prometheus): the first reading is the baseline.
 * `zero`: counts since the gate started (the command provider): the baseline is 0.
 */
export type Origin = 'first-reading' | 'zero';

interface Tally {
  readonly reading: CounterReading;
  /** undefined while the series has had no value yet. */
  readonly last: number | undefined;
  readonly total: number;
  /** The latest reading of the series had no value. */
  readonly missing: boolean;
}

export type CounterState = ReadonlyMap<string, Tally>;

export function advanceCounters(state: CounterState | undefined, readings: readonly CounterReading[], origin: Origin): CounterState {
  const next = new Map(state ?? []);
  for (const reading of readings) {
    const key = `${reading.group}\u0000${reading.kind}\u0000${reading.leMs ?? ''}\u0000${reading.series}`;
    const known = next.get(key);
    if (!Number.isFinite(reading.value)) {
      next.set(key, { reading, last: known?.last, total: known?.total ?? 0, missing: true });
      continue;
    }
    let total: number;
    if (known?.last !== undefined) total = known.total + (reading.value >= known.last ? reading.value - known.last : reading.value);
    else total = state === undefined && origin === 'first-reading' ? 0 : reading.value;
    next.set(key, { reading, last: reading.value, total, missing: false });
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
  const ofKind = (kind: CounterReading['kind']) => tallies.filter((t) => t.reading.kind === kind);
  const requestTallies = ofKind('requests');
  if (requestTallies.length === 0 || requestTallies.some((t) => t.missing)) return undefined;
  const sum = (list: readonly Tally[]) => list.reduce((s, t) => s + t.total, 0);
  const errorTallies = ofKind('errors');
  const bucketTallies = ofKind('bucket');
  const byBound = new Map<number, number>();
  if (!bucketTallies.some((t) => t.missing)) for (const t of bucketTallies) byBound.set(t.reading.leMs!, (byBound.get(t.reading.leMs!) ?? 0) + t.total);
  const buckets: Bucket[] = [...byBound].sort((a, b) => a[0] - b[0]).map(([leMs, count]) => ({ leMs, count }));
  return { requests: sum(requestTallies), ...(errorTallies.some((t) => t.missing) ? {} : { errors: sum(errorTallies) }), ...(buckets.length ? { buckets } : {}) };
}
