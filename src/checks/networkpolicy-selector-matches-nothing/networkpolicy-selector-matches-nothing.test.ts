import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './networkpolicy-selector-matches-nothing.js';

describe('networkpolicy-selector-matches-nothing', () => {
  it('reports a policy whose podSelector has a typo, and passes once it matches', () => {
    const text = readFileSync(new URL('./fixtures/fail.typo.yaml', import.meta.url), 'utf8');
    const [f] = runOn([check], text).filter((x) => x.status === 'fail');
    assert.equal(
      f?.message,
      'NetworkPolicy shop/web-ingress selects pods with app=wbe, but no pod template in its namespace has them: the policy isolates nothing',
    );
    const fixed = text.replace('matchLabels: {app: wbe}', 'matchLabels: {app: web}');
    assert.deepEqual(
      runOn([check], fixed).filter((x) => x.status === 'fail'),
      [],
    );
  });
});
