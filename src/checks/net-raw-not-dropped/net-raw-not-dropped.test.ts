import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './net-raw-not-dropped.js';

// That applying the fixes makes the check pass is asserted for every check by catalogue.test.ts.
it('net-raw-not-dropped proposes minimal JSON-Patch operations', () => {
  const text = readFileSync(new URL('./fixtures/fail.kept.yaml', import.meta.url), 'utf8');
  const ops = runOn([check], text).flatMap((f) => f.fix ?? []);
  assert.deepEqual(ops, [
    { op: 'add', path: '/spec/template/spec/containers/0/securityContext', value: { capabilities: { drop: ['NET_RAW'] } } },
    { op: 'add', path: '/spec/template/spec/containers/1/securityContext/capabilities/drop/-', value: 'NET_RAW' },
  ]);
});
