// The comparison in plain words, for the log, the report and the incident: one sentence per metric
// with the estimate, the interval and the time it took, e.g.
// "canary error rate 2.1× stable's, 99% interval 1.6–2.8×, after 95 s".
import type { Evidence } from './types.js';

export function describeEvidence(e: Evidence, alpha: number, elapsedSeconds: number, tolerance: number): string {
  const interval = e.lower === undefined || e.upper === undefined ? '' : `, ${percent(1 - alpha)} interval ${ratio(e.lower)}–${ratio(e.upper)}×`;
  const after = `after ${seconds(elapsedSeconds)}`;
  if (e.metric === 'error_rate') {
    const estimate = e.estimate === null ? (e.canaryEvents > 0 ? `${count(e.canaryEvents)} canary errors, none in stable` : 'no errors in either') : `canary error rate ${ratio(e.estimate)}× stable's`;
    return `${estimate}${interval} (tolerance ${ratio(e.boundary)}×), ${after}`;
  }
  const bound = e.boundMs ?? 0;
  const stretched = `${ms(bound / (1 + tolerance))} (${ms(bound)} ÷ ${ratio(1 + tolerance)})`;
  const estimate = e.estimate === null ? `canary requests slower than ${ms(bound)}: ${count(e.canaryEvents)}, stable slower than ${stretched}: none` : `canary's share of requests slower than ${ms(bound)} is ${ratio(e.estimate)}× stable's share slower than ${stretched}`;
  return `${estimate}${interval} (within tolerance up to 1×), ${after}`;
}

/** "1.6", "2.8", "∞", "0"; two significant digits are what a reader compares. */
export function ratio(value: number): string {
  if (value === Infinity) return '∞';
  if (value === 0) return '0';
  return value >= 10 ? value.toFixed(0) : String(Number(value.toPrecision(2)));
}

function percent(value: number): string {
  return `${Number((value * 100).toPrecision(4))}%`;
}

function seconds(value: number): string {
  return `${Math.round(value)} s`;
}

function ms(value: number): string {
  return `${Number(value.toPrecision(3))} ms`;
}

function count(value: number): string {
  return String(Math.round(value));
}
