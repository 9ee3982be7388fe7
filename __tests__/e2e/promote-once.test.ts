// A promote whose answer is lost never skips a gate, through dist/index.js: the API server applies
// the /status patch, the controller moves on (and may already stand at the next pause), and the
// action hears a 504 — or nothing at all. It re-reads instead of sending the promote again, and
// every later gate is still sampled and promoted exactly once.
import type { RequestRecord } from '../../sim/kube/index.js';
import { NEW_IMAGE, type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';
import { rendered } from './report-text.js';

const start = worldPerTest();
const STATUS = '/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/checkout-api/status';
const promotes = (w: World) => w.kube.writes().filter((r: RequestRecord) => r.path === STATUS && JSON.stringify(r.body).includes('pauseConditions'));
const stepIndexOf = (r: RequestRecord) => (r.body as { path: string; value?: unknown }[]).find((op) => op.path === '/status/currentStepIndex')?.value;

async function releaseWithLostPromote(w: World, fault: { destroy?: boolean }) {
  // The first promote (the pause after setWeight 5, step index 1) is carried out, its answer lost.
  w.kube.faults.add({ method: 'PATCH', path: STATUS, status: 504, applied: true, ...fault });
  const run = await w.run();
  expect(w.kube.faults.pending()).toBe(0);
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('released');
  const result = run.json('devops/status/deploy-result.json');
  // Every gate ran its window: none was skipped by a second promote.
  expect(result.steps.map((s: { weight: number; outcome: string }) => `${s.weight}:${s.outcome}`)).toEqual(['5:passed', '25:passed', '100:passed']);
  for (const step of result.steps) expect(step.samples.length).toBeGreaterThan(0);
  // One promote per pause, each conditional on its own step: the lost one was never sent again.
  expect(promotes(w).map(stepIndexOf)).toEqual([1, 3]);
  expect(promotes(w).map((r) => r.status)).toEqual([fault.destroy ? 0 : 504, 200]);
  expect(rendered(run.report())).toContain('(an earlier request had landed)');
  expect(w.kube.getRollout('prod', 'checkout-api').status).toMatchObject({ phase: 'Healthy' });
  expect((w.kube.getRollout('prod', 'checkout-api').spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image).toBe(NEW_IMAGE);
}

describe('a promote is sent once', () => {
  it('applied but answered 504: read again, not sent again; the 25% gate still bakes', async () => {
    await releaseWithLostPromote(await start(), {});
  });

  it('applied and the connection dropped before any answer: the same', async () => {
    await releaseWithLostPromote(await start(), { destroy: true });
  });
});
