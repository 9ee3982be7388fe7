// A stack trace from the bundle names src/ files and lines (dist/ carries source maps for the files
// holding our own code), and dist/ stays small enough to commit and to start fast.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DIST } from '../../sim/run-action.js';
import { worldPerTest } from './per-test-world.js';

const start = worldPerTest();

describe('the bundle', () => {
  it('with debug logging on, an unexpected error shows where it happened in src/', async () => {
    const w = await start();
    // A GITHUB_OUTPUT that does not exist: @actions/core throws when the outputs are written.
    const run = await w.run({ 'dry-run': 'true' }, { env: { RUNNER_DEBUG: '1', GITHUB_OUTPUT: path.join(w.kubeconfigPath, 'missing', 'output') } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::release-to-prod failed unexpectedly: Missing file at path');
    const trace = run.stdout.split('\n').find((line) => line.startsWith('::debug::Error: Missing file at path'))!.split('%0A');
    const ours = trace.filter((frame) => /\/src\/[\w/.-]+\.ts:\d+:\d+\)?$/.test(frame));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.join('\n')).toMatch(/src\/(finish|main)\.ts:\d+:\d+/);
  });

  it('dist/ stays under 10 MB', () => {
    const dir = path.dirname(DIST);
    const bytes = readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
  });
});
