/** API errors as the real server words them: a `Status` body whose reason and code clients switch on. */
import { qualifiedName, type ResourceDef } from './resources.js';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function details(def: ResourceDef, name: string): Record<string, unknown> {
  return { name, ...(def.group ? { group: def.group } : {}), kind: def.plural };
}

export function notFound(def: ResourceDef, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedName(def)} "${name}" not found`, details(def, name));
}

export function alreadyExists(def: ResourceDef, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedName(def)} "${name}" already exists`, details(def, name));
}

export function conflict(def: ResourceDef, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(def)} "${name}": the object has been modified; ` +
      'please apply your changes to the latest version and try again',
    details(def, name),
  );
}

export function invalid(def: ResourceDef, name: string, causes: StatusCause[]): ApiError {
  const kind = def.group ? `${def.kind}.${def.group}` : def.kind;
  const text = causes.map((c) => c.message).join(', ');
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${text}`, {
    ...details(def, name),
    kind: def.kind,
    causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** JSON Patch that decodes but cannot be applied (missing path, failed `test`) is 422, not 400. */
export function unprocessable(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

export function unsupportedMediaType(accepted: readonly string[]): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function injected(code: number, message?: string): ApiError {
  const reasons: Record<number, string> = {
    409: 'Conflict', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
  };
  return new ApiError(code, reasons[code] ?? 'InternalError', message ?? `injected fault (HTTP ${code})`);
}
