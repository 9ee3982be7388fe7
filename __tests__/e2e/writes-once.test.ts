// Writes, end to end through the bundled action: one incident issue after "applied, then 502" on
// its creation; the postmortem file when the issue is refused; a symlinked devops refused before
// any write; a previous-release-tag that does not exist found in preflight; a ruleset's 422 on the
// tag; the job summary under 1 MiB in bytes with CJK text.
import { readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { RULESET_REFUSES_TAGS } from '../../sim/github/faults.js';
import { githubWrites, type World } from '../../sim/world.js';
import { renderGfm } from '../helpers/active-markdown.js';
import { parseWorkflowCommands } from '../workflow-commands.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { worldPerTest } from './per-test-world.js';

const start = worldPerTest();
const tempDir = tempDirs();
const BREACH_AT_25 = { SLO_PLAN: JSON.stringify({ 25: { error_rate: 0.05, p95_latency_ms: 140 } }) };
const issues = (w: World) => [...w.github.state.issues.values()];
const errors = (stdout: string) => parseWorkflowCommands(stdout).filter((c) => c.name === 'error').map((c) => c.data);

describe('the incident issue', () => {
  it('GitHub applies the POST and answers 502: one issue, one POST, linked from the report', async () => {
    const w = await start();
    w.github.faults.add({ operationId: 'issues/create', status: 502, applied: true });
    const run = await w.run({}, { env: BREACH_AT_25 });
    expect(run.code).toBe(3);
    expect(run.outputs['exit-code']).toBe('3');
    expect(issues(w)).toHaveLength(1);
    expect(w.github.requests.filter((r) => r.operationId === 'issues/create').map((r) => [r.status, r.appliedStatus])).toEqual([[502, 201]]);
    expect(run.outputs['incident-url']).toBe(`${w.github.url}/acme/shop/issues/${issues(w)[0]!.number}`);
  });

  it('refused (no issues: write): the postmortem file is still written, and the report links it and says why', async () => {
    const w = await start();
    w.github.permissions.set('issues', 'read');
    const run = await w.run({}, { env: BREACH_AT_25 });
    expect(run.code).toBe(3);
    expect(issues(w)).toEqual([]);
    const id = run.outputs['incident-id']!;
    expect(id).toMatch(/^INC-\d{4}-\d{2}-\d{2}-01$/);
    expect(run.outputs['incident-url']).toBe('');
    expect(run.file(`incidents/${id}.md`)).toContain(`# ${id}: checkout-api v2.14.0 canary aborted at 25% in prod`);
    const incident = run.report().split('\n## ').find((s) => s.startsWith('Incident'))!;
    expect(incident).toContain(`the issue was not opened — the incident issue could not be opened: GitHub answered 403`);
    expect(incident).toContain('the token needs `issues: write`');
    expect(incident).toContain(`[\`incidents/${id}.md\`](../../incidents/${id}.md)`);
  });
});

describe('symbolic links out of the workspace', () => {
  it('a devops link is refused before any write: exit 1, nothing sent, nothing written there, the problem in the log and summary', async () => {
    const w = await start();
    const workspace = tempDir('rtp-ws-');
    const outside = tempDir('rtp-outside-');
    symlinkSync(outside, path.join(workspace, 'devops'));
    const run = await w.run({}, { workspace });
    expect(run.code).toBe(1);
    expect(run.outputs['exit-code']).toBe('1');
    expect(run.outputs.result).toBe('failed');
    expect(run.outputs['report-path']).toBe('');
    expect(readdirSync(outside)).toEqual([]);
    expect(w.github.requests).toEqual([]);
    expect(w.kube.writes()).toEqual([]);
    expect(errors(run.stdout)[0]).toMatch(/^FAILED: report-dir 'devops' resolves to .*rtp-outside-.*, outside the workspace/);
    expect(renderGfm(run.summary)).toMatch(/^<h1>FAILED/);
    expect(run.summary).toContain("report-dir 'devops' resolves to");
  });
});

describe('preflight', () => {
  it('a previous-release-tag that does not exist fails preflight: exit 1, no tag, no deploy', async () => {
    const w = await start();
    const run = await w.run({ 'previous-release-tag': 'v0.0.1' });
    expect(run.code).toBe(1);
    expect(run.outputs['exit-code']).toBe('1');
    expect(run.report()).toContain("previous-release-tag 'v0.0.1' does not exist in acme/shop");
    expect(githubWrites(w)).toEqual([]);
    expect(w.kube.writes()).toEqual([]);
  });
});

describe('the tag', () => {
  it('a ruleset\'s 422 is not "Tag already exists": exit 1 with what to do, nothing deployed', async () => {
    const w = await start();
    w.github.faults.add(RULESET_REFUSES_TAGS);
    const run = await w.run();
    expect(run.code).toBe(1);
    expect(run.report()).toContain('GitHub refused to create the tag v2.14.0 (422 Repository rule violations found): a repository ruleset restricts creating it');
    expect(run.report()).not.toContain('already exists');
    // Only the release lock's Lease was written (taken just before the tag, released at the end).
    expect(w.kube.writes().filter((r) => !r.path.includes('/leases'))).toEqual([]);
  });
});

describe('the job summary', () => {
  it('CJK check names past 1 MiB: the summary is cut under 1,048,576 bytes, closed, pointing at the full report', async () => {
    const w = await start();
    const title = (i: number) => `統合テスト（決済・在庫・配送の各サービスを横断する長いシナリオ群）第${i}番：${'失敗した検証項目の名前がとても長い'.repeat(12)}`;
    for (let i = 0; i < 1100; i += 1) w.github.state.addCheckRun({ sha: w.sha, name: title(i), conclusion: 'failure' });
    const run = await w.run({}, { timeoutMs: 240_000 });
    expect(run.code).toBe(2);
    const report = run.report();
    expect(Buffer.byteLength(report)).toBeGreaterThan(1_048_576);
    expect(report.length).toBeLessThan(1_048_576);
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1_048_576);
    expect(run.summary.trimEnd().endsWith('is `devops/reports/release-v2.14.0.md` in the artifact._')).toBe(true);
    // Closed: the note is its own paragraph, not a table row.
    expect(renderGfm(run.summary).trimEnd()).toMatch(/<p><em>The report is longer than a job summary may be \(1 MiB\)[^<]*<code>devops\/reports\/release-v2\.14\.0\.md<\/code> in the artifact\.<\/em><\/p>$/);
  }, 300_000);
});
