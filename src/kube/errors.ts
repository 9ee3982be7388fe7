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

/** A Kubernetes error as one line: the Status message the API server sent, never the request. */
export function kubeErrorMessage(error: unknown): string {
  if (isKubeError(error)) {
    const raw = (error as { body: unknown }).body;
    const body = typeof raw === 'string' ? safeJson(raw) : raw;
    const message = body && typeof body === 'object' && 'message' in body ? String((body as { message: unknown }).message) : '';
    return `Kubernetes API answered ${statusCode(error)}${message ? `: ${message}` : ''}`;
  }
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
