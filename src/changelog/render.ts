// The `## Changes` markdown, pure. Everything someone else wrote (titles, messages, names, tags) is
// rendered inert; the only links and mentions are the ones written here.
import { inert } from '../report/markdown.js';
import type { RunContext } from '../settings.js';
import type { CommitWithoutPr, PrInRelease } from './records.js';

/**
 * How `by @author` is written. `link` (default): a link to the profile that reads `@login`; GitHub
 * makes no mention of text inside a link, so a release does not notify every author again. `ping`:
 * a real mention, for teams that want it.
 */
export type MentionStyle = 'link' | 'ping';

export interface Links {
  pr(number: number): string;
  person(login: string): string;
  commit(sha: string): string;
  compare(from: string, to: string): string;
}

export interface ChangesView {
  readonly range: { readonly from?: string; readonly to: string; readonly firstRelease: boolean; readonly commits: number };
  readonly branch: string;
  readonly groups: ReadonlyArray<{ readonly heading: string; readonly items: ReadonlyArray<Pick<PrInRelease, 'number' | 'title' | 'author'>> }>;
  readonly commitsWithoutPr: ReadonlyArray<Pick<CommitWithoutPr, 'sha' | 'title' | 'author' | 'author_login' | 'other_prs'>>;
  readonly contributors: readonly string[];
  readonly firstTimeContributors: readonly string[];
  readonly warnings: readonly string[];
}

export interface RenderOptions {
  readonly links: Links;
  readonly mentions?: MentionStyle;
  /**
   * Commits without PR listed before "… and N more" (default 100): a first release of a long
   * history would otherwise outgrow a GitHub Release body (125,000 characters). The result keeps all.
   */
  readonly maxCommitsWithoutPr?: number;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]){0,38}(\[bot\])?$/;

export function webLinks(run: Pick<RunContext, 'serverUrl' | 'owner' | 'repo'>): Links {
  const repo = `${run.serverUrl}/${run.owner}/${run.repo}`;
  return {
    pr: (n) => `${repo}/pull/${n}`,
    // Bots have no profile page of their own; their app page is where GitHub links them.
    person: (login) => (login.endsWith('[bot]') ? `${run.serverUrl}/apps/${login.slice(0, -5)}` : `${run.serverUrl}/${login}`),
    commit: (sha) => `${repo}/commit/${sha}`,
    compare: (from, to) => `${repo}/compare/${encodeURIComponent(from)}...${encodeURIComponent(to)}`,
  };
}

/** Text someone else wrote (`inert` also drops controls and bidi overrides: "Trojan Source"). */
export function text(value: string): string {
  return inert(value);
}

const PERSON: Readonly<Record<MentionStyle, (login: string, links: Links) => string>> = {
  link: (login, links) => `[@${login.replace(/[[\]]/g, '\\$&')}](${links.person(login)})`,
  ping: (login) => `@${login}`,
};

/** `[@login](profile)`: a link to the account that notifies nobody; plain text for what is no login. */
export function personLink(login: string, links: Pick<Links, 'person'>): string {
  if (!LOGIN.test(login) || login === 'ghost') return text(login);
  return PERSON.link(login, links as Links);
}

function person(login: string, options: RenderOptions): string {
  if (!LOGIN.test(login) || login === 'ghost') return text(login);
  // A bot is always linked: `@dependabot` would mention the unrelated user account of that name.
  const style = login.endsWith('[bot]') ? 'link' : (options.mentions ?? 'link');
  return PERSON[style](login, options.links);
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function summary(view: ChangesView, options: RenderOptions): string {
  const { range } = view;
  const prs = view.groups.reduce((n, g) => n + g.items.length, 0);
  const short = range.to.slice(0, 7);
  const totals = `${count(prs, 'pull request')}, ${count(range.commits, 'commit')}`;
  if (range.firstRelease) return `First release: the whole history of \`${short}\` (${totals}).`;
  if (range.commits === 0) return `No changes since ${text(range.from ?? '')}.`;
  return `Since ${text(range.from ?? '')} on ${text(view.branch)}: ${totals} ([compare](${options.links.compare(range.from ?? '', range.to)})).`;
}

function commitLine(c: ChangesView['commitsWithoutPr'][number], options: RenderOptions): string {
  const via = c.other_prs.map((p) => `[#${p.number}](${options.links.pr(p.number)}) into ${text(p.base)}`).join(', ');
  const author = c.author_login ? person(c.author_login, options) : text(c.author);
  return `- [\`${c.sha.slice(0, 7)}\`](${options.links.commit(c.sha)}) ${text(c.title)} — ${author}${via ? ` (merged as ${via})` : ''}`;
}

export function renderChanges(view: ChangesView, options: RenderOptions): string {
  const lines = ['## Changes', '', summary(view, options)];
  for (const group of view.groups) {
    lines.push('', `### ${group.heading}`, '');
    for (const pr of group.items) lines.push(`- ${text(pr.title)} ([#${pr.number}](${options.links.pr(pr.number)})) by ${person(pr.author, options)}`);
  }
  if (view.commitsWithoutPr.length > 0) {
    const max = options.maxCommitsWithoutPr ?? 100;
    lines.push('', '### Commits without a pull request', '', ...view.commitsWithoutPr.slice(0, max).map((c) => commitLine(c, options)));
    const more = view.commitsWithoutPr.length - max;
    if (more > 0) lines.push(`- … and ${count(more, 'more commit')} without a pull request`);
  }
  if (view.contributors.length > 0) {
    lines.push('', '### Contributors', '', view.contributors.map((login) => person(login, options)).join(', '));
    if (view.firstTimeContributors.length > 0) lines.push('', `First-time contributors: ${view.firstTimeContributors.map((login) => person(login, options)).join(', ')}`);
  }
  if (view.warnings.length > 0) lines.push('', ...view.warnings.map((w) => `> **Note:** ${text(w)}`));
  return `${lines.join('\n')}\n`;
}
