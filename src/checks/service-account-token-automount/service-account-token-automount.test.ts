import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './service-account-token-automount.js';

// That applying the fixes makes the check pass is asserted for every check by catalogue.test.ts.
it('service-account-token-automount proposes minimal JSON-Patch operations', () => {
  const text = readFileSync(new URL('./fixtures/fail.mounted.yaml', import.meta.url), 'utf8');
  const ops = runOn([check], text).flatMap((f) => f.fix ?? []);
  assert.deepEqual(ops, [
    { op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: false },
    { op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: false },
    { op: 'add', path: '/spec/jobTemplate/spec/template/spec/automountServiceAccountToken', value: false },
  ]);
});
