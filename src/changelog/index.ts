// The changelog stage (contract step 8): range → PRs → groups → markdown. One entry point,
// buildChangelog; each step lives in its own file:
//   range.ts    which commits (previous-release-tag, the highest SemVer ancestor tag, or all history)
//   collect.ts  reads them page by page and asks GitHub which PR merged each (prs.ts decides)
//   group.ts    the table of grouping rules
//   contributors.ts  contributors and first-time contributors
//   render.ts   the `## Changes` markdown, inert
//   suspects.ts the incident's view of the same range
import type { Settings } from '../settings.js';
import { collectChanges } from './collect.js';
import { firstTimeContributors, humans } from './contributors.js';
import { groupBy, type GroupKey } from './group.js';
import type { ChangelogPort } from './port.js';
import type { ReleaseBranch } from './prs.js';
import type { RangeStart } from './range.js';
import { commitRecord, prAuthor, prRecord, type CommitWithoutPr, type PrInRelease } from './records.js';
import { renderChanges, webLinks, type MentionStyle } from './render.js';

export type { ChangelogPort } from './port.js';
export type { CommitWithoutPr, PrInRelease } from './records.js';
export { collectChanges, type CollectedChanges } from './collect.js';
export { GROUPS, RULES, classify, signalsOf, type GroupKey, type Rule } from './group.js';
export { previousTagCandidates } from './range.js';
export { renderChanges, webLinks, text as inertText, type ChangesView, type MentionStyle, type RenderOptions } from './render.js';
export { collectSuspects, suspectChanges, type SuspectChange } from './suspects.js';

export interface ChangelogOptions {
  /** `link` (default): `by @author` links the profile without notifying anyone; `ping`: a real mention. */
  readonly mentions?: MentionStyle;
  /** Commits without PR listed in the markdown before "… and N more" (default 100); the result keeps all. */
  readonly maxCommitsWithoutPr?: number;
}

export interface ChangelogRange {
  /** The tag the range starts after; absent for a first release. */
  readonly from?: string;
  readonly fromSha?: string;
  readonly to: string;
  readonly firstRelease: boolean;
  readonly commits: number;
  /** `input` (previous-release-tag), `auto` (highest SemVer ancestor tag), `none` (first release). */
  readonly chosen: RangeStart['chosen'];
  /** Higher SemVer tags passed over because they are not ancestors of `sha`. */
  readonly skippedTags: readonly string[];
}

export interface ChangelogResult {
  readonly range: ChangelogRange;
  /** The branch whose PRs are listed, and how it was told. */
  readonly branch: ReleaseBranch;
  /** Merge order; exactly the content of devops/status/prs-in-release.json. */
  readonly prs: readonly PrInRelease[];
  /** Range order; listed in the markdown too (see ChangelogOptions.maxCommitsWithoutPr). */
  readonly commitsWithoutPr: readonly CommitWithoutPr[];
  readonly groups: ReadonlyArray<{ readonly key: GroupKey; readonly heading: string; readonly prs: readonly PrInRelease[] }>;
  /** Human logins of PR authors and of direct pushes, sorted. */
  readonly contributors: readonly string[];
  readonly firstTimeContributors: readonly string[];
  /** The `## Changes` section: the report's, and the `changelog` output. */
  readonly markdown: string;
  /** GitHub requests this changelog sent. */
  readonly requests: number;
  /** What a reader should know about completeness; rendered as notes too. */
  readonly warnings: readonly string[];
}

export async function buildChangelog(settings: Settings, port: ChangelogPort, options: ChangelogOptions = {}): Promise<ChangelogResult> {
  const changes = await collectChanges(settings, port);
  const links = webLinks(settings.run);
  const authors = humans(changes.prs.map(prAuthor));
  const newcomers = await firstTimeContributors(port, authors, changes.start);
  const newcomerSet = new Set(newcomers);
  const prs = changes.prs.map((pr) => prRecord(pr, newcomerSet));
  const commitsWithoutPr = changes.withoutPr.map((c) => commitRecord(c, links));
  const groups = groupBy(prs, (pr) => pr.group).map(({ key, heading, items }) => ({ key, heading, prs: items }));
  const contributors = humans([...prs.map((pr) => pr.author), ...commitsWithoutPr.map((c) => c.author_login)]);
  const { start } = changes;
  const range: ChangelogRange = {
    ...(start.from !== undefined && { from: start.from }),
    ...(start.fromSha !== undefined && { fromSha: start.fromSha }),
    to: start.to,
    firstRelease: start.firstRelease,
    commits: changes.commits,
    chosen: start.chosen,
    skippedTags: start.skippedTags,
  };
  const markdown = renderChanges(
    { range, branch: changes.branch.name, groups: groups.map((g) => ({ heading: g.heading, items: g.prs })), commitsWithoutPr, contributors, firstTimeContributors: newcomers, warnings: changes.warnings },
    { links, ...(options.mentions && { mentions: options.mentions }), ...(options.maxCommitsWithoutPr !== undefined && { maxCommitsWithoutPr: options.maxCommitsWithoutPr }) },
  );
  return { range, branch: changes.branch, prs, commitsWithoutPr, groups, contributors, firstTimeContributors: newcomers, markdown, requests: port.requests, warnings: changes.warnings };
}
