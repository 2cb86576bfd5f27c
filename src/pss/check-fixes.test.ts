import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../core/types.js';
import { runAsNonRoot } from './check-fixes.js';

function ctx(object: JsonObject) {
  const spec = (object.spec as JsonObject) ?? {};
  return {
    resource: { index: 0, ref: { apiVersion: 'v1', kind: 'Pod', name: 'p' }, object },
    pod: { pointer: '/spec', spec },
    params: {},
  } as unknown as Parameters<typeof runAsNonRoot>[1];
}

describe('runAsNonRoot fix', () => {
  it('adds runAsUser inside the securityContext the first operation creates, without touching the object', () => {
    const object: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }] } };
    const before = structuredClone(object);
    const ops = runAsNonRoot('/spec/containers/0/securityContext/runAsNonRoot', ctx(object));
    assert.deepEqual(ops, [
      { op: 'add', path: '/spec/containers/0/securityContext', value: { runAsNonRoot: true } },
      { op: 'add', path: '/spec/containers/0/securityContext/runAsUser', value: 10001 },
    ]);
    assert.deepEqual(object, before);
    // The first operation's value is not written to either.
    assert.deepEqual(ops?.[0]?.value, { runAsNonRoot: true });
  });

  it('sets runAsUser next to an existing securityContext, and leaves a set one alone', () => {
    const object: JsonObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', image: 'x', securityContext: { runAsNonRoot: false } },
          { name: 'b', image: 'y', securityContext: { runAsUser: 5 } },
        ],
      },
    };
    const before = structuredClone(object);
    assert.deepEqual(runAsNonRoot('/spec/containers/0/securityContext/runAsNonRoot', ctx(object)), [
      { op: 'replace', path: '/spec/containers/0/securityContext/runAsNonRoot', value: true },
      { op: 'add', path: '/spec/containers/0/securityContext/runAsUser', value: 10001 },
    ]);
    assert.deepEqual(runAsNonRoot('/spec/containers/1/securityContext/runAsNonRoot', ctx(object)), [
      { op: 'add', path: '/spec/containers/1/securityContext/runAsNonRoot', value: true },
    ]);
    assert.deepEqual(object, before);
  });
});
