import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StringPool } from './string-pool.js';

describe('StringPool', () => {
  it('copies values with one string per distinct text, equal to what was parsed', () => {
    const pool = new StringPool();
    const make = (): Record<string, unknown> => ({
      metadata: { name: 'frontend-deployment-a', labels: { app: 'frontend', tier: 'web' } },
      spec: {
        replicas: 3,
        paused: false,
        strategy: null,
        containers: [{ image: 'registry.example.com/frontend:1.2.3', args: ['--port', '8080', 'frontend'] }],
      },
    });
    const a = make();
    const b = make();
    const ca = pool.compact(a, true);
    const cb = pool.compact(b, false);
    assert.deepEqual(ca, make());
    assert.deepEqual(cb, make());
    // A copy: the parsed value is left as it was.
    assert.notEqual(ca, a);
    assert.notEqual((ca as { spec: unknown }).spec, a.spec);
    // name, frontend, web, the image, --port, 8080: 'frontend' is counted once.
    assert.equal(pool.size, 6);
  });

  it('gives back an equal string for a view into a larger text, and the pooled one after', () => {
    const pool = new StringPool();
    const text = `apiVersion: v1\nkind: ConfigMap\ndata:\n  key: ${'long-value-'.repeat(4)}\n`;
    const view = text.slice(text.indexOf('long'), text.length - 1);
    const own = pool.intern(view, true);
    assert.equal(own, view);
    assert.equal(pool.intern(`${'long-value-'.repeat(4)}`, false), own);
    assert.equal(pool.size, 1);
  });

  it('leaves scalars that are not strings as they are, and pools a document that is a bare string', () => {
    const pool = new StringPool();
    assert.deepEqual(pool.compact([1, true, null, [2.5, ['deep']], { n: 0 }], true), [1, true, null, [2.5, ['deep']], { n: 0 }]);
    assert.equal(pool.compact('a bare string document', true), 'a bare string document');
    assert.equal(pool.compact(42, true), 42);
    assert.equal(pool.size, 2);
  });

  it('keeps a "__proto__" key as data, never as the prototype', () => {
    const pool = new StringPool();
    const parsed = JSON.parse('{"metadata": {"__proto__": {"polluted": "yes"}, "name": "x"}}') as { metadata: object };
    const copy = pool.compact(parsed, true) as { metadata: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(copy.metadata), Object.prototype);
    assert.deepEqual(Object.keys(copy.metadata), ['__proto__', 'name']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(copy.metadata, '__proto__')?.value, { polluted: 'yes' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
