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

export function conflict(def: ResourceDef, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(def)} "${name}": ${why}`, details(def, name));
}

/**
 * A DeleteOptions precondition that does not hold (storage.Preconditions.Check → StorageError
 * ErrCodeInvalidObj → NewConflict, k8s.io/apiserver/pkg/storage).
 */
export function preconditionFailed(def: ResourceDef, namespace: string | undefined, name: string, what: 'UID' | 'ResourceVersion', wanted: string, actual: string): ApiError {
  const key = `/registry/${def.group && def.crd ? `${def.group}/` : ''}${def.plural}/${namespace ? `${namespace}/` : ''}${name}`;
  return conflict(def, name, `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: ` +
    `Precondition failed: ${what} in precondition: ${wanted}, ${what} in object meta: ${actual}`);
}

/**
 * A body the decoder refuses on create/update (`<Kind> in version "<v>" cannot be handled as a <Kind>: …`,
 * e.g. a MicroTime with three fraction digits or, with fieldValidation=Strict, an unknown field).
 */
export function cannotDecode(def: ResourceDef, problem: string): ApiError {
  return badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${problem}`);
}

/**
 * A patched object the decoder refuses (jsonPatcher.applyPatchToCurrentObject, handlers/patch.go):
 * `errors.NewInvalid(schema.GroupKind{}, "", field.Invalid(field.NewPath("patch"), <patched JSON>, <error>))`.
 */
export function patchNotDecodable(patched: unknown, problem: string): ApiError {
  const body = `Invalid value: ${JSON.stringify(JSON.stringify(patched))}: ${problem}`;
  return new ApiError(422, 'Invalid', ` "" is invalid: patch: ${body}`, { causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }] });
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

/**
 * JSON Patch that decodes but cannot be applied (missing path, failed `test`): handlers/patch.go
 * answers `NewGenericServerResponse(422, "", GroupResource{}, "", err.Error(), 0, false)`, which
 * drops json-patch's own text and says only this (apimachinery errors.go). `why` is kept for
 * debugging in the simulator's Error, never sent.
 */
export function unprocessable(why: string): ApiError {
  const err = new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  err.cause = why;
  return err;
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
    409: 'Conflict', 429: 'TooManyRequests', 500: 'InternalError', 502: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
  };
  return new ApiError(code, reasons[code] ?? 'InternalError', message ?? `injected fault (HTTP ${code})`);
}
