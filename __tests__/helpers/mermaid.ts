// Mermaid's own parser for the charts the reports contain. `@mermaid-js/parser` (Langium) does not
// cover xychart-beta, the only diagram the reports use: that grammar lives in the `mermaid` package
// itself (jison). `mermaid.parse()` sanitises text through DOMPurify, which needs a DOM: jsdom
// gives it one, as a browser would. Parsing only: nothing is rendered, no layout needs a browser.
import { JSDOM } from 'jsdom';

type Mermaid = { parse(text: string): Promise<{ diagramType: string; config?: Record<string, unknown> } | false> };
let loading: Promise<Mermaid> | undefined;

function load(): Promise<Mermaid> {
  loading ??= (async () => {
    const { window } = new JSDOM('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { window, document: window.document });
    return (await import('mermaid')).default as unknown as Mermaid;
  })();
  return loading;
}

/** Parses one diagram; throws Mermaid's own parse error (with its line) when the text is not valid. */
export async function parseMermaid(text: string): Promise<{ diagramType: string; config?: Record<string, unknown> }> {
  const mermaid = await load();
  const parsed = await mermaid.parse(text);
  if (!parsed) throw new Error(`mermaid did not parse:\n${text}`);
  return parsed;
}

/** Every ```mermaid block of a Markdown text, without its fences. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)].map((m) => m[2]!);
}

/** Parses every chart of a report; returns them with their type and init configuration. */
export async function parseCharts(markdown: string): Promise<{ text: string; diagramType: string; config?: Record<string, unknown> }[]> {
  const out = [];
  for (const text of mermaidBlocks(markdown)) out.push({ text, ...(await parseMermaid(text)) });
  return out;
}
