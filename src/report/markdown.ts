// The one neutralising layer for GitHub Markdown (report, job summary, incident issue, comments,
// release notes). Text from elsewhere — PR titles, commit messages, check names and outputs,
// status contexts, labels, logins, Kubernetes messages, slo-command output — goes through `inert`
// (or a table cell, which applies it) and can then never create a mention, a cross-reference, an
// image, a link, HTML or a layout break (contract: "Text from elsewhere is inert everywhere").
// Ordinary text reads the same once rendered: escapes are backslashes GitHub does not show, and
// what breaks an autolink or a mention is a zero-width joiner after `@`, `#`, `GH-`, a scheme or `www`.

/** Zero-width joiner: invisible, not a word character, so GitHub's mention and reference finders stop at it. */
const JOIN = '\u200d';

// Controls, bidirectional overrides and invisible characters ("Trojan Source", CVE-2021-42574):
// they can make the text read differently from what it is. The zero-width joiner (U+200D) stays:
// emoji sequences need it, and it creates nothing.
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
// Every line and paragraph break CommonMark or a Unicode renderer honours: one line stays one line.
const BREAKS = /\r\n|[\n\r\t\v\f\u0085\u2028\u2029]/g;

function flat(text: string): string {
  return text.replace(BREAKS, ' ').replace(INVISIBLE, '');
}

const WORD = /[\p{L}\p{N}]/u;
// What GFM's e-mail autolink takes after the `@`: a domain with at least one dot.
const EMAIL_DOMAIN = /^\\?[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+/;

// A code span as CommonMark finds it (spec 6.1): a run of n backticks, content, a run of exactly n.
const CODE_SPAN = /(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;

/**
 * Text someone else wrote, made inert for GitHub Markdown. Code spans in it stay code (GitHub
 * renders PR titles that way; inside code nothing is a mention, link or HTML) and are re-emitted
 * by `code`, so the structure of the output is ours whatever the input was.
 */
export function inert(text: string): string {
  const source = flat(String(text)).trim();
  let out = '';
  let last = 0;
  for (const match of source.matchAll(CODE_SPAN)) {
    out += plain(source.slice(last, match.index), last === 0);
    out += code(stripCodePadding(match[2]!));
    last = match.index + match[0].length;
  }
  return out + plain(source.slice(last), last === 0);
}

/** CommonMark strips one space on each side of code span content when both are there. */
function stripCodePadding(content: string): string {
  return content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '' ? content.slice(1, -1) : content;
}

function plain(text: string, atLineStart: boolean): string {
  let out = text
    // HTML, entities (`&#64;` would decode to a live `@`) and autolinks `<…>`.
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Emphasis, strikethrough, code, links, images, footnotes, task lists, table pipes, math.
    .replace(/[\\`*[\]|~$]/g, '\\$&')
    // `_` emphasises only at a word's edge (CommonMark's flanking rules): `snake_case` stays as is.
    .replace(/_+/g, (run, at: number, all: string) => (WORD.test(all[at - 1] ?? '') && WORD.test(all[at + run.length] ?? '') ? run : run.replace(/_/g, '\\_')))
    // @user and @org/team (GitHub mentions only after a non-word character: `image@sha256:…` is
    // none), and the e-mail autolink, whose domain follows the `@`.
    .replace(/@/g, (at, index: number, all: string) => {
      const after = all.slice(index + 1);
      const mention = !/[A-Za-z0-9_]/.test(all[index - 1] ?? '') && /^\\?[\p{L}\p{N}_]/u.test(after);
      return mention || EMAIL_DOMAIN.test(after) ? `@${JOIN}` : at;
    })
    // #123, org/repo#123, GH-123.
    .replace(/#(?=\p{N})/gu, `#${JOIN}`)
    .replace(/(gh)-(?=\p{N})/giu, `$1-${JOIN}`)
    // Autolink literals: `scheme://…`, `www.…`, and `mailto:`/`xmpp:` forms.
    .replace(/([\p{L}\p{N}+.-]+)(?=:\/\/)/gu, `$1${JOIN}`)
    .replace(/(www)(?=\.)/giu, `$1${JOIN}`)
    .replace(/(mailto|xmpp|javascript|data|vbscript):/giu, `$1${JOIN}:`);
  // At the start of a line: no heading, list, quote, thematic break or setext underline.
  // Only markers CommonMark would take (followed by a space or the end): `0.05`, `-1`, `#1` stay as they are.
  if (atLineStart) out = out.replace(/^(#{1,6}|[-+=])(?=[\s=-]|$)/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
  return out;
}

/** One table cell of untrusted text (or a number): inert, and a pipe never ends the cell. */
export function cell(text: string | number | null | undefined): string {
  return inert(String(text ?? ''));
}

/**
 * @deprecated Same as `inert`: escaping only `& < >` let images, links, mentions and references
 * through, so there is one rule for text from elsewhere.
 */
export const escapeText = inert;

/** Inline code that survives backticks in the text: a fence longer than any run inside it. */
export function code(text: string): string {
  const content = flat(String(text));
  if (content === '') return '` `';
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A space on each side when the content starts or ends with a backtick (or a space: kept as is).
  const pad = /^[` ]|[` ]$/.test(content) && content.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced code block (e.g. YAML to paste) whose text cannot close the fence early. */
export function codeBlock(text: string, language = ''): string {
  const content = String(text).replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
  const longest = Math.max(0, ...(content.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${/^[\w+-]*$/.test(language) ? language : ''}\n${content}\n${fence}`;
}

/** Markdown that is already safe for a cell (inert text, links we built): written as it is. */
export interface RawCell {
  readonly markdown: string;
}

/** Markdown we built (links to GitHub, code spans) as a table cell. */
export function raw(markdown: string): RawCell {
  return { markdown };
}

type Cell = string | number | null | undefined | RawCell;

// GFM splits a row at every pipe not escaped by a backslash, inside code spans too (spec example
// 200), and `\\` is an escaped backslash: a pipe after an even run of backslashes (none, or `\\`
// from a code span's text) still splits. Escape those; one already escaped by `inert` is left alone.
const UNESCAPED_PIPE = /(?<!\\)((?:\\\\)*)\|/g;

function renderCell(value: Cell): string {
  const markdown = typeof value === 'object' && value !== null ? flat(value.markdown) : cell(value);
  return markdown.replace(UNESCAPED_PIPE, '$1\\|');
}

export function table(header: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  return [
    `| ${header.map(renderCell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(renderCell).join(' | ')} |`),
  ].join('\n');
}
