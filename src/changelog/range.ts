// Which commits this release adds: from `previous-release-tag`, or from the highest SemVer tag
// below `version` that is an ancestor of `sha`, or (a first release) the whole history of `sha`.
import * as semver from 'semver';
import type { Version } from '../settings.js';
import { RefNotFound, type ChangelogPort, type ComparePage, type RangeCommit, type TagRef } from './port.js';

export interface RangeStart {
  /** The tag the range starts after; absent for a first release. */
  readonly from?: string;
  readonly fromSha?: string;
  /** Committer date of the start commit: "before the range" for first-time contributors. */
  readonly fromDate?: string;
  readonly to: string;
  readonly firstRelease: boolean;
  /** How `from` was chosen. */
  readonly chosen: 'input' | 'auto' | 'none';
  /** Higher tags passed over because they are not ancestors of `to` (hotfix lines, other branches). */
  readonly skippedTags: readonly string[];
  /** What GitHub says the range holds, to check that every page was read. */
  readonly expectedCommits?: number;
  readonly warnings: readonly string[];
}

export interface OpenRange {
  readonly start: RangeStart;
  /** The range's commits, page by page, in the order GitHub lists them. */
  readonly pages: AsyncIterable<readonly RangeCommit[]>;
}

/**
 * Tags that may start the range, best first: SemVer below `version`, pre-releases only when
 * `version` is one (v3.0.0 covers everything since v2.x, not since v3.0.0-rc.2).
 */
export function previousTagCandidates(tags: readonly TagRef[], version: Version): TagRef[] {
  return tags
    .filter((tag) => {
      const parsed = semver.parse(tag.name);
      return parsed !== null && semver.lt(parsed, version.semver) && (version.prerelease || parsed.prerelease.length === 0);
    })
    .sort((a, b) => semver.rcompare(a.name, b.name));
}

/** base...head with status ahead or identical: base is an ancestor of head. */
export function isAncestorStatus(status: ComparePage['status']): boolean {
  return status === 'ahead' || status === 'identical';
}

/** The first page (already read, to learn the status) followed by the rest of the comparison. */
async function* resume(first: ComparePage, rest: AsyncIterator<ComparePage>): AsyncGenerator<readonly RangeCommit[]> {
  yield first.commits;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value.commits;
}

async function firstPage(port: ChangelogPort, base: string, head: string): Promise<{ page: ComparePage; rest: AsyncIterator<ComparePage> }> {
  const rest = port.compare(base, head)[Symbol.asyncIterator]();
  const first = await rest.next();
  if (first.done) throw new Error(`GitHub returned no comparison for ${base}...${head}`);
  return { page: first.value, rest };
}

async function fromInput(port: ChangelogPort, tag: string, to: string): Promise<OpenRange> {
  let opened;
  try {
    opened = await firstPage(port, tag, to);
  } catch (error) {
    if (error instanceof RefNotFound) throw new Error(`previous-release-tag '${tag}' does not exist in this repository: give an existing tag, or leave it empty to pick the highest SemVer tag below the version`);
    throw error;
  }
  const { page, rest } = opened;
  // Not an ancestor: still a meaningful range (what `to` has that the tag has not), but say so.
  const warnings = isAncestorStatus(page.status) ? [] : [`previous-release-tag '${tag}' is not an ancestor of ${to.slice(0, 7)} (${page.status}): the changes are the commits ${to.slice(0, 7)} has and ${tag} has not`];
  return {
    start: { from: tag, fromSha: page.base.sha, fromDate: page.base.date, to, firstRelease: false, chosen: 'input', skippedTags: [], expectedCommits: page.totalCommits, warnings },
    pages: resume(page, rest),
  };
}

/**
 * Tries candidates from the highest down. Each comparison's first page says whether the tag is an
 * ancestor and is also the range's first page, so the usual case costs no extra request; each tag
 * passed over costs one.
 */
async function auto(port: ChangelogPort, version: Version, to: string): Promise<OpenRange> {
  const skippedTags: string[] = [];
  for (const tag of previousTagCandidates(await port.listTags(), version)) {
    const { page, rest } = await firstPage(port, tag.commit, to);
    if (isAncestorStatus(page.status)) {
      return {
        start: { from: tag.name, fromSha: page.base.sha, fromDate: page.base.date, to, firstRelease: false, chosen: 'auto', skippedTags, expectedCommits: page.totalCommits, warnings: [] },
        pages: resume(page, rest),
      };
    }
    await rest.return?.();
    skippedTags.push(tag.name);
  }
  return { start: { to, firstRelease: true, chosen: 'none', skippedTags, warnings: [] }, pages: port.history(to) };
}

export function openRange(port: ChangelogPort, settings: { previousReleaseTag?: string; version: Version; sha: string }): Promise<OpenRange> {
  return settings.previousReleaseTag ? fromInput(port, settings.previousReleaseTag, settings.sha) : auto(port, settings.version, settings.sha);
}
