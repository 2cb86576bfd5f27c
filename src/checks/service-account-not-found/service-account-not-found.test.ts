import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './service-account-not-found.js';

describe('service-account-not-found', () => {
  it('names the missing object, where it is used and its namespace, and skips optional references', () => {
    const text = readFileSync(new URL('./fixtures/fail.missing.yaml', import.meta.url), 'utf8');
    const fails = runOn([check], text).filter((f) => f.status === 'fail');
    assert.ok(fails.length > 0);
    for (const f of fails) assert.match(f.message, / uses (ServiceAccount|Secret|ConfigMap) \S+ \(.+\), which does not exist in namespace shop$/);
    assert.ok(!fails.some((f) => /maybe-token|web-extra|overrides/.test(f.message)));
  });
});
