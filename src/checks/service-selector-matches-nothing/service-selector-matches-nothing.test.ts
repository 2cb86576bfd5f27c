import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './service-selector-matches-nothing.js';

describe('service-selector-matches-nothing', () => {
  it('names the selector that finds no pod', () => {
    const text = readFileSync(new URL('./fixtures/fail.no-endpoints.yaml', import.meta.url), 'utf8');
    const web = runOn([check], text).find((f) => f.status === 'fail' && f.resource.name === 'web');
    assert.equal(web?.message, 'Service shop/web selects app=web, which no pod template in its namespace has: the Service has no endpoints');
    assert.deepEqual(web?.evidence, { selector: 'app=web' });
  });
});
