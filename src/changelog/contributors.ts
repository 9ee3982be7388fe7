// Who contributed, and who did so for the first time. "First time" = no PR of theirs merged in the
// repository by the time of the range's start commit (inclusive: that commit is usually the squash
// of the last PR released before, merged in the same second). One GraphQL search alias per author answers it in a single
// request for up to 100 authors, instead of reading the repository's whole PR history.
import type { ChangelogPort } from './port.js';

/** GitHub logins; `_` for enterprise-managed users. Anything else is never put into a search query. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]){0,38}$/;

export const isBot = (login: string): boolean => login.endsWith('[bot]');

/** Distinct human logins, sorted case-insensitively; bots are tooling, not contributors. */
export function humans(logins: Iterable<string | null | undefined>): string[] {
  const seen = new Map<string, string>();
  for (const login of logins) if (login && !isBot(login) && login !== 'ghost' && !seen.has(login.toLowerCase())) seen.set(login.toLowerCase(), login);
  return [...seen.values()].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
}

/**
 * PR authors with no PR merged up to the range start. A first release has nothing before it: every author
 * is a first-time contributor, and no request is needed.
 */
export async function firstTimeContributors(port: ChangelogPort, authors: readonly string[], since: { firstRelease: boolean; fromDate?: string }): Promise<string[]> {
  const askable = authors.filter((login) => LOGIN.test(login));
  if (since.firstRelease) return askable;
  if (!since.fromDate || askable.length === 0) return [];
  const counts = await port.mergedPullRequestCounts(askable, since.fromDate);
  return askable.filter((login) => counts.get(login) === 0);
}
