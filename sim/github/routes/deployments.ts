/**
 * Deployments and their statuses. Creating one keeps GitHub's two surprises: `auto_merge`
 * (default true) answers 202 when the default branch is not merged into `ref`, and omitted
 * `required_contexts` means every commit status and check must be green, else 409.
 */
import { body, intParam, type Ctx, type HandlerTable } from '../context.js';
import type { Deployment, DeploymentState, DeploymentStatus, Sha } from '../model.js';
import { paginate } from '../paginate.js';
import { HttpError, created, notFound, ok, unprocessable } from '../reply.js';
import { iso, nodeId, simpleUser } from '../shapes.js';

interface DeploymentInput {
  ref: string;
  task?: string;
  auto_merge?: boolean;
  required_contexts?: string[];
  payload?: Record<string, unknown> | string;
  environment?: string;
  description?: string | null;
  transient_environment?: boolean;
  production_environment?: boolean;
}

function deploymentJson(ctx: Ctx, d: Deployment) {
  const api = ctx.links.repoApi(`/deployments/${d.id}`);
  return {
    url: api,
    id: d.id,
    node_id: nodeId('DE_', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: simpleUser(ctx.state, ctx.links, d.creator),
    created_at: iso(d.createdAt),
    updated_at: iso(d.statuses[d.statuses.length - 1]?.createdAt ?? d.createdAt),
    statuses_url: `${api}/statuses`,
    repository_url: ctx.links.repoApi(),
    transient_environment: d.transient,
    production_environment: d.production,
    performed_via_github_app: null,
  };
}

function statusJson(ctx: Ctx, d: Deployment, s: DeploymentStatus) {
  return {
    url: ctx.links.repoApi(`/deployments/${d.id}/statuses/${s.id}`),
    id: s.id,
    node_id: nodeId('DES_', s.id),
    state: s.state,
    creator: simpleUser(ctx.state, ctx.links, s.creator),
    description: s.description,
    environment: s.environment,
    target_url: s.logUrl,
    log_url: s.logUrl,
    environment_url: s.environmentUrl,
    created_at: iso(s.createdAt),
    updated_at: iso(s.createdAt),
    deployment_url: ctx.links.repoApi(`/deployments/${d.id}`),
    repository_url: ctx.links.repoApi(),
    performed_via_github_app: null,
  };
}

/** Latest state of every status context and check name on `sha`. */
function contextStates(ctx: Ctx, sha: Sha): Map<string, string> {
  const states = new Map<string, string>();
  const statuses = ctx.state.statuses.filter((s) => s.sha === sha).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  for (const s of statuses) states.set(s.context, s.state);
  for (const run of ctx.state.checkRuns.filter((r) => r.headSha === sha).sort((a, b) => a.id - b.id)) {
    const view = ctx.state.progress(run);
    states.set(run.name, view.status === 'completed' ? (view.conclusion === 'success' || view.conclusion === 'neutral' || view.conclusion === 'skipped' ? 'success' : 'failure') : 'pending');
  }
  return states;
}

function checkContexts(ctx: Ctx, input: DeploymentInput, sha: Sha): void {
  const states = contextStates(ctx, sha);
  const required = input.required_contexts ?? [...states.keys()];
  const failing = required.filter((context) => states.get(context) !== 'success');
  if (failing.length === 0) return;
  throw new HttpError(409, {
    message: `Conflict: Commit status checks failed for ${input.ref}.`,
    errors: [{ contexts: failing.map((context) => ({ context, state: states.get(context) ?? 'missing' })), resource: 'Deployment', field: 'required_contexts' }],
  });
}

function createDeployment(ctx: Ctx) {
  const input = body<DeploymentInput>(ctx);
  const sha = ctx.state.resolve(input.ref);
  if (sha === undefined) throw unprocessable(`No ref found for: ${input.ref}`);
  const defaultHead = ctx.state.resolve(ctx.state.defaultBranch);
  const isOtherBranch = ctx.state.refs.has(`refs/heads/${input.ref}`) && input.ref !== ctx.state.defaultBranch;
  if (input.auto_merge !== false && isOtherBranch && defaultHead && !ctx.state.isAncestor(defaultHead, sha)) {
    return { status: 202, body: { message: `Auto-merged ${ctx.state.defaultBranch} into ${input.ref} on deployment.` } };
  }
  checkContexts(ctx, input, sha);
  const deployment = ctx.state.addDeployment({
    sha,
    ref: input.ref,
    ...(input.environment !== undefined && { environment: input.environment }),
    ...(input.task !== undefined && { task: input.task }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.payload !== undefined && { payload: input.payload }),
    ...(input.transient_environment !== undefined && { transient: input.transient_environment }),
    ...(input.production_environment !== undefined && { production: input.production_environment }),
  });
  return created(deploymentJson(ctx, deployment));
}

function deploymentOr404(ctx: Ctx): Deployment {
  const deployment = ctx.state.deployments.find((d) => d.id === intParam(ctx, 'deployment_id'));
  if (!deployment) throw notFound();
  return deployment;
}

/** The spec's filter defaults are the string "none", meaning "no filter". */
function filterValue(value: unknown): string | undefined {
  return value === undefined || value === 'none' ? undefined : String(value);
}

function listDeployments(ctx: Ctx) {
  const [sha, ref, task, environment] = ['sha', 'ref', 'task', 'environment'].map((k) => filterValue(ctx.query[k]));
  const found = ctx.state.deployments
    .filter((d) => (sha === undefined || d.sha === sha) && (ref === undefined || d.ref === ref))
    .filter((d) => (task === undefined || d.task === task) && (environment === undefined || d.environment === environment))
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  const page = paginate(ctx, found);
  return ok(page.items.map((d) => deploymentJson(ctx, d)), page.headers);
}

function createStatus(ctx: Ctx) {
  const deployment = deploymentOr404(ctx);
  const input = body<{ state: DeploymentState; target_url?: string; log_url?: string; description?: string; environment?: string; environment_url?: string; auto_inactive?: boolean }>(ctx);
  const status = ctx.state.addDeploymentStatus(deployment.id, {
    state: input.state,
    ...(input.description !== undefined && { description: input.description }),
    ...(input.environment !== undefined && { environment: input.environment }),
    ...(input.environment_url !== undefined && { environmentUrl: input.environment_url }),
    ...((input.log_url ?? input.target_url) !== undefined && { logUrl: input.log_url ?? input.target_url ?? '' }),
    ...(input.auto_inactive !== undefined && { autoInactive: input.auto_inactive }),
  })!;
  return created(statusJson(ctx, deployment, status));
}

export const deploymentHandlers: HandlerTable = {
  'repos/create-deployment': createDeployment,
  'repos/list-deployments': listDeployments,
  'repos/get-deployment': (ctx) => ok(deploymentJson(ctx, deploymentOr404(ctx))),
  'repos/create-deployment-status': createStatus,
  'repos/list-deployment-statuses': (ctx) => {
    const deployment = deploymentOr404(ctx);
    const page = paginate(ctx, [...deployment.statuses].reverse());
    return ok(page.items.map((s) => statusJson(ctx, deployment, s)), page.headers);
  },
};
