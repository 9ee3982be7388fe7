/**
 * GitHub's issue-search query language, the subset the action uses — repo:, is:/type:/state:,
 * label:, author:, in: (ignored), created: and merged: (>=, <=, >, <, a date or an ISO date-time),
 * and free words matched in title or body. Shared by REST `GET /search/issues` and GraphQL `search`.
 */
import type { IssueLike, PullRequest } from './model.js';
import type { SimState } from './state.js';

export interface Found {
  readonly issue: IssueLike;
  readonly pull?: PullRequest;
}

type Predicate = (found: Found) => boolean;

const DAY = 86_400_000;

function tokens(q: string): string[] {
  return [...q.matchAll(/(\S+:"[^"]*"|"[^"]*"|\S+)/g)].map((m) => m[0].replaceAll('"', ''));
}

/** A bare date covers its whole day (so `<=2024-05-01` includes that day); a date-time its second (GitHub keeps whole seconds). */
function dateFilter(spec: string, field: (found: Found) => number | null): Predicate {
  const [, op = '', date = ''] = /^(>=|<=|>|<)?(.+)$/.exec(spec) ?? [];
  const at = new Date(date).getTime();
  const span = date.includes('T') ? 1000 : DAY;
  const compare: Record<string, (ms: number) => boolean> = {
    '>=': (ms) => ms >= at,
    '<=': (ms) => ms < at + span,
    '>': (ms) => ms >= at + span,
    '<': (ms) => ms < at,
    '': (ms) => ms >= at && ms < at + span,
  };
  return (found) => {
    const ms = field(found);
    return ms !== null && (compare[op] ?? compare[''])!(ms);
  };
}

const IS: Record<string, Predicate> = {
  issue: (f) => f.pull === undefined,
  pr: (f) => f.pull !== undefined,
  'pull-request': (f) => f.pull !== undefined,
  open: (f) => f.issue.state === 'open',
  closed: (f) => f.issue.state === 'closed',
  merged: (f) => (f.pull?.mergedAt ?? null) !== null,
  unmerged: (f) => f.pull !== undefined && f.pull.mergedAt === null,
};

function predicate(state: SimState, token: string): Predicate {
  const [qualifier = '', ...rest] = token.split(':');
  const value = rest.join(':');
  if (rest.length === 0) return (f) => `${f.issue.title}\n${f.issue.body ?? ''}`.toLowerCase().includes(token.toLowerCase());
  const qualifiers: Record<string, () => Predicate> = {
    repo: () => () => value.toLowerCase() === `${state.owner}/${state.repo}`.toLowerCase(),
    is: () => IS[value] ?? (() => true),
    type: () => IS[value] ?? (() => true),
    state: () => IS[value] ?? (() => true),
    label: () => (f) => f.issue.labels.includes(value),
    author: () => (f) => f.issue.user.toLowerCase() === value.toLowerCase(),
    created: () => dateFilter(value, (f) => f.issue.createdAt),
    merged: () => dateFilter(value, (f) => f.pull?.mergedAt ?? null),
  };
  return (qualifiers[qualifier] ?? (() => () => true))();
}

/** Issues and pull requests matching `q`, newest first (GitHub's default for an empty sort). */
export function searchIssues(state: SimState, q: string): Found[] {
  const predicates = tokens(q).map((t) => predicate(state, t));
  const all: Found[] = [...[...state.issues.values()].map((issue) => ({ issue })), ...[...state.pulls.values()].map((pull) => ({ issue: pull, pull }))];
  return all.filter((found) => predicates.every((p) => p(found))).sort((a, b) => b.issue.createdAt - a.issue.createdAt);
}
