/**
 * GitHub's two API descriptions, loaded once per process.
 *
 * This file holds the sim's only module-level state, on purpose: the dereferenced OpenAPI file is
 * 73 MB (≈0.8 s and ≈200 MB of heap to parse) and the GraphQL SDL takes ≈0.4 s to build. Both are
 * immutable once loaded, no server ever writes to them, and one test file starts many servers, so
 * re-reading them per server would cost seconds and hundreds of MB. Everything mutable (state,
 * compiled validators, faults, logs) belongs to a server instance.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLSchema } from 'graphql';

export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly description?: string;
  readonly schema?: JsonSchema;
}

/** The parts of one OpenAPI operation the sim uses; examples and prose are dropped to save heap. */
export interface Operation {
  readonly method: string;
  readonly template: string;
  readonly operationId: string;
  readonly docsUrl: string;
  readonly parameters: readonly Parameter[];
  readonly requestBody?: { readonly required: boolean; readonly schema?: JsonSchema };
  /** status code → JSON schema of the body (undefined when the status has no JSON body). */
  readonly responses: ReadonlyMap<string, JsonSchema | undefined>;
}

interface RawOperation {
  operationId: string;
  externalDocs?: { url?: string };
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Walks up from this file to the package, so the sim works from any cwd (Jest, tsx, demo). */
function packageFile(pkg: string, file: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', pkg, file);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`sim/github: cannot find ${pkg}/${file} in any node_modules above ${dir}`);
    dir = parent;
  }
}

function jsonSchemaOf(content: Record<string, { schema?: JsonSchema }> | undefined): JsonSchema | undefined {
  return content?.['application/json']?.schema ?? content?.['application/scim+json']?.schema;
}

function slim(method: string, template: string, raw: RawOperation): Operation {
  const responses = new Map<string, JsonSchema | undefined>();
  for (const [status, response] of Object.entries(raw.responses ?? {})) responses.set(status, jsonSchemaOf(response.content));
  return {
    method: method.toUpperCase(),
    template,
    operationId: raw.operationId,
    docsUrl: raw.externalDocs?.url ?? 'https://docs.github.com/rest',
    parameters: raw.parameters ?? [],
    requestBody: raw.requestBody && {
      required: raw.requestBody.required === true,
      schema: jsonSchemaOf(raw.requestBody.content),
    },
    responses,
  };
}

function loadOperations(): readonly Operation[] {
  const file = packageFile('@octokit/openapi', 'generated/api.github.com.deref.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, RawOperation>> };
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      if (HTTP_METHODS.has(method)) operations.push(slim(method, template, raw));
    }
  }
  return operations;
}

function loadGraphqlSchema(): GraphQLSchema {
  const sdl = readFileSync(packageFile('@octokit/graphql-schema', 'schema.graphql'), 'utf8');
  // The published SDL defines EnterpriseOwnerInfo.repositoryDeployKeySetting twice, which
  // graphql-js rejects in SDL validation; the duplicates are identical, so skip that check.
  return buildSchema(sdl, { assumeValidSDL: true });
}

export interface Loaded<T> {
  readonly value: T;
  /** Milliseconds this call spent loading: the full parse the first time, 0 once memoised. */
  readonly loadMs: number;
}

function once<T>(load: () => T): () => Loaded<T> {
  let value: T | undefined;
  return () => {
    if (value !== undefined) return { value, loadMs: 0 };
    const started = performance.now();
    const loaded = load();
    value = loaded;
    return { value: loaded, loadMs: Math.round(performance.now() - started) };
  };
}

export const restOperations = once(loadOperations);
export const graphqlSchema = once(loadGraphqlSchema);
