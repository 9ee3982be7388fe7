// One SLO provider interface, one file per backend (prometheus.ts, command.ts), picked by a key in
// index.ts. A provider only measures; judge.ts decides, bake.ts samples over the window.
import type { Slo } from '../settings.js';
import type { CounterReading, Origin } from './compare/counts.js';

/** What a provider needs to know about the step it measures. */
export interface SloContext {
  readonly service: string;
  readonly namespace: string;
  readonly version: string;
  readonly sha: string;
  /** The canary weight of this step, e.g. 25. */
  readonly step: number;
  readonly canaryHash: string;
  readonly stableHash: string;
  readonly slo: Slo;
}

/** One reading. `null` means the backend had no data for that metric (never read as zero). */
export interface Measurement {
  readonly errorRate: number | null;
  readonly p95LatencyMs: number | null;
  /** Requests seen by the canary in the window, when the backend knows. */
  readonly requests: number | null;
  /** A provider that decides itself (the command provider's exit code) says so here. */
  readonly decision?: 'within' | 'breach';
  /** The backend could not be asked or answered nonsense: a gate error, treated as a breach. */
  readonly gateError?: string;
  /**
   * The backend is passing through a fault that may clear (no connection, timeout, HTTP 5xx/429):
   * bake.ts asks again within the sample's period, and only then counts the sample as no data.
   */
  readonly unavailable?: string;
  /** With slo.compare: stable, the counters of both groups (bake.ts differences them); absent: no data. */
  readonly counters?: { readonly origin: Origin; readonly readings: readonly CounterReading[] };
  /** Other numeric fields the backend reported, shown in the report. */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface SloProviderBackend {
  readonly name: 'prometheus' | 'command';
  /** Resolves when the backend answers; rejects with an actionable message otherwise (preflight). */
  ping(signal?: AbortSignal): Promise<void>;
  measure(context: SloContext, signal?: AbortSignal): Promise<Measurement>;
  /** The queries or command line, for the report. */
  describe(context: SloContext): readonly string[];
}
