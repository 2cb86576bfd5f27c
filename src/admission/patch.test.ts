import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyJsonPatch, fixesToJsonPatch, PatchError } from './patch.js';

describe('RFC 6902 patches from fix operations', () => {
  it('applies add, replace, remove and test strictly', () => {
    const doc = { a: { b: 1 }, list: [1, 2] };
    assert.deepEqual(
      applyJsonPatch(doc, [
        { op: 'add', path: '/a/c', value: 2 },
        { op: 'replace', path: '/a/b', value: 3 },
        { op: 'add', path: '/list/-', value: 3 },
        { op: 'add', path: '/list/0', value: 0 },
        { op: 'remove', path: '/list/1' },
        { op: 'test', path: '/a/c', value: 2 },
      ]),
      { a: { b: 3, c: 2 }, list: [0, 2, 3] },
    );
    assert.deepEqual(doc, { a: { b: 1 }, list: [1, 2] }, 'the input is not changed');
    assert.throws(() => applyJsonPatch(doc, [{ op: 'replace', path: '/a/x', value: 1 }]), PatchError);
    assert.throws(() => applyJsonPatch(doc, [{ op: 'remove', path: '/zz' }]), PatchError);
    assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/no/such', value: 1 }]), /parent does not exist/);
    assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/list/5', value: 1 }]), /out of range/);
    assert.throws(() => applyJsonPatch(doc, [{ op: 'test', path: '/a/b', value: 2 }]), /value differs/);
    assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '', value: 2 }]), /root/);
  });

  it('turns fixes into operations that apply in order, dropping repeats and frozen fields', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', securityContext: { capabilities: { drop: ['NET_RAW'] } } }] },
    };
    const r = fixesToJsonPatch(pod, [
      { op: 'replace', path: '/spec/automountServiceAccountToken', value: false },
      { op: 'add', path: '/spec/containers/0/securityContext/capabilities/drop/-', value: 'NET_RAW' },
      { op: 'add', path: '/spec/containers/0/securityContext/readOnlyRootFilesystem', value: true },
      { op: 'add', path: '/spec/containers/0/securityContext/readOnlyRootFilesystem', value: true },
      { op: 'remove', path: '/spec/hostPID' },
      { op: 'replace', path: '/apiVersion', value: 'v2' },
      { op: 'add', path: '/spec/volumes/0/x', value: 1 },
    ]);
    assert.deepEqual(r.patch, [
      { op: 'add', path: '/spec/automountServiceAccountToken', value: false },
      { op: 'add', path: '/spec/containers/0/securityContext/readOnlyRootFilesystem', value: true },
    ]);
    assert.deepEqual(
      r.skipped.map((s) => s.reason),
      [
        '/spec/containers/0/securityContext/capabilities/drop already holds "NET_RAW"',
        '/spec/hostPID is already absent',
        '/apiVersion cannot be changed by admission',
        'add /spec/volumes/0/x: parent does not exist',
      ],
    );
    assert.deepEqual(applyJsonPatch(pod, r.patch), r.patched);
  });
});
