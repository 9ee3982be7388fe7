/** Team membership: how an `@org/team` approver is checked. */
import type { HandlerTable } from '../context.js';
import { notFound, ok } from '../reply.js';

const same = (a: string, b: string | undefined) => a.toLowerCase() === (b ?? '').toLowerCase();

export const teamHandlers: HandlerTable = {
  /** 404 for non-members and for unknown teams alike, as on GitHub. */
  'teams/get-membership-for-user-in-org': (ctx) => {
    const { org, team_slug: team, username } = ctx.params;
    const membership = ctx.state.teamMemberships.find((m) => same(m.org, org) && same(m.team, team) && same(m.user, username));
    if (!membership) throw notFound();
    return ok({
      url: ctx.links.api(`/orgs/${membership.org}/teams/${membership.team}/memberships/${membership.user}`),
      role: membership.role,
      state: membership.state,
    });
  },
};
