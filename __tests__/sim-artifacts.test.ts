// sim/artifacts: the artifact v4 protocol that @actions/artifact speaks, against Azurite. Driven by
// @actions/artifact itself (the client the action bundles), in this process, with the runner's
// variables set as a job has them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { SimArtifacts } from '../sim/artifacts/results-service.js';
import { unzip } from '../sim/artifacts/zip.js';

let sim: SimArtifacts;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  sim = await SimArtifacts.start();
  dir = await mkdtemp(path.join(tmpdir(), 'sim-artifacts-'));
  await writeFile(path.join(dir, 'a.txt'), 'alpha');
  await writeFile(path.join(dir, 'b.json'), '{"b":1}');
}, 90_000);

afterAll(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  Object.assign(process.env, { ACTIONS_RESULTS_URL: sim.url, ACTIONS_RUNTIME_TOKEN: sim.token(), GITHUB_SERVER_URL: 'https://github.com' });
});

afterEach(() => {
  for (const key of ['ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'GITHUB_SERVER_URL']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

const upload = (name: string, files = ['a.txt', 'b.json']) => new DefaultArtifactClient().uploadArtifact(name, files.map((f) => path.join(dir, f)), dir, { retentionDays: 1 });

describe('simulated Actions results service with Azurite', () => {
  it('an upload is created, sent to Azurite, finalized: its name, size, hash and files', async () => {
    const result = await upload('evidence');
    const stored = sim.artifacts.find((a) => a.name === 'evidence')!;
    expect(stored).toMatchObject({ finalized: true, size: result.size, hash: `sha256:${result.digest}` });
    expect(result.id).toBe(stored.id);
    expect(sim.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['CreateArtifact 200', 'FinalizeArtifact 200']);
    const files = unzip(await sim.content('evidence'));
    expect([...files.keys()].sort()).toEqual(['a.txt', 'b.json']);
    expect(files.get('a.txt')!.toString()).toBe('alpha');
  }, 60_000);

  it('the same name twice in one run: 409 already_exists, as a re-run of one attempt would get', async () => {
    await expect(upload('evidence')).rejects.toThrow(/409/);
    expect(sim.calls.at(-1)).toMatchObject({ method: 'CreateArtifact', status: 409 });
  }, 60_000);

  it('a token the service did not sign is refused (401), and nothing is stored', async () => {
    const [header, payload] = sim.token().split('.');
    process.env.ACTIONS_RUNTIME_TOKEN = `${header}.${payload}.${'x'.repeat(43)}`;
    await expect(upload('forged')).rejects.toThrow(/401|Failed to CreateArtifact/);
    expect(sim.calls.at(-1)).toMatchObject({ method: 'CreateArtifact', status: 401 });
    expect(sim.artifacts.map((a) => a.name)).toEqual(['evidence']);
  }, 60_000);
});
