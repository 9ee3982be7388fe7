// Every chart the reports can contain, parsed by Mermaid's own parser, and readable on GitHub's
// light and dark themes: an explicit palette (never Mermaid's #ECECFF on white), y-axes from 0,
// and the breach marked on the metric that breached only.
import type { Clock } from '../src/clock.js';
import type { Settings, Slo } from '../src/settings.js';
import { bake } from '../src/slo/bake.js';
import type { Measurement, SloContext, SloProviderBackend } from '../src/slo/provider.js';
import type { Sample } from '../src/slo/bake.js';
import type { CanaryResult } from '../src/stages/canary.js';
import { canarySection } from '../src/report/canary.js';
import { comparisonSection } from '../src/report/verdict.js';
import { mermaidBlocks, parseCharts, parseMermaid } from './helpers/mermaid.js';

const START = Date.parse('2026-11-30T10:00:00Z');
const slo: Slo = { errorRateMax: 0.005, p95LatencyMs: 300, windowMinutes: 1, intervalSeconds: 30, minRequests: 0, noData: 'breach' };
const settings = { slo, sloProvider: { kind: 'command' } } as unknown as Settings;

function sample(step: number, seconds: number, errorRate: number | null, p95: number | null, breached: readonly ('error_rate' | 'p95_latency_ms')[] = []): Sample {
  return {
    at: new Date(START + seconds * 1000).toISOString(), elapsedSeconds: seconds, step, errorRate, p95LatencyMs: p95, requests: 1000,
    verdict: breached.length > 0 ? 'breach' : errorRate === null ? 'no-data' : 'within',
    breaches: breached.map((metric) => ({ metric, value: metric === 'error_rate' ? errorRate : p95, threshold: metric === 'error_rate' ? 0.005 : 300 })),
    summary: '', thresholds: { errorRateMax: 0.005, p95LatencyMs: 300 },
  };
}

function canaryWith(samples: Sample[], tripped?: { metric: string; at: number }): CanaryResult {
  const weights = [...new Set(samples.map((s) => s.step))];
  return {
    state: tripped ? 'slo_breach' : 'promoted', image: 'ghcr.io/acme/api@sha256:' + 'b'.repeat(64), startedAt: new Date(START).toISOString(), finishedAt: new Date(START + 600_000).toISOString(),
    steps: weights.map((weight) => ({
      weight, gate: 'pause', startedAt: new Date(START).toISOString(), waitSeconds: 1, outcome: 'passed', detail: '',
      bake: { verdict: 'within', samples: samples.filter((s) => s.step === weight), startedAt: '', endedAt: '' },
    })),
    fullyPromoted: !tripped, timeline: [],
    ...(tripped && { abortedAtStep: 25, tripped: { metric: tripped.metric, value: 0.05, threshold: 0.005, weight: 25, at: new Date(START + tripped.at * 1000).toISOString(), detail: 'error_rate 0.05 over threshold 0.005 at 25%' } }),
  } as CanaryResult;
}

const ERROR_BREACH = [sample(5, 0, 0.001, 120), sample(5, 30, 0.002, 130), sample(25, 60, 0.001, 125), sample(25, 90, 0.05, 140, ['error_rate'])];

/** The init directive's palette of a chart, as Mermaid read it. */
const palette = (config: Record<string, unknown> | undefined) => ((config?.themeVariables as { xyChart?: { plotColorPalette?: string } } | undefined)?.xyChart?.plotColorPalette ?? '').split(',').map((c) => c.trim()).filter(Boolean);
const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('the canary charts', () => {
  it('each parses with Mermaid, in a palette that reads on white and on GitHub dark (#0d1117)', async () => {
    const charts = await parseCharts(canarySection(canaryWith(ERROR_BREACH, { metric: 'error_rate', at: 90 }), settings));
    expect(charts.map((c) => c.diagramType)).toEqual(['xychart', 'xychart', 'xychart']);
    for (const chart of charts) {
      const colours = palette(chart.config);
      expect(colours.length).toBeGreaterThan(0);
      for (const colour of colours) {
        expect(colour.toLowerCase()).not.toBe('#ececff');
        // WCAG's 3:1 for graphics, against both page backgrounds.
        expect(contrast(colour, '#ffffff')).toBeGreaterThanOrEqual(3);
        expect(contrast(colour, '#0d1117')).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('every y-axis starts at 0: the weight chart runs 0 → 100, so a 5% bar is visible', async () => {
    const blocks = mermaidBlocks(canarySection(canaryWith(ERROR_BREACH, { metric: 'error_rate', at: 90 }), settings));
    expect(blocks[0]).toMatch(/^ {2}y-axis "[^"]*" 0 --> 100$/m);
    for (const block of blocks) expect(block).toMatch(/^ {2}y-axis "[^"]*" 0 --> [\d.]+$/m);
    // The error-rate axis reaches above both the breach (0.05) and the threshold.
    expect(blocks[1]).toMatch(/y-axis "[^"]*" 0 --> 0\.0[5-9]\d*$/m);
  });

  it('marks the breach on the metric that breached only', async () => {
    const blocks = mermaidBlocks(canarySection(canaryWith(ERROR_BREACH, { metric: 'error_rate', at: 90 }), settings));
    const titles = blocks.map((b) => /title "([^"]*)"/.exec(b)![1]!);
    expect(titles[1]).toMatch(/^Error rate vs 0\.005 — ✗ breach at 10:01:30$/);
    expect(titles[2]).not.toMatch(/breach/);
    expect(titles[0]).not.toMatch(/breach/);

    const p95 = [sample(5, 0, 0.001, 120), sample(5, 30, 0.001, 900, ['p95_latency_ms'])];
    const [, errorTitle, p95Title] = mermaidBlocks(canarySection(canaryWith(p95, { metric: 'p95_latency_ms', at: 30 }), settings)).map((b) => /title "([^"]*)"/.exec(b)![1]!);
    expect(errorTitle).not.toMatch(/breach/);
    expect(p95Title).toMatch(/— ✗ breach at 10:00:30$/);
  });

  it('parses with no data, a single sample and a release without a breach', async () => {
    for (const samples of [[sample(5, 0, null, null)], [sample(100, 0, 0.001, 100)], ERROR_BREACH.slice(0, 3)]) {
      for (const chart of await parseCharts(canarySection(canaryWith(samples), settings))) expect(chart.diagramType).toBe('xychart');
    }
  });

  it('the parser used here rejects what GitHub would not render (a test that can fail)', async () => {
    await expect(parseMermaid('xychart-beta\n  title "a "quoted" title"\n  line [1, 2]')).rejects.toThrow(/Parse error/);
    await expect(parseMermaid('xychart-beta\n  x-axis ["a", "b"\n  line [1, 2]')).rejects.toThrow(/Parse error/);
  });
});

describe("the canary-vs-stable chart (report/verdict.ts)", () => {
  it('parses with Mermaid, from a real bake that compared canary and stable', async () => {
    let now = START;
    const clock: Clock = { now: () => new Date(now), sleep: async (ms) => void (now += ms) };
    const compareSlo: Slo = { ...slo, windowMinutes: 5, intervalSeconds: 15, compare: { alpha: 0.01, tolerance: 0.1, earlyPromote: false, minWindowMinutes: 5 } };
    const provider: SloProviderBackend = {
      name: 'command', ping: async () => undefined, describe: () => [],
      measure: async (): Promise<Measurement> => {
        const t = (now - START) / 1000;
        const [c, s] = [150 * t, 2850 * t];
        return {
          errorRate: 0.003, p95LatencyMs: 100, requests: c,
          counters: { origin: 'zero', readings: [
            { series: 'c', group: 'canary', kind: 'requests', value: c }, { series: 'c', group: 'canary', kind: 'errors', value: c * 0.003 },
            { series: 's', group: 'stable', kind: 'requests', value: s }, { series: 's', group: 'stable', kind: 'errors', value: s * 0.001 },
          ] },
        };
      },
    };
    const context: SloContext = { service: 'api', namespace: 'prod', version: 'v1.0.0', sha: 'a'.repeat(40), step: 5, canaryHash: 'c', stableHash: 's', slo: compareSlo };
    const baked = await bake(provider, context, compareSlo, clock, { releaseWeights: [5, 25, 100] });
    const charts = await parseCharts(comparisonSection([{ weight: 5, bake: baked }], { slo: compareSlo } as unknown as Settings));
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) {
      expect(chart.diagramType).toBe('xychart');
      for (const colour of palette(chart.config)) expect(contrast(colour, '#ffffff')).toBeGreaterThanOrEqual(3);
    }
  });
});
