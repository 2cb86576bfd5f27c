import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { PalisadeError } from '../core/errors.js';
import { Inventory } from '../core/inventory.js';
import type { ResourceTypeCoverage } from '../core/types.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';

const coverage: ResourceTypeCoverage[] = [
  { cluster: 'a', group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, status: 'ok', objects: 1 },
  { cluster: 'a', group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true, status: 'forbidden', objects: 0, reason: 'forbidden (403)' },
];

function inventory(name: string): Inventory {
  const inv = new Inventory({ cluster: name });
  inv.add({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'x' }] } } });
  // Given unredacted on purpose: the writer must redact whatever it gets.
  inv.add({
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'ns' },
      data: { password: Buffer.from('hunter2-long-enough').toString('base64') },
    },
  });
  return inv;
}

describe('snapshots', () => {
  it('round-trips clusters, objects in order, and coverage, compressed or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-snap-'));
    for (const file of [join(dir, 's.json.gz'), join(dir, 's.jsonl')]) {
      await writeSnapshot(file, [
        { name: 'a', server: 'https://a', kubernetesVersion: 'v1.30.1', inventory: inventory('a'), coverage },
        { name: 'b', inventory: inventory('b'), coverage: [] },
      ]);
      const raw = readFileSync(file);
      const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      assert.ok(!text.includes('hunter2') && !text.includes(Buffer.from('hunter2-long-enough').toString('base64')), 'no Secret value in the file');
      const snap = await readSnapshot(file);
      assert.deepEqual(
        snap.clusters.map((c) => [c.name, c.server, c.kubernetesVersion, c.inventory.size]),
        [
          ['a', 'https://a', 'v1.30.1', 2],
          ['b', undefined, undefined, 2],
        ],
      );
      assert.deepEqual(snap.clusters[0]?.coverage, coverage);
      assert.deepEqual(
        snap.clusters[1]?.inventory.all.map((r) => [r.ref.kind, r.ref.cluster]),
        [
          ['Pod', 'b'],
          ['Secret', 'b'],
        ],
      );
    }
  });

  it('rejects files that are not snapshots or are truncated, naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-snap-'));
    const notSnap = join(dir, 'x.json');
    writeFileSync(notSnap, '{"apiVersion":"v1","kind":"List","items":[]}\n');
    await assert.rejects(readSnapshot(notSnap), (e: unknown) => e instanceof PalisadeError && e.code === 'snapshot-invalid' && /x\.json:1:/.test(e.message));
    const file = join(dir, 'ok.jsonl');
    await writeSnapshot(file, [{ name: 'a', inventory: inventory('a'), coverage }]);
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(join(dir, 'cut.jsonl'), `${lines.slice(0, 3).join('\n')}\n`);
    await assert.rejects(readSnapshot(join(dir, 'cut.jsonl')), (e: unknown) => e instanceof PalisadeError && /truncated: 1 objects missing/.test(e.message));
    await assert.rejects(readSnapshot(join(dir, 'absent.gz')), (e: unknown) => e instanceof PalisadeError && e.code === 'path-not-found');
  });
});
