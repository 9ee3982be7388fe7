// ncc bundles unminified; esbuild minifies every output file in place. ncc --minify leaves the
// chunks of dynamic imports unminified (@kubernetes/client-node, loaded lazily, is ~19 MB of them),
// and terser over all of it took longer than ncc itself; esbuild takes about a second and, like
// ncc, gives the same bytes every time.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transform } from 'esbuild';

// RTP_DIST_DIR: bundle elsewhere than dist/ (several developers sharing one checkout).
const dist = path.resolve(import.meta.dirname, '..', process.env.RTP_DIST_DIR || 'dist');
for (const name of readdirSync(dist).filter((f) => /^(\d+\.)?index\.js$/.test(f)).sort()) {
  const file = path.join(dist, name);
  const before = readFileSync(file, 'utf8');
  const { code } = await transform(before, { loader: 'js', format: 'esm', target: 'es2022', minify: true, legalComments: 'none' });
  writeFileSync(file, code);
  console.log(`${name}: ${(before.length / 1e6).toFixed(1)} MB → ${(code.length / 1e6).toFixed(1)} MB`);
}
