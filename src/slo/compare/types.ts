// What the comparison is fed and what it returns. Counts are cumulative since the step's gate
// started; they may be fractional (Prometheus extrapolates). Latency buckets are Prometheus `le`
// buckets in milliseconds, cumulative, the last one +Inf (Infinity here).

export interface Bucket {
  readonly leMs: number;
  readonly count: number;
}

export interface GroupCounts {
  readonly requests: number;
  /** undefined: the provider's reading had no error count for the group (no data, never 0). */
  readonly errors?: number;
  readonly buckets?: readonly Bucket[];
}

export interface CompareCounts {
  readonly canary: GroupCounts;
  readonly stable: GroupCounts;
}

/** One metric's evidence after a sample. */
export interface Evidence {
  readonly metric: 'error_rate' | 'latency';
  /** log e-value against "the canary is within tolerance": breach once ≥ log(1/alpha share). */
  readonly logEWorse: number;
  /** log e-value against "the canary is worse beyond tolerance": proven within once ≥ log(1/alpha). */
  readonly logEWithin: number;
  /**
   * errors: canary error rate ÷ stable's. latency: at the bound `boundMs` that shows the most
   * evidence, canary's share slower than it ÷ stable's share slower than boundMs / (1 + tolerance).
   * null when stable has no event to divide by.
   */
  readonly estimate: number | null;
  /**
   * Confidence sequence for the same ratio (0 / Infinity when a side is not bounded yet): lower end
   * at the breach level, upper end at the promotion level. Left out when not asked for (the bench).
   */
  readonly lower?: number;
  readonly upper?: number;
  /** The ratio above which the canary is worse beyond tolerance (1 + tolerance, or 1 for latency). */
  readonly boundary: number;
  readonly boundMs?: number;
  readonly canaryEvents: number;
  readonly stableEvents: number;
}

export interface CompareLevels {
  /** Breach when a metric's e-value reaches 1 / this (its share of the release's alpha). */
  readonly breachAlpha: number;
  /** Early promotion when every metric's e-value against "worse" reaches 1 / this (alpha, per step). */
  readonly promoteAlpha: number;
  readonly tolerance: number;
  /** Compute the confidence interval for the report (≈100 e-value evaluations); the bench skips it. */
  readonly interval?: boolean;
}
