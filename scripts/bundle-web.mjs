#!/usr/bin/env node
/**
 * Bundles the dashboard (web/, ADR 0022) into dist/dashboard/: index.html, app.css, favicon.svg
 * and one minified app.js (preact and the views), which `palisade serve` serves at `/`. No CDN, no
 * fonts from elsewhere: these four files are everything the browser loads.
 *
 * `--report` prints the size of each file and of the whole, raw and gzip-compressed.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'dashboard');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: { app: join(root, 'web/src/main.tsx') },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Browsers of the last years; Chromium of Debian stable runs the browser tests.
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'none',
  sourcemap: false,
  tsconfig: join(root, 'web/tsconfig.json'),
  logLevel: 'warning',
});
copyFileSync(join(root, 'web/index.html'), join(outdir, 'index.html'));
copyFileSync(join(root, 'web/app.css'), join(outdir, 'app.css'));
copyFileSync(join(root, 'web/favicon.svg'), join(outdir, 'favicon.svg'));

if (process.argv.includes('--report')) {
  let raw = 0;
  let gz = 0;
  for (const name of readdirSync(outdir).sort()) {
    const data = readFileSync(join(outdir, name));
    const z = gzipSync(data, { level: 9 }).length;
    raw += data.length;
    gz += z;
    console.log(`${name.padEnd(12)} ${String(data.length).padStart(8)} B  gzip ${String(z).padStart(7)} B`);
  }
  console.log(`${'total'.padEnd(12)} ${String(raw).padStart(8)} B  gzip ${String(gz).padStart(7)} B`);
}
