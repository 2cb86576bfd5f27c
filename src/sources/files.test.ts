import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('loadManifests: walking', () => {
  it('follows each real path once: a symlink loop (sub/up -> ..) and a linked file read once', async () => {
    const root = tree({ 'a.yaml': POD, 'sub/b.yaml': POD.replace('name: p', 'name: q') });
    symlinkSync('..', join(root, 'sub', 'up'));
    symlinkSync('a.yaml', join(root, 'again.yaml'));
    const { inventory, stats, diagnostics } = await loadManifests([root, join(root, 'a.yaml')]);
    assert.deepEqual(diagnostics, []);
    assert.equal(stats.files, 2);
    assert.deepEqual(inventory.all.map((r) => r.ref.name).sort(), ['p', 'q']);
  });

  it('does not parse a Helm chart or a Kustomize directory as manifests; without the tools they are incomplete', async () => {
    const root = tree({
      'a.yaml': POD,
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'chart/templates/d.yaml': 'kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n',
      'base/kustomization.yaml': 'resources: [pod.yaml]\n',
      'base/pod.yaml': POD.replace('name: p', 'name: k'),
    });
    const saved = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'palisade-nobin-'));
    try {
      const { inventory, stats, diagnostics, incomplete } = await loadManifests([root]);
      assert.deepEqual(
        inventory.all.map((r) => r.ref.name),
        ['p'],
      );
      assert.equal(stats.parseErrors, 0);
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['not-rendered', 'not-rendered'],
      );
      assert.deepEqual(
        incomplete.map((i) => [i.code, i.path.replace(root, '')]),
        [
          ['not-rendered', '/base'],
          ['not-rendered', '/chart'],
        ],
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  it('warns when --values/--set are given but no chart was found', async () => {
    const { diagnostics } = await loadManifests(['-'], { readStdin: async () => POD, helmSet: ['a=b'] });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['helm-flags-unused'],
    );
  });

  it('applies the size limit to stdin', async () => {
    const { inventory, stats, incomplete } = await loadManifests(['-'], { readStdin: async () => POD, maxFileSize: 10 });
    assert.equal(inventory.size, 0);
    assert.equal(stats.skippedFiles, 1);
    assert.deepEqual(
      incomplete.map((i) => [i.path, i.code]),
      [['<stdin>', 'file-too-large']],
    );
  });

  it('records what could not be read: missing paths, binary files, partly parsed files', async () => {
    const root = tree({ 'bin.yaml': Buffer.from([0x61, 0x00]), 'broken.yaml': `${POD}---\nfoo: [\n` });
    const { incomplete } = await loadManifests([root, join(root, 'nope')]);
    assert.deepEqual(incomplete.map((i) => [i.code, i.path.replace(root, '')]).sort(), [
      ['binary-file', '/bin.yaml'],
      ['parse-error', '/broken.yaml'],
      ['path-not-found', '/nope'],
    ]);
  });
});
