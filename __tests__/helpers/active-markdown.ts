// What GitHub would make active in Markdown we wrote: rendered with micromark's GFM extension (the
// cmark-gfm rules GitHub uses: tables, autolink literals), then every tag that is not ordinary
// layout, every link that is not one of ours, and in text outside code and links every mention,
// reference, autolink or bidi control GitHub's post-processing would act on.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

export const renderGfm = (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });

const LAYOUT = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'pre', 'strong', 'em', 'a', 'hr', 'br']);

const LIVE: Record<string, RegExp> = {
  mention: /(?:^|[^A-Za-z0-9_])@[\p{L}\p{N}_]/u,
  reference: /#\p{N}|\bgh-\p{N}/iu,
  url: /[\p{L}\p{N}]:\/\/|\bwww\./iu,
  bidi: /[\u202a-\u202e\u2066-\u2069]/,
};

function decode(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e.startsWith('#') ? String.fromCodePoint(Number(e.startsWith('#x') ? `0${e.slice(1)}` : e.slice(1))) : `&${e};`);
}

/** Each active thing GitHub would make of `markdown`; `ownLinks` are the URL prefixes the action links to. */
export function activeContent(markdown: string, ownLinks: readonly string[]): string[] {
  const html = renderGfm(markdown);
  const found: string[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const tag = m[1]!.toLowerCase();
    if (!LAYOUT.has(tag)) found.push(`<${tag}${m[2]}>`);
    if (tag === 'a') {
      const href = decode(/href="([^"]*)"/.exec(m[2]!)?.[1] ?? '');
      if (!ownLinks.some((own) => href.startsWith(own))) found.push(`link to ${href}`);
    }
  }
  const text = decode(html.replace(/<pre[\s\S]*?<\/pre>/g, ' ').replace(/<code[^>]*>[\s\S]*?<\/code>/g, ' ').replace(/<a [\s\S]*?<\/a>/g, ' ').replace(/<[^>]+>/g, ' '));
  for (const line of text.split('\n')) for (const [what, pattern] of Object.entries(LIVE)) if (pattern.test(line)) found.push(`${what}: ${line.trim().slice(0, 200)}`);
  return found;
}
