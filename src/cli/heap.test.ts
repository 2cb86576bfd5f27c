import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { tuneHeapForScan } from './heap.js';

describe('tuneHeapForScan', () => {
  it("leaves a growing factor given in node's arguments alone, either spelling", () => {
    assert.equal(tuneHeapForScan(['--max-semi-space-size=64', '--heap-growing-percent=20']), false);
    assert.equal(tuneHeapForScan(['--heap_growing_percent=0']), false);
  });

  it('sets it otherwise (a similar flag is not the same flag)', () => {
    assert.equal(tuneHeapForScan(['--heap-growing-percentage=1', '--max-old-space-size=4096']), true);
    assert.equal(tuneHeapForScan([]), true);
  });
});

describe('the collection after tuning', () => {
  it('leaves no gc function exposed to later contexts', () => {
    tuneHeapForScan([]);
    assert.equal(runInNewContext('typeof gc'), 'undefined');
  });
});
