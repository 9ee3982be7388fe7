import { createSloProvider } from '../src/slo/index.js';

describe('createSloProvider', () => {
  it('builds the backend that settings chose', () => {
    expect(createSloProvider({ kind: 'prometheus', url: 'http://prometheus:9090', headers: {} })?.name).toBe('prometheus');
    expect(createSloProvider({ kind: 'command', argv: ['./check-slo.sh'] })?.name).toBe('command');
  });

  it('builds nothing when no provider is configured (dry-run)', () => {
    expect(createSloProvider({ kind: 'none' })).toBeUndefined();
  });

  it('hands the dependencies to the backend', async () => {
    const asked: string[] = [];
    const fetch = (async (url: string | URL | Request) => {
      asked.push(String(url));
      return new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1'] }] } }));
    }) as typeof globalThis.fetch;
    await createSloProvider({ kind: 'prometheus', url: 'http://prometheus:9090', headers: {} }, { fetch })?.ping();
    expect(asked).toEqual(['http://prometheus:9090/api/v1/query?query=vector%281%29']);
  });
});
