import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { PalisadeError } from '../core/errors.js';
import { defaultStorePath, describeStore, maskPassword, parseStoreUrl } from './url.js';

describe('store URLs', () => {
  it('defaults to palisade.db under the user data directory', () => {
    assert.equal(defaultStorePath({ XDG_DATA_HOME: '/data' }), '/data/palisade/palisade.db');
    assert.equal(defaultStorePath({ XDG_DATA_HOME: '', HOME: '/home/me' }), '/home/me/.local/share/palisade/palisade.db');
    assert.deepEqual(parseStoreUrl(undefined, { HOME: '/home/me' }), { kind: 'sqlite', path: '/home/me/.local/share/palisade/palisade.db' });
    assert.deepEqual(parseStoreUrl('', { XDG_DATA_HOME: '/x' }), { kind: 'sqlite', path: '/x/palisade/palisade.db' });
  });

  it('reads sqlite:FILE in its relative, absolute, home and triple-slash forms', () => {
    assert.deepEqual(parseStoreUrl('sqlite:/var/lib/p.db'), { kind: 'sqlite', path: '/var/lib/p.db' });
    assert.deepEqual(parseStoreUrl('sqlite:///var/lib/p.db'), { kind: 'sqlite', path: '/var/lib/p.db' });
    assert.deepEqual(parseStoreUrl('sqlite:data/p.db'), { kind: 'sqlite', path: resolve('data/p.db') });
    assert.deepEqual(parseStoreUrl('sqlite:~/p.db', { HOME: '/home/me' }), { kind: 'sqlite', path: join('/home/me', 'p.db') });
    assert.deepEqual(parseStoreUrl('sqlite::memory:'), { kind: 'sqlite', path: ':memory:' });
    assert.throws(() => parseStoreUrl('sqlite:'), /no file after sqlite:/);
  });

  it('reads PostgreSQL URLs and never shows their password', () => {
    const loc = parseStoreUrl('postgres://pal:s%40cret@db.internal:5432/palisade?sslmode=require');
    assert.deepEqual(loc, { kind: 'postgres', url: 'postgres://pal:s%40cret@db.internal:5432/palisade?sslmode=require', password: 's@cret' });
    assert.equal(describeStore(loc), 'postgres://pal:***@db.internal:5432/palisade?sslmode=require');
    assert.equal(parseStoreUrl('postgresql://pal@db/palisade').kind, 'postgres');
    assert.equal(describeStore(parseStoreUrl('postgresql://pal@db/palisade')), 'postgresql://pal@db/palisade');
    assert.equal(maskPassword('postgres://u:p@h/d'), 'postgres://u:***@h/d');
    assert.equal(maskPassword('postgres://h/d'), 'postgres://h/d');
    assert.equal(describeStore({ kind: 'sqlite', path: '/x.db' }), 'sqlite:/x.db');
  });

  it('rejects other schemes and broken URLs with a usage error that hides the password', () => {
    for (const bad of ['mysql://u:topsecret@h/d', 'postgres://u:topsecret@:5432/d', 'palisade.db']) {
      assert.throws(
        () => parseStoreUrl(bad),
        (err: unknown) => {
          assert.ok(err instanceof PalisadeError);
          assert.equal(err.code, 'usage');
          assert.equal(err.exitCode, 2);
          assert.ok(!err.message.includes('topsecret'), err.message);
          assert.match(err.message, /sqlite:FILE|postgres:\/\/USER@HOST/);
          return true;
        },
      );
    }
  });
});
