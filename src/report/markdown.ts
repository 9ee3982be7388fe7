// Text from CI names, API errors and user input goes into Markdown that GitHub renders (and into
// the job summary, which is HTML-ish): make it inert.
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text someone else wrote (PR titles, commit messages) made inert for GitHub Markdown: no HTML, no
 * link or image syntax, no @-mention or #-reference that pings or links what its author did not
 * mean. A zero-width joiner keeps the text readable while breaking the autolinker.
 */
export function inert(text: string): string {
  return escapeText(text.replace(/\r?\n/g, ' '))
    .replace(/([\\`*_[\]()!|~])/g, '\\$1')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200d')
    .replace(/#(?=\d)/g, '#\u200d')
    .replace(/\b(javascript|data|vbscript):/gi, '$1\u200d:')
    .replace(/(https?):\/\//gi, '$1\u200d://');
}

/** One table cell: no pipes or line breaks may escape it. */
export function cell(text: string | number | null | undefined): string {
  return escapeText(String(text ?? '')).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\r?\n/g, ' ')}${fence}`;
}

/** Markdown that is already safe for a cell (inert text, links we built): written as it is. */
export interface RawCell {
  readonly markdown: string;
}

export function table(header: readonly string[], rows: readonly (readonly (string | number | null | undefined | RawCell)[])[]): string {
  const render = (c: string | number | null | undefined | RawCell) =>
    typeof c === 'object' && c !== null ? c.markdown.replace(/\r?\n/g, ' ') : typeof c === 'string' && c.startsWith('`') ? c : cell(c);
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(render).join(' | ')} |`),
  ].join('\n');
}
