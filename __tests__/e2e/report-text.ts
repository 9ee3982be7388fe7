// Reading the report as a person sees it once GitHub renders it: the Markdown escapes and the
// zero-width joiners that keep untrusted text inert are invisible there, so assertions about what
// the report *says* read through them (assertions about what it must not *do* read the raw text).

/** The Markdown as read: backslash escapes, zero-width joiners and HTML entities resolved. */
export function rendered(markdown: string): string {
  return markdown
    .replace(/\u200d/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|~$<>=])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The body of a `## heading` section of the report, as read. */
export function section(report: string, heading: string): string {
  const match = new RegExp(`^## ${heading}[^\\n]*\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(report);
  if (!match) throw new Error(`no ## ${heading} section in:\n${report}`);
  return rendered(match[1]!);
}
