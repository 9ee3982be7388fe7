/** Label selectors (equality and set-based) and the metadata field selectors list/watch accept. */
import { badRequest } from './errors.js';
import type { KObject, Labels } from './types.js';

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export type Matcher = (obj: KObject) => boolean;

/** Splits on commas outside parentheses: `app in (a,b),tier=web` is two requirements. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(text: string): Requirement {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) {
    const values = (set[3] as string).split(',').map((v) => v.trim()).filter((v) => v !== '');
    return { key: set[1] as string, op: set[2] as 'in' | 'notin', values };
  }
  const eq = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(text);
  if (eq) {
    const op = eq[2] === '!=' ? 'notin' : 'in';
    return { key: eq[1] as string, op, values: [eq[3] as string] };
  }
  const exists = /^(!?)([^\s!=(),]+)$/.exec(text);
  if (exists) return { key: exists[2] as string, op: exists[1] ? '!exists' : 'exists' };
  throw badRequest(`unable to parse requirement: found '${text}', expected: key, !key, key=value or key in (values)`);
}

function matchesRequirement(labels: Labels, req: Requirement): boolean {
  const has = Object.hasOwn(labels, req.key);
  switch (req.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case 'in':
      return has && req.values.includes(labels[req.key] as string);
    case 'notin':
      return !has || !req.values.includes(labels[req.key] as string);
  }
}

export function parseLabelSelector(selector: string | null | undefined): Matcher {
  const reqs = splitTopLevel(selector ?? '').map(parseRequirement);
  return (obj) => reqs.every((r) => matchesRequirement(obj.metadata.labels ?? {}, r));
}

const FIELDS: Record<string, (obj: KObject) => string> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

export function parseFieldSelector(selector: string | null | undefined): Matcher {
  const checks = splitTopLevel(selector ?? '').map((term) => {
    const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    const read = m ? FIELDS[m[1] as string] : undefined;
    if (!m || !read) throw badRequest(`field label not supported: ${m?.[1] ?? term}`);
    const value = m[3] as string;
    const negate = m[2] === '!=';
    return (obj: KObject) => (read(obj) === value) !== negate;
  });
  return (obj) => checks.every((check) => check(obj));
}

interface LabelSelectorSpec {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** The string form of a metav1.LabelSelector, as in Rollout `status.selector` (`app=demo`). */
export function formatLabelSelector(spec: LabelSelectorSpec | undefined): string {
  const parts = Object.entries(spec?.matchLabels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  for (const expr of spec?.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort().join(',');
    if (expr.operator === 'In') parts.push(`${expr.key} in (${values})`);
    else if (expr.operator === 'NotIn') parts.push(`${expr.key} notin (${values})`);
    else if (expr.operator === 'Exists') parts.push(expr.key);
    else if (expr.operator === 'DoesNotExist') parts.push(`!${expr.key}`);
  }
  return parts.join(',');
}
