import type { GitHubPort, RunApproval } from '../src/github/port.js';
import { parseSettings, type Settings } from '../src/settings.js';
import { approvalGate } from '../src/stages/approval.js';

function settings(approvers: string, actor = 'mallory'): Settings {
  const inputs: Record<string, string> = {
    environment: 'prod', version: 'v1.0.0', sha: 'a'.repeat(40), service: 'api', 'dry-run': 'true', 'github-token': 't', approvers,
  };
  const parsed = parseSettings((n) => inputs[n] ?? '', { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '7', GITHUB_ACTOR: actor });
  return parsed.settings!;
}

function port(approvals: RunApproval[], teams: Record<string, string[]> = {}, teamStatus?: number): GitHubPort {
  const calls: string[] = [];
  return {
    calls,
    async listRunApprovals() {
      return approvals;
    },
    async teamMembership(org: string, team: string, user: string) {
      calls.push(`${org}/${team}/${user}`);
      if (teamStatus === 403) return { member: false, detail: 'could not be read (403)' };
      return teams[`${org}/${team}`]?.includes(user) ? { member: true, detail: `active member of @${org}/${team}` } : { member: false, detail: `not a member of @${org}/${team}` };
    },
  } as unknown as GitHubPort;
}

describe('approvalGate', () => {
  it('is skipped without approvers', async () => {
    expect((await approvalGate(settings(''), port([]))).status).toBe('skipped');
  });

  it('allows a run an approver approved for this environment', async () => {
    const result = await approvalGate(settings('@alice'), port([{ user: 'alice', state: 'approved', environments: ['prod'], comment: '' }]));
    expect(result.status).toBe('allowed');
    expect(result.checks[0]).toEqual({ subject: 'review by @alice', allowed: true, detail: 'approved prod; @alice is listed as @alice' });
  });

  it('ignores reviews of other environments and by non-approvers', async () => {
    const result = await approvalGate(settings('@alice, @acme/sre'), port([
      { user: 'alice', state: 'approved', environments: ['staging'], comment: '' },
      { user: 'bob', state: 'approved', environments: ['prod'], comment: '' },
    ]));
    expect(result.status).toBe('blocked');
    expect(result.reasons).toEqual([
      'No approver (@alice, @acme/sre) approved this run for prod, and the actor is not one.',
      'review by @bob: approved prod; @bob is not an approver: not listed; not a member of @acme/sre',
      'actor @mallory: not listed; not a member of @acme/sre',
    ]);
  });

  it('allows an actor who is a team member', async () => {
    const result = await approvalGate(settings('@acme/sre', 'carol'), port([], { 'acme/sre': ['carol'] }));
    expect(result.status).toBe('allowed');
    expect(result.checks.at(-1)).toEqual({ subject: 'actor @carol', allowed: true, detail: 'active member of @acme/sre' });
  });

  it('says so when team membership cannot be read', async () => {
    const result = await approvalGate(settings('@acme/sre', 'carol'), port([], {}, 403));
    expect(result.status).toBe('blocked');
    expect(result.reasons.at(-1)).toBe('actor @carol: not listed; could not be read (403)');
  });
});
