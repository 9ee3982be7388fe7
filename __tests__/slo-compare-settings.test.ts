// The comparison keys of the `slo` input (CONTRACT.md, "Comparing the canary with stable").
import { parseSettings } from '../src/settings.js';

const ENV = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '42', GITHUB_ACTOR: 'alice', GITHUB_WORKSPACE: '/tmp/ws' };

function parse(slo: string) {
  const all: Record<string, string> = {
    environment: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), service: 'checkout-api', digest: `sha256:${'b'.repeat(64)}`,
    'github-token': 'ghs_secret', 'prometheus-url': 'http://127.0.0.1:9090', slo,
  };
  return parseSettings((name) => all[name] ?? '', ENV);
}

describe('slo comparison keys', () => {
  it('is off by default: no comparison unless compare is stable', () => {
    expect(parse('').settings?.slo.compare).toBeUndefined();
    expect(parse('{compare: none, alpha: 0.05}').settings?.slo.compare).toBeUndefined();
  });

  it('applies the contract defaults, min_window_minutes defaulting to window_minutes', () => {
    expect(parse('{compare: stable, window_minutes: 4}').settings?.slo.compare).toEqual({ alpha: 0.01, tolerance: 0.1, earlyPromote: false, minWindowMinutes: 4 });
    expect(parse('{compare: stable, alpha: 0.05, tolerance: 0.25, early_promote: true, min_window_minutes: 1.5}').settings?.slo).toMatchObject({
      errorRateMax: 0.005, windowMinutes: 5, compare: { alpha: 0.05, tolerance: 0.25, earlyPromote: true, minWindowMinutes: 1.5 },
    });
  });

  it('names every bad comparison key at once, and a typo is still an unknown key', () => {
    const { settings, errors } = parse('{compare: baseline, alpha: 1, tolerance: -0.1, early_promote: "yes", tolerence: 0.2}');
    expect(settings).toBeUndefined();
    expect(errors).toEqual([
      expect.stringMatching(/^slo\.compare is invalid: .*"none".*"stable".* \(got "baseline"\)$/),
      expect.stringMatching(/^slo\.alpha is invalid: .*<1 \(got 1\)$/),
      expect.stringMatching(/^slo\.tolerance is invalid: .* \(got -0\.1\)$/),
      expect.stringMatching(/^slo\.early_promote is invalid: .* \(got "yes"\)$/),
      expect.stringMatching(/^slo has unknown key tolerence \(known: .*, compare, alpha, tolerance, early_promote, min_window_minutes\)$/),
    ]);
  });

  it('refuses a min_window_minutes past the window', () => {
    expect(parse('{compare: stable, early_promote: true, window_minutes: 2, min_window_minutes: 3}').errors).toEqual([
      'slo.min_window_minutes is invalid: must be at most window_minutes (it is the earliest point early_promote may act within the window) (got 3)',
    ]);
  });
});
