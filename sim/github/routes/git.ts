/** The Git database: refs and annotated tag objects (how the action tags without a local git). */
import { body, type Ctx, type HandlerTable } from '../context.js';
import type { Sha, TagObject } from '../model.js';
import { noContent, notFound, ok, unprocessable } from '../reply.js';
import { iso, nodeId } from '../shapes.js';
import { TOKEN_USER } from '../state.js';

function objectJson(ctx: Ctx, sha: Sha) {
  const isTag = ctx.state.tagObjects.has(sha);
  return { type: isTag ? 'tag' : 'commit', sha, url: ctx.links.repoApi(`/git/${isTag ? 'tags' : 'commits'}/${sha}`) };
}

function refJson(ctx: Ctx, ref: string) {
  return {
    ref,
    node_id: nodeId('REF_', ref),
    url: ctx.links.repoApi(`/git/${ref}`),
    object: objectJson(ctx, ctx.state.refs.get(ref)!),
  };
}

function tagJson(ctx: Ctx, tag: TagObject) {
  return {
    node_id: nodeId('TAG_', tag.sha),
    tag: tag.tag,
    sha: tag.sha,
    url: ctx.links.repoApi(`/git/tags/${tag.sha}`),
    message: tag.message,
    tagger: { name: tag.tagger.name, email: tag.tagger.email, date: iso(tag.tagger.date) },
    object: { ...objectJson(ctx, tag.object.sha), type: tag.object.type },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

/** The Git-database view of a commit (`git/commits/{sha}`), unlike the REST commit: 404 when unknown. */
function gitCommit(ctx: Ctx) {
  const commit = ctx.state.commits.get(ctx.params.commit_sha ?? '');
  if (!commit) throw notFound();
  const person = { name: commit.authorName, email: commit.authorEmail, date: iso(commit.date) };
  return ok({
    sha: commit.sha,
    node_id: nodeId('C_', commit.sha),
    url: ctx.links.repoApi(`/git/commits/${commit.sha}`),
    html_url: ctx.links.repoWeb(`/commit/${commit.sha}`),
    author: person,
    committer: { ...person, name: 'GitHub', email: 'noreply@github.com' },
    message: commit.message,
    tree: { sha: commit.tree, url: ctx.links.repoApi(`/git/trees/${commit.tree}`) },
    parents: commit.parents.map((sha) => ({ sha, url: ctx.links.repoApi(`/git/commits/${sha}`), html_url: ctx.links.repoWeb(`/commit/${sha}`) })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  });
}

function objectExists(ctx: Ctx, sha: string): boolean {
  return ctx.state.commits.has(sha) || ctx.state.tagObjects.has(sha);
}

function createRef(ctx: Ctx) {
  const { ref, sha } = body<{ ref: string; sha: string }>(ctx);
  // GitHub's rule, from the schema's own description: starts with refs and has two slashes.
  if (!/^refs\/[^/]+\/.+/.test(ref)) throw unprocessable(`Reference name is not valid: ${ref}`);
  if (!objectExists(ctx, sha)) throw unprocessable('Object does not exist');
  if (ctx.state.refs.has(ref)) throw unprocessable('Reference already exists');
  ctx.state.setRef(ref, sha);
  const json = refJson(ctx, ref);
  return { status: 201, body: json, headers: { location: json.url } };
}

function existingRef(ctx: Ctx): string {
  const ref = `refs/${ctx.params.ref ?? ''}`;
  if (!ctx.state.refs.has(ref)) throw unprocessable('Reference does not exist');
  return ref;
}

function updateRef(ctx: Ctx) {
  const ref = existingRef(ctx);
  const { sha, force } = body<{ sha: string; force?: boolean }>(ctx);
  if (!objectExists(ctx, sha)) throw unprocessable('Object does not exist');
  const current = ctx.state.peel(ctx.state.refs.get(ref)!);
  if (!force && ctx.state.commits.has(sha) && !ctx.state.isAncestor(current, sha)) throw unprocessable('Update is not a fast forward');
  ctx.state.setRef(ref, sha);
  return ok(refJson(ctx, ref));
}

function createTag(ctx: Ctx) {
  const input = body<{ tag: string; message: string; object: string; type: TagObject['object']['type']; tagger?: { name?: string; email?: string; date?: string } }>(ctx);
  if (!objectExists(ctx, input.object)) throw unprocessable('Object does not exist');
  const tag = ctx.state.addTagObject({
    tag: input.tag,
    message: input.message,
    object: input.object,
    type: input.type,
    tagger: input.tagger ? { ...(input.tagger.name !== undefined && { name: input.tagger.name }), ...(input.tagger.email !== undefined && { email: input.tagger.email }) } : TOKEN_USER,
    ...(input.tagger?.date !== undefined && { date: input.tagger.date }),
  });
  const json = tagJson(ctx, tag);
  return { status: 201, body: json, headers: { location: json.url } };
}

export const gitHandlers: HandlerTable = {
  'git/get-ref': (ctx) => {
    const ref = `refs/${ctx.params.ref ?? ''}`;
    if (!ctx.state.refs.has(ref)) throw notFound();
    return ok(refJson(ctx, ref));
  },
  'git/list-matching-refs': (ctx) => {
    const prefix = `refs/${ctx.params.ref ?? ''}`;
    const refs = [...ctx.state.refs.keys()].filter((ref) => ref.startsWith(prefix)).sort();
    return ok(refs.map((ref) => refJson(ctx, ref)));
  },
  'git/create-ref': createRef,
  'git/update-ref': updateRef,
  'git/delete-ref': (ctx) => {
    ctx.state.refs.delete(existingRef(ctx));
    return noContent();
  },
  'git/get-commit': gitCommit,
  'git/create-tag': createTag,
  'git/get-tag': (ctx) => {
    const tag = ctx.state.tagObjects.get(ctx.params.tag_sha ?? '');
    if (!tag) throw notFound();
    return ok(tagJson(ctx, tag));
  },
};

