// ncc bundles unminified; esbuild minifies every output file in place. ncc --minify leaves the
// chunks of dynamic imports unminified (@kubernetes/client-node, loaded lazily, is ~19 MB of them),
// and terser over all of it took longer than ncc itself; esbuild takes about a second and, like
// ncc, gives the same bytes every time.
//
// Source maps: ncc -s writes one per output file; esbuild reads it (inline, as its input source
// map) and writes the map of the minified file, so a stack trace names src/ files and lines. Only
// the files holding our own src/ keep one (and without the sources' text): the library chunks'
// maps would be most of dist/ and name only node_modules.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transform } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
// RTP_DIST_DIR: bundle elsewhere than dist/ (several developers sharing one checkout).
const dist = path.resolve(root, process.env.RTP_DIST_DIR || 'dist');
const SOURCE_MAPPING_URL = /\n?\/\/# sourceMappingURL=\S+\s*$/;

/** ncc names sources `.././src/x.ts` as if the output were <root>/dist: made relative to the real output folder. */
function localSource(source) {
  const fromRoot = source.replace(/^(\.\.?\/)+/, '');
  return path.relative(dist, path.join(root, fromRoot)).split(path.sep).join('/');
}

for (const name of readdirSync(dist).filter((f) => /^(\d+\.)?index\.js$/.test(f)).sort()) {
  const file = path.join(dist, name);
  const mapFile = `${file}.map`;
  const before = readFileSync(file, 'utf8');
  const input = existsSync(mapFile) ? JSON.parse(readFileSync(mapFile, 'utf8')) : undefined;
  if (input) rmSync(mapFile);
  const sources = input?.sources.map(localSource) ?? [];
  const ours = sources.some((s) => /(^|\/)src\//.test(s) && !s.includes('node_modules'));
  const code = before.replace(SOURCE_MAPPING_URL, '') + (ours ? `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify({ ...input, sources })).toString('base64')}\n` : '\n');
  const out = await transform(code, { loader: 'js', format: 'esm', target: 'es2022', minify: true, legalComments: 'none', sourcefile: name, ...(ours ? { sourcemap: 'external', sourcesContent: false } : {}) });
  writeFileSync(file, ours ? `${out.code}//# sourceMappingURL=${name}.map\n` : out.code);
  if (ours) writeFileSync(mapFile, out.map);
  console.log(`${name}: ${(before.length / 1e6).toFixed(1)} MB → ${(out.code.length / 1e6).toFixed(1)} MB${ours ? ` (+ map ${(out.map.length / 1e6).toFixed(1)} MB)` : ''}`);
}
