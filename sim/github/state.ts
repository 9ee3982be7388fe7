/**
 * The simulated repository: its records plus the seeding API (`sim.state.add*`). Routes create
 * records through the same add* functions tests use, so a seeded record and an API-created one
 * cannot differ. Git and people live here; CI and work items in seed-ci.ts / seed-work.ts.
 */
import { ancestors } from './git.js';
import type * as M from './model.js';
import { progressAt, type ProgressView } from './progress.js';
import * as ci from './seed-ci.js';
import * as work from './seed-work.js';
import { sha1, toMs, TOKEN_USER, type CommitSeed, type PersonSeed, type TagSeed, type Time } from './seeds.js';
import type * as S from './seeds.js';

export { TOKEN_USER } from './seeds.js';

export interface StateOptions {
  readonly owner: string;
  readonly repo: string;
  readonly clock: () => number;
  readonly defaultBranch?: string;
}

export class SimState {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  /** Clock time the server started serving; `completeAfterMs` counts from here. */
  readonly servingSince: number;
  readonly #clock: () => number;
  readonly #sequences = new Map<string, number>();
  /** Ids drawn once per key: check suites, workflows. */
  readonly #suites = new Map<string, number>();

  readonly users = new Map<string, M.User>();
  readonly commits = new Map<M.Sha, M.Commit>();
  /** Full ref name (`refs/heads/main`, `refs/tags/v1.0.0`) → commit or tag-object sha. */
  readonly refs = new Map<string, M.Sha>();
  readonly tagObjects = new Map<M.Sha, M.TagObject>();
  readonly checkRuns: M.CheckRun[] = [];
  readonly statuses: M.CommitStatus[] = [];
  readonly runs = new Map<number, M.WorkflowRun>();
  readonly jobs: M.Job[] = [];
  readonly approvals: M.Approval[] = [];
  readonly environments = new Map<string, M.Environment>();
  readonly teamMemberships: M.TeamMembership[] = [];
  /** `org/team` (lower case) of every team that exists, members or not. */
  readonly teams = new Set<string>();
  readonly labels = new Map<string, M.Label>();
  readonly issues = new Map<number, M.Issue>();
  readonly pulls = new Map<number, M.PullRequest>();
  readonly comments: M.Comment[] = [];
  readonly releases: M.Release[] = [];
  readonly deployments: M.Deployment[] = [];

  constructor(options: StateOptions) {
    this.owner = options.owner;
    this.repo = options.repo;
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.#clock = options.clock;
    this.servingSince = options.clock();
    this.addUser(TOKEN_USER, { type: 'Bot', id: 41898282 });
    this.addUser(options.owner, { type: 'Organization' });
    // Owner of the GitHub Actions app that check runs report.
    this.addUser('github', { type: 'Organization', id: 9919 });
  }

  now(): number {
    return this.#clock();
  }

  // ——— ids ———

  /** Deterministic ids per kind, starting at GitHub-looking magnitudes. */
  nextId(kind: string, start = 1): number {
    const next = this.#sequences.get(kind) ?? start;
    this.#sequences.set(kind, next + 1);
    return next;
  }

  /** Issues and pull requests draw from one sequence; an explicit number moves it past itself. */
  nextNumber(explicit?: number): number {
    const next = this.#sequences.get('number') ?? 1;
    const number = explicit ?? next;
    this.#sequences.set('number', Math.max(next, number + 1));
    return number;
  }

  nextSha(purpose: string): M.Sha {
    return sha1(`${purpose}\n${this.nextId('sha')}`);
  }

  /** One check suite per workflow run (Actions) or per app and commit (other apps). */
  suiteId(key: string): number {
    return this.#keyed(`suite:${key}`, 'suite', 30_000_000_001);
  }

  /** One workflow id per workflow file. */
  workflowId(path: string): number {
    return this.#keyed(`workflow:${path}`, 'workflow', 161_335);
  }

  #keyed(key: string, kind: string, start: number): number {
    let id = this.#suites.get(key);
    if (id === undefined) {
      id = this.nextId(kind, start);
      this.#suites.set(key, id);
    }
    return id;
  }

  // ——— people ———

  addUser(login: string, seed: { name?: string; email?: string; type?: M.User['type']; id?: number } = {}): M.User {
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const user: M.User = {
      login,
      id: seed.id ?? this.nextId('user', 1001),
      name: seed.name ?? login,
      email: seed.email ?? `${login}@users.noreply.github.com`,
      type: seed.type ?? 'User',
    };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  user(login: string): M.User | undefined {
    return this.users.get(login.toLowerCase());
  }

  /** A team, with or without members (addTeamMember creates its team too). */
  addTeam(org: string, team: string): void {
    this.teams.add(`${org}/${team}`.toLowerCase());
  }

  addTeamMember(org: string, team: string, user: string, state: M.TeamMembership['state'] = 'active', role: M.TeamMembership['role'] = 'member'): void {
    this.addTeam(org, team);
    this.addUser(user);
    this.teamMemberships.push({ org, team, user, state, role });
  }

  // ——— git ———

  #person(seed: PersonSeed | undefined): { login?: string; name?: string; email?: string; user?: M.User } {
    const person = typeof seed === 'string' ? { login: seed } : (seed ?? {});
    return { ...person, ...(person.login !== undefined && { user: this.addUser(person.login, person) }) };
  }

  addCommit(seed: CommitSeed = {}): M.Commit {
    const branch = seed.branch === undefined ? this.defaultBranch : seed.branch;
    const head = branch === null ? undefined : this.refs.get(`refs/heads/${branch}`);
    const parents = seed.parents ?? (head ? [head] : []);
    const n = this.nextId('commit');
    const message = seed.message ?? `Commit ${n}`;
    const { user, name, email } = this.#person(seed.author);
    const commit: M.Commit = {
      sha: seed.sha ?? sha1(`commit\n${n}\n${message}\n${parents.join(',')}`),
      tree: sha1(`tree\n${n}`),
      message,
      ...(user && { authorLogin: user.login }),
      authorName: name ?? user?.name ?? 'Sim Author',
      authorEmail: email ?? user?.email ?? 'author@example.com',
      date: toMs(seed.date, this.now()),
      parents,
    };
    this.commits.set(commit.sha, commit);
    if (branch !== null) this.refs.set(`refs/heads/${branch}`, commit.sha);
    return commit;
  }

  /** `n` commits in a line on `branch`; messages default to `Commit <k>`. */
  addCommits(n: number, seed: { branch?: string; author?: PersonSeed; message?: (i: number) => string } = {}): M.Commit[] {
    return Array.from({ length: n }, (_, i) =>
      this.addCommit({
        ...(seed.branch !== undefined && { branch: seed.branch }),
        ...(seed.author !== undefined && { author: seed.author }),
        ...(seed.message && { message: seed.message(i) }),
      }),
    );
  }

  /** `refs/heads/x`, `refs/tags/x` (or without `refs/`) → sha. */
  setRef(ref: string, sha: M.Sha): void {
    this.refs.set(ref.startsWith('refs/') ? ref : `refs/${ref}`, sha);
  }

  /** A tag on `sha`: annotated (tag object + ref) unless `annotated: false`. Returns the ref's target. */
  addTag(name: string, sha: M.Sha, seed: TagSeed = {}): M.Sha {
    const target = seed.annotated === false ? sha : this.addTagObject({ ...seed, tag: name, object: sha, message: seed.message ?? name }).sha;
    this.refs.set(`refs/tags/${name}`, target);
    return target;
  }

  addTagObject(seed: { tag: string; object: M.Sha; message: string; type?: M.TagObject['object']['type']; tagger?: PersonSeed; date?: Time }): M.TagObject {
    const { user, name, email } = this.#person(seed.tagger ?? TOKEN_USER);
    const tag: M.TagObject = {
      sha: sha1(`tag\n${this.nextId('tag-object')}\n${seed.tag}\n${seed.object}\n${seed.message}`),
      tag: seed.tag,
      message: seed.message,
      object: { sha: seed.object, type: seed.type ?? 'commit' },
      tagger: { name: name ?? user?.login ?? 'Sim Tagger', email: email ?? user?.email ?? 'tagger@example.com', date: toMs(seed.date, this.now()) },
    };
    this.tagObjects.set(tag.sha, tag);
    return tag;
  }

  /** Follows annotated tags down to the object they finally point at. */
  peel(sha: M.Sha): M.Sha {
    let current = sha;
    for (let tag = this.tagObjects.get(current); tag; tag = this.tagObjects.get(current)) current = tag.object.sha;
    return current;
  }

  /** A commit sha for what GitHub accepts as `{ref}`: sha (or a unique 7+ prefix), branch, tag, `heads/x`, `refs/…`. */
  resolve(commitish: string): M.Sha | undefined {
    if (/^[0-9a-f]{40}$/i.test(commitish)) return this.commits.has(commitish.toLowerCase()) ? commitish.toLowerCase() : undefined;
    for (const ref of [commitish, `refs/${commitish}`, `refs/heads/${commitish}`, `refs/tags/${commitish}`]) {
      const target = this.refs.get(ref);
      if (target) return this.peel(target);
    }
    if (!/^[0-9a-f]{7,39}$/i.test(commitish)) return undefined;
    const matches = [...this.commits.keys()].filter((sha) => sha.startsWith(commitish.toLowerCase()));
    return matches.length === 1 ? matches[0] : undefined;
  }

  isAncestor(ancestor: M.Sha, of: M.Sha): boolean {
    return ancestors(this.commits, of).has(ancestor);
  }

  // ——— shared lookups ———

  /** A check run or job as it stands now (a seeded `completeAfterMs` applied). */
  progress(p: M.Progress): ProgressView {
    return progressAt(p, this.servingSince, this.now());
  }

  label(name: string): M.Label {
    let label = this.labels.get(name);
    if (!label) {
      // '' rather than null: the pull-request schemas type a label's description as a plain string.
      label = { id: this.nextId('label', 208045946), name, color: sha1(name).slice(0, 6), description: '' };
      this.labels.set(name, label);
    }
    return label;
  }

  environment(name: string): M.Environment {
    let env = this.environments.get(name);
    if (!env) {
      env = { id: this.nextId('environment', 161088068), name, createdAt: this.now() - 86_400_000 };
      this.environments.set(name, env);
    }
    return env;
  }

  /** Pull requests that contain `sha` or merged it: GitHub's "associated pull requests". */
  pullsForCommit(sha: M.Sha): M.PullRequest[] {
    return [...this.pulls.values()].filter((pr) => pr.mergeCommitSha === sha || pr.headSha === sha || pr.commits.includes(sha) || pr.landed.includes(sha));
  }

  // ——— CI signals (seed-ci.ts) ———

  addCheckRun(seed: S.CheckRunSeed): M.CheckRun {
    return ci.addCheckRun(this, seed);
  }

  addStatus(seed: S.StatusSeed): M.CommitStatus {
    return ci.addStatus(this, seed);
  }

  addRun(seed: S.RunSeed = {}): M.WorkflowRun {
    return ci.addRun(this, seed);
  }

  /** A job of `runId`; with `sha` also its check run (for Actions, check run id == job id). */
  addJob(runId: number, seed: S.JobSeed): M.Job {
    return ci.addJob(this, runId, seed);
  }

  addApproval(runId: number, seed: S.ApprovalSeed): M.Approval {
    return ci.addApproval(this, runId, seed);
  }

  // ——— work items (seed-work.ts) ———

  addIssue(seed: S.IssueSeed): M.Issue {
    return work.addIssue(this, seed);
  }

  addPullRequest(seed: S.PullRequestSeed): M.PullRequest {
    return work.addPullRequest(this, seed);
  }

  addComment(issueNumber: number, seed: S.CommentSeed): M.Comment {
    return work.addComment(this, issueNumber, seed);
  }

  addRelease(seed: S.ReleaseSeed): M.Release {
    return work.addRelease(this, seed);
  }

  addDeployment(seed: S.DeploymentSeed): M.Deployment {
    return work.addDeployment(this, seed);
  }

  addDeploymentStatus(deploymentId: number, seed: S.DeploymentStatusSeed): M.DeploymentStatus | undefined {
    return work.addDeploymentStatus(this, deploymentId, seed);
  }
}
