/**
 * The cluster monitor against the fake API server in its own process: the first full scan,
 * watch events turned into incremental scans with the right scope (a fixed problem resolves,
 * an RBAC change updates the subject's findings, a deletion resolves the object's findings),
 * dropped watch connections resumed, 410 Gone answered by a relist that catches up, forbidden
 * types in the coverage, stored exceptions applied, snapshots without Secret values.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { JsonObject } from '../src/core/types.js';
import { type ClusterMonitor, monitorCluster } from '../src/server/monitor/index.js';
import { fingerprint } from '../src/server/monitor/findings.js';
import { readSnapshot } from '../src/sources/snapshot.js';
import type { ExceptionRecord, ScanInput } from '../src/store/types.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { writeKubeconfig } from './support/kubeconfig.js';

const RBAC = 'rbac.authorization.k8s.io/v1';

function pod(name: string, privileged: boolean): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'web', uid: `uid-${name}` },
    spec: { serviceAccountName: 'app', containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged } }] },
  };
}

function role(secrets: boolean): JsonObject {
  return {
    apiVersion: RBAC,
    kind: 'Role',
    metadata: { name: 'reader', namespace: 'web' },
    rules: [{ apiGroups: [''], resources: secrets ? ['secrets'] : ['configmaps'], verbs: ['get', 'list'] }],
  };
}

const OBJECTS: JsonObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web', labels: { 'kubernetes.io/metadata.name': 'web' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { 'kubernetes.io/metadata.name': 'other' } } },
  pod('priv', true),
  { ...pod('calm', true), metadata: { name: 'calm', namespace: 'other' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: 'web' } },
  role(true),
  {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'app-reader', namespace: 'web' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'web' }],
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'web' },
    type: 'Opaque',
    data: { password: Buffer.from('hunter2-very-secret').toString('base64') },
  },
];

/** Collects the scans a monitor delivers; `next` waits for one that matches. */
class Scans {
  readonly all: { scan: ScanInput; snapshot: Uint8Array }[] = [];
  #waiters: { match: (s: ScanInput) => boolean; resolve: (s: ScanInput) => void; from: number }[] = [];

  readonly onScan = async (scan: ScanInput, snapshot: Uint8Array): Promise<void> => {
    this.all.push({ scan, snapshot });
    for (const w of [...this.#waiters]) {
      if (w.match(scan)) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(scan);
      }
    }
  };

  /** The next scan delivered from now on that matches. */
  next(match: (s: ScanInput) => boolean): Promise<ScanInput> {
    return new Promise((resolve) => this.#waiters.push({ match, resolve, from: this.all.length }));
  }
}

const has = (s: ScanInput, check: string, name: string): boolean => s.findings.some((f) => f.check === check && f.name === name);
const inScope = (s: ScanInput, key: string): boolean => s.kind === 'incremental' && (s.scope ?? []).includes(key);

describe('cluster monitor (list + watch, incremental scans)', { timeout: 120_000 }, () => {
  let server: FakeApiProcess;
  let kubeconfig: string;
  let monitor: ClusterMonitor;
  const scans = new Scans();
  let exceptions: ExceptionRecord[] = [];

  before(async () => {
    server = await startFakeApiProcess({ objects: OBJECTS, bookmarkIntervalMs: 200 });
    const dir = mkdtempSync(join(tmpdir(), 'palisade-monitor-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, [{ name: 'fake', server: server.url }]);
    monitor = monitorCluster({
      kubeconfig,
      clusterName: 'prod',
      debounceMs: 20,
      backoff: { initialMs: 20, maxMs: 200 },
      exceptions: async () => exceptions,
      onScan: scans.onScan,
    });
  });
  after(async () => {
    await monitor?.stop();
    await server?.close();
  });

  it('delivers a full scan with stable fingerprints and a snapshot without Secret values at start', async () => {
    await monitor.start();
    const status = monitor.status();
    assert.equal(status.ready, true);
    assert.equal(status.cluster, 'prod');
    const first = scans.all[0];
    assert.ok(first);
    assert.equal(first.scan.kind, 'full');
    assert.equal(first.scan.cluster, 'prod');
    const priv = first.scan.findings.find((f) => f.check === 'PAL-0003' && f.name === 'priv');
    assert.ok(priv, 'the privileged pod is reported');
    assert.equal(priv.fingerprint, fingerprint('prod', 'PAL-0003', 'v1', 'Pod', 'web', 'priv', null, '/spec/containers/0/securityContext/privileged'));
    assert.ok(has(first.scan, 'PAL-0401', 'app'), 'the service account that reads secrets is reported');
    const text = gunzipSync(first.snapshot).toString('utf8');
    const lines = text.trim().split('\n');
    assert.deepEqual(JSON.parse(lines[0] as string).kind, 'Snapshot');
    assert.equal(JSON.parse(lines[1] as string).cluster.name, 'prod');
    assert.ok(text.includes('"name":"db"'), 'the Secret is in the snapshot');
    assert.ok(!text.includes(Buffer.from('hunter2-very-secret').toString('base64')) && !text.includes('hunter2'), 'but not its value');
    assert.ok(
      status.watches.every((w) => w.state === 'watching' || w.state === 'stopped'),
      JSON.stringify(status.watches),
    );
    assert.ok(status.coverage.some((c) => c.resource === 'pods' && c.status === 'ok'));
    // The snapshot reads back as `palisade snapshot` files do, with every object the monitor holds.
    const file = join(mkdtempSync(join(tmpdir(), 'palisade-monitor-snap-')), 'prod.snapshot.json.gz');
    writeFileSync(file, first.snapshot);
    const snap = await readSnapshot(file);
    assert.equal(snap.clusters[0]?.name, 'prod');
    assert.equal(snap.clusters[0]?.inventory.size, status.objects);
    assert.ok(snap.clusters[0]?.inventory.get('Pod', 'web', 'priv'));
  });

  it('rescans a fixed object: its finding resolves, other namespaces are out of scope', async () => {
    const next = scans.next((s) => inScope(s, 'v1/Pod/web/priv'));
    await server.apply([pod('priv', false)]);
    const scan = await next;
    assert.equal(scan.kind, 'incremental');
    assert.ok(!has(scan, 'PAL-0003', 'priv'), 'the privileged finding is gone from the rescan');
    assert.ok(has(scan, 'PAL-0102', 'priv'), 'findings the change did not fix are reported again');
    assert.ok(!(scan.scope ?? []).includes('v1/Pod/other/calm'), 'a namespace nothing changed in is not rescanned');
    assert.ok(!scan.findings.some((f) => f.namespace === 'other'), 'and none of its findings are sent');
  });

  it('an RBAC change updates the subject findings', async () => {
    const next = scans.next((s) => inScope(s, `${RBAC}/Role/web/reader`));
    await server.apply([role(false)]);
    const scan = await next;
    assert.ok((scan.scope ?? []).includes('v1/ServiceAccount/web/app'), 'the subject of the binding is in scope');
    assert.ok(!has(scan, 'PAL-0401', 'app'), 'the service account no longer reads secrets');
    assert.ok(!has(scan, 'PAL-0302', 'reader'));
  });

  it('a deleted object is in scope with no findings', async () => {
    const next = scans.next((s) => inScope(s, 'v1/Pod/web/priv') && !s.findings.some((f) => f.name === 'priv'));
    await server.remove([pod('priv', false)]);
    const scan = await next;
    assert.ok(!scan.findings.some((f) => f.kind === 'Pod' && f.name === 'priv'));
  });

  it('applies stored exceptions from the next scan on', async () => {
    exceptions = [
      {
        id: 'ex-1',
        cluster: 'prod',
        check: 'pss-privileged',
        namespace: 'web',
        kind: 'Pod',
        name: 'w*',
        reason: 'accepted',
        expires: null,
        createdBy: 'admin',
        createdAt: new Date().toISOString(),
        revokedBy: null,
        revokedAt: null,
      },
    ];
    const next = scans.next((s) => inScope(s, 'v1/Pod/web/worker'));
    await server.apply([pod('worker', true)]);
    const scan = await next;
    const f = scan.findings.find((x) => x.check === 'PAL-0003' && x.name === 'worker');
    assert.ok(f);
    assert.equal(f.exceptionId, 'ex-1');
    assert.equal(scan.findings.find((x) => x.check === 'PAL-0102' && x.name === 'worker')?.exceptionId, null);
    exceptions = [];
  });

  it('resumes after a dropped watch connection without losing the change', async () => {
    const before = monitor.status().watches.find((w) => w.type === 'pods');
    assert.ok(before);
    await server.watches('drop');
    const next = scans.next((s) => inScope(s, 'v1/Pod/web/after-drop'));
    await server.apply([pod('after-drop', true)]);
    const scan = await next;
    assert.ok(has(scan, 'PAL-0003', 'after-drop'));
    const now = monitor.status().watches.find((w) => w.type === 'pods');
    assert.ok(now && now.reconnects > before.reconnects, 'the pods watch reconnected');
  });

  it('relists after 410 Gone and catches up on changes it missed', async () => {
    const before = monitor.status().watches.find((w) => w.type === 'pods');
    assert.ok(before);
    await server.watches('refuse');
    // While the watch cannot connect: a new pod, a deletion, and a compaction past the monitor's resourceVersion.
    await server.apply([pod('missed', true)]);
    await server.remove([pod('after-drop', true)]);
    await server.compact();
    const next = scans.next((s) => inScope(s, 'v1/Pod/web/missed') && inScope(s, 'v1/Pod/web/after-drop'));
    await server.watches('accept');
    const scan = await next;
    assert.ok(has(scan, 'PAL-0003', 'missed'), 'the pod created while disconnected is scanned');
    assert.ok(!scan.findings.some((f) => f.name === 'after-drop'), 'the pod deleted while disconnected is resolved');
    const now = monitor.status().watches.find((w) => w.type === 'pods');
    assert.ok(now && now.relists > before.relists, 'the pods type was relisted');
  });

  it('relists when the server ends a watch with a 410 ERROR event', async () => {
    const before = monitor.status().watches.find((w) => w.type === 'pods');
    assert.ok(before);
    await server.watches('expire');
    const next = scans.next((s) => inScope(s, 'v1/Pod/web/after-expire'));
    await server.apply([pod('after-expire', true)]);
    await next;
    const now = monitor.status().watches.find((w) => w.type === 'pods');
    assert.ok(now && now.relists > before.relists);
  });

  it('runs a full scan on request that matches the incremental state', async () => {
    await monitor.scanNow();
    const full = scans.all.at(-1)?.scan;
    assert.ok(full && full.kind === 'full');
    assert.ok(has(full, 'PAL-0003', 'missed'));
    assert.ok(!has(full, 'PAL-0401', 'app'));
    assert.ok(!full.findings.some((f) => f.name === 'priv' || f.name === 'after-drop'));
    assert.equal(monitor.status().queued, 0);
  });
});

describe('cluster monitor with missing permissions', { timeout: 60_000 }, () => {
  it('records forbidden types in the coverage and still scans the rest', async () => {
    const server = await startFakeApiProcess({
      objects: OBJECTS,
      tokens: { t: 'viewer' },
      access: [{ allow: false, resource: 'secrets' }],
    });
    const dir = mkdtempSync(join(tmpdir(), 'palisade-monitor-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, [{ name: 'fake', server: server.url, token: 't' }]);
    const scans = new Scans();
    const monitor = monitorCluster({ kubeconfig, onScan: scans.onScan, backoff: { initialMs: 20, maxMs: 100 } });
    try {
      await monitor.start();
      const status = monitor.status();
      assert.equal(status.cluster, 'fake');
      const secrets = status.coverage.find((c) => c.resource === 'secrets');
      assert.equal(secrets?.status, 'forbidden');
      assert.match(secrets?.reason ?? '', /forbidden \(403\)/);
      assert.equal(status.watches.find((w) => w.type === 'secrets')?.state, 'forbidden');
      const full = scans.all[0]?.scan;
      assert.ok(full?.coverage.some((c) => c.resource === 'secrets' && c.status === 'forbidden'));
      assert.ok(full && has(full, 'PAL-0003', 'priv'));
      assert.ok(
        !gunzipSync(scans.all[0]?.snapshot ?? new Uint8Array())
          .toString('utf8')
          .includes('"name":"db"'),
        'no Secret object in the snapshot',
      );
    } finally {
      await monitor.stop();
      await server.close();
    }
  });

  it('fails start with a one-line error when the credentials are refused', async () => {
    const server = await startFakeApiProcess({ objects: OBJECTS, tokens: { t: 'viewer' } });
    const dir = mkdtempSync(join(tmpdir(), 'palisade-monitor-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, [{ name: 'fake', server: server.url, token: 'wrong' }]);
    const monitor = monitorCluster({ kubeconfig, onScan: async () => {} });
    try {
      await assert.rejects(monitor.start(), (err: Error) => /refused the credentials/.test(err.message) && !err.message.includes('\n'));
    } finally {
      await monitor.stop();
      await server.close();
    }
  });
});
