/** `GET /search/issues` over the query language of ../search.ts. */
import type { HandlerTable } from '../context.js';
import { paginate } from '../paginate.js';
import { ok } from '../reply.js';
import { searchIssues } from '../search.js';
import { issueJson } from './issues.js';

export const searchHandlers: HandlerTable = {
  'search/issues-and-pull-requests': (ctx) => {
    const found = searchIssues(ctx.state, String(ctx.query.q ?? '')).map((f) => f.issue);
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
