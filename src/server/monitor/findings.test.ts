import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../core/types.js';
import type { ExceptionRecord } from '../../store/types.js';
import { fingerprint, objectKey, toFindingInputs } from './findings.js';
import { backoffDelay } from './watch.js';

function finding(over: Partial<Finding> = {}): Finding {
  return {
    check: 'PAL-0003',
    name: 'pss-privileged',
    title: 'Privileged container',
    severity: 'high',
    defaultSeverity: 'high',
    category: 'pod-security',
    status: 'fail',
    resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'web', name: 'api', cluster: 'prod' },
    pointer: '/spec/containers/0/securityContext/privileged',
    message: 'privileged',
    frameworks: ['cis:5.2.1'],
    ...over,
  };
}

function exception(over: Partial<ExceptionRecord> = {}): ExceptionRecord {
  return {
    id: 'ex-1',
    cluster: null,
    check: 'pss-privileged',
    namespace: null,
    kind: null,
    name: null,
    reason: 'accepted',
    expires: null,
    createdBy: 'admin',
    createdAt: '2026-01-01T00:00:00Z',
    revokedBy: null,
    revokedAt: null,
    ...over,
  };
}

describe('monitor findings', () => {
  it('fingerprints the place, not the wording or the severity', () => {
    const [a] = toFindingInputs('prod', [finding()], []);
    const [b] = toFindingInputs('prod', [finding({ message: 'reworded', severity: 'critical' })], []);
    const [c] = toFindingInputs('staging', [finding()], []);
    const [d] = toFindingInputs('prod', [finding({ pointer: '/spec/containers/1/securityContext/privileged' })], []);
    assert.equal(a?.fingerprint, b?.fingerprint);
    assert.notEqual(a?.fingerprint, c?.fingerprint);
    assert.notEqual(a?.fingerprint, d?.fingerprint);
    assert.match(a?.fingerprint ?? '', /^[0-9a-f]{32}$/);
    assert.equal(a?.fingerprint, fingerprint('prod', 'PAL-0003', 'v1', 'Pod', 'web', 'api', null, '/spec/containers/0/securityContext/privileged'));
  });

  it('keeps two violations at one place apart, and drops passes and exempt findings', () => {
    const out = toFindingInputs('prod', [finding(), finding({ message: 'second' }), finding({ status: 'pass' }), finding({ status: 'exempt' })], []);
    assert.equal(out.length, 2);
    assert.notEqual(out[0]?.fingerprint, out[1]?.fingerprint);
  });

  it('applies active, matching exceptions only', () => {
    const now = '2026-06-01T12:00:00Z';
    const one = (e: ExceptionRecord): string | null => toFindingInputs('prod', [finding()], [e], now)[0]?.exceptionId ?? null;
    assert.equal(one(exception()), 'ex-1');
    assert.equal(one(exception({ check: 'PAL-0003', name: 'a*', kind: 'Pod', namespace: 'web', cluster: 'prod' })), 'ex-1');
    assert.equal(one(exception({ check: '*' })), 'ex-1');
    assert.equal(one(exception({ expires: '2026-06-01' })), 'ex-1', 'holds through its expiry day');
    assert.equal(one(exception({ expires: '2026-05-31' })), null, 'expired');
    assert.equal(one(exception({ revokedAt: '2026-05-01T00:00:00Z', revokedBy: 'admin' })), null, 'revoked');
    assert.equal(one(exception({ cluster: 'staging' })), null);
    assert.equal(one(exception({ name: 'b*' })), null);
    assert.equal(one(exception({ check: 'PAL-0001' })), null);
  });

  it('keys objects as the store scope does', () => {
    assert.equal(objectKey({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'web', name: 'api' } }), 'apps/v1/Deployment/web/api');
    assert.equal(objectKey({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }), 'v1/Node//n1');
  });

  it('backs off exponentially with jitter, capped', () => {
    assert.equal(
      backoffDelay(0, 500, 30_000, () => 1),
      500,
    );
    assert.equal(
      backoffDelay(0, 500, 30_000, () => 0),
      250,
    );
    assert.equal(
      backoffDelay(3, 500, 30_000, () => 1),
      4000,
    );
    assert.equal(
      backoffDelay(20, 500, 30_000, () => 1),
      30_000,
    );
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(4, 500, 30_000);
      assert.ok(d >= 4000 && d <= 8000);
    }
  });
});
