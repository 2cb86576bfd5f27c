/**
 * Robustness: `palisade fix --dry-run` over a sample of ../shared/corpus/real-world (every 6th
 * manifest file, to stay fast). Every patched file must load again with both YAML parsers, and an
 * independent scan of the patched files must show every fixed finding gone and no check failing
 * more often on any object than before. Skipped when ../shared is absent.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import jsYaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import type { Finding } from '../src/core/types.js';
import { fixLoaded } from '../src/fix-run.js';
import { loadSource, scan } from '../src/scan.js';

const corpus = resolve(new URL('.', import.meta.url).pathname, '../../shared/corpus/real-world');
const present = existsSync(corpus);

function manifests(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    if (e.startsWith('.') || e === 'node_modules') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) manifests(p, out);
    else if (/\.(ya?ml|json)$/i.test(e)) out.push(p);
  }
  return out;
}

function counts(findings: readonly Finding[], base: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) {
    if (f.status !== 'fail' || !f.location) continue;
    const key = `${relative(base, f.location.file)} ${f.resource.kind} ${f.resource.namespace ?? ''} ${f.resource.name} ${f.check}`;
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

describe('palisade fix on real-world manifests', { skip: present ? false : `${corpus} is absent (the shared corpus is not on this machine)` }, () => {
  it('writes patches that load again and that a new scan proves', async () => {
    const sample = manifests(corpus).filter((_, i) => i % 6 === 0);
    const work = mkdtempSync(join(tmpdir(), 'palisade-fix-rw-'));
    const before = join(work, 'before');
    const after = join(work, 'after');
    for (const f of sample) {
      const rel = relative(corpus, f);
      mkdirSync(dirname(join(before, rel)), { recursive: true });
      cpSync(f, join(before, rel));
    }
    const loaded = await loadSource({ kind: 'files', paths: [before] });
    const { outcomes } = fixLoaded(loaded, { unsafe: true, readText: (file) => readFileSync(file, 'utf8') });
    const changes = outcomes.flatMap((o) => o.files);
    assert.ok(changes.length > 10, `only ${changes.length} files changed in the sample`);
    cpSync(before, after, { recursive: true });
    for (const c of changes) {
      const out = join(after, relative(before, c.file));
      writeFileSync(out, c.after);
      assert.doesNotThrow(() => jsYaml.loadAll(c.after), c.file);
      for (const d of parseAllDocuments(c.after)) assert.deepEqual(d.errors, [], c.file);
    }
    const was = counts((await scan([before])).findings, before);
    const now = counts((await scan([after])).findings, after);
    const fixed = new Map<string, number>();
    for (const o of outcomes.flatMap((x) => x.objects))
      for (const f of o.findings) {
        const key = `${relative(before, f.location?.file ?? '')} ${f.resource.kind} ${f.resource.namespace ?? ''} ${f.resource.name} ${f.check}`;
        fixed.set(key, (fixed.get(key) ?? 0) + 1);
      }
    const worse: string[] = [];
    for (const [key, n] of now)
      if (n > (was.get(key) ?? 0) - (fixed.get(key) ?? 0)) worse.push(`${key}: ${was.get(key) ?? 0} -> ${n} (fixed ${fixed.get(key) ?? 0})`);
    assert.deepEqual(worse, []);
    for (const [key, n] of fixed) assert.ok((now.get(key) ?? 0) <= (was.get(key) ?? 0) - n, `${key} still fails`);
  });
});
