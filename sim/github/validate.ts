/**
 * Request and response checking against the operation's schemas. One instance per server: Ajv
 * compiles lazily (40–250 ms for the big response schemas) and caches per operation.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { fromOpenApi } from './jsonschema.js';
import type { JsonSchema, Operation, Parameter } from './spec.js';

export interface Problem {
  readonly field: string;
  readonly code: 'missing_field' | 'invalid';
  readonly message: string;
}

/** ajv-formats is CommonJS; under NodeNext its default import is the module object. */
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (
  ajv: Ajv,
) => void;

/** Formats GitHub uses that are annotations, not checks (`int64` is just a big integer). */
const ANNOTATION_FORMATS = ['int64', 'int32', 'double', 'timestamp', 'repo.nwo', 'binary', 'uri-template'];

function newAjv(useDefaults: boolean): Ajv {
  // verbose: errors carry the offending value, which GitHub's messages quote.
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults, verbose: true });
  addFormats(ajv);
  for (const format of ANNOTATION_FORMATS) ajv.addFormat(format, true);
  return ajv;
}

/**
 * per_page's limit lives in prose ("The number of results per page (max 100)") on all but one
 * operation; lift it into the schema so per_page=101 is caught like the one that has `maximum`.
 */
function paramSchema(parameter: Parameter): JsonSchema {
  const schema = fromOpenApi(parameter.schema ?? {});
  const max = /\(max (\d+)\)/.exec(parameter.description ?? '')?.[1];
  return max !== undefined && schema.maximum === undefined ? { ...schema, maximum: Number(max) } : schema;
}

function queryParams(operation: Operation): Parameter[] {
  return operation.parameters.filter((p) => p.in === 'query');
}

function coerce(schema: JsonSchema, values: string[]): unknown {
  const last = values[values.length - 1] ?? '';
  switch (schema.type) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(last) ? Number(last) : last;
    case 'boolean':
      return last === 'true' ? true : last === 'false' ? false : last;
    case 'array':
      return values.flatMap((v) => v.split(','));
    default:
      return last;
  }
}

const ARTICLE: Record<string, string> = { integer: 'an integer', object: 'an object', array: 'an array' };

function describe(error: ErrorObject): Problem {
  const field = error.instancePath.slice(1).replaceAll('/', '.');
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    return { field: field ? `${field}.${missing}` : missing, code: 'missing_field', message: `"${missing}" wasn't supplied.` };
  }
  const where = `For 'properties${error.instancePath}'`;
  // GitHub (Ruby) calls a missing or null value nil.
  const data = error.data === null || error.data === undefined ? 'nil' : JSON.stringify(error.data);
  const type = String(error.params.type ?? '');
  const detail =
    error.keyword === 'type'
      ? `${data} is not ${ARTICLE[type] ?? `a ${type}`}.`
      : error.keyword === 'enum'
        ? `${data} is not a member of ${JSON.stringify(error.params.allowedValues)}.`
        : error.keyword === 'maximum'
          ? `${data} is greater than the maximum of ${String(error.params.limit)}.`
          : `${data} ${error.message ?? 'is invalid'}.`;
  return { field, code: 'invalid', message: `${where}, ${detail}` };
}

function problems(validate: ValidateFunction, data: unknown): Problem[] {
  return validate(data) ? [] : (validate.errors ?? []).map(describe);
}

export class Validators {
  readonly #requests = newAjv(true);
  readonly #responses = newAjv(false);
  readonly #compiled = new Map<string, ValidateFunction>();

  #compile(key: string, ajv: Ajv, schema: () => JsonSchema): ValidateFunction {
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = ajv.compile(schema());
      this.#compiled.set(key, validate);
    }
    return validate;
  }

  /** Parses the query by each parameter's type, fills spec defaults (per_page 30, filter latest…). */
  query(operation: Operation, search: URLSearchParams): { value: Record<string, unknown>; problems: Problem[] } {
    const params = queryParams(operation);
    const value: Record<string, unknown> = {};
    for (const p of params) {
      const raw = [...search.getAll(p.name), ...search.getAll(`${p.name}[]`)];
      if (raw.length > 0) value[p.name] = coerce(p.schema ?? {}, raw);
    }
    const validate = this.#compile(`query ${operation.operationId}`, this.#requests, () => ({
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [p.name, paramSchema(p)])),
      required: params.filter((p) => p.required).map((p) => p.name),
    }));
    return { value, problems: problems(validate, value) };
  }

  /** Checks the JSON body; like Ajv's useDefaults, fills documented defaults into `body`. */
  body(operation: Operation, body: unknown): Problem[] {
    const spec = operation.requestBody;
    if (!spec?.schema || (body === undefined && !spec.required)) return [];
    const schema = spec.schema;
    const validate = this.#compile(`body ${operation.operationId}`, this.#requests, () => fromOpenApi(schema));
    return problems(validate, body ?? null);
  }

  /** Problems of a response body, or [] when the status has no documented JSON schema. */
  response(operation: Operation, status: number, body: unknown): Problem[] {
    const schema = operation.responses.get(String(status));
    if (!schema) return [];
    const validate = this.#compile(`response ${operation.operationId} ${status}`, this.#responses, () =>
      fromOpenApi(schema, { response: true }),
    );
    return problems(validate, body);
  }
}
