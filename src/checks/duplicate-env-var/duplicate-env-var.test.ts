import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './duplicate-env-var.js';

describe('duplicate-env-var', () => {
  it('names every earlier entry of the repeated variable and never the values', () => {
    const text = readFileSync(new URL('./fixtures/fail.duplicates.yaml', import.meta.url), 'utf8');
    const fails = runOn([check], text).filter((f) => f.status === 'fail');
    const pw = fails.find((f) => f.evidence?.variable === 'DB_PASSWORD');
    assert.equal(pw?.message, 'container "web" of Deployment shop/web sets DB_PASSWORD again in env[2] (also in env[0]): only the last value is used');
    assert.deepEqual(pw?.evidence, { variable: 'DB_PASSWORD', entries: [0, 2] });
    const init = fails.find((f) => f.container === 'migrate');
    assert.match(init?.message ?? '', /^init container "migrate"/);
    assert.ok(!JSON.stringify(fails).includes('db-primary'));
  });
});
