/**
 * The job summary under GitHub's 1 MiB per step, in bytes: a report of CJK titles (three bytes a
 * character) is cut at a line, and the fence, `<details>` or table the cut left open is closed
 * before the note, so the note is text, not code or a table row.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { table } from '../src/report/markdown.js';
import { fitSummary, SUMMARY_LIMIT_BYTES } from '../src/report/summary.js';

const NOTE = '_The rest is in the artifact._';
const render = (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const cjk = (i: number) => `修正: 決済ページの読み込みを高速化する変更 第${i}号`;

/** A report of about 1.2 MB that is well under a million characters. */
function report(where: 'fence' | 'table' | 'details'): string {
  const rows = Array.from({ length: 14_000 }, (_, i) => [String(i), cjk(i), 'merged']);
  const body = {
    table: table(['#', 'Title', 'State'], rows),
    fence: ['```text', ...rows.map((r) => r.join(' ')), '```'].join('\n'),
    details: ['<details><summary>Every change</summary>', '', ...rows.map((r) => `- ${r.join(' ')}`), '', '</details>'].join('\n'),
  }[where];
  return ['# RELEASED — checkout-api v2.14.0 → prod', '', body, '', '## Evidence', '- `devops/reports/release-v2.14.0.md`', ''].join('\n');
}

describe.each(['table', 'fence', 'details'] as const)('a CJK report too long for the summary, cut inside a %s', (where) => {
  const markdown = report(where);
  const fitted = fitSummary(markdown, NOTE);
  const html = render(fitted);

  it('was over the limit in bytes though not in characters, and is under it after the cut', () => {
    expect(markdown.length).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(bytes(markdown)).toBeGreaterThan(1_048_576);
    expect(bytes(fitted)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(bytes(fitted)).toBeGreaterThan(SUMMARY_LIMIT_BYTES - 1024);
    expect(markdown.startsWith(fitted.slice(0, fitted.lastIndexOf(cjk(1)) + 10))).toBe(true);
  });

  it('closes what it opened: the note is a paragraph of its own, every <details> closed', () => {
    expect(html.trimEnd().endsWith('<p><em>The rest is in the artifact.</em></p>')).toBe(true);
    expect((fitted.match(/<details/g) ?? []).length).toBe((fitted.match(/<\/details>/g) ?? []).length);
    expect((html.match(/<pre>/g) ?? []).length).toBe((html.match(/<\/pre>/g) ?? []).length);
  });
});

it('a report that fits is unchanged', () => {
  const small = '# RELEASED\n\n```\nx\n```\n';
  expect(fitSummary(small, NOTE)).toBe(small);
});
