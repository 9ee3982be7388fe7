// What the report tells a reader before any detail, and the outputs that say the same to a later
// step: the image from → to, the previous release, what the tag now means, what a re-run does,
// where to look (the Rollout, the deployment, each check), and in an ABORTED report the suspects.
import type { SimGitHub } from '../../sim/github/index.js';
import { NEW_IMAGE, STABLE_IMAGE } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';
import { rendered, section } from './report-text.js';
import { parseCharts } from '../helpers/mermaid.js';

const start = worldPerTest();
const plan = (p: object) => ({ SLO_PLAN: JSON.stringify(p) });
const short = (image: string) => image.replace(/(sha256:[0-9a-f]{12})[0-9a-f]{52}/, '$1…');
/** The report's lines between the headline and the first table, as read. */
const header = (report: string) => rendered(report.split('\n| Release |')[0]!);

/** v2.13.0, a PR and a direct push after it: what v2.14.0 brings. */
function history({ state }: SimGitHub) {
  state.addTag('v2.13.0', state.resolve('main')!);
  state.addPullRequest({ title: 'feat: express checkout', user: 'carol', mergeMethod: 'squash' });
  state.addCommit({ message: 'chore: raise pool size', author: 'grace' });
}

describe('report content and outputs', () => {
  it('released: from → to, the previous release, the tag, the re-run, the Rollout and the deployment; outputs image, previous-image, deployment-id', async () => {
    const w = await start({ history });
    const run = await w.run();
    expect(run.code).toBe(0);
    const deployment = w.github.state.deployments.at(-1)!;
    expect(run.outputs).toMatchObject({ image: NEW_IMAGE, 'previous-image': STABLE_IMAGE, 'deployment-id': String(deployment.id) });
    const top = header(run.report());
    expect(top).toContain(`**Image:** \`${short(STABLE_IMAGE)}\` → \`${short(NEW_IMAGE)}\` — production runs the new image`);
    expect(top).toContain('**Previous release:** `v2.13.0`');
    expect(top).toContain(`**Tag:** v2.14.0 (created) on ${w.sha.slice(0, 12)} names what production runs.`);
    expect(top).toContain('**A re-run:** changes nothing in the cluster, creates nothing twice and reports released.');
    // No dashboard configured: the command that shows the Rollout live.
    expect(top).toContain('Rollout: `kubectl argo rollouts get rollout checkout-api -n prod --watch`');
    expect(top).toContain(`GitHub deployment ${deployment.id} to [prod](https://github.example/acme/shop/deployments)`);
    // The full values are in the summary table; the stages table carries no 64-hex digest.
    expect(run.report()).toContain(`| Image | \`${NEW_IMAGE}\` |`);
    expect(run.report()).toContain(`| Previous image | \`${STABLE_IMAGE}\` |`);
    expect(section(run.report(), 'Stages')).not.toMatch(/[0-9a-f]{64}/);
    // preflight names the image it found running, shortened there.
    expect(section(run.report(), 'Stages')).toContain(`running ${short(STABLE_IMAGE)}`);
    // Every chart of the report and of the job summary, through Mermaid's own parser.
    const charts = [...(await parseCharts(run.report())), ...(await parseCharts(run.summary))];
    expect(charts.length).toBe(6);
    for (const chart of charts) expect(chart.diagramType).toBe('xychart');
  });

  it('aborted: the suspects as in the incident, production back on the previous image, the tag kept, what a re-run does', async () => {
    const w = await start({ history });
    const run = await w.run({ 'rollouts-dashboard-url': 'https://rollouts.example.com/rollouts/' }, { env: plan({ 25: { error_rate: 0.05 } }) });
    expect(run.code).toBe(3);
    expect(run.outputs).toMatchObject({ image: NEW_IMAGE, 'previous-image': STABLE_IMAGE });
    expect(run.outputs['deployment-id']).toMatch(/^\d+$/);
    const top = header(run.report());
    expect(top).toContain(`— rolled back: production runs \`${short(STABLE_IMAGE)}\` again`);
    expect(top).toContain(`**Tag:** v2.14.0 (created) stays on ${w.sha.slice(0, 12)}, but that release was rolled back: production runs v2.13.0's image. Tags are never moved or deleted.`);
    expect(top).toContain('**A re-run:** keeps the tag and runs the canary of v2.14.0 again from the first step');
    // The dashboard's route is /rollout/:namespace/:name under its root path.
    expect(top).toContain('Rollout: [prod/checkout-api](https://rollouts.example.com/rollouts/rollout/prod/checkout-api)');
    // The incident issue is a working link there (our own URL, not broken by the inert layer).
    expect(top).toMatch(/Incident \[INC-\d{4}-\d{2}-\d{2}-\d{2}\]\(http:\/\/127\.0\.0\.1:\d+\/acme\/shop\/issues\/\d+\)/);
    const suspects = section(run.report(), 'Suspect changes');
    expect(suspects).toContain('Changes between `v2.13.0` and this release:');
    expect(suspects).toMatch(/\| \[#\d+\]\([^)]+\/pull\/\d+\) \| feat: express checkout \| \[@carol\]/);
    expect(suspects).toMatch(/\| `[0-9a-f]{7}` \| chore: raise pool size \| \[@grace\]/);
    // The same table as the incident's postmortem.
    const incident = run.files().find((f) => f.startsWith('incidents/'))!;
    expect(run.file(incident)).toContain(run.report().split('## Suspect changes\n')[1]!.split('\n\n## ')[0]!);
    for (const chart of await parseCharts(run.report())) expect(chart.diagramType).toBe('xychart');
  });

  it('blocked by CI: each check links to its run, an unsafe address is shown as text; no tag, and what a re-run does', async () => {
    const w = await start();
    w.github.state.addCheckRun({ sha: w.sha, name: 'integration', conclusion: 'failure', app: { slug: 'ext-ci' }, detailsUrl: 'https://ci.example/builds/7 (retry)' });
    w.github.state.addStatus({ sha: w.sha, context: 'evil', state: 'failure', targetUrl: 'javascript:alert(1)' });
    const run = await w.run();
    expect(run.code).toBe(2);
    const ci = run.report().split('## CI gate')[1]!;
    expect(ci).toContain('| [integration](https://ci.example/builds/7%20%28retry%29) | check run (ext-ci) |');
    expect(ci).toContain('| evil | commit status |');
    expect(ci).not.toContain('javascript');
    expect(run.outputs).toMatchObject({ image: NEW_IMAGE, 'previous-image': STABLE_IMAGE, 'deployment-id': '' });
    const top = header(run.report());
    expect(top).toContain('**Tag:** v2.14.0 was not created: the run stopped before the tag.');
    expect(top).toContain('**A re-run:** runs the CI gate again (re-run the failing checks first). Nothing was written.');
  });

  it('a dashboard URL that is not an http(s) base is an input error, nothing sent', async () => {
    const w = await start();
    const run = await w.run({ 'rollouts-dashboard-url': 'ftp://rollouts.example.com/?ns=prod' });
    expect(run.code).toBe(1);
    expect(rendered(run.report())).toContain("rollouts-dashboard-url 'ftp://rollouts.example.com/?ns=prod' is not the http(s) base URL of the Argo Rollouts dashboard");
    expect(run.outputs.image).toBe('');
    expect(w.github.writes()).toEqual([]);
  });
});
