// Reference §0 "Steps must match": each requested weight below 100 needs `setWeight: W` followed
// by an indefinite `pause: {}`, so that the controller waits for our SLO gate at every step.
import * as YAML from 'yaml';
import type { Weight } from '../settings.js';

export type CanaryStep = Readonly<Record<string, unknown>>;

/** The steps block release-to-prod needs for these weights. */
export function expectedSteps(weights: readonly Weight[]): CanaryStep[] {
  return weights.flatMap((w): CanaryStep[] => (w < 100 ? [{ setWeight: w }, { pause: {} }] : [{ setWeight: 100 }]));
}

export function stepsBlock(weights: readonly Weight[]): string {
  return YAML.stringify({ steps: expectedSteps(weights) }, { flow: false }).trimEnd();
}

export interface StepsCheck {
  readonly ok: boolean;
  /** Index of the `pause: {}` that follows `setWeight: W`, for each weight below 100. */
  readonly pauseIndex: ReadonlyMap<number, number>;
  readonly problem?: string;
}

const describeStep = (step: unknown) => YAML.stringify(step, { flow: true }).trim();

/** Compares the Rollout's own steps with the requested weights; a trailing `setWeight: 100` is optional. */
export function checkSteps(steps: readonly unknown[] | undefined, weights: readonly Weight[], rollout: string): StepsCheck {
  const wanted = expectedSteps(weights);
  const actual = steps ?? [];
  const pauseIndex = new Map<number, number>();
  const optionalTail = wanted.length - 1; // the final `setWeight: 100`
  for (let i = 0; i < Math.max(wanted.length, actual.length); i += 1) {
    const want = wanted[i];
    const have = actual[i];
    if (i === optionalTail && have === undefined && actual.length === optionalTail) break;
    if (!sameStep(want, have)) {
      const detail = have === undefined
        ? `has only ${actual.length} step${actual.length === 1 ? '' : 's'}, step ${i + 1} should be ${describeStep(want)}`
        : want === undefined
          ? `step ${i + 1} is ${describeStep(have)}, after the last one release-to-prod drives`
          : `step ${i + 1} is ${describeStep(have)}, expected ${describeStep(want)}`;
      const why = isTimedPause(have) ? ' (a timed pause lets the controller advance before the SLO gate decides)' : '';
      return {
        ok: false,
        pauseIndex,
        problem: `Rollout ${rollout} ${detail}${why}. release-to-prod needs \`pause: {}\` after each setWeight so the SLO gate decides. Use these steps for canary-steps ${weights.join(',')}:\n${stepsBlock(weights)}`,
      };
    }
    if (want && 'pause' in want) pauseIndex.set((wanted[i - 1] as { setWeight: number }).setWeight, i);
  }
  return { ok: true, pauseIndex };
}

function isTimedPause(step: unknown): boolean {
  return typeof step === 'object' && step !== null && 'pause' in step && typeof (step as { pause: unknown }).pause === 'object' && (step as { pause: Record<string, unknown> }).pause?.duration !== undefined;
}

function sameStep(want: CanaryStep | undefined, have: unknown): boolean {
  if (!want || typeof have !== 'object' || have === null) return false;
  const keys = Object.keys(have);
  if (keys.length !== 1) return false;
  if ('setWeight' in want) return keys[0] === 'setWeight' && Number((have as { setWeight: unknown }).setWeight) === want.setWeight;
  const pause = (have as { pause?: unknown }).pause;
  return keys[0] === 'pause' && (pause === null || (typeof pause === 'object' && Object.keys(pause as object).length === 0));
}
