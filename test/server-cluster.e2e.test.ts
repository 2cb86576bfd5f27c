/**
 * The "done when" of issue 16's server: `palisade serve --cluster` (the built CLI) against the
 * project's test API server (its own process) shows the cluster's findings through the API,
 * follows a change through the watch (the fixed pod's finding resolves), and keeps the
 * finding's history across the two scans. Polling waits for the server, never a fixed time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../src/core/types.js';
import { CLI } from './support/cli.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { writeKubeconfig } from './support/kubeconfig.js';
import { webPod as pod } from './support/fixtures.js';
import { apiCall, createToken, type Served, startServe } from './support/serve.js';

const OBJECTS: JsonObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web', labels: { 'kubernetes.io/metadata.name': 'web' } } },
  pod('priv', true),
  pod('calm', false),
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('palisade serve --cluster against the test API server', { timeout: 120_000 }, () => {
  let dir: string;
  let api: FakeApiProcess;
  let server: Served;
  let viewer: string;

  const get = (path: string) => apiCall(server.url, path, viewer);

  async function until<T>(what: () => Promise<T | undefined>): Promise<T> {
    for (;;) {
      const v = await what();
      if (v !== undefined) return v;
      if (server.child.exitCode !== null) throw new Error(`palisade serve exited: ${server.stderr()}`);
      await sleep(50);
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-serve-cluster-'));
    api = await startFakeApiProcess({ objects: OBJECTS, bookmarkIntervalMs: 200 });
    const kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, [{ name: 'fake', server: api.url }]);
    const store = `sqlite:${join(dir, 'palisade.db')}`;
    viewer = await createToken(store, 'victor', 'viewer');
    server = await startServe(['--cluster', '--kubeconfig', kubeconfig, '--listen', '127.0.0.1:0', '--store', store, '--metrics-open']);
  });

  after(async () => {
    await server?.stop();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is ready once the first full scan is stored, and shows its findings', async () => {
    await until(async () => ((await fetch(`${server.url}/readyz`)).status === 200 ? true : undefined));
    const clusters = await get('/api/v1/clusters');
    assert.deepEqual(
      clusters.json.items.map((c: { name: string; source: string }) => [c.name, c.source]),
      [['fake', 'server']],
    );
    const findings = await get('/api/v1/findings?cluster=fake&check=PAL-0003');
    assert.equal(findings.status, 200);
    assert.deepEqual(
      findings.json.items.map((f: { name: string }) => f.name),
      ['priv'],
    );
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    assert.match(metrics, /palisade_watch_ready\{cluster="fake"\} 1/);
    assert.match(metrics, /palisade_watch_lag_seconds\{cluster="fake"\} /);
    const inventory = await get('/api/v1/clusters/fake/inventory');
    assert.equal(inventory.status, 200);
  });

  it('refuses a context the kubeconfig does not name at start: exit 2, one line, nothing served', () => {
    const r = spawnSync(
      process.execPath,
      [CLI, 'serve', '--context', 'nope', '--kubeconfig', join(dir, 'kubeconfig'), '--listen', '127.0.0.1:0', '--store', `sqlite:${join(dir, 'other.db')}`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /nope/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stdout, /listening/);
  });

  it('follows a change through the watch: the fixed pod is resolved, with its history', async () => {
    const open = await get('/api/v1/findings?cluster=fake&check=PAL-0003');
    const id = open.json.items[0].id as string;
    await api.apply([pod('priv', false)]);
    const resolved = await until(async () => {
      const f = await get(`/api/v1/clusters/fake/findings/${id}`);
      return f.json.status === 'resolved' ? f.json : undefined;
    });
    assert.ok(resolved.resolvedAt);
    const history = await get(`/api/v1/clusters/fake/findings/${id}/history`);
    assert.deepEqual(
      history.json.items.map((e: { event: string }) => e.event),
      ['opened', 'resolved'],
    );
    const scans = await get('/api/v1/scans?cluster=fake');
    assert.ok(scans.json.total >= 2);
    assert.equal(scans.json.items[0].kind, 'incremental');
    assert.equal((await get('/api/v1/findings?cluster=fake&check=PAL-0003')).json.total, 0);
  });
});

describe('palisade serve --token-review: the cluster authenticates and authorizes API callers', { timeout: 120_000 }, () => {
  let dir: string;
  let api: FakeApiProcess;
  let server: Served;

  const call = async (token: string, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-serve-review-'));
    api = await startFakeApiProcess({
      objects: OBJECTS,
      tokens: { 'server-token': 'system:serviceaccount:palisade:server', 'alice-token': 'alice', 'bob-token': 'bob', 'eve-token': 'eve' },
      access: [
        { allow: true, user: 'alice', group: 'palisade.dev' },
        { allow: true, user: 'bob', group: 'palisade.dev', verb: 'get', resource: 'findings' },
        { allow: false, group: 'palisade.dev' },
      ],
    });
    const kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, [{ name: 'fake', server: api.url, token: 'server-token' }]);
    server = await startServe(['--cluster', '--kubeconfig', kubeconfig, '--token-review', '--listen', '127.0.0.1:0', '--store', `sqlite:${join(dir, 'p.db')}`]);
  });

  after(async () => {
    await server?.stop();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('maps palisade.dev permissions to roles: admin, viewer, none (403); unknown tokens are 401', async () => {
    assert.deepEqual((await call('alice-token', '/api/v1/me')).json, { name: 'alice', role: 'admin' });
    assert.deepEqual((await call('bob-token', '/api/v1/me')).json, { name: 'bob', role: 'viewer' });
    const eve = await call('eve-token', '/api/v1/me');
    assert.equal(eve.status, 403);
    assert.match(String((eve.json.error as { message: string }).message), /no palisade\.dev role/);
    assert.equal((await call('eve-token', '/api/v1/me')).status, 403, 'also from the cache');
    assert.equal((await call('junk', '/api/v1/me')).status, 401);
  });

  it('lets the cluster admin create an exception, recorded under the Kubernetes user; the viewer cannot', async () => {
    const body = JSON.stringify({ check: 'PAL-0003', namespace: 'web', reason: 'debug pod' });
    assert.equal((await call('bob-token', '/api/v1/exceptions', { method: 'POST', body })).status, 403);
    const created = await call('alice-token', '/api/v1/exceptions', { method: 'POST', body });
    assert.equal(created.status, 201);
    assert.equal(created.json.createdBy, 'alice');
  });
});
