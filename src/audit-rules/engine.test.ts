import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { celAuditRule } from './cel.js';
import { AuditEngine } from './engine.js';
import type { AuditEvent } from './event.js';
import { builtinAuditRules } from './index.js';
import { defineAuditRule } from './rule.js';
import { LruMap, TimeWindow } from './window.js';

let seq = 0;
function ev(over: Record<string, unknown> = {}): AuditEvent {
  seq++;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: `id-${seq}`,
    stage: 'ResponseComplete',
    verb: 'get',
    requestURI: '/api/v1/namespaces/shop/secrets/db',
    user: { username: 'alice', groups: ['dev', 'system:authenticated'] },
    sourceIPs: ['10.1.2.3'],
    objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' },
    responseStatus: { code: 200 },
    stageTimestamp: new Date(Date.parse('2026-12-03T10:00:00Z') + seq * 1000).toISOString(),
    ...over,
  } as AuditEvent;
}

describe('AuditEngine', () => {
  it('evaluates each request once across its stages and skips RequestReceived', () => {
    const engine = new AuditEngine(builtinAuditRules, { include: ['PAL-A030'] });
    const first = ev({ stage: 'RequestReceived', responseStatus: undefined });
    assert.deepEqual(engine.process(first), []);
    const started = ev({ auditID: first.auditID, stage: 'ResponseStarted' });
    const complete = ev({ auditID: first.auditID, stage: 'ResponseComplete' });
    assert.equal(engine.process(started).length, 1);
    assert.equal(engine.process(complete).length, 0);
    assert.equal(engine.stats.requests, 1);
    assert.equal(engine.stats.skipped, 2);
  });

  it('applies configured severity, enabled: false and ignoreUsers', () => {
    const e = ev();
    assert.equal(
      new AuditEngine(builtinAuditRules, { include: ['PAL-A030'], settings: { 'PAL-A030': { severity: 'critical' } } }).process(e)[0]?.severity,
      'critical',
    );
    assert.equal(
      new AuditEngine(builtinAuditRules, { include: ['PAL-A030'], settings: { 'secret-read-by-unexpected-identity': { enabled: false } } }).rules.length,
      0,
    );
    assert.equal(
      new AuditEngine(builtinAuditRules, { include: ['PAL-A030'], settings: { 'PAL-A030': { params: { ignoreUsers: ['ali*'] } } } }).process(ev()).length,
      0,
    );
    assert.equal(
      new AuditEngine(builtinAuditRules, { include: ['PAL-A030'], settings: { 'PAL-A030': { params: { allowedUsers: ['alice'] } } } }).process(ev()).length,
      0,
    );
  });

  it('applies configuration exceptions (kind, namespace, name globs) and their expiry', () => {
    const exceptions = [{ check: 'PAL-A030', kind: 'Secret', namespace: 'shop', reason: 'app reads its own secret' }];
    const keep = new AuditEngine(builtinAuditRules, { include: ['PAL-A030'], exceptions, keepExempt: true, today: '2026-12-03' });
    const [a] = keep.process(ev());
    assert.equal(a?.exemption?.reason, 'app reads its own secret');
    assert.equal(keep.stats.exempt, 1);
    const drop = new AuditEngine(builtinAuditRules, { include: ['PAL-A030'], exceptions, today: '2026-12-03' });
    assert.equal(drop.process(ev()).length, 0);
    const expired = new AuditEngine(builtinAuditRules, {
      include: ['PAL-A030'],
      exceptions: [{ ...exceptions[0], expires: '2026-01-01' } as never],
      today: '2026-12-03',
    });
    assert.equal(expired.process(ev()).length, 1);
    const nonWaivable = new AuditEngine(builtinAuditRules, { include: ['PAL-A030'], exceptions, nonWaivable: ['PAL-A030'], today: '2026-12-03' });
    assert.equal(nonWaivable.process(ev()).length, 1);
  });

  it('throttles per rule and identity and reports how many were dropped', () => {
    const engine = new AuditEngine(builtinAuditRules, { include: ['PAL-A030'], throttle: { max: 2, windowMs: 60_000 } });
    const got = [];
    for (let i = 0; i < 5; i++) got.push(...engine.process(ev()));
    assert.equal(got.length, 2);
    assert.equal(engine.stats.suppressed, 3);
    const later = engine.process(ev({ stageTimestamp: '2026-12-03T11:00:00Z' }));
    assert.equal(later[0]?.suppressed, 3);
  });

  it('keeps a rule that throws from stopping the others', () => {
    const broken = defineAuditRule({
      id: 'TEST-A001',
      name: 'broken',
      title: 'Broken',
      severity: 'low',
      category: 'test',
      frameworks: [],
      docs: { description: 'd', remediation: 'r' },
      target: { kind: 'audit-event' },
      match: {},
      evaluate: () => {
        throw new Error('boom');
      },
    });
    const engine = new AuditEngine([broken, ...builtinAuditRules], { include: ['TEST-A001', 'PAL-A030'] });
    assert.equal(engine.process(ev()).length, 1);
    assert.equal(engine.ruleErrors.get('TEST-A001'), 'boom');
  });

  it('bounds the state of stateful rules (LRU of identities)', () => {
    const engine = new AuditEngine(builtinAuditRules, { include: ['PAL-A103'], limits: { maxKeys: 50 } });
    for (let i = 0; i < 5000; i++) engine.process(ev({ user: { username: `u${i}` }, responseStatus: { code: 403 } }));
    // 5000 identities with one refusal each: no burst, and at most 50 remembered.
    assert.equal(engine.stats.alerts, 0);
    const lru = new LruMap<string, number>(4);
    for (const k of ['a', 'b', 'c', 'd']) lru.set(k, 1);
    assert.equal(lru.get('a'), 1); // recently used: survives the next eviction
    for (const k of ['e', 'f']) lru.set(k, 1);
    assert.ok(lru.size <= 4);
    assert.equal(lru.has('a'), true);
    assert.equal(lru.has('b'), false);
    assert.ok(lru.evicted >= 2);
    for (let i = 0; i < 100_000; i++) lru.set(`k${i}`, i);
    assert.ok(lru.size <= 4);
    const w = new TimeWindow(1000, 5);
    for (let i = 0; i < 100; i++) w.add(i);
    assert.equal(w.count(100), 5);
  });
});

describe('custom CEL audit rules', () => {
  const rule = celAuditRule(
    {
      id: 'ACME-A001',
      name: 'prod-configmap-deleted',
      title: 'ConfigMap deleted in prod',
      severity: 'high',
      frameworks: ['mitre:T1485'],
      match: { resources: ['configmaps'], verbs: ['delete'] },
      condition: "success && event.objectRef.namespace == 'prod' && !user.name.startsWith('system:')",
      messageExpression: "'ConfigMap ' + event.objectRef.name + ' deleted by ' + user.name",
    },
    'rules.yaml',
  );
  it('fires when the condition holds, with the message expression', () => {
    const engine = new AuditEngine([rule]);
    const [a] = engine.process(ev({ verb: 'delete', objectRef: { resource: 'configmaps', namespace: 'prod', name: 'app' } }));
    assert.equal(a?.message, 'ConfigMap app deleted by alice');
    assert.equal(a?.severity, 'high');
    assert.equal(engine.process(ev({ verb: 'delete', objectRef: { resource: 'configmaps', namespace: 'dev', name: 'app' } })).length, 0);
    assert.equal(
      engine.process(ev({ verb: 'delete', user: { username: 'system:x' }, objectRef: { resource: 'configmaps', namespace: 'prod', name: 'app' } })).length,
      0,
    );
  });
  it('treats a missing field as false, and rejects a condition that does not parse', () => {
    const r = celAuditRule({ id: 'ACME-A002', name: 'x', title: 'X', condition: "event.requestObject.data.password != ''" }, 'r.yaml');
    assert.equal(new AuditEngine([r]).process(ev()).length, 0);
    assert.throws(
      () => celAuditRule({ id: 'ACME-A003', name: 'y', title: 'Y', condition: 'event.verb ==' }, 'r.yaml'),
      /r\.yaml: condition: CEL expression does not parse/,
    );
    assert.throws(() => celAuditRule({ id: 'ACME-A004', name: 'z', title: 'Z' }, 'r.yaml'), /condition \(a CEL expression\) is required/);
  });
});
