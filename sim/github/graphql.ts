/**
 * `POST /graphql`: every document is parsed and validated against GitHub's published schema, then
 * executed by graphql-js over resolvers backed by the sim state. Fields without a resolver
 * resolve to null (or to a non-null error), never to invented data.
 */
import { defaultFieldResolver, execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { graphqlNodes, TypedGraphqlError } from './graphql-nodes.js';
import type { Links } from './links.js';
import type { Reply } from './reply.js';
import type { SimState } from './state.js';

interface GraphqlPayload {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

function formatError(error: GraphQLError): Record<string, unknown> {
  const type = error.originalError instanceof TypedGraphqlError ? error.originalError.type : undefined;
  return {
    ...(type && { type }),
    ...(error.path && { path: error.path }),
    ...(error.locations && { locations: error.locations }),
    message: error.message,
  };
}

export function isMutation(document: DocumentNode, operationName?: string): boolean {
  return document.definitions.some(
    (d) => d.kind === 'OperationDefinition' && d.operation === 'mutation' && (operationName === undefined || d.name?.value === operationName),
  );
}

/** True when the raw request body holds a mutation (for the request log's writes()). */
export function bodyIsMutation(payload: unknown): boolean {
  const { query, operationName } = (payload ?? {}) as GraphqlPayload;
  if (typeof query !== 'string') return false;
  try {
    return isMutation(parse(query), typeof operationName === 'string' ? operationName : undefined);
  } catch {
    return false;
  }
}

/** The sim implements no mutations: say so instead of returning a silent null. */
function fieldResolver(schema: GraphQLSchema): GraphQLFieldResolver<unknown, unknown> {
  const mutationType = schema.getMutationType();
  return (source, args, context, info) => {
    if (info.parentType === mutationType) throw new Error(`sim/github does not implement the GraphQL mutation ${info.fieldName}`);
    return defaultFieldResolver(source, args, context, info);
  };
}

export async function graphqlReply(schema: GraphQLSchema, state: SimState, links: Links, payload: unknown): Promise<Reply> {
  const { query, variables, operationName } = (payload ?? {}) as GraphqlPayload;
  if (typeof query !== 'string') {
    return { status: 400, body: { message: 'A query attribute must be specified and must be a string.' } };
  }
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { status: 200, body: { errors: [formatError(error as GraphQLError)] } };
  }
  const invalid = validate(schema, document);
  // GitHub answers invalid documents with HTTP 200 and only `errors`.
  if (invalid.length > 0) return { status: 200, body: { errors: invalid.map(formatError) } };
  const result = await execute({
    schema,
    document,
    rootValue: graphqlNodes(state, links).root,
    variableValues: (variables ?? {}) as Record<string, unknown>,
    ...(typeof operationName === 'string' && { operationName }),
    fieldResolver: fieldResolver(schema),
  });
  return { status: 200, body: { data: result.data ?? null, ...(result.errors && { errors: result.errors.map(formatError) }) } };
}
