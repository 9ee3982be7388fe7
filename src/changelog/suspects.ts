// The incident's "suspect changes": every PR in the range with its author, and every commit that
// came without one. From a changelog already built, or collected without grouping, rendering or
// the first-contribution search (the rollback path has no use for those).
import type { Settings } from '../settings.js';
import { collectChanges } from './collect.js';
import type { ChangelogPort } from './port.js';
import { commitRecord, prRecord, type CommitWithoutPr, type PrInRelease } from './records.js';
import { webLinks } from './render.js';

export interface SuspectChange {
  readonly number?: number;
  readonly title: string;
  /** A display name; `login` when GitHub knows the account. */
  readonly author: string;
  readonly login?: string;
  readonly url?: string;
  readonly sha?: string;
}

export function suspectChanges(changes: { readonly prs: readonly PrInRelease[]; readonly commitsWithoutPr: readonly CommitWithoutPr[] }): SuspectChange[] {
  return [
    ...changes.prs.map((pr) => ({ number: pr.number, title: pr.title, author: pr.author, login: pr.author, url: pr.url })),
    ...changes.commitsWithoutPr.map((c) => ({ sha: c.sha, title: c.title, author: c.author, ...(c.author_login ? { login: c.author_login } : {}), url: c.url })),
  ];
}

/** About ceil(commits/100) + 2 requests: the range and its PRs, nothing else. */
export async function collectSuspects(settings: Pick<Settings, 'previousReleaseTag' | 'version' | 'sha' | 'run'>, port: ChangelogPort): Promise<{ from?: string; changes: SuspectChange[] }> {
  const collected = await collectChanges(settings, port);
  const links = webLinks(settings.run);
  const changes = suspectChanges({ prs: collected.prs.map((pr) => prRecord(pr, new Set())), commitsWithoutPr: collected.withoutPr.map((c) => commitRecord(c, links)) });
  return { ...(collected.start.from !== undefined && { from: collected.start.from }), changes };
}
