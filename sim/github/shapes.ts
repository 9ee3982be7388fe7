/**
 * JSON renderers shared by several routes: users, repositories, labels, commits. Each emits the
 * fields GitHub's schema requires (and a few it does not, where clients commonly read them).
 */
import type { Links } from './links.js';
import type { Commit, Label, User } from './model.js';
import type { SimState } from './state.js';

/** GitHub's timestamps carry no milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : iso(ms);
}

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}${id}`).toString('base64').replace(/=+$/, '');
}

function userOf(state: SimState, login: string): User {
  return state.user(login) ?? state.addUser(login);
}

export function simpleUser(state: SimState, links: Links, login: string): Record<string, unknown> {
  const user = userOf(state, login);
  const api = links.api(`/users/${encodeURIComponent(user.login)}`);
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Organization' ? 'O_' : 'U_', user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: links.web(`/${encodeURIComponent(user.login)}`),
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** `GET /users/{username}`: the public-user schema forbids extra properties, so exactly these. */
export function publicUser(state: SimState, links: Links, user: User): Record<string, unknown> {
  const created = iso(state.servingSince - 3 * 365 * 86_400_000);
  return {
    ...simpleUser(state, links, user.login),
    name: user.name,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 1,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: created,
    updated_at: created,
  };
}

export function labelJson(links: Links, label: Label): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId('LA_', label.id),
    url: links.repoApi(`/labels/${encodeURIComponent(label.name)}`),
    name: label.name,
    color: label.color,
    description: label.description,
    default: false,
  };
}

const REPO_ID = 700_000_001;

/** One object that satisfies minimal-, plain and full-repository schemas alike. */
export function repositoryJson(state: SimState, links: Links): Record<string, unknown> {
  const api = links.repoApi();
  const web = links.repoWeb();
  const created = iso(state.servingSince - 2 * 365 * 86_400_000);
  const templated = (name: string, suffix: string): [string, string] => [`${name}_url`, `${api}/${suffix}`];
  const openIssues = [...state.issues.values(), ...state.pulls.values()].filter((i) => i.state === 'open').length;
  return {
    id: REPO_ID,
    node_id: nodeId('R_', REPO_ID),
    name: state.repo,
    full_name: `${state.owner}/${state.repo}`,
    owner: simpleUser(state, links, state.owner),
    private: true,
    visibility: 'private',
    html_url: web,
    description: 'Simulated repository',
    fork: false,
    url: api,
    ...Object.fromEntries([
      templated('archive', '{archive_format}{/ref}'),
      templated('assignees', 'assignees{/user}'),
      templated('blobs', 'git/blobs{/sha}'),
      templated('branches', 'branches{/branch}'),
      templated('collaborators', 'collaborators{/collaborator}'),
      templated('comments', 'comments{/number}'),
      templated('commits', 'commits{/sha}'),
      templated('compare', 'compare/{base}...{head}'),
      templated('contents', 'contents/{+path}'),
      templated('contributors', 'contributors'),
      templated('deployments', 'deployments'),
      templated('downloads', 'downloads'),
      templated('events', 'events'),
      templated('forks', 'forks'),
      templated('git_commits', 'git/commits{/sha}'),
      templated('git_refs', 'git/refs{/sha}'),
      templated('git_tags', 'git/tags{/sha}'),
      templated('hooks', 'hooks'),
      templated('issue_comment', 'issues/comments{/number}'),
      templated('issue_events', 'issues/events{/number}'),
      templated('issues', 'issues{/number}'),
      templated('keys', 'keys{/key_id}'),
      templated('labels', 'labels{/name}'),
      templated('languages', 'languages'),
      templated('merges', 'merges'),
      templated('milestones', 'milestones{/number}'),
      templated('notifications', 'notifications{?since,all,participating}'),
      templated('pulls', 'pulls{/number}'),
      templated('releases', 'releases{/id}'),
      templated('stargazers', 'stargazers'),
      templated('statuses', 'statuses/{sha}'),
      templated('subscribers', 'subscribers'),
      templated('subscription', 'subscription'),
      templated('tags', 'tags'),
      templated('teams', 'teams'),
      templated('trees', 'git/trees{/sha}'),
    ]),
    git_url: `git://sim/${state.owner}/${state.repo}.git`,
    ssh_url: `git@sim:${state.owner}/${state.repo}.git`,
    clone_url: `${web}.git`,
    svn_url: web,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    subscribers_count: 1,
    network_count: 0,
    size: 1024,
    default_branch: state.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    allow_forking: false,
    web_commit_signoff_required: false,
    pushed_at: iso(state.now()),
    created_at: created,
    updated_at: created,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

function gitPerson(name: string, email: string, date: number): Record<string, unknown> {
  return { name, email, date: iso(date) };
}

/** The REST commit object (`GET commits/{ref}`, compare). `author` is `{}` for unknown accounts, like GitHub. */
export function commitJson(state: SimState, links: Links, commit: Commit): Record<string, unknown> {
  const person = gitPerson(commit.authorName, commit.authorEmail, commit.date);
  const account = commit.authorLogin === undefined ? {} : simpleUser(state, links, commit.authorLogin);
  return {
    sha: commit.sha,
    node_id: nodeId('C_', commit.sha),
    commit: {
      author: person,
      committer: gitPerson('GitHub', 'noreply@github.com', commit.date),
      message: commit.message,
      tree: { sha: commit.tree, url: links.repoApi(`/git/trees/${commit.tree}`) },
      url: links.repoApi(`/git/commits/${commit.sha}`),
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: links.repoApi(`/commits/${commit.sha}`),
    html_url: links.repoWeb(`/commit/${commit.sha}`),
    comments_url: links.repoApi(`/commits/${commit.sha}/comments`),
    author: account,
    committer: account,
    parents: commit.parents.map((sha) => ({ sha, url: links.repoApi(`/commits/${sha}`), html_url: links.repoWeb(`/commit/${sha}`) })),
  };
}
