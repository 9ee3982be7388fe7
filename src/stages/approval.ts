// Contract step 2 ("Approval gate, precisely"). The run may go on when an approver approved this
// run's deployment to the environment — counted on the first attempt only — or when the person who
// started this attempt is an approver. approvalGate reads; decideApproval decides, pure. Every check
// made is recorded, so a blocked report says who was checked and why each failed.
import type { GitHubPort, Membership, RunApproval } from '../github/port.js';
import type { Approver, RunContext, Settings } from '../settings.js';

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

/** The person judged, and where we learnt who it is. */
export interface JudgedPerson {
  readonly login: string;
  /** Who started the run, when a re-run was started by someone else. */
  readonly runStartedBy?: string;
}

export interface ApprovalFacts {
  readonly approvers: readonly Approver[];
  readonly environment: string;
  readonly runId?: number;
  readonly attempt: number;
  readonly person?: JudgedPerson;
  /** Reviews of this run for the environment (undefined: not read, e.g. outside a workflow run). */
  readonly reviews?: readonly RunApproval[];
  /** `org/team/login` (login lower case) → what GitHub said. */
  readonly memberships: ReadonlyMap<string, Membership>;
}

const membershipKey = (org: string, team: string, login: string) => `${org}/${team}/${login.toLowerCase()}`;

/**
 * `GITHUB_TRIGGERING_ACTOR` started this attempt; `GITHUB_ACTOR` stays the original actor on every
 * re-run (GitHub changelog 2022-07-19, reference/github-actions.md), so judging it would let anyone
 * with write access re-run an approver's run. GITHUB_ACTOR stands in only on the first attempt,
 * where both name the same person: a re-run on a server that does not set GITHUB_TRIGGERING_ACTOR
 * has no known person (undefined).
 */
export function judgedPerson(run: RunContext): JudgedPerson | undefined {
  const login = run.triggeringActor ?? (run.runAttempt === 1 ? run.actor : undefined);
  if (!login) return undefined;
  return run.actor && run.actor.toLowerCase() !== login.toLowerCase() ? { login, runStartedBy: run.actor } : { login };
}

export async function approvalGate(settings: Settings, github: GitHubPort): Promise<ApprovalResult> {
  const { approvers, environment, run } = settings;
  if (approvers.length === 0) return { status: 'skipped', checks: [], reasons: [] };
  const person = judgedPerson(run);
  const reviews = run.runId === undefined ? undefined : (await github.listRunApprovals(run.runId)).filter((r) => r.environments.includes(environment));
  // Only logins whose answer can change the decision are looked up.
  const logins = [...(run.runAttempt === 1 ? (reviews ?? []).filter((r) => r.state === 'approved').map((r) => r.user) : []), ...(person ? [person.login] : [])];
  const memberships = new Map<string, Membership>();
  for (const login of new Set(logins.map((l) => l.toLowerCase()))) {
    if (listedUser(approvers, login)) continue;
    for (const team of approvers.filter((a) => a.kind === 'team')) {
      const key = membershipKey(team.org!, team.team!, login);
      if (!memberships.has(key)) memberships.set(key, await github.teamMembership(team.org!, team.team!, login));
      if (memberships.get(key)!.state === 'member') break;
    }
  }
  return decideApproval({ approvers, environment, runId: run.runId, attempt: run.runAttempt, person, reviews, memberships });
}

function listedUser(approvers: readonly Approver[], login: string): Approver | undefined {
  return approvers.find((a) => a.kind === 'user' && a.login!.toLowerCase() === login.toLowerCase());
}

/** Whether `login` is one of the approvers, as far as GitHub let us see. */
export function approverStatus(facts: Pick<ApprovalFacts, 'approvers' | 'memberships'>, login: string): Membership {
  const listed = listedUser(facts.approvers, login);
  if (listed) return { state: 'member', detail: `listed as ${listed.display}` };
  const answers = facts.approvers
    .filter((a) => a.kind === 'team')
    .map((team) => facts.memberships.get(membershipKey(team.org!, team.team!, login)) ?? { state: 'unreadable' as const, detail: `membership of ${team.display} was not read` });
  const member = answers.find((m) => m.state === 'member');
  if (member) return member;
  const details = ['not listed', ...answers.map((m) => m.detail)].join('; ');
  return { state: answers.some((m) => m.state === 'unreadable') ? 'unreadable' : 'not-member', detail: details };
}

export function decideApproval(facts: ApprovalFacts): ApprovalResult {
  const { approvers, environment, runId, attempt, person, reviews } = facts;
  const checks: ApprovalCheck[] = [];
  if (runId === undefined || reviews === undefined) {
    checks.push({ subject: 'environment reviews', allowed: false, detail: 'no GITHUB_RUN_ID: there is no workflow run whose reviews could be read' });
  } else if (attempt > 1) {
    // GitHub's reviews carry no attempt and no time: one given to attempt 1 cannot vouch for a re-run.
    checks.push({
      subject: 'environment reviews',
      allowed: false,
      detail: `not counted on attempt ${attempt}: reviews carry no attempt, so ${reviews.length === 0 ? 'none' : `the ${reviews.length} review(s) of ${environment}`} on run ${runId} may belong to an earlier attempt; on a re-run only the person who started it can allow it`,
    });
  } else {
    if (reviews.length === 0) checks.push({ subject: 'environment reviews', allowed: false, detail: `no review of environment ${environment} on run ${runId}` });
    for (const review of reviews) {
      if (review.state !== 'approved') {
        checks.push({ subject: `review by @${review.user}`, allowed: false, detail: `${review.state} ${environment}` });
        continue;
      }
      const who = approverStatus(facts, review.user);
      checks.push({ subject: `review by @${review.user}`, allowed: who.state === 'member', detail: `approved ${environment}; @${review.user} ${describe(who)}` });
    }
  }
  if (person) {
    const who = approverStatus(facts, person.login);
    const subject = `actor @${person.login}${person.runStartedBy ? ` (started attempt ${attempt}; the run was started by @${person.runStartedBy})` : ''}`;
    checks.push({ subject, allowed: who.state === 'member', detail: who.detail });
  } else {
    checks.push({
      subject: 'actor',
      allowed: false,
      detail:
        attempt > 1
          ? `GITHUB_TRIGGERING_ACTOR is not set, and on attempt ${attempt} GITHUB_ACTOR still names whoever started the first attempt, not who re-ran it: start a new run (not a re-run) to be judged, or use a GitHub version that sets GITHUB_TRIGGERING_ACTOR`
          : 'neither GITHUB_TRIGGERING_ACTOR nor GITHUB_ACTOR is set',
    });
  }

  if (checks.some((c) => c.allowed)) return { status: 'allowed', checks, reasons: [] };
  return {
    status: 'blocked',
    checks,
    reasons: [`No approver (${approvers.map((a) => a.display).join(', ')}) approved this run for ${environment}, and the actor is not one.`, ...checks.map((c) => `${c.subject}: ${c.detail}`)],
  };
}

function describe(who: Membership): string {
  if (who.state === 'member') return `is ${who.detail}`;
  if (who.state === 'unreadable') return `could not be confirmed as an approver: ${who.detail}`;
  return `is not an approver: ${who.detail}`;
}
