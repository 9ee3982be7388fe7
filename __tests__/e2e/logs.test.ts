// The log a person follows on the runner, read as the runner reads it (workflow commands parsed
// from stdout, actions/runner ActionCommandManager.cs): one `::group::`/`::endgroup::` pair per
// stage, a line per SLO sample inside the canary's group, and titled annotations for what stops a release.
import { worldPerTest } from './per-test-world.js';
import { parseWorkflowCommands, type WorkflowCommand } from '../workflow-commands.js';
import { ROLLOUT } from '../../sim/world.js';

const start = worldPerTest();
const plan = (p: object) => ({ SLO_PLAN: JSON.stringify(p) });

/** The title of an annotation: its `title=` property with the runner's escapes decoded. */
function title(command: WorkflowCommand): string | undefined {
  const raw = /(?:^|,)title=([^,]*)/.exec(command.properties)?.[1];
  return raw === undefined ? undefined : raw.replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%');
}

/** Each stage group with the lines printed inside it; fails on a group left open or an endgroup without one. */
function groups(stdout: string): { name: string; lines: string[] }[] {
  const out: { name: string; lines: string[] }[] = [];
  let open: { name: string; lines: string[] } | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const command = parseWorkflowCommands(line)[0];
    if (command?.name === 'group') {
      expect(open).toBeUndefined();
      open = { name: command.data, lines: [] };
    } else if (command?.name === 'endgroup') {
      expect(open).toBeDefined();
      out.push(open!);
      open = undefined;
    } else open?.lines.push(line);
  }
  expect(open).toBeUndefined();
  return out;
}

const annotations = (stdout: string, name: 'error' | 'warning') => parseWorkflowCommands(stdout).filter((c) => c.name === name).map((c) => ({ title: title(c), data: c.data }));

describe('the log', () => {
  it('a release: one group per stage, each followed by its result; a line per SLO sample with the window left', async () => {
    const w = await start();
    const run = await w.run();
    expect(run.code).toBe(0);
    const stages = groups(run.stdout);
    expect(stages.map((g) => g.name)).toEqual(['▶ approval', '▶ preflight', '▶ ci-gate', '▶ lock', '▶ tag', '▶ canary', '▶ changelog', '▶ github-release']);
    const lines = run.stdout.split('\n');
    for (const name of ['approval', 'canary', 'changelog']) {
      const end = lines.findIndex((l, i) => l === '::endgroup::' && lines.slice(0, i).reverse().find((x) => x.startsWith('::group::')) === `::group::▶ ${name}`);
      expect(lines[end + 1]).toMatch(new RegExp(`^[✓–] ${name}: (passed|skipped) — `));
    }
    const samples = stages.find((g) => g.name === '▶ canary')!.lines.filter((l) => l.includes('sample '));
    // One sample per step in the world's 0.6 s window (interval 2 s): 5%, 25% and 100%.
    expect(samples).toEqual([
      expect.stringMatching(/^ {2}sample 5% \+[\d.]+ s: error rate 0\.001 ≤ 0\.01 ✓, p95 120 ms ≤ 300 ms ✓, \d+ requests — within; [\d.]+ s of the 0\.6 s window left$/),
      expect.stringMatching(/^ {2}sample 25% /),
      expect.stringMatching(/^ {2}sample 100% /),
    ]);
    expect(annotations(run.stdout, 'error')).toEqual([]);
  });

  it('a breach: an error annotation titled with the step and the metric that breached, and the sample line marks only it', async () => {
    const w = await start();
    const run = await w.run({}, { env: plan({ 25: { error_rate: 0.05, p95_latency_ms: 140 } }) });
    expect(run.code).toBe(3);
    const errors = annotations(run.stdout, 'error');
    expect(errors[0]).toEqual({ title: 'SLO breach at 25%: error_rate', data: expect.stringContaining('error_rate 0.05 over threshold 0.01 at 25%') });
    expect(run.stdout).toMatch(/sample 25% \+[\d.]+ s: error rate 0\.05 > 0\.01 ✗, p95 140 ms ≤ 300 ms ✓, \d+ requests — breach; the step stops here/);
    const stages = groups(run.stdout).map((g) => g.name);
    expect(stages.slice(-3)).toEqual(['▶ canary', '▶ rollback', '▶ incident']);
  });

  it('a blocked check: an error annotation titled with the check', async () => {
    const w = await start();
    w.github.state.addCheckRun({ sha: w.sha, name: 'integration', conclusion: 'failure' });
    const run = await w.run();
    expect(run.code).toBe(2);
    expect(annotations(run.stdout, 'error')[0]).toEqual({ title: expect.stringMatching(/^CI gate blocked: .*integration/), data: expect.stringContaining('integration') });
    expect(groups(run.stdout).map((g) => g.name)).toEqual(['▶ approval', '▶ preflight', '▶ ci-gate']);
  });

  it('a refused preflight: an error annotation per reason, titled with its first line', async () => {
    const w = await start({ rollout: { ...ROLLOUT, replicas: 20, steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] } });
    const run = await w.run({ 'canary-steps': '5,25,100' });
    expect(run.code).toBe(1);
    const [first] = annotations(run.stdout, 'error');
    expect(first!.title).toMatch(/^Preflight refused: Rollout checkout-api's setWeight steps give 10 → 50 → 100%/);
    expect(first!.data).toContain('steps:\n  - setWeight: 5');
  });
});
