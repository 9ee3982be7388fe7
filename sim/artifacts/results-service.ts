// A simulated GitHub Actions results service: the artifact v4 protocol that @actions/artifact speaks
// (Twirp over JSON, github.actions.results.api.v1.ArtifactService), with Azurite as its blob store.
// The protocol as the client sends it (node_modules/@actions/artifact/lib/internal):
// - ACTIONS_RESULTS_URL is the base URL; each call is POST /twirp/<service>/<method> with a JSON body
//   in proto field names (useProtoFieldName), `Authorization: Bearer $ACTIONS_RUNTIME_TOKEN`;
// - the backend ids are read from that token, a JWT whose `scp` claim holds
//   `Actions.Results:<workflowRunBackendId>:<workflowJobRunBackendId>` (shared/util.js);
// - CreateArtifact answers a signed blob URL; the client uploads the zip there with
//   @azure/storage-blob (block blob: Put Block… + Put Block List), then FinalizeArtifact sends
//   the size and `sha256:<hex>` and gets the artifact id;
// - errors are Twirp JSON `{code, msg}` with the matching HTTP status.
// What the service checks, it checks as the real one must: the token and its scope, a name used
// once per workflow run, a finalize that matches the uploaded blob in size and hash.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobServiceClient, BlobSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { DEV_ACCOUNT, DEV_KEY, startAzurite, type Azurite } from './azurite.js';

const SERVICE = 'github.actions.results.api.v1.ArtifactService';
const CONTAINER = 'actions-results';

export interface StoredArtifact {
  readonly id: number;
  readonly name: string;
  readonly workflowRunBackendId: string;
  readonly workflowJobRunBackendId: string;
  readonly blobName: string;
  readonly mimeType?: string;
  readonly expiresAt?: string;
  finalized: boolean;
  size?: number;
  hash?: string;
}

export interface CallRecord {
  readonly method: string;
  readonly status: number;
  readonly body: unknown;
}

export class SimArtifacts {
  readonly artifacts: StoredArtifact[] = [];
  readonly calls: CallRecord[] = [];
  readonly workflowRunBackendId = randomUUID();
  readonly workflowJobRunBackendId = randomUUID();
  readonly #secret = randomUUID();
  readonly #server;
  readonly #azurite: Azurite;
  readonly #blobs: BlobServiceClient;
  readonly #credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);

  private constructor(azurite: Azurite) {
    this.#azurite = azurite;
    this.#blobs = new BlobServiceClient(azurite.blobUrl, this.#credential);
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** Starts Azurite, then the service on 127.0.0.1. */
  static async start(): Promise<SimArtifacts> {
    const azurite = await startAzurite();
    const sim = new SimArtifacts(azurite);
    try {
      await sim.#blobs.getContainerClient(CONTAINER).createIfNotExists();
      await new Promise<void>((resolve) => sim.#server.listen(0, '127.0.0.1', resolve));
    } catch (error) {
      await azurite.stop();
      throw error;
    }
    return sim;
  }

  /** ACTIONS_RESULTS_URL. */
  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`;
  }

  /** ACTIONS_RUNTIME_TOKEN: a signed JWT scoped to this run and job, as the runner hands a job. */
  token(scope = `Actions.Results:${this.workflowRunBackendId}:${this.workflowJobRunBackendId}`): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${part({ typ: 'JWT', alg: 'HS256' })}.${part({ scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 ${scope}`, iat: now, exp: now + 3600 })}`;
    return `${unsigned}.${createHmac('sha256', this.#secret).update(unsigned).digest('base64url')}`;
  }

  /** The uploaded bytes of a finalized artifact, from Azurite. */
  async content(name: string): Promise<Buffer> {
    const artifact = this.artifacts.find((a) => a.name === name && a.finalized);
    if (!artifact) throw new Error(`no finalized artifact ${name}`);
    return this.#blobs.getContainerClient(CONTAINER).getBlobClient(artifact.blobName).downloadToBuffer();
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await this.#azurite.stop();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = new URL(req.url ?? '/', 'http://x').pathname.replace(`/twirp/${SERVICE}/`, '');
    let body: Record<string, unknown> = {};
    const reply = (status: number, answer: object) => {
      this.calls.push({ method, status, body });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    };
    const fail = (status: number, code: string, msg: string) => reply(status, { code, msg });
    try {
      if (req.method !== 'POST' || !req.url?.startsWith(`/twirp/${SERVICE}/`)) return fail(404, 'bad_route', `no handler for ${req.method} ${req.url}`);
      if (!String(req.headers['content-type']).startsWith('application/json')) return fail(415, 'malformed', 'only application/json');
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const scope = this.#scope(req.headers.authorization);
      if (!scope) return fail(401, 'unauthenticated', 'invalid or missing ACTIONS_RUNTIME_TOKEN');
      if (body.workflow_run_backend_id !== scope.run || body.workflow_job_run_backend_id !== scope.job) return fail(403, 'permission_denied', 'backend ids do not match the token scope');
      switch (method) {
        case 'CreateArtifact':
          return reply(...this.#create(body));
        case 'FinalizeArtifact':
          return reply(...(await this.#finalize(body)));
        case 'ListArtifacts':
          return reply(200, { artifacts: this.artifacts.filter((a) => a.finalized && a.workflowRunBackendId === scope.run && (!body.name_filter || a.name === body.name_filter)).map((a) => ({ workflow_run_backend_id: a.workflowRunBackendId, workflow_job_run_backend_id: a.workflowJobRunBackendId, database_id: String(a.id), name: a.name, size: String(a.size) })) });
        default:
          return fail(404, 'bad_route', `no method ${method}`);
      }
    } catch (error) {
      return fail(500, 'internal', error instanceof Error ? error.message : String(error));
    }
  }

  /** The run and job the bearer token may act for, if it is ours and carries the Actions.Results scope. */
  #scope(authorization: string | undefined): { run: string; job: string } | undefined {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const [header, payload, signature] = token?.split('.') ?? [];
    if (!header || !payload || !signature) return undefined;
    if (createHmac('sha256', this.#secret).update(`${header}.${payload}`).digest('base64url') !== signature) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: string; exp?: number };
    if (!claims.exp || claims.exp * 1000 < Date.now()) return undefined;
    const results = claims.scp?.split(' ').map((s) => s.split(':')).find((parts) => parts[0] === 'Actions.Results' && parts.length === 3);
    return results ? { run: results[1]!, job: results[2]! } : undefined;
  }

  #create(body: Record<string, unknown>): [number, object] {
    const name = String(body.name ?? '');
    if (!name) return [400, { code: 'invalid_argument', msg: 'name is required' }];
    if (body.version === undefined) return [400, { code: 'invalid_argument', msg: 'version is required' }];
    const run = String(body.workflow_run_backend_id);
    // One name per workflow run: a second upload of the same name (a re-run's) is refused.
    if (this.artifacts.some((a) => a.workflowRunBackendId === run && a.name === name)) return [409, { code: 'already_exists', msg: `an artifact with this name already exists on the workflow run: ${name}` }];
    const artifact: StoredArtifact = {
      id: this.artifacts.length + 1, name, workflowRunBackendId: run, workflowJobRunBackendId: String(body.workflow_job_run_backend_id),
      blobName: `${run}/${randomUUID()}/${name}`, mimeType: body.mime_type as string | undefined, expiresAt: body.expires_at as string | undefined, finalized: false,
    };
    this.artifacts.push(artifact);
    const sas = generateBlobSASQueryParameters({
      containerName: CONTAINER, blobName: artifact.blobName, permissions: BlobSASPermissions.parse('cw'), expiresOn: new Date(Date.now() + 3600_000),
    }, this.#credential).toString();
    const blobUrl = this.#blobs.getContainerClient(CONTAINER).getBlobClient(artifact.blobName).url;
    return [200, { ok: true, signed_upload_url: `${blobUrl}?${sas}` }];
  }

  async #finalize(body: Record<string, unknown>): Promise<[number, object]> {
    const artifact = this.artifacts.find((a) => a.workflowRunBackendId === body.workflow_run_backend_id && a.name === body.name && !a.finalized);
    if (!artifact) return [404, { code: 'not_found', msg: `no artifact ${String(body.name)} waiting to be finalized` }];
    const blob = this.#blobs.getContainerClient(CONTAINER).getBlobClient(artifact.blobName);
    if (!(await blob.exists())) return [400, { code: 'failed_precondition', msg: 'nothing was uploaded' }];
    const bytes = await blob.downloadToBuffer();
    if (String(bytes.length) !== String(body.size)) return [400, { code: 'invalid_argument', msg: `size ${String(body.size)} but ${bytes.length} bytes were uploaded` }];
    const hash = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (body.hash !== undefined && body.hash !== hash) return [400, { code: 'invalid_argument', msg: `hash ${String(body.hash)} but the upload is ${hash}` }];
    Object.assign(artifact, { finalized: true, size: bytes.length, hash });
    return [200, { ok: true, artifact_id: String(artifact.id) }];
  }
}
