/**
 * Teams: how an `@org/team` approver is checked. Whether the token may read the team at all is
 * decided before these handlers run (permissions.ts): a token without organization members read
 * access — every GITHUB_TOKEN — gets the same 404 as for a team that does not exist.
 */
import type { Ctx, HandlerTable } from '../context.js';
import { notFound, ok } from '../reply.js';
import { iso, nodeId, simpleUser } from '../shapes.js';

const same = (a: string, b: string | undefined) => a.toLowerCase() === (b ?? '').toLowerCase();

/** "To get a user's membership with a team, the team must be visible to the authenticated user" (teams/get-membership-for-user-in-org). */
function teamOr404(ctx: Ctx): { org: string; team: string } {
  const { org = '', team_slug: team = '' } = ctx.params;
  if (!ctx.state.teams.has(`${org}/${team}`.toLowerCase())) throw notFound();
  return { org, team };
}

function teamJson(ctx: Ctx, org: string, team: string) {
  const id = 3_000_000 + [...`${org}/${team}`.toLowerCase()].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7);
  const api = ctx.links.api(`/orgs/${org}/teams/${team}`);
  const since = iso(ctx.state.servingSince - 365 * 86_400_000);
  const owner = simpleUser(ctx.state, ctx.links, org);
  return {
    id,
    node_id: nodeId('T_', id),
    url: api,
    html_url: ctx.links.web(`/orgs/${org}/teams/${team}`),
    name: team,
    slug: team.toLowerCase(),
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${api}/members{/member}`,
    repositories_url: `${api}/repos`,
    parent: null,
    members_count: ctx.state.teamMemberships.filter((m) => same(m.org, org) && same(m.team, team)).length,
    repos_count: 1,
    created_at: since,
    updated_at: since,
    type: 'organization',
    organization: {
      ...owner,
      events_url: ctx.links.api(`/orgs/${org}/events`),
      repos_url: ctx.links.api(`/orgs/${org}/repos`),
      hooks_url: ctx.links.api(`/orgs/${org}/hooks`),
      issues_url: ctx.links.api(`/orgs/${org}/issues`),
      members_url: ctx.links.api(`/orgs/${org}/members{/member}`),
      public_members_url: ctx.links.api(`/orgs/${org}/public_members{/member}`),
      description: null,
      has_organization_projects: true,
      has_repository_projects: true,
      public_repos: 1,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: since,
      updated_at: since,
      archived_at: null,
    },
  };
}

export const teamHandlers: HandlerTable = {
  'teams/get-by-name': (ctx) => {
    const { org, team } = teamOr404(ctx);
    return ok(teamJson(ctx, org, team));
  },
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
