// The action's run(): read the settings, run the release, write the evidence, map the outcome to
// outputs and the exit code. Everything else lives in release.ts and the stages; src/index.ts calls it.
import * as core from '@actions/core';
import { systemClock } from './clock.js';
import { createOctokit, gitHubPort } from './github/octokit.js';
import { lazyKubePort } from './kube/lazy.js';
import { createSloProvider } from './slo/index.js';
import { changelogPort } from './changelog/github.js';
import { reportPaths } from './report/paths.js';
import { evidenceDirs, unsafeWrites } from './report/workspace.js';
import { kubeconfigCredentials } from './kube/secrets.js';
import { failed, invalid, type Outcome } from './outcome.js';
import { errorMessage } from './errors.js';
import { release, type ReleaseRun } from './release.js';
import { finish } from './finish.js';
import { inertLog, runnerLog } from './log.js';
import { parseSettings } from './settings.js';

async function main(): Promise<number> {
  const startedAt = systemClock.now();
  const parsed = parseSettings((name) => core.getInput(name), process.env);
  for (const secret of parsed.secrets) for (const line of [secret, ...secret.split('\n')]) if (line.trim()) core.setSecret(line.trim());
  // Every message goes through this log: text from elsewhere is never read as a workflow command.
  const log = runnerLog(core, parsed.secrets);
  if (!parsed.settings) {
    return finish({ outcome: invalid(parsed.errors), startedAt, partial: parsed.partial, githubWrites: 0, log });
  }
  const settings = parsed.settings;
  // Nothing is written through a symbolic link out of the workspace: refused before the first write.
  const unsafe = await unsafeWrites(settings.run.workspace, evidenceDirs(settings.reportDir));
  if (unsafe.length > 0) return finish({ outcome: failed(unsafe[0]!, unsafe), startedAt, settings, partial: parsed.partial, githubWrites: 0, log });
  // Cancelling a run sends SIGINT, then SIGTERM: stop waiting and still write the report.
  const cancel = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => cancel.abort(new Error(`received ${signal}`)));
  const octokit = createOctokit(settings.githubToken, settings.run, log);
  const github = gitHubPort(octokit, settings.run);
  const reportPath = reportPaths(settings.run.workspace, settings.reportDir, settings.version.tag).report;
  let run: ReleaseRun | undefined;
  let outcome: Outcome;
  try {
    const kube = lazyKubePort(async () => {
      const { kubePort, loadKubeConfig } = await import('./kube/client.js');
      const config = loadKubeConfig(settings.kubeconfig, settings.kubeContext);
      // Loaded from KUBECONFIG or ~/.kube/config (the input's were masked at start): mask its
      // credentials before the cluster is asked anything, so no error can print them.
      if (!settings.kubeconfig) for (const secret of kubeconfigCredentials(JSON.parse(config.exportConfig()))) core.setSecret(secret);
      return kubePort(config);
    });
    const slo = createSloProvider(settings.sloProvider);
    run = await release(settings, { github, changelog: changelogPort(octokit, settings.run), kube, slo, clock: systemClock, log, signal: cancel.signal, reportPath });
    outcome = run.outcome;
  } catch (error) {
    outcome = failed(errorMessage(error), [errorMessage(error)]);
  }
  return finish({ outcome, startedAt, settings, run, partial: parsed.partial, githubWrites: github.writes, log });
}

/**
 * The action, once: sets process.exitCode. dist/index.js runs it (src/index.ts); @github/local-action
 * and the tests import this module and call it themselves.
 */
export async function run(): Promise<void> {
  process.exitCode = await main().catch((error: unknown) => {
    // With debug logging on (RUNNER_DEBUG), where it happened: src/ files and lines, through the source maps.
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(inertLog(`release-to-prod failed unexpectedly: ${errorMessage(error)}`));
    core.setOutput('exit-code', '1');
    return 1;
  });
}
