// Writes the README's inputs and outputs tables from action.yml, between marker comments, so the
// two never drift. `--check` fails instead of writing when the README is stale (CI and tests).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as YAML from 'yaml';

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const escapeCell = (text: string) => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

export function renderTables(actionYml: string): { inputs: string; outputs: string } {
  const action = YAML.parse(actionYml) as ActionYml;
  const inputs = [
    '| Input | Required | Default | Description |',
    '|---|---|---|---|',
    ...Object.entries(action.inputs).map(([name, i]) =>
      `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${i.default !== undefined ? `\`${escapeCell(String(i.default))}\`` : ''} | ${escapeCell(i.description)} |`),
  ].join('\n');
  const outputs = [
    '| Output | Description |',
    '|---|---|',
    ...Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${escapeCell(o.description)} |`),
  ].join('\n');
  return { inputs, outputs };
}

export function updateReadme(readme: string, actionYml: string): string {
  const tables = renderTables(actionYml);
  let result = readme;
  for (const [name, body] of Object.entries(tables)) {
    const start = `<!-- ${name}:start (generated from action.yml by npm run docs) -->`;
    const end = `<!-- ${name}:end -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block`);
    result = `${result.slice(0, from + start.length)}\n${body}\n${result.slice(to)}`;
  }
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const readmePath = path.join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const updated = updateReadme(readme, readFileSync(path.join(root, 'action.yml'), 'utf8'));
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md is stale: run `npm run docs` and commit the result.');
      process.exit(1);
    }
    console.log('README.md tables match action.yml');
  } else {
    writeFileSync(readmePath, updated);
    console.log('README.md tables updated from action.yml');
  }
}
