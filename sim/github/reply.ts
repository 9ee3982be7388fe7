/** What a handler returns, and the errors it throws, in GitHub's error-body shapes. */

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Thrown by handlers; the dispatcher adds `documentation_url` and `status` like GitHub does. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(String(body.message));
  }
}

export interface FieldError {
  readonly resource: string;
  readonly field: string;
  readonly code: string;
  readonly message?: string;
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({ status: 200, body, ...(headers && { headers }) });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

export const notFound = (): HttpError => new HttpError(404, { message: 'Not Found' });

/** GitHub's answer to a well-formed request about something that cannot be (unknown SHA, duplicate ref…). */
export const unprocessable = (message: string, errors?: FieldError[]): HttpError =>
  new HttpError(422, { message, ...(errors && { errors }) });

export const validationFailed = (errors: FieldError[]): HttpError => unprocessable('Validation Failed', errors);

export const noCommit = (ref: string): HttpError => unprocessable(`No commit found for SHA: ${ref}`);
