import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PalisadeError } from '../core/errors.js';
import { formatSubject, isCatchAllGroup, parseServiceAccountUsername, parseSubject, serviceAccountUsername, userInfoOf } from './identity.js';

describe('parseSubject', () => {
  it('reads users, groups and service accounts', () => {
    assert.deepEqual(parseSubject('user:alice'), { kind: 'User', name: 'alice' });
    assert.deepEqual(parseSubject('group:system:masters'), { kind: 'Group', name: 'system:masters' });
    assert.deepEqual(parseSubject('sa:shop/web'), { kind: 'ServiceAccount', namespace: 'shop', name: 'web' });
    assert.deepEqual(parseSubject('serviceaccount:shop/web'), { kind: 'ServiceAccount', namespace: 'shop', name: 'web' });
  });
  it('treats a service account user name as the service account', () => {
    assert.deepEqual(parseSubject('user:system:serviceaccount:ci:builder'), { kind: 'ServiceAccount', namespace: 'ci', name: 'builder' });
    // Not exactly two parts: an ordinary user, as serviceaccount.SplitUsername decides.
    assert.deepEqual(parseSubject('user:system:serviceaccount:ci'), { kind: 'User', name: 'system:serviceaccount:ci' });
  });
  it('rejects other forms as usage errors', () => {
    for (const bad of ['alice', 'sa:web', 'sa:/web', 'sa:a/b/c', 'user:', 'robot:x']) {
      assert.throws(
        () => parseSubject(bad),
        (e: unknown) => e instanceof PalisadeError && e.code === 'usage',
        bad,
      );
    }
  });
  it('formats back', () => {
    for (const s of ['user:alice', 'group:dev', 'sa:shop/web']) assert.equal(formatSubject(parseSubject(s)), s);
  });
});

describe('service account user names', () => {
  it('round-trip', () => {
    assert.equal(serviceAccountUsername('a', 'b'), 'system:serviceaccount:a:b');
    assert.deepEqual(parseServiceAccountUsername('system:serviceaccount:a:b'), { namespace: 'a', name: 'b' });
    assert.equal(parseServiceAccountUsername('system:serviceaccount:a:b:c'), undefined);
    assert.equal(parseServiceAccountUsername('alice'), undefined);
  });
});

describe('userInfoOf: the groups the API server gives an impersonated identity', () => {
  it('a user is in system:authenticated', () => {
    assert.deepEqual(userInfoOf(parseSubject('user:alice')), { name: 'alice', groups: ['system:authenticated'] });
  });
  it('system:anonymous is in system:unauthenticated only', () => {
    assert.deepEqual(userInfoOf(parseSubject('user:system:anonymous')), { name: 'system:anonymous', groups: ['system:unauthenticated'] });
  });
  it('a service account is in its two service account groups and system:authenticated', () => {
    assert.deepEqual(userInfoOf(parseSubject('sa:shop/web')).groups, ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated']);
    assert.equal(userInfoOf(parseSubject('sa:shop/web')).name, 'system:serviceaccount:shop:web');
  });
  it('--as-group adds groups; system:authenticated is added unless a catch-all group is given', () => {
    assert.deepEqual(userInfoOf(parseSubject('user:alice'), ['dev']).groups, ['dev', 'system:authenticated']);
    assert.deepEqual(userInfoOf(parseSubject('user:alice'), ['system:unauthenticated']).groups, ['system:unauthenticated']);
    assert.deepEqual(userInfoOf(parseSubject('user:alice'), ['system:authenticated', 'dev']).groups, ['system:authenticated', 'dev']);
    assert.deepEqual(userInfoOf(parseSubject('sa:shop/web'), ['dev']).groups, ['dev', 'system:authenticated']);
  });
  it('a group subject stands for any member', () => {
    assert.deepEqual(userInfoOf(parseSubject('group:dev')), { name: '', groups: ['dev', 'system:authenticated'] });
    assert.deepEqual(userInfoOf(parseSubject('group:system:unauthenticated')), { name: '', groups: ['system:unauthenticated'] });
  });
});

describe('isCatchAllGroup', () => {
  it('knows the implicit groups', () => {
    for (const g of ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:serviceaccounts:x'])
      assert.equal(isCatchAllGroup(g), true, g);
    for (const g of ['system:masters', 'dev', 'system:serviceaccount']) assert.equal(isCatchAllGroup(g), false, g);
  });
});
