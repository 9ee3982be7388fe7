/**
 * Run the GitHub sim by hand:
 *   npx tsx sim/github/cli.ts [--port 4010] [--scenario file.json|file.ts] [--validate-responses] [--quiet]
 *
 * A JSON scenario is `{ "owner"?, "repo"?, "seed": [{ "call": "addCommits", "args": [3] }, …] }`:
 * each entry calls one `sim.state` method. A string argument (or object value) "@<ref>" is
 * replaced by the commit sha that ref resolves to at that point ("@main", "@v1.0.0").
 * A TS/JS scenario default-exports `(sim: SimGitHub) => void | Promise<void>`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SimGitHub } from './index.js';
import type { SimState } from './state.js';

interface JsonScenario {
  owner?: string;
  repo?: string;
  seed?: Array<{ call: string; args?: unknown[] }>;
}

function substituteRefs(value: unknown, state: SimState): unknown {
  if (typeof value === 'string' && value.startsWith('@')) {
    const sha = state.resolve(value.slice(1));
    if (sha === undefined) throw new Error(`scenario: ${value} does not resolve to a commit yet`);
    return sha;
  }
  if (Array.isArray(value)) return value.map((v) => substituteRefs(v, state));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteRefs(v, state)]));
  return value;
}

function seedFromJson(sim: SimGitHub, scenario: JsonScenario): void {
  for (const { call, args = [] } of scenario.seed ?? []) {
    const method = (sim.state as unknown as Record<string, unknown>)[call];
    if (typeof method !== 'function' || !/^(add|set)/.test(call)) throw new Error(`scenario: sim.state has no seeding method ${call}`);
    method.apply(sim.state, substituteRefs(args, sim.state) as unknown[]);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      scenario: { type: 'string' },
      'validate-responses': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  const file = values.scenario ? resolve(values.scenario) : undefined;
  const json = file?.endsWith('.json') ? (JSON.parse(await readFile(file, 'utf8')) as JsonScenario) : undefined;
  const sim = await SimGitHub.start({
    port: Number(values.port),
    validateResponses: values['validate-responses'],
    ...(json?.owner && { owner: json.owner }),
    ...(json?.repo && { repo: json.repo }),
    ...(!values.quiet && { onRequest: (r) => console.log(`${r.status} ${r.method} ${r.path}${r.fault ? ' (fault)' : ''}${r.operationId ? `  [${r.operationId}]` : ''}`) }),
  });
  if (json) seedFromJson(sim, json);
  else if (file) await ((await import(pathToFileURL(file).href)) as { default: (sim: SimGitHub) => unknown }).default(sim);

  console.log(`GitHub sim for ${sim.state.owner}/${sim.state.repo} at ${sim.url} (started in ${sim.startup.totalMs} ms)`);
  console.log(`  export GITHUB_API_URL=${sim.url} GITHUB_GRAPHQL_URL=${sim.graphqlUrl} GITHUB_SERVER_URL=${sim.url} GITHUB_REPOSITORY=${sim.state.owner}/${sim.state.repo}`);
  const stop = () => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
