import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadManifests } from './files.js';

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'palisade-files-'));
  for (const [p, content] of Object.entries(files)) {
    const full = join(root, p);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: nginx}]\n';

describe('loadManifests', () => {
  it('walks directories recursively, only manifest extensions, skipping hidden and node_modules', async () => {
    const root = tree({
      'a.yaml': POD,
      'sub/b.yml': POD.replace('name: p', 'name: q'),
      'sub/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }),
      'sub/readme.md': '# not yaml',
      '.hidden/d.yaml': POD,
      'node_modules/e.yaml': POD,
    });
    const { inventory, stats, diagnostics } = await loadManifests([root]);
    assert.deepEqual(diagnostics, []);
    assert.equal(stats.files, 3);
    assert.deepEqual(inventory.all.map((r) => r.ref.name).sort(), ['cm', 'p', 'q']);
  });

  it('expands List and *List documents and counts every item', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' } }, { not: 'kubernetes' }],
    };
    const root = tree({
      'l.json': JSON.stringify(list, null, 2),
      'pl.yaml': 'apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: c}\n',
    });
    const { inventory, stats } = await loadManifests([root]);
    assert.equal(inventory.size, 3);
    assert.equal(stats.resources, 3);
    assert.equal(stats.nonKubernetes, 1);
  });

  it('counts non-Kubernetes YAML and reports parse errors with file:line, continuing', async () => {
    const root = tree({
      'values.yaml': 'replicaCount: 1\nimage: {repository: x}\n',
      'broken.yaml': `${POD}---\nfoo: [\n---\n${POD.replace('name: p', 'name: after')}`,
    });
    const { inventory, stats, diagnostics } = await loadManifests([root]);
    assert.equal(stats.nonKubernetes, 1);
    assert.equal(stats.parseErrors, 1);
    assert.deepEqual(inventory.all.map((r) => r.ref.name).sort(), ['after', 'p']);
    const d = diagnostics.find((x) => x.code === 'parse-error');
    assert.match(d?.message ?? '', /broken\.yaml:\d+:\d+: document 2 is not valid YAML/);
  });

  it('skips binary and oversized files with a notice', async () => {
    const root = tree({ 'bin.yaml': Buffer.from([0x61, 0x3a, 0x00, 0x01, 0x02]), 'big.yaml': `${POD}# ${'x'.repeat(5000)}\n`, 'ok.yaml': POD });
    const { inventory, diagnostics, stats } = await loadManifests([root], { maxFileSize: 1000 });
    assert.equal(inventory.size, 1);
    assert.equal(stats.skippedFiles, 2);
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['binary-file', 'file-too-large']);
  });

  it('reports a missing path and goes on with the others', async () => {
    const root = tree({ 'a.yaml': POD });
    const { inventory, diagnostics } = await loadManifests([join(root, 'nope'), root]);
    assert.equal(inventory.size, 1);
    assert.equal(diagnostics[0]?.code, 'path-not-found');
  });

  it('reads stdin for -', async () => {
    const { inventory, stats } = await loadManifests(['-'], { readStdin: async () => POD });
    assert.equal(inventory.size, 1);
    assert.equal(inventory.all[0]?.location?.file, '<stdin>');
    assert.equal(stats.files, 1);
  });

  it('takes an explicit file whatever its extension', async () => {
    const root = tree({ 'manifest.txt': POD });
    const { inventory } = await loadManifests([join(root, 'manifest.txt')]);
    assert.equal(inventory.size, 1);
  });
});
