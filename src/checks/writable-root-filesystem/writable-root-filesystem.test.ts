import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './writable-root-filesystem.js';

// That applying the fixes makes the check pass is asserted for every check by catalogue.test.ts.
it('writable-root-filesystem proposes minimal JSON-Patch operations', () => {
  const text = readFileSync(new URL('./fixtures/fail.writable.yaml', import.meta.url), 'utf8');
  const ops = runOn([check], text).flatMap((f) => f.fix ?? []);
  assert.deepEqual(ops, [
    { op: 'add', path: '/spec/template/spec/initContainers/0/securityContext', value: { readOnlyRootFilesystem: true } },
    { op: 'replace', path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem', value: true },
    { op: 'add', path: '/spec/template/spec/containers/1/securityContext/readOnlyRootFilesystem', value: true },
  ]);
});
