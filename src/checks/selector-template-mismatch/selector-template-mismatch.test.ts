import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './selector-template-mismatch.js';

describe('selector-template-mismatch', () => {
  it('explains each way the API server rejects the selector', () => {
    const text = readFileSync(new URL('./fixtures/fail.mismatch.yaml', import.meta.url), 'utf8');
    const messages = runOn([check], text)
      .filter((f) => f.status === 'fail')
      .map((f) => f.message)
      .sort();
    assert.deepEqual(messages, [
      "Deployment shop/web selects app=web, which its pod template's labels (app=frontend) do not match: the API server rejects it",
      'ReplicaSet shop/cache has an empty spec.selector, which the API server rejects: it would select every pod of the namespace',
      "StatefulSet shop/db selects tier in (db), which its pod template's labels (app=db, tier=storage) do not match: the API server rejects it",
    ]);
  });
});
