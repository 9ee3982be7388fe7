// The job summary must stay under GitHub's limit of 1 MiB per step, counted in BYTES (a larger one
// is dropped with an error annotation; ../shared/reference/github-actions.md): a report of CJK
// titles is three bytes a character. A report too long is cut at a line, and whatever the cut left
// open — a code fence, `<details>`, a table — is closed before the note that says where the rest is.

/** 1,048,576 bytes, less room for the newline core.summary adds and for nothing else. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 1024;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

interface Open {
  /** The fence line that opened the code block we are in (``` or ~~~, its length), if any. */
  fence?: { readonly char: string; readonly length: number };
  details: number;
  table: boolean;
}

function step(open: Open, line: string): void {
  if (open.fence) {
    const close = new RegExp(`^ {0,3}${open.fence.char === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`);
    if (close.test(line)) open.fence = undefined;
    return;
  }
  const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
  if (fence) {
    open.fence = { char: fence[1]![0]!, length: fence[1]!.length };
    open.table = false;
    return;
  }
  // Only our own markup can hold a tag: text from elsewhere has its `<` as `&lt;` (markdown.ts).
  open.details += (line.match(/<details[\s>]/gi) ?? []).length - (line.match(/<\/details>/gi) ?? []).length;
  open.details = Math.max(0, open.details);
  open.table = line.trimStart().startsWith('|');
}

function closing(open: Open): string {
  const parts: string[] = [];
  if (open.fence) parts.push(open.fence.char.repeat(open.fence.length));
  // A blank line ends a table (and any paragraph) so the note is not read as a row.
  parts.push('');
  for (let i = 0; i < open.details; i += 1) parts.push('</details>', '');
  return parts.join('\n');
}

/**
 * The markdown as it may go into the job summary: unchanged when it fits in `limit` bytes, else
 * its longest prefix of whole lines that fits with what closes it and `note`.
 */
export function fitSummary(markdown: string, note: string, limit = SUMMARY_LIMIT_BYTES): string {
  if (bytes(markdown) <= limit) return markdown;
  const tail = `\n${note}\n`;
  const open: Open = { details: 0, table: false };
  const kept: string[] = [];
  let used = 0;
  for (const line of markdown.split('\n')) {
    const next = { ...open };
    step(next, line);
    const cost = bytes(line) + 1;
    // Room for this line and for closing what would be open after it.
    if (used + cost + bytes(closing(next)) + bytes(tail) > limit) break;
    kept.push(line);
    used += cost;
    Object.assign(open, next);
  }
  return `${kept.join('\n')}\n${closing(open)}${tail}`;
}
