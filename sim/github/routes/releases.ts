/** Releases. A second release for one tag is 422 `already_exists`; drafts are invisible by tag. */
import { body, intParam, type Ctx, type HandlerTable } from '../context.js';
import type { Release } from '../model.js';
import { paginate } from '../paginate.js';
import { noContent, notFound, ok, validationFailed } from '../reply.js';
import { iso, isoOrNull, nodeId, simpleUser } from '../shapes.js';

interface ReleaseInput {
  tag_name?: string;
  target_commitish?: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
}

function releaseJson(ctx: Ctx, release: Release) {
  const api = ctx.links.repoApi(`/releases/${release.id}`);
  const tag = encodeURIComponent(release.tagName);
  return {
    url: api,
    html_url: ctx.links.repoWeb(`/releases/${release.draft ? `untagged-${release.id}` : `tag/${tag}`}`),
    assets_url: `${api}/assets`,
    upload_url: `${api}/assets{?name,label}`,
    tarball_url: release.draft ? null : ctx.links.repoApi(`/tarball/${tag}`),
    zipball_url: release.draft ? null : ctx.links.repoApi(`/zipball/${tag}`),
    id: release.id,
    node_id: nodeId('RE_', release.id),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: false,
    created_at: iso(release.createdAt),
    published_at: isoOrNull(release.publishedAt),
    updated_at: iso(release.publishedAt ?? release.createdAt),
    author: simpleUser(ctx.state, ctx.links, release.author),
    assets: [],
  };
}

function published(ctx: Ctx, tagName: string, except?: Release): Release | undefined {
  return ctx.state.releases.find((r) => r !== except && !r.draft && r.tagName === tagName);
}

/** Publishing a release for a tag that does not exist creates the tag at target_commitish, like GitHub. */
function ensureTag(ctx: Ctx, tagName: string, target: string): void {
  if (ctx.state.refs.has(`refs/tags/${tagName}`)) return;
  const sha = ctx.state.resolve(target);
  if (sha === undefined) throw validationFailed([{ resource: 'Release', code: 'invalid', field: 'target_commitish' }]);
  ctx.state.setRef(`refs/tags/${tagName}`, sha);
}

function createRelease(ctx: Ctx) {
  const input = body<ReleaseInput & { tag_name: string }>(ctx);
  if (!input.draft && published(ctx, input.tag_name)) {
    throw validationFailed([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
  }
  const target = input.target_commitish ?? ctx.state.defaultBranch;
  if (!input.draft) ensureTag(ctx, input.tag_name, target);
  const release = ctx.state.addRelease({
    tagName: input.tag_name,
    targetCommitish: target,
    name: input.name ?? null,
    body: input.body ?? null,
    draft: input.draft ?? false,
    prerelease: input.prerelease ?? false,
  });
  const json = releaseJson(ctx, release);
  return { status: 201, body: json, headers: { location: json.url } };
}

function releaseOr404(ctx: Ctx): Release {
  const release = ctx.state.releases.find((r) => r.id === intParam(ctx, 'release_id'));
  if (!release) throw notFound();
  return release;
}

function updateRelease(ctx: Ctx) {
  const release = releaseOr404(ctx);
  const input = body<ReleaseInput>(ctx);
  const tagName = input.tag_name ?? release.tagName;
  const draft = input.draft ?? release.draft;
  if (!draft && published(ctx, tagName, release)) throw validationFailed([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
  if (!draft) ensureTag(ctx, tagName, input.target_commitish ?? release.targetCommitish);
  Object.assign(release, {
    tagName,
    draft,
    ...(input.target_commitish !== undefined && { targetCommitish: input.target_commitish }),
    ...(input.name !== undefined && { name: input.name }),
    ...(input.body !== undefined && { body: input.body }),
    ...(input.prerelease !== undefined && { prerelease: input.prerelease }),
  });
  if (!draft && release.publishedAt === null) release.publishedAt = ctx.state.now();
  return ok(releaseJson(ctx, release));
}

const newestFirst = (a: Release, b: Release) => b.createdAt - a.createdAt || b.id - a.id;

export const releaseHandlers: HandlerTable = {
  'repos/create-release': createRelease,
  'repos/update-release': updateRelease,
  'repos/get-release': (ctx) => ok(releaseJson(ctx, releaseOr404(ctx))),
  'repos/get-release-by-tag': (ctx) => {
    const release = published(ctx, ctx.params.tag ?? '');
    if (!release) throw notFound();
    return ok(releaseJson(ctx, release));
  },
  'repos/get-latest-release': (ctx) => {
    const latest = ctx.state.releases.filter((r) => !r.draft && !r.prerelease).sort(newestFirst)[0];
    if (!latest) throw notFound();
    return ok(releaseJson(ctx, latest));
  },
  'repos/list-releases': (ctx) => {
    const page = paginate(ctx, [...ctx.state.releases].sort(newestFirst));
    return ok(page.items.map((r) => releaseJson(ctx, r)), page.headers);
  },
  'repos/delete-release': (ctx) => {
    const release = releaseOr404(ctx);
    ctx.state.releases.splice(ctx.state.releases.indexOf(release), 1);
    return noContent();
  },
};
