// Contract step 7, after the rollback: an incident issue and incidents/INC-….md holding the same
// postmortem skeleton, cross-linked. A re-run of the same failed release comments on the incident
// that is still open instead of opening another.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock.js';
import type { GitHubPort } from '../github/port.js';
import { incidentDay, incidentMarker, nextIncidentId } from '../incident/id.js';
import { incidentTitle, renderPostmortem, type SuspectChange } from '../incident/postmortem.js';
import { errorMessage } from '../errors.js';
import { escapeText } from '../report/markdown.js';
import type { Settings } from '../settings.js';
import { formatValue, type CanaryResult } from './canary.js';
import type { RollbackResult } from './rollback.js';

export interface IncidentResult {
  readonly id: string;
  /** The issue; absent when it could not be opened (then `problem` says why). */
  readonly url?: string;
  readonly issueNumber?: number;
  /** An open incident of the same release existed: this run commented on it. */
  readonly reused: boolean;
  /** Why the issue could not be read, opened or commented on. The postmortem file is written all the same. */
  readonly problem?: string;
  /** The postmortem file, workspace-relative, and its text (written with the other evidence). */
  readonly file: { readonly path: string; readonly content: string };
}

export interface IncidentInput {
  readonly canary: CanaryResult;
  readonly rollback?: RollbackResult;
  readonly suspects?: { readonly from?: string; readonly changes: readonly SuspectChange[] };
  readonly reportPath: string;
}

export async function openIncident(settings: Settings, github: GitHubPort, input: IncidentInput, clock: Clock): Promise<IncidentResult> {
  const { run } = settings;
  const marker = incidentMarker(`${run.owner}/${run.repo}`, settings.service, settings.environment, settings.version.tag);
  // The postmortem file is written whatever GitHub says: an incident nobody can find is worse.
  let problem: string | undefined;
  const issues = await github.listIssues(settings.incidentLabels, 'all').catch((error: unknown) => {
    problem = issueProblem('the incident issues could not be listed', error, 'issues: read');
    return [];
  });
  const facts = (id: string, issueUrl?: string) => {
    const file = `incidents/${id}.md`;
    return { id, settings, ...input, file, issueUrl, content: renderPostmortem({ id, settings, ...input, file, issueUrl }) };
  };

  const open = issues.find((i) => i.state === 'open' && i.body.includes(marker));
  const openId = open && /INC-\d{4}-\d{2}-\d{2}-\d{2,}/.exec(open.title)?.[0];
  if (open && openId) {
    const commented = await github.comment(open.number, rerunComment(settings, input)).then(
      () => undefined,
      (error: unknown) => issueProblem(`no comment on ${open.url}`, error, 'issues: write'),
    );
    const again = facts(openId, open.url);
    return { id: openId, url: open.url, issueNumber: open.number, reused: true, ...(commented ? { problem: commented } : {}), file: { path: again.file, content: again.content } };
  }

  const day = incidentDay(clock.now());
  const files = await readdir(path.join(run.workspace, 'incidents')).catch(() => [] as string[]);
  const id = nextIncidentId(day, [...files, ...issues.map((i) => i.title)]);
  const draft = facts(id);
  try {
    const issue = await github.createIssue(incidentTitle({ id, settings, canary: input.canary }), `${draft.content}\n${marker}\n`, settings.incidentLabels);
    const final = facts(id, issue.url);
    return { id, url: issue.url, issueNumber: issue.number, reused: false, file: { path: final.file, content: final.content } };
  } catch (error) {
    return { id, reused: false, problem: problem ?? issueProblem('the incident issue could not be opened', error, 'issues: write'), file: { path: draft.file, content: draft.content } };
  }
}

/** What went wrong with the issue, naming the permission when GitHub refused (403). */
function issueProblem(what: string, error: unknown, permission: string): string {
  const refused = typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 403;
  return `${what}: ${errorMessage(error)}${refused ? ` — the token needs \`${permission}\`: add it under \`permissions:\` of the release job` : ''}`;
}

function rerunComment(settings: Settings, { canary, rollback, reportPath }: IncidentInput): string {
  const t = canary.tripped;
  return [
    `### Re-run of the same release failed again${settings.run.runUrl ? `: ${settings.run.runUrl}` : ''}`,
    `- Stopped at ${canary.abortedAtStep ?? '?'}% (${canary.state})${t ? `: ${escapeText(t.metric)} ${formatValue(t.value)}, threshold ${formatValue(t.threshold)}, at ${t.at}` : ''}`,
    `- Rollback: ${rollback ? `${rollback.status}, ${escapeText(rollback.detail)}` : 'not attempted'}`,
    `- Report: \`${reportPath}\``,
  ].join('\n');
}
