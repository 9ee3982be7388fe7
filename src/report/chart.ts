// Mermaid xychart-beta blocks (GitHub renders them in the report, the job summary and the issue)
// that read on GitHub's light and dark themes alike. Mermaid's default theme draws the first series
// in its primaryColor, #ECECFF — invisible on white — and GitHub switches Mermaid's theme with the
// page's, so the series get an explicit palette (xyChart.plotColorPalette, in series order) and
// only that: text colours stay the theme's, which GitHub already matches to the page.
// Every text here is built by us from numbers and fixed words: no quote can end a title early.

/**
 * Mid-luminance colours: each has at least 3:1 contrast (WCAG's minimum for graphics) against
 * GitHub's white and its dark background (#0d1117); __tests__/report-charts.test.ts checks it.
 */
export const COLOURS = {
  /** What was measured (the canary). */
  measured: '#e8590c',
  /** The canary's weight, and the comparison's interval. */
  secondary: '#1c7ed6',
  /** A threshold or tolerance boundary: a flat reference line. */
  threshold: '#868e96',
} as const;

export interface Series {
  readonly kind: 'line' | 'bar';
  readonly values: readonly (number | null)[];
  readonly colour: string;
}

export interface Chart {
  readonly title: string;
  readonly xLabels: readonly string[];
  readonly yLabel: string;
  /** The y-axis always starts at 0, so bars and lines are read against zero, not against their minimum. */
  readonly yMax: number;
  readonly series: readonly Series[];
}

/** The smallest "round" number (two significant digits) at or above `value`. */
export function roundUp(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const unit = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Number((Math.ceil(value / unit - 1e-9) * unit).toPrecision(2));
}

export function xychart({ title, xLabels, yLabel, yMax, series }: Chart): string {
  const values = (v: readonly (number | null)[]) => `[${v.map((x) => (x === null || !Number.isFinite(x) ? 0 : Number(x.toPrecision(4)))).join(', ')}]`;
  const quoted = (text: string) => `"${text.replace(/"/g, "'")}"`;
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${series.map((s) => s.colour).join(', ')}"}}}}%%`,
    'xychart-beta',
    `  title ${quoted(title)}`,
    `  x-axis [${xLabels.map(quoted).join(', ')}]`,
    `  y-axis ${quoted(yLabel)} 0 --> ${roundUp(yMax)}`,
    ...series.map((s) => `  ${s.kind} ${values(s.values)}`),
    '```',
  ].join('\n');
}
