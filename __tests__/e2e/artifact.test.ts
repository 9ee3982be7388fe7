// The evidence artifact end to end: dist/index.js, with the variables a runner gives a job
// (ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN), uploads through @actions/artifact to the simulated
// Actions results service, which stores the zip in Azurite (sim/artifacts). What a user downloads
// from the run page is checked: the artifact's name and the files in it.
import { SimArtifacts } from '../../sim/artifacts/results-service.js';
import { unzip } from '../../sim/artifacts/zip.js';
import type { ActionRun } from '../../sim/run-action.js';
import type { World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';

let artifacts: SimArtifacts;
beforeAll(async () => {
  artifacts = await SimArtifacts.start();
}, 90_000);
afterAll(async () => artifacts?.stop());

const start = worldPerTest();
// github.com: @actions/artifact refuses GitHub Enterprise Server hosts (artifact v4 is not there).
const runner = () => ({ ACTIONS_RESULTS_URL: artifacts.url, ACTIONS_RUNTIME_TOKEN: artifacts.token(), GITHUB_SERVER_URL: 'https://github.com' });

/** The workspace files the artifact must hold: the report, the status files, the incident. */
const evidence = (run: ActionRun) => run.files().filter((f) => /^(devops|incidents)\//.test(f)).sort();

describe('the evidence artifact, through the artifact v4 protocol to Azurite', () => {
  it('a release: release-<version>-attempt-<n> holds the report and every status file, as written', async () => {
    const w: World = await start();
    const run = await w.run({}, { env: runner() });
    expect(run.code).toBe(0);
    // release-<version>-attempt-<n>, and -job-<check run> when this job's check run is known (matrix legs differ).
    const name = /artifact (\S+) uploaded \(id \d+, \d+ bytes\)/.exec(run.stdout)?.[1];
    expect(name).toMatch(/^release-v2\.14\.0-attempt-1(-job-\d+)?$/);
    expect(artifacts.artifacts.filter((a) => a.finalized).map((a) => a.name)).toContain(name);
    const files = unzip(await artifacts.content(name!));
    expect([...files.keys()].sort()).toEqual(evidence(run));
    expect(evidence(run)).toEqual(expect.arrayContaining(['devops/reports/release-v2.14.0.md', 'devops/status/ci-green.json', 'devops/status/deploy-result.json']));
    expect(files.get('devops/reports/release-v2.14.0.md')!.toString()).toBe(run.report());
  });

  it('a rollback: the artifact also holds the incident', async () => {
    const w: World = await start();
    const run = await w.run({ version: 'v2.15.0' }, { env: { ...runner(), SLO_PLAN: JSON.stringify({ 25: { error_rate: 0.05 } }) } });
    expect(run.code).toBe(3);
    const name = /artifact (\S+) uploaded/.exec(run.stdout)?.[1];
    expect(name).toMatch(/^release-v2\.15\.0-attempt-1(-job-\d+)?$/);
    const files = unzip(await artifacts.content(name!));
    expect([...files.keys()].sort()).toEqual(evidence(run));
    expect([...files.keys()].some((f) => /^incidents\/INC-\d{4}-\d{2}-\d{2}-\d{2}\.md$/.test(f))).toBe(true);
  });
});
