// Text from CI names, API errors and user input goes into Markdown that GitHub renders (and into
// the job summary, which is HTML-ish): make it inert.
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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

export function table(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map((c) => (typeof c === 'string' && c.startsWith('`') ? c : cell(c))).join(' | ')} |`),
  ].join('\n');
}
