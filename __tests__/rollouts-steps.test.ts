import type { Weight } from '../src/settings.js';
import { describeStep, stepsBlock } from '../src/rollouts/steps.js';

describe('steps', () => {
  it('prints a block that is valid YAML', () => {
    expect(stepsBlock([50, 100] as Weight[])).toBe('steps:\n  - setWeight: 50\n  - pause: {}\n  - setWeight: 100');
  });
  it('describes one step inline', () => {
    expect(describeStep({ pause: { duration: '10m' } })).toBe('{ pause: { duration: 10m } }');
  });
});
