// src/main.ts exports run() for drivers such as @github/local-action, which import the module and
// call run() themselves (dist/index.js calls it through src/index.ts). Driven here the same way: a
// Node process that imports src/main.ts through tsx, with a runner's environment, against the simulated world.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NEW_IMAGE, type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const MAIN = pathToFileURL(path.join(ROOT, 'src', 'main.ts')).href;
const start = worldPerTest();
const image = (w: World) => (w.kube.getRollout('prod', 'checkout-api').spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image;

/** `node --import tsx` running a module body: what a driver does with the action's entrypoint. */
const driver = (body: string) => ['--import', TSX, '--input-type=module', '--eval', `const main = await import(${JSON.stringify(MAIN)});\n${body}`];

describe('run() exported by src/main.ts', () => {
  it('called by a driver: the release runs, with its outputs, report and exit code', async () => {
    const w = await start();
    const run = await w.run({}, { node: driver('await main.run();') });
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('released');
    expect(run.report().split('\n')[0]).toBe('# RELEASED — checkout-api v2.14.0 → prod');
    expect(image(w)).toBe(NEW_IMAGE);
  });

  it('a failing release sets the exit code the runner sees (3: aborted and rolled back)', async () => {
    const w = await start();
    const run = await w.run({}, { node: driver('await main.run();'), env: { SLO_PLAN: JSON.stringify({ 25: { error_rate: 0.05 } }) } });
    expect(run.code).toBe(3);
    expect(run.outputs.result).toBe('aborted');
  });

  it('importing the module runs nothing: no output, no request', async () => {
    const w = await start();
    const run = await w.run({}, { node: driver("console.log(typeof main.run);") });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('function');
    expect(run.outputs).toEqual({});
    expect(w.kube.requests).toEqual([]);
    expect(w.github.requests).toEqual([]);
  });
});
