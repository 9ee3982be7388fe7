import type { Weight } from '../src/settings.js';
import { checkSteps, stepsBlock } from '../src/rollouts/steps.js';

const W = (...w: number[]) => w as Weight[];

describe('checkSteps', () => {
  it('accepts setWeight + pause {} for each weight below 100, with or without setWeight 100', () => {
    const steps = [{ setWeight: 5 }, { pause: {} }, { setWeight: 25 }, { pause: {} }];
    expect(checkSteps(steps, W(5, 25, 100), 'api')).toEqual({ ok: true, pauseIndex: new Map([[5, 1], [25, 3]]) });
    expect(checkSteps([...steps, { setWeight: 100 }], W(5, 25, 100), 'api').ok).toBe(true);
  });

  it('rejects a timed pause and prints the steps block to use', () => {
    const result = checkSteps([{ setWeight: 5 }, { pause: { duration: '10m' } }, { setWeight: 25 }, { pause: {} }], W(5, 25, 100), 'checkout-api');
    expect(result.ok).toBe(false);
    expect(result.problem).toBe(
      'Rollout checkout-api step 2 is { pause: { duration: 10m } }, expected { pause: {} } (a timed pause lets the controller advance before the SLO gate decides). ' +
        'release-to-prod needs `pause: {}` after each setWeight so the SLO gate decides. Use these steps for canary-steps 5,25,100:\n' +
        'steps:\n  - setWeight: 5\n  - pause: {}\n  - setWeight: 25\n  - pause: {}\n  - setWeight: 100',
    );
  });

  it('rejects other weights, missing steps and extra steps', () => {
    expect(checkSteps([{ setWeight: 10 }, { pause: {} }], W(5, 100), 'api').problem).toMatch(/^Rollout api step 1 is \{ setWeight: 10 \}, expected \{ setWeight: 5 \}/);
    expect(checkSteps([{ setWeight: 5 }], W(5, 100), 'api').problem).toMatch(/^Rollout api has only 1 step, step 2 should be \{ pause: \{\} \}/);
    expect(checkSteps([{ setWeight: 5 }, { pause: {} }, { setWeight: 100 }, { pause: {} }], W(5, 100), 'api').problem).toMatch(/step 4 is \{ pause: \{\} \}, after the last one/);
    expect(checkSteps(undefined, W(100), 'api').ok).toBe(true);
  });

  it('prints a block that is valid YAML', () => {
    expect(stepsBlock(W(50, 100))).toBe('steps:\n  - setWeight: 50\n  - pause: {}\n  - setWeight: 100');
  });
});
