import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './credentials-in-configmap.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const fails = (text: string) => runOn([check], text, 'cm.yaml').filter((f) => f.status === 'fail');

describe('credentials-in-configmap', () => {
  it('locates a credential inside a literal block scalar at its own line, not at the key', () => {
    const [f] = fails(fixture('fail.argocd-literal.yaml'));
    assert.equal(f?.pointer, '/data/oidc.config');
    // File line 14 holds `clientSecret: ...`; the key `oidc.config: |` is on line 10.
    assert.deepEqual(f?.location, { file: 'cm.yaml', line: 14, column: 5 });
    assert.equal(f?.evidence?.line, 4);
    assert.equal(f?.evidence?.assignment, 'clientSecret');
  });

  it('locates single-line values and folded or quoted multi-line values at the key', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: c}',
      'data:',
      '  DB_PASSWORD: "Zx8qR2vB7mN4kL1pW6sT"',
      '  app.conf: >',
      '    user=app',
      '    password=Zx8qR2vB7mN4kL1pW6sT',
      '  other.conf: "user=app\\npassword=Zx8qR2vB7mN4kL1pW6sT\\n"',
      '',
    ].join('\n');
    const lines = fails(text).map((f) => `${f.pointer}:${f.location?.line}`);
    assert.deepEqual(lines.sort(), ['/data/DB_PASSWORD:5', '/data/app.conf:6', '/data/other.conf:9']);
  });

  it('locates block scalars with chomping indicators, comments and a document offset', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: first}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: second}',
      'data:',
      '  settings.ini: |-  # application settings',
      '',
      '    [db]',
      '    password = Zx8qR2vB7mN4kL1pW6sT',
      '',
    ].join('\n');
    const [f] = fails(text);
    assert.equal(f?.resource.name, 'second');
    assert.deepEqual(f?.location, { file: 'cm.yaml', line: 12, column: 5 });
  });

  it('locates credentials in JSON manifests and List items at the key', () => {
    const json = JSON.stringify(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' }, data: { 'app.ini': 'a=1\npassword=Zx8qR2vB7mN4kL1pW6sT\n' } },
      null,
      2,
    );
    const [f] = runOn([check], json, 'cm.json').filter((x) => x.status === 'fail');
    assert.equal(f?.location?.line, 8);
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: listed}',
      '    data:',
      '      app.ini: |',
      '        a=1',
      '        password=Zx8qR2vB7mN4kL1pW6sT',
      '',
    ].join('\n');
    const [g] = runOn([check], list, 'list.yaml').filter((x) => x.status === 'fail');
    assert.deepEqual(g?.location, { file: 'list.yaml', line: 10, column: 9 });
  });

  it('reports no Argo CD secret references', () => {
    assert.deepEqual(fails(fixture('pass.argocd-references.yaml')), []);
  });

  it('never puts the value in messages or evidence', () => {
    const text = JSON.stringify(fails(fixture('fail.argocd-literal.yaml')));
    assert.ok(!text.includes('Qm9pX2hR7vLp2ZkT8sWc4NyA'));
  });
});
