// Text from elsewhere is inert everywhere, end to end through the bundled action: hostile check
// names, commit statuses and slo-command output, as the runner, the job summary, the report and the
// incident issue see them. The runner's view is parsed with the runner's rules (workflow-commands.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as YAML from 'yaml';
import { SECRET_TOKEN } from '../../sim/run-action.js';
import type { World } from '../../sim/world.js';
import { activeContent } from '../helpers/active-markdown.js';
import { parseWorkflowCommands } from '../workflow-commands.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { worldPerTest } from './per-test-world.js';

const start = worldPerTest();
const tempDir = tempDirs();
// Our links: GitHub pages, and the postmortem file relative to the report.
const own = (w: World) => [w.github.url, 'https://github.example', '../../incidents/INC-'];

// A newline then a command; a legacy command mid-line; stop-commands that would hide our own error;
// HTML that closes the table; an image; a team mention; references; a URL; bidi override.
const HOSTILE = '\n::warning::pwned-by-check\n##[add-mask]stolen ::stop-commands::tok `</table><details open>` <img src=x onerror=alert(1)> @acme/sre #123 GH-9 acme/other#4 https://evil.test \u202eevil';

/**
 * Commands the runner would act on that the action did not mean: any legacy `##[…]`, any
 * stop-commands, or a command whose own text is the hostile one (`::warning::pwned…`). Our error
 * annotation may quote hostile text as its data: that is text, not a command.
 */
function injected(stdout: string): string[] {
  return parseWorkflowCommands(stdout)
    // Properties (an annotation's title) are escaped by @actions/core (`:` `,` `%` CR LF): display text.
    .filter((c) => c.form === '##[' || c.name === 'stop-commands' || c.name === 'tok' || /^(pwned|fake|stolen)/.test(c.data))
    .map((c) => `${c.form}${c.name} ${c.data.slice(0, 80)}`);
}

describe('hostile CI names', () => {
  it('a check run and a status named to inject: blocked (exit 2), named readably, nothing active anywhere', async () => {
    const w = await start();
    w.github.state.addCheckRun({ sha: w.sha, name: `lint ${HOSTILE}`, conclusion: 'failure' });
    // The hole that was: a table cell starting with a backtick went into the summary raw.
    w.github.state.addCheckRun({ sha: w.sha, name: '`x` <img src=x onerror=alert(1)></td></tr></table><details open>', conclusion: 'failure' });
    w.github.state.addStatus({ sha: w.sha, context: `ci/evil\r::error::fake ${HOSTILE}`, state: 'failure', description: '@acme/sre <img src=x>' });
    const run = await w.run();
    expect(run.code).toBe(2);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.outputs.result).toBe('blocked');

    // The runner: no injected command, no stop-commands, and our own final error is still read.
    expect(injected(run.stdout)).toEqual([]);
    const commands = parseWorkflowCommands(run.stdout);
    // One titled annotation per failing check (issue 10: the title names it, inert), then our final error.
    const errors = commands.filter((c) => c.name === 'error');
    expect(errors.at(-1)!.data.split('\n')[0]).toMatch(/^BLOCKED: CI gate/);
    for (const annotation of errors.slice(0, -1)) expect(annotation.properties).toMatch(/^title=CI gate blocked%3A /);
    expect(commands.filter((c) => c.name === 'add-mask').map((c) => c.data)).toContain(SECRET_TOKEN);

    // The summary and the report: no HTML, image, foreign link, live mention or reference …
    for (const [where, text] of Object.entries({ summary: run.summary, report: run.report() })) {
      expect([where, activeContent(text, own(w))]).toEqual([where, []]);
      // … and still the check's name a reader can read.
      expect([where, text.includes('pwned-by-check')]).toEqual([where, true]);
    }
  });
});

describe('hostile slo-command output', () => {
  it('stderr that pings a team and injects commands: rolled back (exit 3), the incident issue inert, the log clean', async () => {
    const dir = tempDir('rtp-slo-');
    const script = path.join(dir, 'check-slo.mjs');
    writeFileSync(script, `process.stderr.write(${JSON.stringify(`first line\npaging @acme/sre <img src=x onerror=alert(1)> see #123 https://evil.test ::error::fake ##[stop-commands]tok`)});\nprocess.exit(2);\n`);
    const w = await start();
    const run = await w.run({ 'slo-command': `${process.execPath} ${script}` });
    expect(run.code).toBe(3);
    expect(run.outputs['exit-code']).toBe('3');
    expect(injected(run.stdout)).toEqual([]);

    const issues = [...w.github.state.issues.values()];
    expect(issues).toHaveLength(1);
    const body = issues[0]!.body ?? '';
    expect(body).toContain('paging @\u200dacme/sre');
    for (const [where, text] of Object.entries({ issue: body, summary: run.summary, report: run.report(), file: run.file(`incidents/${run.outputs['incident-id']}.md`)! })) {
      expect([where, activeContent(text, own(w))]).toEqual([where, []]);
    }
  });
});

describe('secrets', () => {
  it('every kubeconfig credential is masked before anything else is printed', async () => {
    const w = await start();
    const kubeconfig = YAML.parse(w.kube.kubeconfig());
    kubeconfig.users.push(
      { name: 'oidc', user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'eyJhbGciOi.oidc-id-token', 'refresh-token': 'oidc-refresh-token' } } } },
      { name: 'eks', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--role-arn=arn:aws:iam::1:role/deployer-secret'], env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'aws-secret-access-key' }] } } },
    );
    const run = await w.run({ kubeconfig: YAML.stringify(kubeconfig), 'dry-run': 'true' });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter(Boolean);
    const masks = lines.findIndex((l) => !l.startsWith('::add-mask::'));
    const masked = lines.slice(0, masks).map((l) => l.slice('::add-mask::'.length));
    for (const secret of ['eyJhbGciOi.oidc-id-token', 'oidc-refresh-token', 'arn:aws:iam::1:role/deployer-secret', 'aws-secret-access-key', SECRET_TOKEN]) expect(masked).toContain(secret);
  });

  it('a kubeconfig from KUBECONFIG (no input) has its credentials masked too, before the cluster is asked', async () => {
    const w = await start();
    const kubeconfig = YAML.parse(w.kube.kubeconfig());
    kubeconfig.users.push({ name: 'oidc', user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'file-oidc-id-token' } } } });
    const file = path.join(tempDir('rtp-kubeconfig-'), 'config');
    writeFileSync(file, YAML.stringify(kubeconfig));
    const run = await w.run({ kubeconfig: '', 'dry-run': 'true' }, { env: { KUBECONFIG: file } });
    expect(run.code).toBe(0);
    const commands = parseWorkflowCommands(run.stdout).filter((c) => c.name === 'add-mask').map((c) => c.data);
    expect(commands).toContain('file-oidc-id-token');
    expect(commands).toContain(kubeconfig.users[0].user.token);
  });
});
