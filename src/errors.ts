// Any error the stages let through, as one line a user can act on — never the request behind it
// (headers carry the token).
import { isKubeError, kubeErrorMessage } from './kube/errors.js';

/** Octokit errors carry the HTTP status and the API's message; client-node errors the Status message. */
export function errorMessage(error: unknown): string {
  if (isKubeError(error)) return kubeErrorMessage(error);
  if (error && typeof error === 'object' && 'status' in error && 'message' in error) {
    const { status, message } = error as { status: number; message: string };
    const request = (error as { request?: { method?: string; url?: string } }).request;
    const where = request?.method && request.url ? ` (${request.method} ${new URL(request.url).pathname})` : '';
    return `GitHub answered ${status}${where}: ${String(message).split('\n')[0]}`;
  }
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
