/**
 * The layers of docs/architecture.md, enforced over the import graph: a module may import
 * its own folder and the layers listed for it, never an outer one. Tests may import anything.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Layer of each top-level folder (or root file) of src/, innermost first. */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  // The engine and the data model: pure.
  core: ['core', 'version.ts'],
  // Kubernetes domain helpers: pure functions over objects.
  domain: ['security-context', 'image-ref', 'credentials', 'packages'],
  // Analysers' models: pure, built from the inventory by the engine.
  models: ['rbac', 'pss', 'summary', 'pods', 'network', 'paths', 'vuln', 'image-scan'],
  // The catalogues: checks and framework controls.
  catalogue: ['checks', 'frameworks', 'audit-rules'],
  // The I/O ring: reading, writing, rendering.
  ring: ['sources', 'reporters', 'config', 'custom', 'fix', 'images', 'vulndb', 'node', 'docs', 'testing', 'store'],
  // The library API.
  library: ['scan.ts', 'fix-run.ts', 'index.ts'],
  // Thin entry points.
  entry: ['cli', 'admission', 'audit', 'server', 'agent'],
};

/** What each layer may import besides itself. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  core: [],
  domain: ['core'],
  models: ['core', 'domain'],
  catalogue: ['core', 'domain', 'models'],
  ring: ['core', 'domain', 'models', 'catalogue'],
  library: ['core', 'domain', 'models', 'catalogue', 'ring'],
  entry: ['core', 'domain', 'models', 'catalogue', 'ring', 'library'],
};

/**
 * Models built on other models (docs/architecture.md): the attack graph exists to join the RBAC
 * and network models, and receives them through its provider's `models` lookup.
 */
const JOINS: Readonly<Record<string, readonly string[]>> = { paths: ['rbac', 'network', 'image-scan'] };

/** Pure layers: no Node built-ins, no Node globals. */
const PURE = new Set(['core', 'domain', 'models', 'catalogue']);

function unitOf(file: string): string {
  const rel = relative(SRC, file).split(/[\\/]/);
  return rel.length === 1 ? (rel[0] as string) : (rel[0] as string);
}

function layerOf(unit: string): string | undefined {
  for (const [layer, units] of Object.entries(LAYERS)) if (units.includes(unit)) return layer;
  return undefined;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'fixtures' && e.name !== '__golden__') sourceFiles(p, out);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Module specifiers of static and dynamic imports and re-exports, comments stripped. */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1] as string);
  for (const m of code.matchAll(/(?:^|[;\s])import\s*['"]([^'"]+)['"]/g)) out.push(m[1] as string);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1] as string);
  return out;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly spec: string;
}

function graph(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      edges.push({ from: file, to: spec.startsWith('.') ? normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts') : spec, spec });
    }
  }
  return edges;
}

describe('layers (docs/architecture.md)', () => {
  const edges = graph();

  it('knows the layer of every folder under src/', () => {
    const units = new Set(sourceFiles(SRC).map(unitOf));
    const unknown = [...units].filter((u) => layerOf(u) === undefined);
    assert.deepEqual(unknown, [], `add these to LAYERS and to docs/architecture.md: ${unknown.join(', ')}`);
  });

  it('no module imports an outer layer', () => {
    const violations: string[] = [];
    for (const e of edges) {
      if (!e.spec.startsWith('.')) continue;
      const a = unitOf(e.from);
      const b = unitOf(e.to);
      if (a === b) continue;
      const la = layerOf(a);
      const lb = layerOf(b);
      if (la === undefined || lb === undefined) continue;
      if (la === lb && la !== 'domain' && la !== 'models') continue;
      if (la === lb && JOINS[a]?.includes(b)) continue;
      if (la === lb) {
        violations.push(`${relative(SRC, e.from)} imports ${e.spec}: ${a} and ${b} are separate ${la}; share through core`);
        continue;
      }
      if (!(MAY_IMPORT[la] ?? []).includes(lb)) violations.push(`${relative(SRC, e.from)} (${la}) imports ${e.spec} (${lb})`);
    }
    assert.deepEqual(violations, []);
  });

  it('pure layers use no Node built-ins and no Buffer', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const layer = layerOf(unitOf(file));
      if (layer === undefined || !PURE.has(layer)) continue;
      const text = readFileSync(file, 'utf8');
      for (const spec of importsOf(text)) if (spec.startsWith('node:')) violations.push(`${relative(SRC, file)} imports ${spec}`);
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      if (/(?<![\w$/.-])(?:Buffer|process)\.|\bnew Buffer\b|: Buffer\b/.test(code))
        violations.push(`${relative(SRC, file)} uses a Node global (Buffer or process)`);
    }
    assert.deepEqual(violations, []);
  });

  it('the public API does not import the CLI', () => {
    const index = join(SRC, 'index.ts');
    const fromIndex = edges.filter((e) => e.from === index && e.spec.startsWith('.') && unitOf(e.to) === 'cli');
    assert.deepEqual(
      fromIndex.map((e) => e.spec),
      [],
    );
  });

  it('detects a violation (self-test of the parser)', () => {
    assert.deepEqual(importsOf("import { a } from '../cli/x.js';\n// import b from '../nope.js'\nexport * from './y.js';\nconst m = await import('./z.js');"), [
      '../cli/x.js',
      './y.js',
      './z.js',
    ]);
  });
});
