import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StringPool } from './string-pool.js';

describe('StringPool', () => {
  it('keeps one string per distinct text and leaves the values equal', () => {
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
    pool.internValue(a, true);
    pool.internValue(b, false);
    assert.deepEqual(a, make());
    assert.deepEqual(b, make());
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

  it('leaves scalars that are not strings, and a document that is a bare string, as they are', () => {
    const pool = new StringPool();
    const v = [1, true, null, [2.5, ['deep']], { n: 0 }];
    pool.internValue(v, true);
    assert.deepEqual(v, [1, true, null, [2.5, ['deep']], { n: 0 }]);
    pool.internValue('a bare string document', true);
    assert.equal(pool.size, 1);
  });
});
