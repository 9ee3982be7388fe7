// What a reader of the report wants before any detail, and what the outputs `image`,
// `previous-image` and `deployment-id` say: which image went out and which it replaced (or
// production went back to), the previous release, what the tag now means and what a re-run will
// do, and where to look (the incident, the deployment, the Rollout). Pure: one place for these facts, read by
// the report and by finish.ts for the outputs.
import type { Outcome } from '../outcome.js';
import type { ReleaseRun } from '../release.js';
import type { Settings } from '../settings.js';
import { code, inert } from './markdown.js';

export interface ReleaseFacts {
  /** `image@digest` this run released (or tried to); undefined without a digest (a dry run may have none). */
  readonly image?: string;
  /** The stable image before this run: what it replaced, or what a rollback went back to. */
  readonly previousImage?: string;
  /** The release tag before this one (the changelog's and the incident's range start). */
  readonly previousRelease?: string;
  readonly deploymentId?: number;
}

export function releaseFacts(settings: Settings | undefined, run: ReleaseRun | undefined): ReleaseFacts {
  if (!settings) return {};
  const image = settings.digest ? `${settings.image}@${settings.digest}` : undefined;
  // What the rollback landed on is the most direct evidence; else the stable images preflight read
  // (none to name when the Rollout already ran this very image: a re-run replaced nothing).
  const rolledBackTo = run?.rollback?.status === 'rolled-back' ? run.rollback.stableImages : [];
  const before = run?.cluster && !run.cluster.alreadyDeployed ? run.cluster.stableImages : [];
  const previous = (rolledBackTo.length > 0 ? rolledBackTo : before).filter((i) => i !== image);
  const previousRelease = run?.changelog?.range.from ?? run?.suspects?.from ?? settings.previousReleaseTag;
  return {
    ...(image !== undefined && { image }),
    ...(previous.length > 0 && { previousImage: [...new Set(previous)].join(', ') }),
    ...(previousRelease !== undefined && { previousRelease }),
    ...(run?.deployment?.id !== undefined && { deploymentId: run.deployment.id }),
  };
}

const DIGEST = /sha256:([0-9a-f]{12})[0-9a-f]{52}/g;

/** A digest shortened to 12 hex digits (as `docker images` shows it): for table cells, with the full value elsewhere. */
export function shortDigests(text: string): string {
  return text.replace(DIGEST, 'sha256:$1…');
}

/**
 * A link to a page outside GitHub's own (a check's details, the Rollouts dashboard): only http(s),
 * and nothing in the address can end the Markdown link or the table cell early. Anything else is
 * shown as inert text.
 */
export function externalLink(label: string, url: string | null | undefined): string {
  let parsed: URL | undefined;
  try {
    parsed = url ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return inert(label);
  const href = parsed.href.replace(/[()|<>\s\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${inert(label) || '(link)'}](${href})`;
}

/**
 * The Rollout in the Argo Rollouts dashboard: its route is `/rollout/:namespace/:name` under the
 * dashboard's root path (argo-rollouts ui/src/app/App.tsx; `kubectl argo rollouts dashboard` serves
 * it under `--rootPath`, default `rollouts`, so the base is e.g. `http://localhost:3100/rollouts`).
 */
export function rolloutDashboardUrl(base: string, namespace: string, name: string): string {
  return `${base.replace(/\/+$/, '')}/rollout/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/** The command that shows the Rollout live when there is no dashboard to link. */
export function rolloutCommand(namespace: string, name: string): string {
  return `kubectl argo rollouts get rollout ${name} -n ${namespace} --watch`;
}

/** The lines under the report's headline: image from → to, previous release, tag, re-run, links. */
export function headerLines(outcome: Outcome, settings: Settings | undefined, run: ReleaseRun | undefined): string {
  if (!settings) return '';
  const facts = releaseFacts(settings, run);
  const lines: string[] = [];
  const to = facts.image ? code(shortDigests(facts.image)) : code(`${settings.image} (no digest: dry run)`);
  const from = facts.previousImage ? code(shortDigests(facts.previousImage)) : run?.cluster?.alreadyDeployed ? 'the same image (already running)' : 'not read';
  lines.push(`**Image:** ${from} → ${to}${running(outcome, run, facts)}`);
  if (facts.previousRelease) lines.push(`**Previous release:** ${code(facts.previousRelease)}`);
  lines.push(`**Tag:** ${inert(tagMeaning(outcome, settings, run, facts))}`);
  lines.push(`**A re-run:** ${inert(rerun(outcome, settings, run))}`);
  const where = [
    settings.rolloutsDashboardUrl
      ? `Rollout: ${externalLink(`${settings.namespace}/${settings.service}`, rolloutDashboardUrl(settings.rolloutsDashboardUrl, settings.namespace, settings.service))}`
      : `Rollout: ${code(rolloutCommand(settings.namespace, settings.service))}`,
    // The incident issue as a link: in the reasons above it is part of a sentence that goes through
    // inert(), which breaks every URL it meets (and so this one, our own).
    ...(run?.incident?.url ? [`Incident ${externalLink(run.incident.id, run.incident.url)}`] : []),
    ...(facts.deploymentId !== undefined
      ? [`GitHub deployment ${facts.deploymentId} to ${externalLink(settings.environment, `${settings.run.serverUrl}/${settings.run.owner}/${settings.run.repo}/deployments`)}`]
      : []),
  ];
  lines.push(`**Where to look:** ${where.join(' · ')}`);
  // Two trailing spaces: a hard line break, so the lines stay one block without a list's bullets.
  return lines.join('  \n');
}

function running(outcome: Outcome, run: ReleaseRun | undefined, facts: ReleaseFacts): string {
  if (outcome.result === 'released') return ' — production runs the new image';
  if (outcome.result === 'aborted') return facts.previousImage ? ` — rolled back: production runs ${code(shortDigests(facts.previousImage))} again` : ' — rolled back';
  if (run?.rollback?.status === 'failed') return ' — ROLLBACK DID NOT COMPLETE: production may still run the canary';
  return run?.canary && run.canary.state !== 'dry_run' ? '' : ' — nothing was deployed';
}

function tagMeaning(outcome: Outcome, settings: Settings, run: ReleaseRun | undefined, facts: ReleaseFacts): string {
  const tag = settings.version.tag;
  const sha = settings.sha.slice(0, 12);
  const onCommit = run?.tag?.status === 'created' || run?.tag?.status === 'kept';
  if (!onCommit) {
    if (run?.tag?.status === 'failed') return `${run.tag.detail}: this run did not move it.`;
    return settings.dryRun ? `${tag} was not created (dry run).` : `${tag} was not created: the run stopped before the tag.`;
  }
  const made = run!.tag!.status === 'created' ? 'created' : 'already there';
  if (outcome.result === 'released') return `${tag} (${made}) on ${sha} names what production runs.`;
  if (outcome.result === 'aborted') {
    return `${tag} (${made}) stays on ${sha}, but that release was rolled back: production runs ${facts.previousRelease ? `${facts.previousRelease}'s image` : 'the previous image'}. Tags are never moved or deleted.`;
  }
  return `${tag} (${made}) is on ${sha}, but this release did not complete.`;
}

function rerun(outcome: Outcome, settings: Settings, run: ReleaseRun | undefined): string {
  const tag = settings.version.tag;
  const stages = run?.stages ?? [];
  const failedStage = stages.find((s) => s.status === 'failed' || s.status === 'blocked');
  switch (outcome.result) {
    case 'released':
      return 'changes nothing in the cluster, creates nothing twice and reports released.';
    case 'dry-run':
      return 'plans again; without dry-run it would tag and deploy.';
    case 'aborted':
      return `keeps the tag and runs the canary of ${tag} again from the first step; if it rolls back again, the open incident gets a comment. To ship a fix, release a new version.`;
    case 'blocked':
      return failedStage?.name === 'approval'
        ? 'is judged by who starts it: environment reviews count on the first attempt only, so an approver must start the re-run (or a new run be approved). Nothing was written.'
        : 'runs the CI gate again (re-run the failing checks first). Nothing was written.';
    case 'failed':
      if (run?.rollback?.status === 'failed') return 'is refused by preflight until the Rollout is at rest: restore production first (abort and undo the Rollout by hand).';
      if (run?.canary?.state === 'promoted') return `retries what failed without deploying ${tag} again.`;
      if (failedStage?.name === 'canary' && run?.canary?.state === 'not_ours') return 'is refused by preflight until the Rollout is at rest: let whoever changed it finish or undo their change.';
      return failedStage && ['approval', 'preflight', 'ci-gate', 'lock', 'tag'].includes(failedStage.name)
        ? `starts over once the ${failedStage.name} problem above is fixed; nothing was written to the cluster.`
        : 'starts over from the gates; the tag, if created, is kept.';
  }
}
