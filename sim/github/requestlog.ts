/** What the sim saw, in order: the record tests assert "nothing was written" against. */

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  status: number;
  /** Clock time the request arrived (ms). */
  readonly at: number;
  operationId?: string;
  /** True when an injected fault answered. */
  fault?: true;
  /** An "applied, then 502" fault: the status the request was carried out with before the fault answered. */
  appliedStatus?: number;
  /** GraphQL only: the document is a mutation. */
  mutation?: boolean;
}

/** State-changing requests: every non-GET/HEAD REST call, and GraphQL only when it is a mutation. */
export function isWrite(record: RequestRecord): boolean {
  if (record.method === 'GET' || record.method === 'HEAD') return false;
  return record.path === '/graphql' ? record.mutation === true : true;
}
