import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getAt, joinPointer, parsePointer } from './pointer.js';

describe('parsePointer', () => {
  it('splits plain pointers and unescapes ~1 and ~0 (RFC 6901)', () => {
    assert.deepEqual(parsePointer(''), []);
    assert.deepEqual(parsePointer('/spec/containers/0'), ['spec', 'containers', '0']);
    assert.deepEqual(parsePointer('/metadata/annotations/a~1b~0c'), ['metadata', 'annotations', 'a/b~c']);
    // ~01 is "~1" unescaped once, not "/".
    assert.deepEqual(parsePointer('/x~01'), ['x~1']);
    assert.deepEqual(parsePointer('/'), ['']);
    assert.throws(() => parsePointer('spec'), /invalid JSON pointer/);
  });

  it('returns a fresh array each time (callers pop tokens)', () => {
    const a = parsePointer('/a/b');
    a.pop();
    assert.deepEqual(parsePointer('/a/b'), ['a', 'b']);
  });

  it('round-trips joinPointer and reads values with getAt', () => {
    const p = joinPointer('/metadata/labels', 'app.kubernetes.io/name');
    assert.equal(p, '/metadata/labels/app.kubernetes.io~1name');
    assert.equal(getAt({ metadata: { labels: { 'app.kubernetes.io/name': 'web' } } }, p), 'web');
  });
});
