// GitHub Deployments, so the environment's page shows the release. A job that declares
// `environment:` already got a deployment from GitHub for this sha: use it, never a duplicate.
// Deployment records are evidence, not the release: a failure here warns and the release goes on.
import { canaryStepsText } from '../rollouts/plan.js';
import { errorMessage } from '../errors.js';
import type { GitHubPort } from '../github/port.js';
import type { Settings } from '../settings.js';

export interface DeploymentRecord {
  readonly id?: number;
  readonly created: boolean;
  readonly statuses: readonly string[];
  readonly problems: readonly string[];
}

type Log = { warning(message: string): void };


export async function startDeployment(settings: Settings, github: GitHubPort, log: Log): Promise<DeploymentRecord> {
  const description = `release-to-prod ${settings.version.tag}: canary ${canaryStepsText(settings.canarySteps)}`;
  try {
    const existing = await github.findDeployment(settings.sha, settings.environment);
    const id = existing ?? (await github.createDeployment(settings.sha, settings.environment, description));
    await github.setDeploymentStatus(id, 'in_progress', settings.run.runUrl, `canary of ${settings.version.tag} started`);
    return { id, created: existing === undefined, statuses: ['in_progress'], problems: [] };
  } catch (error) {
    log.warning(`GitHub deployment for ${settings.environment} not recorded: ${errorMessage(error)} (needs deployments: write)`);
    return { created: false, statuses: [], problems: [errorMessage(error)] };
  }
}

export async function finishDeployment(settings: Settings, github: GitHubPort, record: DeploymentRecord, state: 'success' | 'failure', description: string, log: Log): Promise<DeploymentRecord> {
  if (record.id === undefined) return record;
  try {
    await github.setDeploymentStatus(record.id, state, settings.run.runUrl, description);
    return { ...record, statuses: [...record.statuses, state] };
  } catch (error) {
    log.warning(`GitHub deployment status ${state} not recorded: ${errorMessage(error)}`);
    return { ...record, problems: [...record.problems, errorMessage(error)] };
  }
}
