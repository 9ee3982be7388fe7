// ncc --minify minifies dist/index.js but not the chunks its dynamic imports are split into
// (@kubernetes/client-node, loaded lazily, is ~19 MB of them). Minify those too, in place.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const dist = path.resolve(import.meta.dirname, '..', 'dist');
for (const name of readdirSync(dist).filter((f) => /^\d+\.index\.js$/.test(f))) {
  const file = path.join(dist, name);
  const before = readFileSync(file, 'utf8');
  const { code } = await minify(before, { module: true, compress: false, mangle: true, format: { comments: false } });
  writeFileSync(file, code);
  console.log(`${name}: ${(before.length / 1e6).toFixed(1)} MB → ${(code.length / 1e6).toFixed(1)} MB`);
}
