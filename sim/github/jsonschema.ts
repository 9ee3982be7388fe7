/**
 * OpenAPI 3.0 schema → JSON Schema for Ajv. Returns a copy: the parsed spec is shared by every
 * server in the process and must never be written to.
 */
import type { JsonSchema } from './spec.js';

/** Keywords whose value is one sub-schema, a list of them, or a name → sub-schema map. */
const ONE = ['items', 'not', 'additionalProperties'];
const MANY = ['oneOf', 'anyOf', 'allOf'];
const MAP = ['properties', 'patternProperties'];
/** OpenAPI-only annotations Ajv would otherwise warn about or misread. */
const DROP = new Set(['nullable', 'example', 'examples', 'discriminator', 'externalDocs', 'xml']);

export interface ConvertOptions {
  /** Response schemas get the documented-but-missing values GitHub really sends (see below). */
  readonly response?: boolean;
}

/**
 * GitHub documents and sends `conclusion: "stale"` on check runs (set by GitHub only, after 14
 * days without completion), but the OpenAPI enum omits it. A sim that validates its own
 * responses would otherwise be unable to return a stale run. Recognised by its sibling values.
 */
function withKnownGaps(values: unknown[]): unknown[] {
  const isCheckConclusion = values.includes('action_required') && values.includes('timed_out');
  return isCheckConclusion && !values.includes('stale') ? [...values, 'stale'] : values;
}

/*
 * A second gap: deployment statuses document `target_url`/`log_url`/`environment_url` as
 * `format: uri` with `default: ""`, and GitHub returns that "" when unset. A response schema must
 * accept its own default, so `""` is allowed wherever it is the documented default of a format.
 */

function convertMap(value: unknown, options: ConvertOptions): unknown {
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, fromOpenApi(sub as JsonSchema, options)]));
}

export function fromOpenApi(schema: JsonSchema, options: ConvertOptions = {}): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROP.has(key) || key.startsWith('x-')) continue;
    if (ONE.includes(key) && value && typeof value === 'object') out[key] = fromOpenApi(value as JsonSchema, options);
    else if (MANY.includes(key) && Array.isArray(value)) out[key] = value.map((sub) => fromOpenApi(sub as JsonSchema, options));
    else if (MAP.includes(key)) out[key] = convertMap(value, options);
    else if (key === 'enum' && Array.isArray(value) && options.response) out[key] = withKnownGaps(value);
    else out[key] = value;
  }
  const typed = schema.nullable === true ? withNull(out) : out;
  return options.response && out.format !== undefined && out.default === '' ? { anyOf: [typed, { const: '' }] } : typed;
}

/**
 * OpenAPI 3.0 `nullable` has no JSON Schema equivalent; Ajv's own support needs a sibling `type`,
 * which GitHub's oneOf/allOf schemas lack, so spell the null out instead.
 */
function withNull(out: JsonSchema): JsonSchema {
  const enumWithNull = Array.isArray(out.enum) && !out.enum.includes(null) ? { enum: [...out.enum, null] } : {};
  if (typeof out.type === 'string') return { ...out, ...enumWithNull, type: [out.type, 'null'] };
  return { anyOf: [{ ...out, ...enumWithNull }, { type: 'null' }] };
}
