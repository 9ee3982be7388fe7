// Kubernetes API errors, read without importing @kubernetes/client-node (which is loaded lazily:
// it is most of the action's start-up time).

/** The HTTP status of a client-node ApiException (a number `code`, with `body` and `headers`). */
export function statusCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'number' ? (error as { code: number }).code : undefined;
}

/**
 * Worth sending again: the API server was unavailable, overloaded or throttling (5xx, 429), or
 * the connection failed before an answer (no status at all). Not a 4xx verdict on the request.
 */
export function isTransient(error: unknown): boolean {
  const code = statusCode(error);
  if (code === undefined) return !(error instanceof TypeError) || /fetch failed|network|socket|ECONN|ETIMEDOUT|EPIPE/i.test(String((error as Error).message));
  return code === 429 || code >= 500;
}

export function isKubeError(error: unknown): boolean {
  return statusCode(error) !== undefined && typeof error === 'object' && error !== null && 'body' in error && 'headers' in error;
}

/**
 * A Kubernetes error as one line: the Status message the API server sent (never the request), and
 * for 401 and 403 what to do about it.
 */
export function kubeErrorMessage(error: unknown): string {
  if (isKubeError(error)) {
    const raw = (error as { body: unknown }).body;
    const body = typeof raw === 'string' ? safeJson(raw) : raw;
    const message = body && typeof body === 'object' && 'message' in body ? String((body as { message: unknown }).message) : '';
    const code = statusCode(error)!;
    const hint = code === 401 ? UNAUTHORIZED : code === 403 ? forbiddenHint(message) : '';
    return `Kubernetes API answered ${code}${message ? `: ${message}` : ''}${hint ? ` — ${hint}` : ''}`;
  }
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

const UNAUTHORIZED = 'the cluster refused the credential (missing, expired, or for another cluster): ' +
  'get a fresh one in the job before this step (aws eks update-kubeconfig, google-github-actions/get-gke-credentials, azure/aks-set-context) ' +
  'or pass a current kubeconfig; README, "Clusters"';

/**
 * The API server's wording of an RBAC denial (k8s.io/apiserver pkg/endpoints/handlers/responsewriters
 * errors.go, forbiddenMessage): `User "…" cannot <verb> resource "<resource>[/<subresource>]" in API
 * group "<group>" in the namespace "<ns>"` (or `at the cluster scope`).
 */
export function forbiddenPermission(message: string): { verb: string; resource: string; group: string; namespace?: string } | undefined {
  const match = /cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/.exec(message);
  return match ? { verb: match[1]!, resource: match[2]!, group: match[3]!, namespace: match[4] } : undefined;
}

function forbiddenHint(message: string): string {
  const denied = forbiddenPermission(message);
  const fix = 'grant it with the Role in deploy/rbac.yaml (README, "RBAC")';
  if (!denied) return `the credential is valid but lacks a permission: ${fix}`;
  const group = denied.group ? denied.group : 'core';
  return `the service account may not ${denied.verb} ${denied.resource} (API group ${group})${denied.namespace ? ` in namespace ${denied.namespace}` : ''}: ${fix}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
