/**
 * `GET /search/issues`: a small subset of GitHub's query language — repo:, is:/type:/state:,
 * label:, author:, in: (ignored), created:>=|<=|>|<|date, and free words matched in title or body.
 */
import type { Ctx, HandlerTable } from '../context.js';
import type { IssueLike } from '../model.js';
import { paginate } from '../paginate.js';
import { ok } from '../reply.js';
import { issueJson } from './issues.js';

type Predicate = (issue: IssueLike, isPull: boolean) => boolean;

function tokens(q: string): string[] {
  return [...q.matchAll(/(\S+:"[^"]*"|"[^"]*"|\S+)/g)].map((m) => m[0].replaceAll('"', ''));
}

function dateFilter(spec: string): Predicate {
  const [, op = '', date = ''] = /^(>=|<=|>|<)?(.+)$/.exec(spec) ?? [];
  const at = new Date(date).getTime();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const compare: Record<string, (ms: number) => boolean> = {
    '>=': (ms) => ms >= at,
    '<=': (ms) => ms < at + 86_400_000,
    '>': (ms) => ms >= at + 86_400_000,
    '<': (ms) => ms < at,
    '': (ms) => day(ms) === date,
  };
  return (issue) => (compare[op] ?? compare[''])!(issue.createdAt);
}

function predicate(ctx: Ctx, token: string): Predicate {
  const [qualifier, ...rest] = token.split(':');
  const value = rest.join(':');
  const is = (v: string): Predicate | undefined =>
    ({
      issue: (_i: IssueLike, pull: boolean) => !pull,
      pr: (_i: IssueLike, pull: boolean) => pull,
      'pull-request': (_i: IssueLike, pull: boolean) => pull,
      open: (i: IssueLike) => i.state === 'open',
      closed: (i: IssueLike) => i.state === 'closed',
      merged: (i: IssueLike) => 'mergedAt' in i && i.mergedAt !== null,
    })[v];
  if (rest.length === 0) return (i) => `${i.title}\n${i.body ?? ''}`.toLowerCase().includes(token.toLowerCase());
  switch (qualifier) {
    case 'repo':
      return () => value.toLowerCase() === `${ctx.state.owner}/${ctx.state.repo}`.toLowerCase();
    case 'is':
    case 'type':
    case 'state':
      return is(value) ?? (() => true);
    case 'label':
      return (i) => i.labels.includes(value);
    case 'author':
      return (i) => i.user.toLowerCase() === value.toLowerCase();
    case 'created':
      return dateFilter(value);
    default:
      return () => true;
  }
}

export const searchHandlers: HandlerTable = {
  'search/issues-and-pull-requests': (ctx) => {
    const predicates = tokens(String(ctx.query.q ?? '')).map((t) => predicate(ctx, t));
    const all: Array<[IssueLike, boolean]> = [
      ...[...ctx.state.issues.values()].map((i): [IssueLike, boolean] => [i, false]),
      ...[...ctx.state.pulls.values()].map((p): [IssueLike, boolean] => [p, true]),
    ];
    const found = all
      .filter(([issue, isPull]) => predicates.every((p) => p(issue, isPull)))
      .map(([issue]) => issue)
      .sort((a, b) => b.createdAt - a.createdAt);
    const page = paginate(ctx, found);
    return ok(
      {
        total_count: found.length,
        incomplete_results: false,
        search_type: ctx.query.search_type ?? 'lexical',
        // The search-result schema (unlike the issue schema) does not allow a null body.
        items: page.items.map((i) => ({ ...issueJson(ctx, i), body: i.body ?? '', score: 1 })),
      },
      page.headers,
    );
  },
};
