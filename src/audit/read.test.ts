/**
 * Reading audit logs: malformed input (truncated lines, unknown fields, huge request objects,
 * non-events), gzip (whole and truncated), directories of rotated files, and the cloud export
 * formats (EKS CloudWatch, GKE Cloud Logging, AKS diagnostics).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { AuditEvent } from '../audit-rules/event.js';
import { normalizeRecord } from './formats.js';
import { expandInputs, type InputProblem, readAuditFile } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'palisade-audit-read-'));
const event = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: id,
  stage: 'ResponseComplete',
  verb: 'get',
  requestURI: '/api/v1/namespaces/a/secrets/s',
  user: { username: 'alice' },
  objectRef: { resource: 'secrets', namespace: 'a', name: 's' },
  responseStatus: { code: 200 },
  ...extra,
});

async function readAll(file: string, maxEventBytes = 1024 * 1024): Promise<{ events: AuditEvent[]; problems: InputProblem[] }> {
  const problems: InputProblem[] = [];
  const events: AuditEvent[] = [];
  for await (const e of readAuditFile(file, { maxEventBytes, onProblem: (p) => problems.push(p) })) events.push(e);
  return { events, problems };
}

describe('readAuditFile on malformed input', () => {
  it('reports truncated lines, non-events and non-JSON with their line and keeps going', async () => {
    const file = join(dir, 'mixed.jsonl');
    const good = JSON.stringify(event('a'));
    writeFileSync(
      file,
      [
        good,
        good.slice(0, 40),
        '',
        'garbage',
        '{"kind":"Pod","metadata":{}}',
        '[1,2',
        JSON.stringify(event('b')),
        JSON.stringify(event('c')).slice(0, -5),
      ].join('\n'),
    );
    const { events, problems } = await readAll(file);
    assert.deepEqual(
      events.map((e) => e.auditID),
      ['a', 'b'],
    );
    assert.deepEqual(
      problems.map((p) => p.line),
      [2, 4, 5, 6, 8],
    );
    assert.match(problems[0]?.message ?? '', /not valid JSON.*truncated/);
    assert.match(problems[2]?.message ?? '', /not an audit event/);
  });

  it('keeps events with unknown fields (a newer API server) and CRLF line ends', async () => {
    const file = join(dir, 'unknown.jsonl');
    writeFileSync(file, `${JSON.stringify(event('a', { futureField: { x: [1, 2] }, objectRef: { resource: 'secrets', newRefField: true } }))}\r\n`);
    const { events, problems } = await readAll(file);
    assert.equal(events.length, 1);
    assert.deepEqual(problems, []);
  });

  it('skips an event larger than the cap without holding it, and reads the next one', async () => {
    const file = join(dir, 'huge.jsonl');
    const huge = JSON.stringify(event('big', { requestObject: { data: { blob: 'x'.repeat(3 * 1024 * 1024) } } }));
    writeFileSync(file, `${huge}\n${JSON.stringify(event('after'))}\n`);
    const { events, problems } = await readAll(file, 1024 * 1024);
    assert.deepEqual(
      events.map((e) => e.auditID),
      ['after'],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 1);
    assert.match(problems[0]?.message ?? '', /larger than 1048576 bytes/);
    // Under a larger cap the same event is read.
    assert.equal((await readAll(file, 8 * 1024 * 1024)).events.length, 2);
  });

  it('reads gzip files, and a truncated gzip up to the damage', async () => {
    const text = `${[1, 2, 3].map((i) => JSON.stringify(event(`g${i}`))).join('\n')}\n`;
    const file = join(dir, 'audit.log.gz');
    writeFileSync(file, gzipSync(text));
    assert.equal((await readAll(file)).events.length, 3);
    const cut = join(dir, 'cut.log.gz');
    const gz = gzipSync(`${text.repeat(200)}`);
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await readAll(cut);
    assert.ok(r.events.length > 0 && r.events.length < 600);
    assert.match(r.problems.at(-1)?.message ?? '', /gzip stream is corrupt or truncated/);
  });

  it('orders a directory of rotated logs oldest first', async () => {
    const rot = mkdtempSync(join(dir, 'rot-'));
    const names = ['audit.log', 'audit-2026-12-01T00-00-00.000.log.gz', 'audit-2026-12-02T00-00-00.000.log'];
    names.forEach((n, i) => {
      writeFileSync(join(rot, n), '');
      const t = new Date(Date.parse('2026-12-03T00:00:00Z') - (3 - i) * 3_600_000);
      utimesSync(join(rot, n), t, t);
    });
    const t0 = new Date('2026-11-01T00:00:00Z');
    utimesSync(join(rot, names[1] as string), t0, t0);
    const files = (await expandInputs([rot])).map((f) => f.slice(rot.length + 1));
    assert.deepEqual(files, ['audit-2026-12-01T00-00-00.000.log.gz', 'audit.log', 'audit-2026-12-02T00-00-00.000.log']);
    await assert.rejects(expandInputs([join(dir, 'nope')]), /no such file or directory/);
  });
});

describe('cloud export formats', () => {
  it('reads an EKS CloudWatch export: filter-log-events JSON, message lines and S3 timestamped lines', async () => {
    const e = event('eks1', { user: { username: 'kubernetes-admin' } });
    const doc = join(dir, 'cw.json');
    writeFileSync(doc, JSON.stringify({ events: [{ logStreamName: 'kube-apiserver-audit-1', timestamp: 1, message: JSON.stringify(e) }] }, null, 2));
    assert.deepEqual(
      (await readAll(doc)).events.map((x) => x.auditID),
      ['eks1'],
    );
    const lines = join(dir, 'cw.jsonl');
    writeFileSync(
      lines,
      `${JSON.stringify({ '@timestamp': 'x', '@message': JSON.stringify(event('eks2')) })}\n2026-12-03T09:16:25.342Z ${JSON.stringify(event('eks3'))}\n`,
    );
    assert.deepEqual(
      (await readAll(lines)).events.map((x) => x.auditID),
      ['eks2', 'eks3'],
    );
  });

  it('converts GKE Cloud Logging AuditLog entries into Kubernetes events', () => {
    const entry = {
      insertId: 'abc',
      logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity',
      operation: { id: 'op-1', producer: 'k8s.io', first: true, last: true },
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        authenticationInfo: { principalEmail: 'mallory@example.com' },
        methodName: 'io.k8s.core.v1.pods.exec.create',
        resourceName: 'core/v1/namespaces/shop/pods/web/exec',
        requestMetadata: { callerIp: '203.0.113.9', callerSuppliedUserAgent: 'kubectl/v1.30' },
        status: { code: 7, message: 'forbidden' },
        request: { '@type': 'core.k8s.io/v1.PodExecOptions', command: ['sh'] },
      },
      labels: { 'authorization.k8s.io/decision': 'forbid' },
      timestamp: '2026-12-03T10:00:00Z',
    };
    const n = normalizeRecord(entry);
    assert.ok('events' in n);
    const e = n.events[0] as AuditEvent;
    assert.equal(e.auditID, 'op-1');
    assert.equal(e.verb, 'create');
    assert.deepEqual(e.objectRef, { apiVersion: 'v1', namespace: 'shop', resource: 'pods', name: 'web', subresource: 'exec' });
    assert.equal(e.user?.username, 'mallory@example.com');
    assert.equal(e.responseStatus?.code, 403);
    assert.deepEqual(e.sourceIPs, ['203.0.113.9']);
    assert.deepEqual(e.requestObject, { command: ['sh'] });
    assert.equal(e.annotations?.['authorization.k8s.io/decision'], 'forbid');
    const rbac = normalizeRecord({
      ...entry,
      protoPayload: {
        ...entry.protoPayload,
        methodName: 'io.k8s.authorization.rbac.v1.clusterrolebindings.create',
        resourceName: 'rbac.authorization.k8s.io/v1/clusterrolebindings/x',
        status: {},
      },
    });
    assert.ok('events' in rbac);
    assert.deepEqual(rbac.events[0]?.objectRef, { apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1', resource: 'clusterrolebindings', name: 'x' });
    assert.equal(rbac.events[0]?.responseStatus?.code, 200);
  });

  it('reads AKS diagnostic exports (storage/Event Hub records) and Log Analytics AKSAudit rows', () => {
    const rec = normalizeRecord({
      records: [
        {
          category: 'kube-audit',
          operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
          properties: { log: JSON.stringify(event('aks1')), stream: 'stdout', pod: 'kube-apiserver-x' },
        },
      ],
    });
    assert.ok('events' in rec && rec.events[0]?.auditID === 'aks1');
    const row = normalizeRecord({
      TimeGenerated: '2026-12-03T10:00:00Z',
      AuditId: 'aks2',
      Stage: 'ResponseComplete',
      Verb: 'create',
      RequestUri: '/api/v1/namespaces/kube-system/serviceaccounts',
      User: '{"username":"bob","groups":["system:authenticated"]}',
      ObjectRef: { resource: 'serviceaccounts', namespace: 'kube-system', name: 'x' },
      ResponseStatus: { code: 201 },
      SourceIps: ['10.0.0.1'],
      Type: 'AKSAudit',
    });
    assert.ok('events' in row);
    const e = row.events[0] as AuditEvent;
    assert.equal(e.auditID, 'aks2');
    assert.equal(e.user?.username, 'bob');
    assert.equal(e.requestURI, '/api/v1/namespaces/kube-system/serviceaccounts');
    assert.deepEqual(e.sourceIPs, ['10.0.0.1']);
  });

  it('reads EventList batches and says why something is not an event', () => {
    const n = normalizeRecord({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [event('l1'), { nope: 1 }, event('l2')] });
    assert.ok('events' in n && n.events.length === 2);
    assert.deepEqual(normalizeRecord({ hello: 'world' }), { problem: 'not an audit event (no auditID, verb or known export wrapper)' });
  });
});
