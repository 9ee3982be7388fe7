// The postmortem skeleton, in the layout of the SRE book's example postmortem: everything release-
// to-prod knows is filled in from the run's own events; what only people know is left as tables.
import { formatValue, type CanaryResult } from '../stages/canary.js';
import type { RollbackResult } from '../stages/rollback.js';
import type { Settings } from '../settings.js';
import { personLink, text, webLinks } from '../changelog/render.js';
import type { SuspectChange } from '../changelog/suspects.js';
import { worst } from '../report/canary.js';
import { code, escapeText, raw, table } from '../report/markdown.js';

export type { SuspectChange };
const MAX_SAMPLE_EVENTS = 120;

export interface PostmortemFacts {
  readonly id: string;
  readonly settings: Settings;
  readonly canary: CanaryResult;
  readonly rollback?: RollbackResult;
  readonly suspects?: { readonly from?: string; readonly changes: readonly SuspectChange[] };
  readonly reportPath: string;
  readonly issueUrl?: string;
  readonly file: string;
}

export function incidentTitle({ id, settings, canary }: Pick<PostmortemFacts, 'id' | 'settings' | 'canary'>): string {
  return `${id}: ${settings.service} ${settings.version.tag} canary aborted at ${canary.abortedAtStep ?? '?'}% in ${settings.environment}`;
}

export function renderPostmortem(facts: PostmortemFacts): string {
  const { settings, canary, rollback, suspects } = facts;
  const t = canary.tripped;
  const rolledBack = rollback?.status === 'rolled-back';
  const end = rollback?.timeline.at(-1)?.at ?? canary.finishedAt;
  const exposure = (Date.parse(end) - Date.parse(canary.startedAt)) / 1000;
  const links = [
    facts.issueUrl ? `**Issue:** ${facts.issueUrl}` : '',
    `**Postmortem file:** ${code(facts.file)}`,
    `**Release report:** ${code(facts.reportPath)}`,
    settings.run.runUrl ? `**Run:** ${settings.run.runUrl}` : '',
  ].filter(Boolean).join(' · ');
  const samples = canary.steps.flatMap((s) => s.bake?.samples ?? []);
  // The run's own events and every SLO sample, in time order (the last ones when there are many).
  const sampleEvents = samples.slice(-MAX_SAMPLE_EVENTS).map((x) => ({
    at: x.at,
    what: `sample at ${x.step}%: error rate ${formatValue(x.errorRate)}, p95 ${formatValue(x.p95LatencyMs)} ms${x.requests !== null ? `, ${x.requests} requests` : ''} — ${x.verdict}${x.gateError ? ` (${x.gateError})` : ''}`,
  }));
  const timeline = [...canary.timeline, ...(rollback?.timeline ?? []), ...sampleEvents]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((e) => [e.at.replace('T', ' ').slice(0, 23), e.what]);
  return [
    `# ${escapeText(incidentTitle(facts))}`,
    `**Status:** ${rolledBack ? 'mitigated (rolled back), postmortem pending' : 'ROLLBACK FAILED: production may still run the canary'} · ${links}`,
    '## Summary',
    `The canary of ${code(settings.service)} ${code(settings.version.tag)} (${code(canary.image)}, commit ${code(settings.sha)}) in ${code(settings.environment)} ` +
      `was stopped at ${canary.abortedAtStep ?? '?'}%: ${escapeText(t?.detail ?? canary.state)}. ` +
      (rolledBack ? `release-to-prod rolled it back to the stable version (${escapeText(rollback!.detail)}) in ${rollback!.seconds.toFixed(1)} s.` : `The rollback did not complete: ${escapeText(rollback?.detail ?? 'not attempted')}.`),
    '## Impact',
    `For about ${Math.round(exposure)} s (${canary.startedAt} to ${end}) up to ${canary.abortedAtStep ?? '?'}% of the traffic of ${code(settings.service)} in ${code(settings.environment)} was served by the new version.` +
      (samples.length > 0 ? ` Worst sample: error rate ${formatValue(worst(samples.map((s) => s.errorRate)))}, p95 ${formatValue(worst(samples.map((s) => s.p95LatencyMs)))} ms.` : '') +
      ' _Add user-visible impact (requests failed, customers affected) here._',
    '## Timeline (UTC)',
    table(['Time', 'Event'], timeline),
    '## Trigger',
    t
      ? table(['Metric', 'Observed', 'Threshold', 'Weight', 'At'], [[t.metric, formatValue(t.value), formatValue(t.threshold), `${t.weight}%`, t.at]])
      : `The canary ended as ${code(canary.state)}.`,
    '## Detection',
    `release-to-prod's SLO gate (${settings.sloProvider.kind} provider): a sample every ${settings.slo.intervalSeconds} s over a ${settings.slo.windowMinutes}-minute window at each step; thresholds error rate ≤ ${settings.slo.errorRateMax}, p95 ≤ ${settings.slo.p95LatencyMs} ms.` +
      (t ? ` The breach was seen at ${t.at}.` : ''),
    '## Resolution',
    rollback
      ? `${rollback.mode === 'abort+undo' ? 'Abort (status subresource), then undo to the stable ReplicaSet' : 'Undo after full promotion, then promoteFull'}: ${escapeText(rollback.detail)}.`
      : 'No rollback was attempted.',
    '## Suspect changes',
    suspectsSection(suspects, webLinks(settings.run)),
    '## Action items',
    table(['Action item', 'Type', 'Owner', 'Bug'], [['', 'mitigate / prevent / process', '', '']]),
    '## Lessons learned',
    table(['What went well', 'What went wrong', 'Where we got lucky'], [['', '', '']]),
  ].join('\n\n') + '\n';
}

export function suspectsSection(suspects: PostmortemFacts['suspects'], links: ReturnType<typeof webLinks>): string {
  if (!suspects) return '_The changes in this release could not be listed._';
  const intro = suspects.from ? `Changes between ${code(suspects.from)} and this release:` : 'Changes in this release (first release: all history):';
  if (suspects.changes.length === 0) return `${intro} none found.`;
  return `${intro}\n\n${table(['Change', 'Title', 'Author'], suspects.changes.map((c) => [
    c.number !== undefined ? (c.url ? raw(`[#${c.number}](${c.url})`) : `#${c.number}`) : code((c.sha ?? '').slice(0, 7)),
    c.title,
    // A link, not a mention: opening the incident should not page every author of the release.
    { markdown: c.login ? personLink(c.login, links) : text(c.author) },
  ]))}`;
}
