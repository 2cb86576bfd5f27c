import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureClusterObjects } from '../../../test/support/fixture-cluster.js';
import { generateCluster } from '../../../test/support/generate-cluster.js';
import type { JsonObject } from '../../core/types.js';
import { normalizeObject } from '../normalize.js';
import { pruneFieldsFor, pruneListBody } from './prune.js';

const ALL = { managedFields: true, status: true, lastApplied: true };

/** Pruned text of `json` (the buffer is the function's to compact). */
function pruned(json: string, fields = ALL): string {
  return pruneListBody(Buffer.from(json), fields).toString('utf8');
}

/** A list page as kube-apiserver sends it: items without apiVersion/kind. */
function page(objects: readonly JsonObject[]): { text: string; kind: string; apiVersion: string } {
  const first = objects[0] as JsonObject;
  const items = objects.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
  return {
    text: JSON.stringify({ kind: `${first.kind}List`, apiVersion: 'v1', metadata: { resourceVersion: '7' }, items }),
    kind: String(first.kind),
    apiVersion: String(first.apiVersion),
  };
}

/** What listing keeps of a page: each item normalised. */
function kept(text: string, typeMeta: { apiVersion: string; kind: string }): string {
  const items = (JSON.parse(text) as { items: JsonObject[] }).items;
  return JSON.stringify(items.map((i) => normalizeObject(i, typeMeta)));
}

describe('pruneListBody', () => {
  it('cuts managedFields and status when each is the last key of its object', () => {
    const json =
      '{"items":[{"metadata":{"name":"a","managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}]},"spec":{"x":1},"status":{"phase":"Running"}},' +
      '{"metadata":{"name":"b","managedFields":[]},"spec":{},"status":{}}]}';
    assert.equal(pruned(json), '{"items":[{"metadata":{"name":"a"},"spec":{"x":1}},{"metadata":{"name":"b"},"spec":{}}]}');
  });

  it('leaves fields that are not the last key, or not at a key position, to normalisation', () => {
    const notLast = '{"metadata":{"name":"a","managedFields":[{}],"labels":{}},"status":{"a":1},"spec":{}}';
    assert.equal(pruned(notLast), notLast);
    // Nothing inside a value that stays is cut, even where it would be cut on its own.
    const nested = '{"status":{"x":1,"status":{"a":1}},"spec":{},"other":{"status":{"y":{"b":1,"managedFields":[]}},"z":1}}';
    assert.equal(pruned(nested), nested);
    const first = '{"items":[{"status":{"a":1}}]}';
    assert.equal(pruned(first), first);
    // Conditions carry `"status":"True"`: a string, not an object.
    const conditions = '{"spec":{"conditions":[{"type":"Ready","status":"True"}]}}';
    assert.equal(pruned(conditions), conditions);
  });

  it('never cuts inside strings, and matches brackets past strings that hold brackets, quotes and backslashes', () => {
    const inString = '{"metadata":{"annotations":{"note":"x,\\"status\\":{\\"a\\":1}"}},"spec":{}}';
    assert.equal(pruned(inString), inString);
    const tricky =
      '{"metadata":{"name":"a","managedFields":[{"manager":"m]}\\"[{","fieldsV1":{"k:{\\"name\\":\\"app\\"}":{".":{}},"f:x\\\\":{}}}]},"status":{"m":"}]\\\\"}}';
    assert.equal(pruned(tricky), '{"metadata":{"name":"a"}}');
  });

  it('cuts the last-applied annotation, and annotations when it was the only one', () => {
    const value = '"{\\"apiVersion\\":\\"v1\\",\\"data\\":{\\"k\\":\\"}\\\\\\"\\"}}\\n"';
    const la = `"kubectl.kubernetes.io/last-applied-configuration":${value}`;
    // Only annotation, first, in the middle, last.
    assert.equal(pruned(`{"metadata":{"name":"a","annotations":{${la}},"labels":{}}}`), '{"metadata":{"name":"a","labels":{}}}');
    assert.equal(pruned(`{"metadata":{"name":"a","annotations":{${la},"z":"1"}}}`), '{"metadata":{"name":"a","annotations":{"z":"1"}}}');
    assert.equal(pruned(`{"metadata":{"annotations":{"a":"1",${la},"z":"1"}}}`), '{"metadata":{"annotations":{"a":"1","z":"1"}}}');
    assert.equal(pruned(`{"metadata":{"annotations":{"a":"1",${la}}}}`), '{"metadata":{"annotations":{"a":"1"}}}');
    // Not JSON in the string (a label of that name cannot hold one): left alone.
    const label = '{"metadata":{"labels":{"kubectl.kubernetes.io/last-applied-configuration":"x"}}}';
    assert.equal(pruned(label), label);
    // The only key of a map that is not `annotations`: left to normalisation.
    const other = `{"metadata":{"name":"a"},"spec":{"template":{${la}}}}`;
    assert.equal(pruned(other), other);
  });

  it('keeps the body when a value does not end (a truncated page stays invalid JSON)', () => {
    const truncated = '{"items":[{"metadata":{"name":"a","managedFields":[{"manager":"m"';
    assert.equal(pruned(truncated), truncated);
  });

  it('cuts only the fields asked for', () => {
    const json = '{"metadata":{"name":"a","managedFields":[]},"status":{"a":1}}';
    assert.equal(pruned(json, { managedFields: true, status: false, lastApplied: false }), '{"metadata":{"name":"a"},"status":{"a":1}}');
    assert.equal(pruned(json, { managedFields: false, status: true, lastApplied: false }), '{"metadata":{"name":"a","managedFields":[]}}');
    const applied = '{"metadata":{"name":"a","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}}}';
    assert.equal(pruned(applied, { managedFields: true, status: true, lastApplied: false }), applied);
  });

  it('keeps multi-byte UTF-8 text intact while compacting', () => {
    const json = '{"items":[{"metadata":{"name":"ä","managedFields":[{"m":"日本"}]},"spec":{"é":"🚀"},"status":{"x":"ü"}},{"metadata":{"name":"ö"}}]}';
    assert.equal(pruned(json), '{"items":[{"metadata":{"name":"ä"},"spec":{"é":"🚀"}},{"metadata":{"name":"ö"}}]}');
  });

  it('keeps exactly what normalisation keeps, on the generated and fixture clusters', () => {
    const byType = new Map<string, JsonObject[]>();
    for (const o of [...generateCluster(3_000), ...fixtureClusterObjects()]) {
      const key = `${o.apiVersion} ${o.kind}`;
      const list = byType.get(key) ?? [];
      list.push(o);
      byType.set(key, list);
    }
    let cut = 0;
    for (const objects of byType.values()) {
      const { text, kind, apiVersion } = page(objects);
      const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
      const fields = pruneFieldsFor({ group, resource: `${kind.toLowerCase()}s` });
      const after = fields ? pruned(text, fields) : text;
      cut += text.length - after.length;
      // Not assert.equal: a failure would print megabytes.
      assert.ok(kept(after, { apiVersion, kind }) === kept(text, { apiVersion, kind }), `${apiVersion} ${kind} differs`);
    }
    assert.ok(cut > 0, 'something was cut');
  });
});

describe('pruneFieldsFor', () => {
  it('prunes built-in types only, and status only where no embedded object has one', () => {
    assert.deepEqual(pruneFieldsFor({ group: '', resource: 'pods' }), { managedFields: true, status: true, lastApplied: true });
    assert.deepEqual(pruneFieldsFor({ group: 'apps', resource: 'replicasets' }), { managedFields: true, status: true, lastApplied: true });
    // volumeClaimTemplates carry a PersistentVolumeClaim status of their own.
    assert.deepEqual(pruneFieldsFor({ group: 'apps', resource: 'statefulsets' }), { managedFields: true, status: false, lastApplied: true });
    assert.deepEqual(pruneFieldsFor({ group: 'rbac.authorization.k8s.io', resource: 'roles' }), { managedFields: true, status: false, lastApplied: true });
    // On a Secret the annotation is kept, redacted: its presence is a finding.
    assert.deepEqual(pruneFieldsFor({ group: '', resource: 'secrets' }), { managedFields: true, status: false, lastApplied: false });
    assert.equal(pruneFieldsFor({ group: 'apps', resource: 'controllerrevisions' }), undefined);
    assert.equal(pruneFieldsFor({ group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }), undefined);
    assert.equal(pruneFieldsFor({ group: 'example.com', resource: 'widgets' }), undefined);
  });
});
