import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes } from '../core/fix.js';
import type { JsonObject } from '../core/types.js';
import type { FixOperation } from '../core/check.js';
import { fixPatchFor } from './patch.js';
import { rebaseOperations } from './plan.js';

const pod = (): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    hostPID: true,
    containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { privileged: true } }],
  },
});

describe('fixPatchFor', () => {
  it('returns the safe fixes of an object as one JSON Patch that applies to it', () => {
    const { patch, fixed, remaining } = fixPatchFor(pod());
    const paths = patch.map((op) => op.path);
    assert.ok(paths.includes('/spec/containers/0/securityContext/privileged'));
    assert.ok(!paths.includes('/spec/hostPID'), 'leaving the host PID namespace is a review fix');
    assert.ok(fixed.some((f) => f.name === 'pss-privileged'));
    // The review fixes are not applied without unsafe: the finding stays.
    assert.ok(remaining.some((f) => f.name === 'writable-root-filesystem' && f.fixable === 'unsafe'));
    const patched = applyFixes(pod(), patch);
    const again = fixPatchFor(patched);
    assert.deepEqual(again.patch, [], 'the patched object has no safe fix left');
  });

  it('applies the review fixes too with unsafe', () => {
    const safe = fixPatchFor(pod()).patch.length;
    const all = fixPatchFor(pod(), { unsafe: true });
    assert.ok(all.patch.length > safe);
    assert.ok(all.fixed.some((f) => f.name === 'writable-root-filesystem'));
  });

  it('returns an empty patch for an object without fixable findings', () => {
    const cm: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    assert.deepEqual(fixPatchFor(cm).patch, []);
  });
});

describe('rebaseOperations', () => {
  it('returns copies: applying them leaves the operations given (the shared fix of a finding) unchanged', () => {
    const ops: FixOperation[] = [
      { op: 'add', path: '/spec/securityContext', value: {} },
      { op: 'add', path: '/spec/securityContext/runAsNonRoot', value: true },
    ];
    const rebased = rebaseOperations({ spec: {} }, ops);
    assert.deepEqual(applyFixes({ spec: {} }, rebased), { spec: { securityContext: { runAsNonRoot: true } } });
    assert.deepEqual(ops[0], { op: 'add', path: '/spec/securityContext', value: {} });
  });
});
