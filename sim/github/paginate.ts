/** Page slicing and GitHub's RFC 5988 `Link` header (what octokit.paginate follows). */
import type { Ctx } from './context.js';

export interface Page<T> {
  readonly items: T[];
  readonly headers: Record<string, string>;
}

function pageUrl(ctx: Ctx, page: number): string {
  const search = new URLSearchParams(ctx.search);
  search.set('page', String(page));
  return `${ctx.links.api(ctx.pathname)}?${search.toString()}`;
}

/** Like GitHub: first and prev only after page 1, next and last only before the last page. */
export function linkHeader(ctx: Ctx, page: number, last: number): Record<string, string> {
  const rels: Array<[string, number]> = [];
  if (page > 1) rels.push(['prev', Math.min(page - 1, last)]);
  if (page < last) rels.push(['next', page + 1], ['last', last]);
  if (page > 1) rels.push(['first', 1]);
  return rels.length === 0 ? {} : { link: rels.map(([rel, n]) => `<${pageUrl(ctx, n)}>; rel="${rel}"`).join(', ') };
}

export function pageParams(ctx: Ctx, defaultPerPage = 30): { perPage: number; page: number } {
  const perPage = typeof ctx.query.per_page === 'number' && ctx.query.per_page > 0 ? ctx.query.per_page : defaultPerPage;
  const page = typeof ctx.query.page === 'number' && ctx.query.page > 0 ? ctx.query.page : 1;
  return { perPage, page };
}

export function paginate<T>(ctx: Ctx, all: readonly T[], defaultPerPage = 30): Page<T> {
  const { perPage, page } = pageParams(ctx, defaultPerPage);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  return { items: all.slice((page - 1) * perPage, page * perPage), headers: linkHeader(ctx, page, last) };
}
