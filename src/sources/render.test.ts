import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findExecutable, renderKindOf, renderKindOfMarker, renderTarget } from './render.js';

function dir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'palisade-render-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

function bin(name: string, body: string): string {
  const d = mkdtempSync(join(tmpdir(), 'palisade-bin-'));
  writeFileSync(join(d, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(d, name), 0o755);
  return d;
}

describe('render', () => {
  it('recognises charts and every kustomization file name', () => {
    assert.equal(renderKindOf(dir({ 'Chart.yaml': 'name: x\n' })), 'helm');
    for (const f of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) assert.equal(renderKindOf(dir({ [f]: 'resources: []\n' })), 'kustomize');
    assert.equal(renderKindOf(dir({ 'a.yaml': 'x: 1\n' })), undefined);
    assert.equal(renderKindOfMarker('charts/web/Chart.yaml'), 'helm');
    assert.equal(renderKindOfMarker('deploy.yaml'), undefined);
  });

  it('finds executables on the given PATH only, and only executable files', () => {
    const d = bin('helm', 'exit 0');
    assert.equal(findExecutable('helm', d), join(d, 'helm'));
    chmodSync(join(d, 'helm'), 0o644);
    assert.equal(findExecutable('helm', d), undefined);
    assert.equal(findExecutable('helm', ''), undefined);
  });

  it('passes --values and --set as separate arguments and labels the output', async () => {
    const chart = dir({ 'my_Chart/Chart.yaml': 'name: x\n' });
    const path = `${bin('helm', 'for a in "$@"; do printf "[%s]" "$a"; done')}:/usr/bin:/bin`;
    const r = await renderTarget({ kind: 'helm', dir: join(chart, 'my_Chart') }, { maxBytes: 1000, helmValues: ['v.yaml'], helmSet: ['a=$(id)'], path });
    assert.ok(r.ok);
    assert.equal(r.text, `[template][my-chart][${join(chart, 'my_Chart')}][--values][v.yaml][--set][a=$(id)]`);
    assert.equal(r.label, `<helm template ${join(chart, 'my_Chart')}>`);
  });

  it('reports a failing tool, output over the limit, and a missing tool with the pipe-in hint', async () => {
    const failing = await renderTarget(
      { kind: 'kustomize', dir: 'k' },
      { maxBytes: 1000, path: `${bin('kubectl', 'echo "error: no kustomization" >&2; exit 1')}:/bin` },
    );
    assert.deepEqual(failing, {
      ok: false,
      code: 'render-failed',
      message: 'k: Kustomize directory not scanned: kubectl kustomize failed: error: no kustomization',
    });
    const big = await renderTarget({ kind: 'helm', dir: 'c' }, { maxBytes: 10, path: `${bin('helm', 'echo 0123456789abcdef')}:/bin` });
    assert.equal(big.ok ? '' : big.code, 'file-too-large');
    const none = await renderTarget({ kind: 'helm', dir: 'charts/web' }, { maxBytes: 10, path: '' });
    assert.deepEqual(none, {
      ok: false,
      code: 'not-rendered',
      message: 'charts/web: Helm chart not scanned: helm is not on PATH; render it and pipe the output in: helm template web charts/web | palisade scan -',
    });
  });
});
