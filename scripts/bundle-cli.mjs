#!/usr/bin/env node
/**
 * Bundles the CLI into few modules after `tsc` (see docs/benchmarks.md, "CLI start-up").
 *
 * Node loads about 220 ES modules for one `palisade scan` when it runs tsc's output file by
 * file; resolving, reading and compiling them is about a quarter of the CPU of a scan of a few
 * thousand objects. One bundle (plus chunks for what is loaded lazily: cluster access, CEL,
 * snapshots) replaces dist/cli/main.js; the parse worker is a second entry point beside it, so
 * `new URL('./parse-worker.js', import.meta.url)` finds it. The library (dist/index.js) stays
 * tsc's output, module by module, as library users import it.
 *
 * Packages kept external: native code (better-sqlite3) and the Kubernetes client (large, CJS,
 * loaded only for cluster scans); every other dependency is bundled.
 */
import { rmSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');

// Chunks of an earlier bundle would otherwise pile up.
for (const name of readdirSync(outdir)) if (name.startsWith('chunk-')) rmSync(join(outdir, name));

await build({
  entryPoints: { main: join(root, 'src/cli/main.ts'), 'parse-worker': join(root, 'src/sources/parse-worker.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', '@kubernetes/client-node'],
  // CommonJS dependencies (commander, ajv) call require() for Node built-ins.
  banner: { js: "import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  sourcemap: true,
  logLevel: 'warning',
  allowOverwrite: true,
});
