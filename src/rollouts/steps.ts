// How steps are written back to the user: the steps block that gives a list of weights an
// indefinite `pause: {}` each (what v1 required and still the simplest shape), and one step inline.
import * as YAML from 'yaml';
import type { Weight } from '../settings.js';

export type CanaryStep = Readonly<Record<string, unknown>>;

/** The steps block for these weights: `setWeight: W` + `pause: {}` below 100. */
export function expectedSteps(weights: readonly Weight[]): CanaryStep[] {
  return weights.flatMap((w): CanaryStep[] => (w < 100 ? [{ setWeight: w }, { pause: {} }] : [{ setWeight: 100 }]));
}

export function stepsBlock(weights: readonly Weight[]): string {
  return YAML.stringify({ steps: expectedSteps(weights) }, { flow: false }).trimEnd();
}

/** A step as YAML flow, e.g. `{ pause: { duration: 10m } }`. */
export const describeStep = (step: unknown): string => YAML.stringify(step, { flow: true }).trim();
