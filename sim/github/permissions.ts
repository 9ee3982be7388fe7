/**
 * What the token may do, seedable per test: `sim.permissions.set('checks', 'none')`.
 *
 * GitHub answers a request its token has no permission for with 403 "Resource not accessible by
 * integration" for installation tokens (every GITHUB_TOKEN is one; e.g. softprops/turnstyle#40 for a
 * missing `actions: read`) and "… by personal access token" for fine-grained PATs. Each REST route
 * needs one permission, read for GET and write otherwise (docs.github.com, "Permissions required for
 * GitHub Apps"). A `permissions:` block in a workflow sets every unnamed permission to none.
 *
 * Team routes differ: the GITHUB_TOKEN has no organization permission at all (its list in "Automatic
 * token authentication" has none), and "the team must be visible to the authenticated user"
 * (teams/get-membership-for-user-in-org), so GitHub answers **404**, the same as for a team that
 * does not exist (reference/github-actions.md; srvaroa/labeler#160). Tokens are told apart by their
 * documented prefixes: `ghs_` installation token, `ghp_` classic PAT, `github_pat_` fine-grained PAT.
 */
import { HttpError } from './reply.js';

export type Permission = 'actions' | 'checks' | 'statuses' | 'contents' | 'issues' | 'pull_requests' | 'deployments' | 'members';
export type Access = 'none' | 'read' | 'write';

const BY_OPERATION: Readonly<Record<string, Permission>> = {
  'repos/list-commit-statuses-for-ref': 'statuses',
  'repos/get-combined-status-for-ref': 'statuses',
  'repos/create-commit-status': 'statuses',
};
const BY_AREA: Readonly<Record<string, Permission>> = { checks: 'checks', actions: 'actions', teams: 'members', issues: 'issues', pulls: 'pull_requests', git: 'contents' };

/** The permission a REST operation needs, or undefined for routes any token may call (repos/get, rate-limit, users). */
export function permissionOf(operationId: string): Permission | undefined {
  const explicit = BY_OPERATION[operationId];
  if (explicit) return explicit;
  const [area = '', name = ''] = operationId.split('/');
  if (area === 'repos' && name.includes('deployment')) return 'deployments';
  if (area === 'repos' && (name.includes('release') || name.includes('commit') || name.includes('tag'))) return 'contents';
  return BY_AREA[area];
}

const RANK: Readonly<Record<Access, number>> = { none: 0, read: 1, write: 2 };

export class Permissions {
  readonly #set = new Map<Permission, Access>();

  /** Overrides the default for every token: e.g. `set('checks', 'none')` as `permissions: {contents: write}` would leave it. */
  set(permission: Permission, access: Access): void {
    this.#set.set(permission, access);
  }

  clear(): void {
    this.#set.clear();
  }

  /** Default: everything for repository permissions; `members` only for tokens that are not installation tokens. */
  access(permission: Permission, token: string): Access {
    const set = this.#set.get(permission);
    if (set !== undefined) return set;
    if (permission === 'members') return token.startsWith('ghs_') ? 'none' : 'read';
    return 'write';
  }

  /** The error GitHub would answer, or undefined when the token may make this request. */
  refusal(operationId: string, method: string, token: string): HttpError | undefined {
    const permission = permissionOf(operationId);
    if (!permission) return undefined;
    const needed: Access = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
    if (RANK[this.access(permission, token)] >= RANK[needed]) return undefined;
    if (permission === 'members') return new HttpError(404, { message: 'Not Found' });
    const by = token.startsWith('github_pat_') ? 'personal access token' : 'integration';
    return new HttpError(403, { message: `Resource not accessible by ${by}` });
  }
}

/** The token of an `Authorization: token …` or `Bearer …` header ('' without one). */
export function tokenOf(authorization: string | undefined): string {
  return (authorization ?? '').replace(/^(token|bearer)\s+/i, '').trim();
}
