import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadManifests } from './files.js';
import { parseFiles } from './parse-pool.js';
import { StringPool } from './string-pool.js';

/** The distinct strings among the values of parsed files. */
function distinctStrings(results: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  for (const r of results)
    if (typeof r === 'object' && r !== null && 'parsed' in r)
      for (const d of (r as { parsed: { documents: { value: unknown }[] } }).parsed.documents) walk(d.value);
  return out;
}

describe('parseFiles', () => {
  let dir = '';
  const files: { path: string; size: number }[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-pool-'));
    for (let i = 0; i < 24; i++) {
      const docs = Array.from(
        { length: 1 + (i % 5) },
        (_, j) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}-${j}\n  namespace: ns-${i % 3}\ndata:\n  k: "${'x'.repeat(i * 10)}"\n`,
      );
      // One broken document, one binary file, one missing file: their results keep their place.
      if (i === 5) docs.push('---\nkey: [unclosed\n');
      const path = join(dir, `f${String(i).padStart(2, '0')}.yaml`);
      if (i === 7) writeFileSync(path, Buffer.from([0x61, 0x00, 0x62]));
      else if (i !== 9) writeFileSync(path, docs.join(''));
      files.push({ path, size: 100 });
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same results, in the same order, with worker threads as on the main thread', async () => {
    const alone = await parseFiles(files, { keepTexts: true, workers: 0 });
    const counts = { byWorkers: 0, workerErrors: 0 };
    const pooled = await parseFiles(files, { keepTexts: true, workers: 2, counts });
    assert.equal(counts.workerErrors, 0);
    assert.ok(counts.byWorkers > 0, 'no file was parsed by a worker');
    assert.deepEqual(pooled, alone);
    assert.equal(alone[7]?.kind, 'binary');
    assert.deepEqual(alone[9], { kind: 'io', code: 'ENOENT' });
    const broken = alone[5];
    assert.ok(broken?.kind === 'parsed');
    assert.equal(broken.parsed.errors.length, 1);
  });

  it('pools the string values of both threads without changing any value', async () => {
    const plain = await parseFiles(files, { keepTexts: false, workers: 0 });
    for (const workers of [0, 2]) {
      const pool = new StringPool();
      const counts = { byWorkers: 0, workerErrors: 0 };
      const results = await parseFiles(files, { keepTexts: false, workers, pool, counts });
      assert.deepEqual(results, plain);
      if (workers > 0) assert.ok(counts.byWorkers > 0, 'no file was parsed by a worker');
      // Every distinct value went through the pool, whichever thread parsed it.
      assert.equal(pool.size, distinctStrings(plain).size);
    }
  });

  it('loads the same inventory, diagnostics and positions with and without workers', async () => {
    const a = await loadManifests([dir], { workers: 0 });
    const b = await loadManifests([dir], { workers: 3 });
    assert.deepEqual(b.stats, a.stats);
    assert.deepEqual(b.diagnostics, a.diagnostics);
    assert.deepEqual(
      b.inventory.all.map((r) => [r.object, r.location, r.positions?.locate('/data/k')]),
      a.inventory.all.map((r) => [r.object, r.location, r.positions?.locate('/data/k')]),
    );
  });
});
