// The command SLO provider, the check-slo.sh contract of CONTRACT.md: `<argv…> <service> <step>`,
// no shell, RELEASE_* and SLO_* added to the environment, exit 0 within, 1 breach, anything else
// (or no answer within the sample period) a gate error. A JSON object on the last line of stdout
// carries the observed values.
import { quote } from 'shell-quote';
import { findProgram, runProgram, type RunResult } from './child-process.js';
import type { CounterReading } from './compare/counts.js';
import type { Measurement, SloContext, SloProviderBackend } from './provider.js';

export interface CommandConfig {
  readonly argv: readonly string[];
}

export interface CommandDeps {
  /** The environment the command inherits (before RELEASE_* and SLO_* are added); process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where a relative command (`./check-slo.sh`) is found and run; process.cwd() by default. */
  readonly cwd?: string;
  readonly maxOutputBytes?: number;
}

type Observed = Pick<Measurement, 'errorRate' | 'p95LatencyMs' | 'requests' | 'extra' | 'counters'>;

const NOTHING: Observed = { errorRate: null, p95LatencyMs: null, requests: null };

export function commandProvider(config: CommandConfig, deps: CommandDeps = {}): SloProviderBackend {
  const [file = '', ...words] = config.argv;
  const cwd = deps.cwd ?? process.cwd();
  const inherited = deps.env ?? process.env;
  const args = (context: SloContext) => [...words, context.service, String(context.step)];

  return {
    name: 'command',
    async ping() {
      const found = await findProgram(file, cwd, inherited.PATH);
      if (found.kind === 'missing') throw new Error(`${notFound(file, cwd)}: commit it (and chmod +x) or install it before this step`);
      if (found.kind === 'not-executable') throw new Error(notExecutable(file, found.path));
    },
    async measure(context, signal) {
      const result = await runProgram(file, args(context), {
        env: environment(inherited, context),
        cwd,
        timeoutMs: answerSeconds(context) * 1000,
        maxOutputBytes: deps.maxOutputBytes ?? 64 * 1024,
        signal,
      });
      if (result.kind === 'failed') return { ...NOTHING, gateError: await startFailure(result.error, file, cwd, inherited.PATH) };
      return toMeasurement(result, file, context);
    },
    describe(context) {
      return [`command: ${quote([file, ...args(context)])} (timeout ${answerSeconds(context)} s: ${ANSWER_RULE})`];
    },
  };
}

// The contract: no answer within the sample period, but never less than 5 s, is a gate error. The
// floor keeps a short slo.interval_seconds from turning a loaded runner's slow process start-up
// into a false abort.
const ANSWER_RULE = 'the sample period, slo.interval_seconds, but never less than 5 s';
const answerSeconds = (context: SloContext): number => Math.max(context.slo.intervalSeconds, 5);

// The action's own inputs carry the GitHub token and the kubeconfig (GITHUB_TOKEN is the token's
// fallback), and the runner's tokens open
// the artifact and OIDC services: none of them is the SLO command's business.
const WITHHELD = /^(INPUT_|GITHUB_TOKEN$|GH_TOKEN$|ACTIONS_RUNTIME_TOKEN$|ACTIONS_ID_TOKEN_REQUEST_TOKEN$|ACTIONS_RESULTS_URL$)/;

function environment(inherited: Readonly<Record<string, string | undefined>>, context: SloContext): Record<string, string> {
  const base = Object.fromEntries(Object.entries(inherited).filter((entry): entry is [string, string] => entry[1] !== undefined && !WITHHELD.test(entry[0])));
  return {
    ...base,
    RELEASE_SERVICE: context.service,
    RELEASE_NAMESPACE: context.namespace,
    RELEASE_VERSION: context.version,
    RELEASE_SHA: context.sha,
    RELEASE_STEP: String(context.step),
    RELEASE_CANARY_HASH: context.canaryHash,
    RELEASE_STABLE_HASH: context.stableHash,
    SLO_ERROR_RATE_MAX: String(context.slo.errorRateMax),
    SLO_P95_LATENCY_MS: String(context.slo.p95LatencyMs),
    SLO_WINDOW_MINUTES: String(context.slo.windowMinutes),
  };
}

function toMeasurement(result: Exclude<RunResult, { kind: 'failed' }>, file: string, context: SloContext): Measurement {
  switch (result.kind) {
    case 'timed-out':
      return { ...NOTHING, gateError: `slo-command ${file} did not answer within ${answerSeconds(context)} s (${ANSWER_RULE}) and was stopped` };
    case 'signalled':
      return { ...observedValues(result.stdout), gateError: `slo-command ${file} was killed by ${result.signal}${lastLine(result.stderr, ': ')}` };
    case 'exited':
      if (result.code === 0) return { ...observedValues(result.stdout), decision: 'within' };
      if (result.code === 1) return { ...observedValues(result.stdout), decision: 'breach' };
      return { ...observedValues(result.stdout), gateError: `slo-command ${file} exited with code ${result.code} (0 = within, 1 = breach)${lastLine(result.stderr, ': ')}` };
  }
}

async function startFailure(error: NodeJS.ErrnoException, file: string, cwd: string, pathVariable: string | undefined): Promise<string> {
  if (error.code === 'ENOENT') {
    // spawn also says ENOENT when the program exists but the interpreter on its #! line does not.
    const found = await findProgram(file, cwd, pathVariable);
    return found.kind === 'found' ? `slo-command ${file} could not start: the interpreter on its #! line was not found` : notFound(file, cwd);
  }
  if (error.code === 'EACCES') return notExecutable(file);
  return `slo-command ${file} could not start: ${error.message}`;
}

function notFound(file: string, cwd: string): string {
  return `slo-command ${file} not found ${file.includes('/') ? `(relative to ${cwd})` : 'on PATH'}`;
}

function notExecutable(file: string, path?: string): string {
  return `slo-command ${file}${path && path !== file ? ` (${path})` : ''} is not executable: chmod +x it, or name its interpreter first (e.g. \`bash ${file}\`)`;
}

/** The numeric fields of a JSON object on the last non-empty line of stdout. */
export function observedValues(stdout: string): Observed {
  const last = stdout.split('\n').map((line) => line.trim()).filter(Boolean).at(-1);
  if (!last?.startsWith('{')) return NOTHING;
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    return NOTHING;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return NOTHING;
  const numbers = Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]));
  const { error_rate, p95_latency_ms, requests, ...extra } = Object.fromEntries(numbers);
  const readings = [...groupReadings('canary', (parsed as Record<string, unknown>).canary), ...groupReadings('stable', (parsed as Record<string, unknown>).stable)];
  return {
    errorRate: error_rate ?? null,
    p95LatencyMs: p95_latency_ms ?? null,
    requests: requests ?? null,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
    ...(readings.length > 0 ? { counters: { origin: 'zero', readings } } : {}),
  };
}

/**
 * The contract's counts for one group, `{requests, errors, latency_ms_buckets: {"50": …, "+Inf": …}}`,
 * cumulative since the step started. A group without a numeric `requests` gives nothing (no data);
 * without a numeric `errors`, its error count is missing (no data for the error comparison; its
 * latency buckets still count); bounds that are not numbers are left out.
 */
function groupReadings(group: 'canary' | 'stable', value: unknown): CounterReading[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const { requests, errors, latency_ms_buckets: buckets } = value as Record<string, unknown>;
  if (!isCount(requests)) return [];
  const readings: CounterReading[] = [{ series: group, group, kind: 'requests', value: requests }];
  // A missing (or malformed) error count is no data, never 0 errors.
  readings.push({ series: group, group, kind: 'errors', value: isCount(errors) ? errors : NaN });
  if (buckets !== null && typeof buckets === 'object' && !Array.isArray(buckets)) {
    for (const [le, count] of Object.entries(buckets)) {
      const leMs = le === '+Inf' ? Infinity : Number(le);
      if (isCount(count) && !Number.isNaN(leMs) && le.trim() !== '') readings.push({ series: `${group}/${le}`, group, kind: 'bucket', leMs, value: count });
    }
  }
  return readings;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function lastLine(text: string, prefix: string): string {
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
  if (!line) return '';
  return `${prefix}${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
}
