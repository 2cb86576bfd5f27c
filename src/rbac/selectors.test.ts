import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelsOf, selectorMatches } from './selectors.js';

describe('selectorMatches', () => {
  const labels = { tier: 'web', team: 'sre' };
  it('matchLabels needs every pair', () => {
    assert.equal(selectorMatches({ matchLabels: { tier: 'web' } }, labels), true);
    assert.equal(selectorMatches({ matchLabels: { tier: 'web', team: 'dev' } }, labels), false);
  });
  it('matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'In', values: ['sre', 'ops'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'In', values: ['ops'] }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['ops'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels), false);
  });
  it('matchLabels and matchExpressions must both hold', () => {
    assert.equal(selectorMatches({ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'team', operator: 'In', values: ['dev'] }] }, labels), false);
  });
  it('an empty selector matches everything; a missing or malformed one nothing', () => {
    assert.equal(selectorMatches({}, labels), true);
    assert.equal(selectorMatches(null, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'Like', values: ['s'] }] }, labels), false);
    assert.equal(selectorMatches({ matchLabels: 'tier=web' }, labels), false);
  });
  it('labelsOf keeps string labels', () => {
    assert.deepEqual(labelsOf({ metadata: { labels: { a: 'b', n: 3 } } }), { a: 'b' });
    assert.deepEqual(labelsOf({}), {});
  });
});
