import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { incomingEdges } from './edge-index.js';

describe('incomingEdges', () => {
  it("lists each vertex's incoming edges in edge order, and none for a vertex without any", () => {
    const { start, edges } = incomingEdges(Int32Array.from([2, 0, 2, 3, 2]), 4);
    const of = (v: number) => [...edges.subarray(start[v] as number, start[v + 1] as number)];
    assert.deepEqual(of(0), [1]);
    assert.deepEqual(of(1), []);
    assert.deepEqual(of(2), [0, 2, 4]);
    assert.deepEqual(of(3), [3]);
    assert.equal(start[4], 5);
  });

  it('indexes a graph without edges', () => {
    const { start, edges } = incomingEdges([], 3);
    assert.deepEqual([...start], [0, 0, 0, 0]);
    assert.equal(edges.length, 0);
  });
});
