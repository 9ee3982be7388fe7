// Every input and every environment variable the action honours is read here, once, into one
// immutable Settings object. No other file reads process.env or core.getInput. Each problem is
// collected so that the user sees all of them in one run, not one per attempt.
import { parse as parseShellWords } from 'shell-quote';
import * as semver from 'semver';
import { kubeconfigCredentials } from './kube/secrets.js';
import * as YAML from 'yaml';
import { z } from 'zod';
import { unknownContextProblem } from './kube/credentials.js';

export type Sha = string & { readonly __brand: 'Sha' };
export type Digest = string & { readonly __brand: 'Digest' };
export type Weight = number & { readonly __brand: 'Weight' };

export interface Version {
  /** The tag name exactly as given, e.g. `v2.14.0`. */
  readonly tag: string;
  /** The parsed SemVer without the leading `v`. */
  readonly semver: string;
  readonly prerelease: boolean;
}

export interface Slo {
  readonly errorRateMax: number;
  readonly p95LatencyMs: number;
  readonly windowMinutes: number;
  readonly intervalSeconds: number;
  readonly minRequests: number;
  readonly noData: 'breach' | 'pass';
  /** `slo.compare: stable` (CONTRACT.md, "Comparing the canary with stable"); absent for `none`. */
  readonly compare?: CompareSlo;
}

export interface CompareSlo {
  readonly alpha: number;
  readonly tolerance: number;
  readonly earlyPromote: boolean;
  readonly minWindowMinutes: number;
}

export type SloProvider =
  | { readonly kind: 'prometheus'; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly errorRateQuery?: string; readonly latencyQuery?: string }
  | { readonly kind: 'command'; readonly argv: readonly string[] }
  | { readonly kind: 'none' };

export interface Approver {
  readonly kind: 'user' | 'team';
  /** `@user` or `@org/team`, as shown in the report. */
  readonly display: string;
  readonly login?: string;
  readonly org?: string;
  readonly team?: string;
}

/** Where and as whom the action runs (GitHub's runner environment, or a local stand-in). */
export interface RunContext {
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
  readonly graphqlUrl: string;
  readonly serverUrl: string;
  readonly runId?: number;
  readonly runAttempt: number;
  readonly actor?: string;
  /** Who started this attempt (GITHUB_TRIGGERING_ACTOR): on a re-run, the one who re-ran it; `actor` stays the original. */
  readonly triggeringActor?: string;
  readonly eventName?: string;
  readonly workspace: string;
  readonly runnerName?: string;
  /** Link to this workflow run, when there is one. */
  readonly runUrl?: string;
  /** True when the runner gave us what @actions/artifact needs. */
  readonly artifactsAvailable: boolean;
}

export interface Settings {
  readonly environment: string;
  readonly version: Version;
  readonly sha: Sha;
  readonly service: string;
  readonly namespace: string;
  readonly container: string;
  readonly image: string;
  readonly digest?: Digest;
  /** `auto`: the gates follow the Rollout's own setWeight steps; or explicit weights the Rollout must match. */
  readonly canarySteps: 'auto' | readonly Weight[];
  /** Accept a first gate whose real share is far above its weight (few replicas, no traffic routing). */
  readonly allowCoarseCanary: boolean;
  readonly slo: Slo;
  readonly sloProvider: SloProvider;
  readonly previousReleaseTag?: string;
  readonly approvers: readonly Approver[];
  readonly dryRun: boolean;
  readonly createRelease: boolean;
  readonly ciWaitMinutes: number;
  readonly ignoreChecks: readonly string[];
  /** Check-run or status names that must be present (outside the release workflow) and green. */
  readonly requiredChecks: readonly string[];
  readonly checkRunId?: number;
  readonly stepTimeoutMinutes: number;
  /** How long to wait for another release of the same Rollout (the Lease lock) before failing. */
  readonly lockWaitMinutes: number;
  /** Kubeconfig YAML (decoded from base64 when given so), or undefined for default loading. */
  readonly kubeconfig?: string;
  /** The kubeconfig context to use (kube-context); undefined: the kubeconfig's current context. */
  readonly kubeContext?: string;
  /** Base URL of the Argo Rollouts dashboard (its root path included): the report links the Rollout there. */
  readonly rolloutsDashboardUrl?: string;
  readonly githubToken: string;
  readonly reportDir: string;
  readonly incidentLabels: readonly string[];
  readonly run: RunContext;
}

/** Values that must never reach a log, report or output; main registers them with core.setSecret. */
export interface ParseResult {
  readonly settings?: Settings;
  readonly errors: readonly string[];
  readonly secrets: readonly string[];
  /** Best-effort values for the report of a run whose settings did not validate. */
  readonly partial: { readonly version: string; readonly reportDir: string; readonly sha: string; readonly service: string; readonly environment: string; readonly workspace: string };
}

export type Inputs = (name: string) => string;
export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_SLO = { error_rate_max: 0.005, p95_latency_ms: 300, window_minutes: 5, interval_seconds: 30, min_requests: 0, no_data: 'breach' } as const;
const PLACEHOLDERS = ['service', 'namespace', 'canary_hash', 'stable_hash', 'window'];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// An image repository: registry host[:port]/path, lower-case path components, no tag, no digest.
const IMAGE_REPO = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

const sloSchema = z
  .object({
    error_rate_max: z.number().min(0).max(1),
    p95_latency_ms: z.number().positive(),
    window_minutes: z.number().positive().max(360),
    interval_seconds: z.number().positive().max(3600),
    min_requests: z.number().int().min(0),
    no_data: z.enum(['breach', 'pass']),
    compare: z.enum(['none', 'stable']).default('none'),
    alpha: z.number().gt(0).lt(1).default(0.01),
    tolerance: z.number().min(0).max(10).default(0.1),
    early_promote: z.boolean().default(false),
    min_window_minutes: z.number().min(0).max(360).optional(),
  })
  .strict()
  .refine((s) => s.min_window_minutes === undefined || s.min_window_minutes <= s.window_minutes, {
    path: ['min_window_minutes'],
    message: 'must be at most window_minutes (it is the earliest point early_promote may act within the window)',
  });

/** Parses every input; never throws. */
export function parseSettings(input: Inputs, env: Env): ParseResult {
  const errors: string[] = [];
  const secrets: string[] = [];
  const bad = (name: string, message: string) => errors.push(`${name} ${message}`);
  const get = (name: string) => input(name).trim();

  const run = parseRunContext(env, bad);
  const dryRun = parseBoolean('dry-run', get('dry-run'), false, bad);
  const createRelease = parseBoolean('create-release', get('create-release'), false, bad);

  const githubToken = get('github-token') || env.GITHUB_TOKEN?.trim() || '';
  if (githubToken) secrets.push(githubToken);
  else bad('github-token', 'is required (the default is ${{ github.token }})');

  const environment = required('environment', get('environment'), bad);
  if (environment && (environment.length > 255 || /[\u0000-\u001f"'`<>\\]/.test(environment))) bad('environment', `'${environment}' is not a valid GitHub environment name`);

  const rawVersion = get('version');
  const version = parseVersion(rawVersion, bad);

  const rawSha = get('sha') || env.GITHUB_SHA?.trim() || '';
  let sha: Sha | undefined;
  if (!rawSha) bad('sha', 'is required (the default is ${{ github.sha }})');
  else if (!/^[0-9a-fA-F]{40}$/.test(rawSha)) bad('sha', `'${rawSha}' is not a 40-hex commit`);
  else sha = rawSha.toLowerCase() as Sha;

  const service = required('service', get('service'), bad);
  if (service && !DNS_SUBDOMAIN.test(service)) bad('service', `'${service}' is not a valid Rollout name (lower-case letters, digits, '-' and '.')`);

  const namespace = get('namespace') || environment;
  if (namespace && !DNS_LABEL.test(namespace)) {
    bad('namespace', get('namespace') ? `'${namespace}' is not a valid Kubernetes namespace` : `'${namespace}' (taken from environment) is not a valid Kubernetes namespace: set namespace explicitly`);
  }
  const container = get('container') || service;
  if (container && !DNS_LABEL.test(container)) bad('container', `'${container}' is not a valid container name`);

  const image = get('image') || (run && service ? `ghcr.io/${run.owner.toLowerCase()}/${service}` : '');
  if (image && !IMAGE_REPO.test(image)) {
    bad('image', /[@]|:[^/]*$/.test(image) ? `'${image}' must be a repository without tag or digest (the digest input pins it)` : `'${image}' is not a valid image repository`);
  }

  const rawDigest = get('digest');
  let digest: Digest | undefined;
  if (rawDigest) {
    if (/^sha256:[0-9a-f]{64}$/.test(rawDigest)) digest = rawDigest as Digest;
    else bad('digest', `'${truncate(rawDigest)}' is not 'sha256:' followed by 64 lower-case hex digits`);
  } else if (!dryRun) bad('digest', 'is required unless dry-run is true');

  const canarySteps = parseCanarySteps(get('canary-steps') || 'auto', bad);
  const allowCoarseCanary = parseBoolean('allow-coarse-canary', get('allow-coarse-canary'), false, bad);
  const slo = parseSlo(get('slo'), bad);
  const sloProvider = parseSloProvider(get, dryRun, bad, secrets);

  const previousReleaseTag = get('previous-release-tag') || undefined;
  if (previousReleaseTag && !isValidTagName(previousReleaseTag)) bad('previous-release-tag', `'${previousReleaseTag}' is not a valid tag name`);

  const approvers = parseApprovers(get('approvers'), bad);
  const ciWaitMinutes = parseNumber('ci-wait-minutes', get('ci-wait-minutes') || '0', { min: 0, max: 360 }, bad);
  const ignoreChecks = parseList('ignore-checks', get('ignore-checks'), bad);
  const requiredChecks = parseList('required-checks', get('required-checks'), bad);
  for (const name of requiredChecks.filter((n) => ignoreChecks.includes(n))) bad('required-checks', `'${truncate(name)}' is also in ignore-checks: a check cannot be both required and ignored`);
  const rawCheckRunId = get('check-run-id');
  let checkRunId: number | undefined;
  if (rawCheckRunId) {
    if (/^[1-9][0-9]{0,17}$/.test(rawCheckRunId)) checkRunId = Number(rawCheckRunId);
    else bad('check-run-id', `'${truncate(rawCheckRunId)}' is not a check run id (a positive whole number)`);
  }
  const stepTimeoutMinutes = parseNumber('step-timeout-minutes', get('step-timeout-minutes') || '10', { min: 0.01, max: 360 }, bad);
  const lockWaitMinutes = parseNumber('lock-wait-minutes', get('lock-wait-minutes') || '0', { min: 0, max: 360 }, bad);
  const kubeconfig = parseKubeconfig(input('kubeconfig'), bad, secrets);
  const kubeContext = parseKubeContext(get('kube-context'), kubeconfig, bad);
  const rolloutsDashboardUrl = parseDashboardUrl(get('rollouts-dashboard-url'), bad);
  const reportDir = parseReportDir(get('report-dir') || 'devops', bad);
  const incidentLabels = parseList('incident-labels', get('incident-labels') || 'incident', bad);

  const partial = {
    version: rawVersion,
    reportDir: reportDir ?? 'devops',
    sha: rawSha,
    service,
    environment,
    workspace: run?.workspace ?? env.GITHUB_WORKSPACE ?? process.cwd(),
  };
  if (errors.length > 0 || !run || !version || !sha || !canarySteps || !slo || !reportDir || ciWaitMinutes === undefined || stepTimeoutMinutes === undefined || lockWaitMinutes === undefined) {
    return { errors, secrets, partial };
  }
  const settings: Settings = {
    environment, version, sha, service, namespace, container, image, digest, canarySteps, allowCoarseCanary, slo, sloProvider,
    previousReleaseTag, approvers, dryRun, createRelease, ciWaitMinutes, ignoreChecks, requiredChecks, checkRunId,
    stepTimeoutMinutes, lockWaitMinutes, kubeconfig, kubeContext, rolloutsDashboardUrl, githubToken, reportDir, incidentLabels, run,
  };
  return { settings: deepFreeze(settings), errors, secrets, partial };
}

type Bad = (name: string, message: string) => void;

/** An http(s) base URL, without query or fragment: the report appends `/rollout/<namespace>/<name>`. */
function parseDashboardUrl(raw: string, bad: Bad): string | undefined {
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  // A URL with credentials is not echoed: the report and the log are read by everyone with access to the run.
  const shown = url && (url.username || url.password) ? `${url.protocol}//…@${url.host}${url.pathname}` : truncate(raw);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password) {
    bad('rollouts-dashboard-url', `'${shown}' is not the http(s) base URL of the Argo Rollouts dashboard (no query, fragment or credentials: the report shows it to every reader), e.g. https://rollouts.example.com/rollouts`);
    return undefined;
  }
  return url.href.replace(/\/+$/, '');
}

function required(name: string, value: string, bad: Bad): string {
  if (!value) bad(name, 'is required');
  return value;
}

function truncate(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

// The same words @actions/core's getBooleanInput accepts, but collected instead of thrown.
function parseBoolean(name: string, raw: string, fallback: boolean, bad: Bad): boolean {
  if (raw === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  bad(name, `'${truncate(raw)}' is not a boolean (true or false)`);
  return fallback;
}

function parseNumber(name: string, raw: string, range: { min: number; max: number }, bad: Bad): number | undefined {
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) bad(name, `'${truncate(raw)}' is not a number`);
  else if (value < range.min || value > range.max) bad(name, `${raw} is outside ${range.min}..${range.max}`);
  else return value;
  return undefined;
}

function parseVersion(raw: string, bad: Bad): Version | undefined {
  if (!raw) {
    bad('version', 'is required');
    return undefined;
  }
  const parsed = semver.parse(raw.startsWith('v') ? raw.slice(1) : raw);
  if (!parsed) {
    bad('version', `'${truncate(raw)}' is not SemVer (e.g. v2.14.0 or v3.0.0-rc.1)`);
    return undefined;
  }
  if (!isValidTagName(raw)) {
    bad('version', `'${truncate(raw)}' is not a valid tag name`);
    return undefined;
  }
  return { tag: raw, semver: parsed.version, prerelease: parsed.prerelease.length > 0 };
}

// git check-ref-format rules that matter for a tag typed into a workflow.
function isValidTagName(tag: string): boolean {
  return tag.length <= 200 && !/[\u0000-\u0020~^:?*[\\\u007f]|\.\.|@\{|^[./-]|\/\.|\.lock$|[./]$/.test(tag);
}

/** A list input: a YAML/JSON sequence, or a comma/newline separated list. */
export function parseListValue(raw: string): { items: string[]; error?: string } {
  const text = raw.trim();
  if (!text) return { items: [] };
  if (text.startsWith('[') || /^-\s/m.test(text)) {
    let value: unknown;
    try {
      value = YAML.parse(text);
    } catch (error) {
      return { items: [], error: `is not a valid YAML/JSON list (${firstLine(error)})` };
    }
    if (!Array.isArray(value) || value.some((item) => typeof item === 'object' || item === undefined)) {
      return { items: [], error: 'must be a list of plain values' };
    }
    return { items: value.map((item) => String(item).trim()).filter((item) => item !== '') };
  }
  return { items: text.split(/[,\n]/).map((item) => item.trim()).filter((item) => item !== '') };
}

function parseList(name: string, raw: string, bad: Bad): string[] {
  const { items, error } = parseListValue(raw);
  if (error) bad(name, error);
  return [...new Set(items)];
}

function parseCanarySteps(raw: string, bad: Bad): 'auto' | Weight[] | undefined {
  if (raw.trim().toLowerCase() === 'auto') return 'auto';
  const { items, error } = parseListValue(raw);
  if (error) {
    bad('canary-steps', error);
    return undefined;
  }
  const weights = items.map(Number);
  const invalid = items.filter((item, i) => !Number.isInteger(weights[i]) || weights[i]! < 1 || weights[i]! > 100);
  if (invalid.length > 0) {
    bad('canary-steps', `${invalid.map((v) => `'${v}'`).join(', ')} ${invalid.length === 1 ? 'is not a whole percentage' : 'are not whole percentages'} from 1 to 100`);
    return undefined;
  }
  const ascending = weights.every((w, i) => i === 0 || w > weights[i - 1]!);
  if (weights.length === 0 || !ascending || weights[weights.length - 1] !== 100) {
    bad('canary-steps', `must be \`auto\` or ascend and end at 100: got ${items.join(',') || '(nothing)'}`);
    return undefined;
  }
  return weights as Weight[];
}

function parseMapping(name: string, raw: string, bad: Bad): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = YAML.parse(raw);
  } catch (error) {
    bad(name, `is not valid YAML/JSON (${firstLine(error)})`);
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    bad(name, 'must be a YAML or JSON mapping');
    return undefined;
  }
  return value as Record<string, unknown>;
}

function parseSlo(raw: string, bad: Bad): Slo | undefined {
  const given = raw ? parseMapping('slo', raw, bad) : {};
  if (!given) return undefined;
  const result = sloSchema.safeParse({ ...DEFAULT_SLO, ...given });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') bad('slo', `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (known: ${Object.keys(sloSchema.shape).join(', ')})`);
      else bad(`slo.${key}`, `is invalid: ${issue.message} (got ${JSON.stringify((given as Record<string, unknown>)[key])})`);
    }
    return undefined;
  }
  const s = result.data;
  return {
    errorRateMax: s.error_rate_max,
    p95LatencyMs: s.p95_latency_ms,
    windowMinutes: s.window_minutes,
    intervalSeconds: s.interval_seconds,
    minRequests: s.min_requests,
    noData: s.no_data,
    ...(s.compare === 'stable'
      ? { compare: { alpha: s.alpha, tolerance: s.tolerance, earlyPromote: s.early_promote, minWindowMinutes: s.min_window_minutes ?? s.window_minutes } }
      : {}),
  };
}

function parseSloProvider(get: (name: string) => string, dryRun: boolean, bad: Bad, secrets: string[]): SloProvider {
  const url = get('prometheus-url');
  const command = get('slo-command');
  const errorRateQuery = get('error-rate-query') || undefined;
  const latencyQuery = get('latency-query') || undefined;
  for (const [name, query] of [['error-rate-query', errorRateQuery], ['latency-query', latencyQuery]] as const) {
    const unknown = [...(query ?? '').matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]!).filter((p) => !PLACEHOLDERS.includes(p));
    if (unknown.length > 0) bad(name, `has unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `{{${p}}}`).join(', ')} (known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')})`);
  }
  const rawHeaders = get('prometheus-headers');
  const headers: Record<string, string> = {};
  if (rawHeaders) {
    const mapping = parseMapping('prometheus-headers', rawHeaders, bad);
    for (const [key, value] of Object.entries(mapping ?? {})) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) bad('prometheus-headers', `'${truncate(key)}' is not an HTTP header name`);
      else if (typeof value !== 'string' && typeof value !== 'number') bad('prometheus-headers', `value of ${key} must be a string`);
      // Checked here, never echoed: an invalid value would otherwise come back in fetch's error text.
      else if (/[^\t\x20-\x7e\x80-\xff]/.test(String(value))) bad('prometheus-headers', `value of ${key} has a line break or another character HTTP headers cannot carry`);
      else {
        headers[key] = String(value);
        secrets.push(String(value));
      }
    }
  }
  if (url && command) {
    bad('prometheus-url', 'and slo-command are both set: choose one SLO provider');
    return { kind: 'none' };
  }
  if (url) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      // reported below
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) bad('prometheus-url', `'${truncate(url)}' is not an http(s) URL`);
    else if (parsed.username || parsed.password) bad('prometheus-url', 'must not carry credentials: pass them in prometheus-headers');
    return { kind: 'prometheus', url: url.replace(/\/+$/, ''), headers, errorRateQuery, latencyQuery };
  }
  if (command) {
    // shell-quote gives us the words; an operator or glob means the user expected a shell, which we never use.
    const words = parseShellWords(command, (key) => `$${key}`);
    const operators = words.filter((w) => typeof w !== 'string');
    if (operators.length > 0) {
      const shown = operators.map((w) => ('op' in w ? (w.op === 'glob' ? (w as { pattern: string }).pattern : w.op) : 'comment'));
      bad('slo-command', `contains shell syntax (${shown.join(' ')}); it is split into words and run without a shell: wrap it in a script`);
    } else if (words.length === 0) bad('slo-command', 'has no command');
    return { kind: 'command', argv: words.filter((w): w is string => typeof w === 'string') };
  }
  if (!dryRun) bad('prometheus-url', 'or slo-command is required: the canary needs an SLO provider');
  return { kind: 'none' };
}

function parseApprovers(raw: string, bad: Bad): Approver[] {
  const { items, error } = parseListValue(raw);
  if (error) bad('approvers', error);
  const approvers: Approver[] = [];
  for (const item of items) {
    const name = item.replace(/^@/, '');
    const [org, team, ...rest] = name.split('/');
    if (team === undefined && LOGIN.test(name)) approvers.push({ kind: 'user', display: `@${name}`, login: name });
    else if (team !== undefined && rest.length === 0 && LOGIN.test(org!) && TEAM_SLUG.test(team)) approvers.push({ kind: 'team', display: `@${org}/${team}`, org, team });
    else bad('approvers', `'${truncate(item)}' is neither @user nor @org/team`);
  }
  return approvers;
}

function parseKubeconfig(raw: string, bad: Bad, secrets: string[]): string | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  let yamlText = text;
  if (/^[A-Za-z0-9+/=\s]+$/.test(text) && !/^\s*\w+:/m.test(text)) {
    secrets.push(text);
    yamlText = Buffer.from(text, 'base64').toString('utf8');
  }
  let doc: unknown;
  try {
    doc = YAML.parse(yamlText);
  } catch {
    doc = undefined;
  }
  // Never echo the content: it is a credential.
  if (!doc || typeof doc !== 'object' || !('clusters' in doc)) {
    // Unparsable: mask every line, it may all be credentials.
    secrets.push(...yamlText.split('\n').filter((line) => line.trim().length > 0));
    bad('kubeconfig', 'is neither a kubeconfig (YAML with clusters) nor base64 of one');
    return undefined;
  }
  // Mask the credentials themselves, not every line (`apiVersion: v1` is no secret).
  secrets.push(...kubeconfigCredentials(doc));
  return yamlText;
}

/**
 * Checked here against the kubeconfig input (so a typo is named with every other problem); a
 * kubeconfig found through KUBECONFIG or ~/.kube/config is checked when it is loaded (kube/client.ts).
 */
function parseKubeContext(raw: string, kubeconfig: string | undefined, bad: Bad): string | undefined {
  const context = raw.trim();
  if (!context) return undefined;
  if (kubeconfig) {
    const contexts = (YAML.parse(kubeconfig) as { contexts?: { name?: unknown }[] | null }).contexts ?? [];
    const available = contexts.map((c) => c?.name).filter((name): name is string => typeof name === 'string');
    if (!available.includes(context)) bad('kube-context', unknownContextProblem(context, available, 'the kubeconfig input'));
  }
  return context;
}

function parseReportDir(raw: string, bad: Bad): string | undefined {
  const normalized = raw.replace(/\\/g, '/').replace(/\/+$/, '');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.split('/').includes('..') || normalized === '') {
    bad('report-dir', `'${truncate(raw)}' must be a relative path inside the workspace`);
    return undefined;
  }
  return normalized;
}

function parseRunContext(env: Env, bad: Bad): RunContext | undefined {
  const repository = env.GITHUB_REPOSITORY?.trim() ?? '';
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    bad('GITHUB_REPOSITORY', repository ? `'${repository}' is not owner/repo` : 'is not set (owner/repo of the repository to release)');
    return undefined;
  }
  const runId = env.GITHUB_RUN_ID && /^[0-9]+$/.test(env.GITHUB_RUN_ID) ? Number(env.GITHUB_RUN_ID) : undefined;
  const runAttempt = env.GITHUB_RUN_ATTEMPT && /^[0-9]+$/.test(env.GITHUB_RUN_ATTEMPT) ? Number(env.GITHUB_RUN_ATTEMPT) : 1;
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return {
    owner,
    repo,
    apiUrl,
    graphqlUrl: (env.GITHUB_GRAPHQL_URL || `${apiUrl}/graphql`).replace(/\/+$/, ''),
    serverUrl,
    runId,
    runAttempt,
    actor: env.GITHUB_ACTOR || undefined,
    triggeringActor: env.GITHUB_TRIGGERING_ACTOR || undefined,
    eventName: env.GITHUB_EVENT_NAME || undefined,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerName: env.RUNNER_NAME || undefined,
    runUrl: runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}${runAttempt > 1 ? `/attempts/${runAttempt}` : ''}` : undefined,
    artifactsAvailable: Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL),
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
