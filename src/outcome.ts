// The five results of the contract and the exit code each one means.
export type Result = 'released' | 'blocked' | 'aborted' | 'dry-run' | 'failed';

export interface Outcome {
  readonly result: Result;
  readonly exitCode: 0 | 1 | 2 | 3;
  /** One line: why the run ended where it did. */
  readonly headline: string;
  /** Each reason on its own line under `## Blocked` / `## Failed` in the report. */
  readonly reasons: readonly string[];
}

export const HEADINGS: Record<Result, string> = {
  released: 'RELEASED',
  blocked: 'BLOCKED',
  aborted: 'ABORTED',
  'dry-run': 'DRY-RUN',
  failed: 'FAILED',
};

export function released(headline: string): Outcome {
  return { result: 'released', exitCode: 0, headline, reasons: [] };
}
export function dryRun(headline: string): Outcome {
  return { result: 'dry-run', exitCode: 0, headline, reasons: [] };
}
/** Blocked by the approval or CI gate. */
export function blocked(headline: string, reasons: readonly string[]): Outcome {
  return { result: 'blocked', exitCode: 2, headline, reasons };
}
/** Invalid input: reported as BLOCKED, but exit 1 like every other input error. */
export function invalid(reasons: readonly string[]): Outcome {
  return { result: 'blocked', exitCode: 1, headline: `${reasons.length} invalid input${reasons.length === 1 ? '' : 's'}`, reasons };
}
/** Tag conflict, infrastructure failure, cancellation, a stage that does not exist yet. */
export function failed(headline: string, reasons: readonly string[] = []): Outcome {
  return { result: 'failed', exitCode: 1, headline, reasons };
}
/** The canary stopped and production is back on the stable version. */
export function aborted(headline: string, reasons: readonly string[]): Outcome {
  return { result: 'aborted', exitCode: 3, headline, reasons };
}
