// Contract step 2. The run may go on when an approver approved this run's deployment to the
// environment, or when the actor who triggered it is an approver. Every check made is recorded,
// so a blocked report says who was checked and why each failed.
import type { GitHubPort, Membership } from '../github/port.js';
import type { Settings } from '../settings.js';

export interface ApprovalCheck {
  readonly subject: string;
  readonly allowed: boolean;
  readonly detail: string;
}

export interface ApprovalResult {
  readonly status: 'skipped' | 'allowed' | 'blocked';
  readonly checks: readonly ApprovalCheck[];
  readonly reasons: readonly string[];
}

export async function approvalGate(settings: Settings, github: GitHubPort): Promise<ApprovalResult> {
  const { approvers, environment, run } = settings;
  if (approvers.length === 0) return { status: 'skipped', checks: [], reasons: [] };

  const memberships = new Map<string, Promise<Membership>>();
  const membership = (org: string, team: string, user: string) => {
    const key = `${org}/${team}/${user.toLowerCase()}`;
    if (!memberships.has(key)) memberships.set(key, github.teamMembership(org, team, user));
    return memberships.get(key)!;
  };
  /** Whether `user` is one of the approvers, and how we know. */
  async function isApprover(user: string): Promise<Membership> {
    const listed = approvers.find((a) => a.kind === 'user' && a.login!.toLowerCase() === user.toLowerCase());
    if (listed) return { member: true, detail: `listed as ${listed.display}` };
    const details: string[] = [];
    for (const team of approvers.filter((a) => a.kind === 'team')) {
      const result = await membership(team.org!, team.team!, user);
      if (result.member) return result;
      details.push(result.detail);
    }
    return { member: false, detail: ['not listed', ...details].join('; ') };
  }

  const checks: ApprovalCheck[] = [];
  if (run.runId === undefined) {
    checks.push({ subject: 'environment reviews', allowed: false, detail: 'no GITHUB_RUN_ID: there is no workflow run whose reviews could be read' });
  } else {
    const reviews = (await github.listRunApprovals(run.runId)).filter((r) => r.environments.includes(environment));
    if (reviews.length === 0) checks.push({ subject: 'environment reviews', allowed: false, detail: `no review of environment ${environment} on run ${run.runId}` });
    for (const review of reviews) {
      const who = await isApprover(review.user);
      const approved = review.state === 'approved';
      checks.push({
        subject: `review by @${review.user}`,
        allowed: approved && who.member,
        detail: `${review.state} ${environment}; @${review.user} is ${who.member ? '' : 'not an approver: '}${who.detail}`,
      });
    }
  }
  if (run.actor) {
    const who = await isApprover(run.actor);
    checks.push({ subject: `actor @${run.actor}`, allowed: who.member, detail: who.detail });
  } else {
    checks.push({ subject: 'actor', allowed: false, detail: 'GITHUB_ACTOR is not set' });
  }

  if (checks.some((c) => c.allowed)) return { status: 'allowed', checks, reasons: [] };
  const reasons = [
    `No approver (${approvers.map((a) => a.display).join(', ')}) approved this run for ${environment}, and the actor is not one.`,
    ...checks.map((c) => `${c.subject}: ${c.detail}`),
  ];
  return { status: 'blocked', checks, reasons };
}
