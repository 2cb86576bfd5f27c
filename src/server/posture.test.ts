import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postureScore, zeroCounts } from './posture.js';

describe('postureScore', () => {
  it('is 100 without open findings and falls with weighted findings per object', () => {
    assert.equal(postureScore(zeroCounts(), 50), 100);
    assert.equal(postureScore({ ...zeroCounts(), critical: 1 }, 90), 90);
    assert.equal(postureScore({ ...zeroCounts(), high: 2 }, 10), 50);
    assert.equal(postureScore({ ...zeroCounts(), info: 100 }, 10), 100);
  });
  it('treats an empty scan as one object', () => {
    assert.equal(postureScore({ ...zeroCounts(), low: 1 }, 0), 50);
  });
});
