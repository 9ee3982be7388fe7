import type { GitHubPort, Membership, RunApproval } from '../src/github/port.js';
import { parseSettings, type Settings } from '../src/settings.js';
import { approvalGate, decideApproval, judgedPerson } from '../src/stages/approval.js';

function settings(approvers: string, env: Record<string, string> = {}): Settings {
  const inputs: Record<string, string> = {
    environment: 'prod', version: 'v1.0.0', sha: 'a'.repeat(40), service: 'api', 'dry-run': 'true', 'github-token': 't', approvers,
  };
  const parsed = parseSettings((n) => inputs[n] ?? '', { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '7', GITHUB_ACTOR: 'mallory', ...env });
  if (!parsed.settings) throw new Error(parsed.errors.join('\n'));
  return parsed.settings;
}

const UNREADABLE: Membership = { state: 'unreadable', detail: 'membership of @acme/sre could not be read: GitHub answered 404 … a personal access token with read:org' };

/** A port whose team answers come from `teams`, or UNREADABLE for every team when `teams` is 'unreadable'. */
function port(approvals: RunApproval[], teams: Record<string, string[]> | 'unreadable' = {}) {
  const calls: string[] = [];
  const github = {
    async listRunApprovals() {
      return approvals;
    },
    async teamMembership(org: string, team: string, user: string): Promise<Membership> {
      calls.push(`${org}/${team}/${user}`);
      if (teams === 'unreadable') return UNREADABLE;
      return teams[`${org}/${team}`]?.includes(user) ? { state: 'member', detail: `active member of @${org}/${team}` } : { state: 'not-member', detail: `not a member of @${org}/${team}` };
    },
  } as unknown as GitHubPort;
  return { github, calls };
}

const approved = (user: string, environments = ['prod']): RunApproval => ({ user, state: 'approved', environments, comment: '' });

describe('approvalGate', () => {
  it('is skipped without approvers', async () => {
    expect((await approvalGate(settings(''), port([]).github)).status).toBe('skipped');
  });

  it('allows a run an approver approved for this environment', async () => {
    const result = await approvalGate(settings('@alice'), port([approved('alice')]).github);
    expect(result.status).toBe('allowed');
    expect(result.checks[0]).toEqual({ subject: 'review by @alice', allowed: true, detail: 'approved prod; @alice is listed as @alice' });
  });

  it('ignores reviews of other environments and by non-approvers', async () => {
    const result = await approvalGate(settings('@alice, @acme/sre'), port([approved('alice', ['staging']), approved('bob')]).github);
    expect(result.status).toBe('blocked');
    expect(result.reasons).toEqual([
      'No approver (@alice, @acme/sre) approved this run for prod, and the actor is not one.',
      'review by @bob: approved prod; @bob is not an approver: not listed; not a member of @acme/sre',
      'actor @mallory: not listed; not a member of @acme/sre',
    ]);
  });

  it('allows an actor who is a team member', async () => {
    const result = await approvalGate(settings('@acme/sre', { GITHUB_ACTOR: 'carol' }), port([], { 'acme/sre': ['carol'] }).github);
    expect(result.status).toBe('allowed');
    expect(result.checks.at(-1)).toEqual({ subject: 'actor @carol', allowed: true, detail: 'active member of @acme/sre' });
  });

  it('judges the person who started this attempt, not the run\'s original actor', async () => {
    // Mallory re-runs an approver's run: GITHUB_ACTOR stays alice, GITHUB_TRIGGERING_ACTOR is mallory.
    const { github, calls } = port([]);
    const result = await approvalGate(settings('@alice', { GITHUB_ACTOR: 'alice', GITHUB_TRIGGERING_ACTOR: 'mallory', GITHUB_RUN_ATTEMPT: '2' }), github);
    expect(result.status).toBe('blocked');
    expect(result.reasons).toContain('actor @mallory (started attempt 2; the run was started by @alice): not listed');
    expect(calls).toEqual([]);
  });

  it('never takes GITHUB_ACTOR for the person who re-ran: without GITHUB_TRIGGERING_ACTOR a re-run is blocked', async () => {
    // A server that does not set GITHUB_TRIGGERING_ACTOR: GITHUB_ACTOR stays alice (an approver) on
    // mallory's re-run, and must not vouch for it.
    const { github, calls } = port([]);
    const result = await approvalGate(settings('@alice', { GITHUB_ACTOR: 'alice', GITHUB_RUN_ATTEMPT: '3' }), github);
    expect(result.status).toBe('blocked');
    expect(result.reasons).toContainEqual(expect.stringMatching(/^actor: GITHUB_TRIGGERING_ACTOR is not set, and on attempt 3 GITHUB_ACTOR still names whoever started the first attempt/));
    expect(calls).toEqual([]);
    // On the first attempt GITHUB_ACTOR is the one who started it.
    expect((await approvalGate(settings('@alice', { GITHUB_ACTOR: 'alice' }), port([]).github)).status).toBe('allowed');
  });

  it('counts environment reviews on the first attempt only', async () => {
    const env = { GITHUB_ACTOR: 'mallory', GITHUB_RUN_ATTEMPT: '2' };
    const result = await approvalGate(settings('@alice', env), port([approved('alice')]).github);
    expect(result.status).toBe('blocked');
    expect(result.checks[0]).toMatchObject({ subject: 'environment reviews', allowed: false });
    expect(result.checks[0]!.detail).toContain('not counted on attempt 2');
    // The approver who re-runs it herself is allowed.
    expect((await approvalGate(settings('@alice', { ...env, GITHUB_TRIGGERING_ACTOR: 'alice' }), port([]).github)).status).toBe('allowed');
  });

  it('blocks, saying the membership could not be read — never "not a member"', async () => {
    const result = await approvalGate(settings('@acme/sre', { GITHUB_ACTOR: 'carol' }), port([approved('dave')], 'unreadable').github);
    expect(result.status).toBe('blocked');
    expect(result.reasons.join('\n')).not.toContain('not a member');
    expect(result.reasons).toContain(`actor @carol: not listed; ${UNREADABLE.detail}`);
    expect(result.reasons).toContain(`review by @dave: approved prod; @dave could not be confirmed as an approver: not listed; ${UNREADABLE.detail}`);
  });

  it('still allows a listed user when the teams cannot be read', async () => {
    const { github, calls } = port([approved('alice')], 'unreadable');
    expect((await approvalGate(settings('@alice, @acme/sre'), github)).status).toBe('allowed');
    expect(calls).toEqual(['acme/sre/mallory']);
  });
});

describe('judgedPerson', () => {
  it('falls back to GITHUB_ACTOR and names the original actor only when someone else re-ran', () => {
    expect(judgedPerson(settings('@a').run)).toEqual({ login: 'mallory' });
    expect(judgedPerson(settings('@a', { GITHUB_TRIGGERING_ACTOR: 'mallory' }).run)).toEqual({ login: 'mallory' });
    expect(judgedPerson(settings('@a', { GITHUB_TRIGGERING_ACTOR: 'bob' }).run)).toEqual({ login: 'bob', runStartedBy: 'mallory' });
  });
});

describe('decideApproval', () => {
  it('blocks outside a workflow run unless the actor is an approver', () => {
    const approvers = settings('@alice').approvers;
    const base = { approvers, environment: 'prod', attempt: 1, memberships: new Map() };
    expect(decideApproval({ ...base, person: { login: 'bob' } }).status).toBe('blocked');
    expect(decideApproval({ ...base, person: { login: 'Alice' } }).status).toBe('allowed');
  });
});
