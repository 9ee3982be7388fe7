/** A bare HTTP(S) client for the simulator, for tests that need exact bytes, headers or bad tokens. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawOptions {
  readonly body?: unknown;
  readonly contentType?: string;
  /** Defaults to the simulator's token; `null` sends no Authorization header. */
  readonly token?: string | null;
  readonly accept?: string;
}

export interface RawResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
  readonly json: unknown;
}

interface Target {
  readonly url: string;
  readonly token: string;
  readonly caCert: string | undefined;
}

export function rawRequest(sim: Target, method: string, path: string, opts: RawOptions = {}): Promise<RawResponse> {
  const url = new URL(path, sim.url);
  const token = opts.token === undefined ? sim.token : opts.token;
  const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = {
    accept: opts.accept ?? 'application/json',
    ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
    // Node's client sends a DELETE body without chunked encoding: say its length, as kubectl does.
    ...(payload !== undefined ? { 'content-type': opts.contentType ?? 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, ...(sim.caCert ? { ca: sim.caCert } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text, json });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
