/**
 * The neutralising layers, fuzzed: thousands of hostile strings (seeded, so a failure reproduces)
 * made of Markdown, HTML, bidi and zero-width characters, workflow commands, mentions, references,
 * URLs, emphasis and fences. Rendered by micromark with GitHub's GFM extension (cmark-gfm's rules:
 * tables, autolink literals, strikethrough) they never give a link, an image, HTML or a layout
 * break, nor text GitHub would turn into a mention or reference; printed through the log they never
 * give a line the runner reads as a command. Ordinary text reads the same once rendered.
 */
import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { inertLog, runnerLog } from '../src/log.js';
import { code, codeBlock, inert, raw, table } from '../src/report/markdown.js';
import { parseWorkflowCommands } from './workflow-commands.js';

const SEED = 20261130;
const RUNS = 3000;

const render = (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });

const FRAGMENTS = [
  '<img src=x onerror=alert(1)>', '</table><details open><summary>x', '<!--', '-->', '<script>', '</code>', '<a href="https://evil.test">',
  '[click](https://evil.test)', '![i](https://evil.test/p.png)', '[ref]: https://evil.test', '[ref]', '<https://evil.test>', '<a@b.co>',
  'https://evil.test/a?b=c', 'http://x.y', 'HTTPS://X.Y', 'ftp://f.test', 'www.example.com', 'WWW.EXAMPLE.COM', 'mailto:a@b.co', 'xmpp:a@b.co',
  'javascript:alert(1)', 'data:text/html,x', 'alice@example.com', 'a.b+c@d-e.co.uk', 'a@-b.com', '@-', '-b.co', '.co', 'x_',
  '@user', '@acme/sre', '@', '@@x', '#123', '#', 'GH-1', 'gh-42', 'acme/shop#7', 'acme/shop@abcdef1', 'abcdef1234567',
  '::warning::x', '::error file=a::b', '::stop-commands::tok', '::add-mask::secret', '::', ':', '##[add-mask]s', '##[group]g', '##', '#[',
  '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\v', '\f', '\t', '\u001b[2K', '\u0000',
  '\u202e', '\u202d', '\u2066', '\u2067', '\u2069', '\u200e', '\u200f', '\u061c', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad',
  '`', '``', '```', '````', '~~~', '*', '**', '_', '__', '~', '~~', '|', '||', '\\', '\\|', '&', '&#64;', '&#x40;', '&lt;', '&amp;', '&commat;',
  '$', '$$', '$`x`$', '[^1]', '[x]', '[ ]', '- ', '+ ', '* ', '1. ', '2) ', '# ', '### ', '> ', '>', '---', '===', '***', '    ', '  ', ' ',
  '<', '>', '[', ']', '(', ')', '!', '{', '}', ':+1:', '%0A', '%25', '<br>', '<details>', '</details>', '<table>', '<tr><td>',
  'abc', 'v2.14.0', 'C#', 'a_b*c', '日本語', 'Ünïcødé', '👨\u200d👩\u200d👧', 'src/x.ts', '```mermaid',
];

const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 14 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 10 }).map((parts) => parts.join('')) },
);

const TAG = /<\/?([a-zA-Z][\w-]*)/g;
const tags = (html: string) => [...html.matchAll(TAG)].map((m) => m[1]!.toLowerCase());
const count = (html: string, tag: string) => tags(html).filter((t) => t === tag).length;

/** The text GitHub's post-processing sees: outside <code>, entities decoded, the joiner we insert kept. */
function textOutsideCode(html: string): string {
  return html
    .replace(/<code[^>]*>[\s\S]*?<\/code>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (_, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e.startsWith('#') ? String.fromCodePoint(Number(e.startsWith('#x') ? `0${e.slice(1)}` : e.slice(1))) : `&${e};`));
}

/** What GitHub would make live in text: mentions, references, autolinks (its own finders, approximated generously). */
const LIVE: Record<string, RegExp> = {
  // GitHub's mention filter: `@login` after the start or a non-word character (ASCII \W).
  mention: /(?:^|[^A-Za-z0-9_])@[\p{L}\p{N}_]/u,
  reference: /#\p{N}|\bgh-\p{N}/iu,
  url: /[\p{L}\p{N}]:\/\/|\bwww\./iu,
  bidi: /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/,
};

function expectInertHtml(html: string, allowed: readonly string[], input: string): void {
  const unexpected = tags(html).filter((t) => !allowed.includes(t));
  if (unexpected.length > 0) throw new Error(`tags ${unexpected.join(',')} from ${JSON.stringify(input)}:\n${html}`);
  const text = textOutsideCode(html);
  for (const [what, pattern] of Object.entries(LIVE)) {
    if (pattern.test(text)) throw new Error(`a live ${what} from ${JSON.stringify(input)}: ${JSON.stringify(text)}`);
  }
}

describe('Markdown: text from elsewhere never becomes active', () => {
  const property = (check: (s: string) => void) => fc.assert(fc.property(hostile, check), { seed: SEED, numRuns: RUNS });

  it('alone in a paragraph: one paragraph, text and code only', () => {
    property((s) => {
      const html = render(`Before ${inert(s)} after.`);
      expectInertHtml(html, ['p', 'code'], s);
      expect(count(html, 'p')).toBe(2);
    });
  });

  it('as a list item and a heading: still one item, one heading', () => {
    property((s) => {
      const html = render(`- ${inert(s)}\n- next\n\n# ${inert(s)}`);
      expectInertHtml(html, ['ul', 'li', 'h1', 'code'], s);
      expect([count(html, 'ul'), count(html, 'li'), count(html, 'h1')]).toEqual([2, 4, 2]);
    });
  });

  it('as table cells, also the first: two columns, two rows, whatever the text (a leading backtick included)', () => {
    property((s) => {
      const html = render(table(['Check', s], [[s, 'x'], [raw(code(s)), s], [`\`${s}`, raw(inert(s))]]));
      expectInertHtml(html, ['table', 'thead', 'tbody', 'tr', 'th', 'td', 'code'], s);
      expect([count(html, 'table'), count(html, 'tr'), count(html, 'th'), count(html, 'td')]).toEqual([2, 8, 4, 12]);
    });
  });

  it('as inline code and as a code block: code only, the text kept', () => {
    property((s) => {
      const html = render(`Run ${code(s)} now.\n\n${codeBlock(s, 'yaml')}\n\nafter`);
      expectInertHtml(html, ['p', 'code', 'pre'], s);
      expect([count(html, 'p'), count(html, 'pre')]).toEqual([4, 2]);
    });
  });
});

describe('Markdown: ordinary text reads the same', () => {
  const visible = (markdown: string) => textOutsideCode(render(markdown)).replace(/\u200d/g, '').trim();

  it.each([
    'a_b*c', 'v2.14.0', 'C#', 'C# and F#', 'alice@example.com', 'src/report/markdown.ts', 'fix(api): handle empty carts (#12)', 'Price: $5 or 10%',
    'x < y && y > z', '1. first', '- dash', '# not a heading', 'C:\\path\\to\\file', 'std::vector<int>', 'see https://example.com/a_b', '~/.kube/config',
    'error rate 0.032 > 0.01 at 25%', '[WIP] feat: x', 'a | b', 'snake_case_name', '**bold?**', 'www.example.com', 'GH-123', '日本語のタイトル',
  ])('%s', (s) => {
    expect(visible(inert(s))).toBe(s);
  });

  it('code spans in a title stay code; text without markup is unchanged byte for byte', () => {
    expect(render(inert('fix: handle `null` in `parse()`'))).toBe('<p>fix: handle <code>null</code> in <code>parse()</code></p>');
    expect(inert('Deploy checkout api v2 now')).toBe('Deploy checkout api v2 now');
    for (const number of ['0.05', '-1', '25%', '#1 fan']) expect(inert(number)).toBe(number.replace('#1', '#\u200d1'));
    expect(inert('error_rate 0.05 > 0.01 at ghcr.io/acme/api@sha256:abc (rolled back)')).toBe('error_rate 0.05 &gt; 0.01 at ghcr.io/acme/api@sha256:abc (rolled back)');
    expect(code('a`b')).toBe('``a`b``');
    expect(render(table(['Check'], [['a | b'], [raw(code('x|y'))]]))).toContain('<td><code>x|y</code></td>');
  });

  it('regressions: a cell that starts with a backtick, a pipe after an escaped backslash in code', () => {
    const html = render(table(['Check', 'State'], [['`<img src=x>` </table><details>@acme/sre', 'failure'], [raw(code('\\\\|<img src=x onerror=alert(1)>')), 'x']]));
    expect(tags(html).filter((t) => !['table', 'thead', 'tbody', 'tr', 'th', 'td', 'code'].includes(t))).toEqual([]);
    expect(count(html, 'td')).toBe(8); // 4 cells, opened and closed
  });
});

describe('Log: text from elsewhere is never a workflow command', () => {
  it('no line of a message the log prints is a command, however it is split', () => {
    fc.assert(fc.property(hostile, hostile, (a, b) => {
      const printed: string[] = [];
      const sink = { info: (m: string) => printed.push(m), warning: (m: string) => printed.push(m), error: (m: string) => printed.push(m), notice: (m: string) => printed.push(m) };
      runnerLog(sink).info(`check ${a}: ${b}`);
      expect(parseWorkflowCommands(printed.join('\n'))).toEqual([]);
      expect(printed.join('\n')).not.toMatch(/##\[/);
      for (const line of printed.join('\n').split(/\r\n|\r|\n/)) expect(line.trimStart().startsWith('::')).toBe(false);
    }), { seed: SEED, numRuns: RUNS });
  });

  it('reads the same to a person: only invisible breaks are added', () => {
    expect(inertLog('std::vector ::warning::x ##[add-mask]y').replace(/\u200b/g, '')).toBe('std::vector ::warning::x ##[add-mask]y');
    expect(inertLog('plain line\nsecond line')).toBe('plain line\nsecond line');
  });

  it('the run\'s secrets are replaced before a break could split them', () => {
    const printed: string[] = [];
    runnerLog({ info: (m) => printed.push(m), warning: () => {}, error: () => {}, notice: () => {} }, ['tok::en']).info('token tok::en leaked');
    expect(printed).toEqual(['token *** leaked']);
  });
});
