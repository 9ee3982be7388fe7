/**
 * Watch streams: newline-delimited `{"type","object"}` events over a chunked response, starting
 * after the requested resourceVersion (or with synthetic ADDED events for the current state).
 */
import type { ServerResponse } from 'node:http';
import { gone } from './errors.js';
import type { ResourceDef } from './resources.js';
import type { Matcher } from './selectors.js';
import type { Store, StoreEvent } from './store.js';
import type { KObject } from './types.js';

export interface WatchRequest {
  readonly def: ResourceDef;
  readonly namespace?: string;
  readonly match: Matcher;
  readonly resourceVersion?: string;
  readonly timeoutSeconds?: number;
  /** How each object goes on the wire (kubectl get -w asks for Table rows). */
  readonly encode?: (obj: KObject) => unknown;
}

function inScope(req: WatchRequest, obj: KObject | undefined): boolean {
  if (!obj) return false;
  if (req.namespace !== undefined && obj.metadata.namespace !== req.namespace) return false;
  return req.match(obj);
}

/** An object moving into or out of the selector is ADDED or DELETED for this watcher, as on a real server. */
function translate(req: WatchRequest, event: StoreEvent): { type: string; object: KObject } | undefined {
  if (event.def !== req.def) return undefined;
  const now = event.type !== 'DELETED' && inScope(req, event.object);
  const before = event.type !== 'ADDED' && inScope(req, event.previous);
  if (event.type === 'DELETED') return before ? { type: 'DELETED', object: event.object } : undefined;
  if (now && before) return { type: 'MODIFIED', object: event.object };
  if (now) return { type: 'ADDED', object: event.object };
  if (before) return { type: 'DELETED', object: event.object };
  return undefined;
}

/** Streams until the client goes away, `timeoutSeconds` passes, or the returned stop function runs. */
export function serveWatch(store: Store, req: WatchRequest, res: ServerResponse): () => void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const encode = req.encode ?? ((obj: KObject) => obj);
  const send = (type: string, object: KObject): void => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object: encode(object) })}\n`);
  };
  const unsubscribe = store.subscribe((event) => {
    const out = translate(req, event);
    if (out) send(out.type, out.object);
  });
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  res.on('close', stop);
  if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) {
    timer = setTimeout(stop, req.timeoutSeconds * 1000);
    timer.unref();
  }

  const rv = req.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    // "Get state and start at most recent": the current objects first, as synthetic ADDED events.
    for (const obj of store.list(req.def, req.namespace, req.match)) send('ADDED', obj);
    return stop;
  }
  const backlog = store.eventsAfter(Number(rv));
  if (backlog === undefined) {
    if (!res.writableEnded) {
      const status = gone(`too old resource version: ${rv} (${store.resourceVersion()})`).toStatus();
      res.write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    }
    stop();
    return stop;
  }
  for (const event of backlog) {
    const out = translate(req, event);
    if (out) send(out.type, out.object);
  }
  return stop;
}
