/**
 * The live-cluster source against the fake API server (in its own process, so that nothing in
 * this process keeps the event loop alive for the client), over HTTPS with a test CA and real
 * kubeconfig files: authentication (token, client certificate, exec plugin, in-cluster
 * service account), discovery, pagination, honest coverage (forbidden types, namespace-
 * restricted tokens, dropped connections, expired continue tokens, timeouts, a broken
 * aggregated API), owner linking, Secret redaction, multi-cluster, and the same findings
 * from a live scan, a snapshot of it and a file scan of the same objects.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defineCheck } from '../src/core/check.js';
import { PalisadeError } from '../src/core/errors.js';
import type { Finding, JsonObject } from '../src/core/types.js';
import { loadSource, scanLoaded, type SourceSpec } from '../src/scan.js';
import { type ClusterLoadOptions, loadClusters } from '../src/sources/cluster/index.js';
import { readSnapshot, writeSnapshot } from '../src/sources/snapshot.js';
import { type FakeApiConfig, type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { fixtureClusterObjects } from './support/fixture-cluster.js';
import { type TestContext, writeKubeconfig } from './support/kubeconfig.js';
import { createTestPki, hasOpenssl, type TestPki } from './support/pki.js';

const TOKENS = { 'admin-token': 'admin', 'carol-token': 'carol' };
/** Fast retries: the behaviour is under test, not the back-off. */
const FAST: ClusterLoadOptions = { retryDelayMs: 5, pageSize: 3 };

/** A check that reads NetworkPolicies through the inventory, as namespace-level network checks do. */
const namespaceHasPolicy = defineCheck({
  id: 'TEST-0001',
  name: 'test-namespace-has-policy',
  title: 'Namespace has a NetworkPolicy',
  severity: 'low',
  category: 'test',
  frameworks: [],
  docs: { description: 'test', remediation: 'test' },
  target: { kind: 'resource', kinds: ['Namespace'] },
  needs: ['NetworkPolicy'],
  evaluate: ({ resource, inventory }) =>
    inventory.ofKind('NetworkPolicy').some((p) => p.ref.namespace === resource.ref.name)
      ? undefined
      : { message: `Namespace ${resource.ref.name} has no NetworkPolicy` },
});
/** A check on Secrets that only reads derived facts. */
const secretKeyInOpaque = defineCheck({
  id: 'TEST-0002',
  name: 'test-private-key-in-opaque-secret',
  title: 'Private key in an Opaque Secret',
  severity: 'low',
  category: 'test',
  frameworks: [],
  docs: { description: 'test', remediation: 'test' },
  target: { kind: 'resource', kinds: ['Secret'] },
  evaluate: () => undefined,
});

function project(f: Finding): Record<string, unknown> {
  return {
    check: f.check,
    status: f.status,
    kind: f.resource.kind,
    namespace: f.resource.namespace,
    name: f.resource.name,
    container: f.container,
    pointer: f.pointer,
    message: f.message,
    affectedPods: f.affectedPods,
    evidence: f.evidence,
  };
}
const sortKey = (p: Record<string, unknown>): string => JSON.stringify(p);

describe('cluster source', { skip: hasOpenssl() ? false : 'openssl is not installed (.ci/run installs it)' }, () => {
  let dir: string;
  let pki: TestPki;
  const servers: FakeApiProcess[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-cluster-'));
    pki = await createTestPki(dir, ['alice']);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  async function serve(options: FakeApiConfig = {}): Promise<FakeApiProcess> {
    const server = await startFakeApiProcess({ pki: dir, clientCerts: true, tokens: TOKENS, ...options });
    servers.push(server);
    return server;
  }
  let n = 0;
  function kubeconfig(contexts: readonly Omit<TestContext, 'caFile'>[]): string {
    return writeKubeconfig(
      join(dir, `kubeconfig-${++n}`),
      contexts.map((c) => ({ caFile: pki.caFile, ...c })),
    );
  }
  const admin = (server: FakeApiProcess, name = 'test'): Omit<TestContext, 'caFile'> => ({ name, server: server.url, token: 'admin-token' });

  it('reads every served type over TLS with a token, page by page, and links owned objects', async () => {
    const server = await serve();
    const [cluster] = await loadClusters({ ...FAST, kubeconfig: kubeconfig([admin(server)]) });
    assert.ok(cluster);
    assert.equal(cluster.kubernetesVersion, 'v1.31.0');
    assert.equal(cluster.inventory.size, fixtureClusterObjects().length);
    assert.ok(cluster.coverage.every((t) => t.status === 'ok'));
    const types = new Set(cluster.coverage.map((t) => `${t.resource}.${t.group}`));
    for (const t of [
      'pods.',
      'deployments.apps',
      'cronjobs.batch',
      'networkpolicies.networking.k8s.io',
      'clusterroles.rbac.authorization.k8s.io',
      'poddisruptionbudgets.policy',
    ]) {
      assert.ok(types.has(t), t);
    }
    assert.ok(types.has('validatingwebhookconfigurations.admissionregistration.k8s.io'));
    assert.ok(types.has('rollouts.argoproj.io'), 'custom resources of CRDs are listed');
    assert.ok(!types.has('events.') && !types.has('events.events.k8s.io'), 'events are not listed');
    assert.ok(!types.has('bindings.'), 'types without list are not listed');
    // Pagination: 8 pods in pages of 3 take three requests.
    assert.equal((await server.requests()).filter((r) => r.path.startsWith('/api/v1/pods?')).length, 3);
    // Objects get apiVersion/kind back and lose status and managed fields.
    const web = cluster.inventory.get('Deployment', 'shop', 'web');
    assert.equal(web?.object.apiVersion, 'apps/v1');
    assert.equal(web?.object.status, undefined);
    assert.equal((web?.object.metadata as JsonObject | undefined)?.managedFields, undefined);
    assert.equal(web?.ref.cluster, 'test');
    // Owned objects are linked to their owner.
    const pod = cluster.inventory.get('Pod', 'payments', 'checkout-7c9d-a');
    assert.equal(pod && cluster.inventory.workloadOwnerOf(pod)?.ref.kind, 'ReplicaSet');
    const rollout = cluster.inventory.get('Rollout', 'payments', 'checkout');
    assert.equal(rollout && cluster.inventory.podCountOf(rollout), 3);
  });

  it('reports findings once on the owner with affected pods, including custom resources with pod templates', async () => {
    const server = await serve();
    const report = scanLoaded(await loadSource({ kind: 'cluster', options: { ...FAST, kubeconfig: kubeconfig([admin(server)]) } }), { today: '2026-06-01' });
    assert.equal(report.coverage?.percent, 100);
    assert.deepEqual(report.clusters?.[0]?.name, 'test');
    const onOwnedPods = report.findings.filter((f) => f.resource.kind === 'Pod' && f.resource.name !== 'debug');
    assert.deepEqual(onOwnedPods, [], 'Pods of controllers are reported through their controller');
    assert.ok(!report.findings.some((f) => f.resource.kind === 'ReplicaSet' || f.resource.kind === 'Job'));
    const socket = report.findings.find((f) => f.name === 'container-runtime-socket-mount' && f.resource.kind === 'Rollout');
    assert.ok(socket, 'the Rollout (a CRD with a pod template) is checked like a workload');
    assert.equal(socket.affectedPods, 3);
    assert.match(socket.pointer, /^\/spec\/template\/spec\//);
    assert.equal(socket.resource.cluster, 'test');
    const web = report.findings.find((f) => f.resource.kind === 'Deployment' && f.resource.name === 'web');
    assert.equal(web?.affectedPods, 2);
    const debug = report.findings.find((f) => f.resource.kind === 'Pod' && f.resource.name === 'debug');
    assert.equal(debug?.affectedPods, undefined);
    // No Secret value reaches the report.
    const text = JSON.stringify(report);
    for (const leaked of ['hunter2', Buffer.from('hunter2-but-longer').toString('base64'), 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'])
      assert.ok(!text.includes(leaked), leaked);
  });

  it('authenticates with a client certificate, an exec plugin and the in-cluster service account; refuses a bad token', async () => {
    const server = await serve();
    const plugin = join(dir, 'credential-plugin.mjs');
    writeFileSync(
      plugin,
      `const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO ?? '{}');
if (info.kind !== 'ExecCredential') process.exit(3);
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'admin-token' } }));\n`,
    );
    const kc = kubeconfig([
      { name: 'cert', server: server.url, clientCertFile: pki.clients.alice?.certFile as string, clientKeyFile: pki.clients.alice?.keyFile as string },
      { name: 'exec', server: server.url, exec: { command: process.execPath, args: [plugin] } },
      { name: 'bad', server: server.url, token: 'wrong' },
    ]);
    const [cert] = await loadClusters({ ...FAST, kubeconfig: kc, contexts: ['cert'] });
    assert.equal(cert?.inventory.size, fixtureClusterObjects().length);
    const [exec] = await loadClusters({ ...FAST, kubeconfig: kc, contexts: ['exec'] });
    assert.equal(exec?.inventory.size, fixtureClusterObjects().length);
    const users = new Set((await server.requests()).map((r) => r.user));
    assert.ok(users.has('alice') && users.has('admin'));
    await assert.rejects(
      loadClusters({ ...FAST, kubeconfig: kc, contexts: ['bad'] }),
      (e: unknown) => e instanceof PalisadeError && e.code === 'cluster-auth' && e.exitCode === 3,
    );

    const sa = join(dir, 'serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'admin-token');
    writeFileSync(join(sa, 'ca.crt'), pki.ca);
    const port = new URL(server.url).port;
    const [pod] = await loadClusters({
      ...FAST,
      env: { HOME: join(dir, 'no-home'), KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
      serviceAccountDir: sa,
    });
    assert.equal(pod?.name, 'in-cluster');
    assert.equal(pod?.inventory.size, fixtureClusterObjects().length);
  });

  it('records a forbidden resource type: checks needing it report errors with the reason, never passes', async () => {
    const server = await serve({
      access: [
        { allow: false, resource: 'secrets' },
        { allow: false, resource: 'networkpolicies' },
      ],
    });
    const loaded = await loadSource({ kind: 'cluster', options: { ...FAST, kubeconfig: kubeconfig([admin(server)]) } });
    const report = scanLoaded(loaded, { extraChecks: [namespaceHasPolicy, secretKeyInOpaque], include: ['TEST-*'], includePassed: true });
    const forbidden = report.coverage?.types.filter((t) => t.status === 'forbidden').map((t) => t.resource);
    assert.deepEqual(forbidden?.sort(), ['networkpolicies', 'secrets']);
    assert.match(report.coverage?.types.find((t) => t.resource === 'secrets')?.reason ?? '', /^forbidden \(403\): secrets is forbidden/);
    assert.ok((report.coverage?.percent ?? 100) < 100);
    const policy = report.findings.filter((f) => f.check === 'TEST-0001');
    assert.deepEqual(
      policy.map((f) => [f.status, f.resource.kind]),
      [['error', 'Cluster']],
      'no pass and no false fail without the NetworkPolicies: one error for the cause, not one per Namespace',
    );
    assert.match(policy[0]?.message ?? '', /networkpolicies\.networking\.k8s\.io: forbidden; 4 objects not evaluated/);
    assert.equal(policy[0]?.evidence?.objects, 4);
    const secrets = report.findings.filter((f) => f.check === 'TEST-0002');
    assert.deepEqual(
      secrets.map((f) => [f.status, f.resource.kind]),
      [['error', 'Cluster']],
    );
    assert.match(secrets[0]?.message ?? '', /could not be fully evaluated: secrets: forbidden/);
    assert.ok(report.diagnostics.some((d) => d.code === 'coverage-incomplete'));
  });

  it('falls back to per-namespace lists with a namespace-restricted token and reports what it could read', async () => {
    // carol may list namespaces, and read what is in shop and payments; nothing cluster-wide.
    const server = await serve({
      access: [
        { allow: true, user: 'admin' },
        { allow: true, resource: 'namespaces', verb: 'list', namespace: null, group: '' },
        { allow: true, namespace: ['shop', 'payments'] },
        { allow: false },
      ],
    });
    const kc = kubeconfig([{ name: 'carol', server: server.url, token: 'carol-token' }]);
    const loaded = await loadSource({ kind: 'cluster', options: { ...FAST, kubeconfig: kc } });
    const report = scanLoaded(loaded, { extraChecks: [namespaceHasPolicy], includePassed: true });
    const pods = report.coverage?.types.find((t) => t.resource === 'pods');
    assert.equal(pods?.status, 'partial');
    assert.deepEqual(pods?.namespacesRead, ['payments', 'shop']);
    assert.deepEqual(pods?.namespacesDenied, ['default', 'kube-system']);
    assert.equal(report.coverage?.types.find((t) => t.resource === 'clusterroles')?.status, 'forbidden');
    assert.ok((await server.requests()).some((r) => r.path.startsWith('/api/v1/namespaces/shop/pods?') && r.status === 200));
    const inventory = loaded[0]?.inventory;
    assert.ok(inventory?.get('Deployment', 'shop', 'web'));
    assert.equal(inventory?.get('DaemonSet', 'kube-system', 'node-agent'), undefined);
    assert.ok(
      report.findings.some((f) => f.resource.name === 'web' && f.status === 'fail'),
      'what could be read is still reported',
    );
    // NetworkPolicies of shop were read: its namespace check passes; kube-system's and default's
    // cannot be confirmed: one error for the check names the cause and counts them.
    const policy = (ns: string) => report.findings.find((f) => f.check === 'TEST-0001' && f.resource.name === ns)?.status;
    assert.equal(policy('shop'), 'pass');
    assert.equal(policy('payments'), 'fail');
    assert.equal(policy('kube-system'), undefined);
    const errors = report.findings.filter((f) => f.check === 'TEST-0001' && f.status === 'error');
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0]?.evidence?.examples, ['Namespace default', 'Namespace kube-system']);
    assert.match(errors[0]?.message ?? '', /not read in namespaces default, kube-system; 2 objects not evaluated/);
    const percent = report.coverage?.percent ?? 100;
    assert.ok(percent > 0 && percent < 100, String(percent));
  });

  it('with namespaces not listable: uses --namespace, or reports reduced coverage and says how to fix it', async () => {
    const server = await serve({
      access: [{ allow: true, namespace: 'shop' }, { allow: true, resource: 'namespaces', verb: 'get', name: 'shop' }, { allow: false }],
    });
    const kc = kubeconfig([{ name: 'carol', server: server.url, token: 'carol-token' }]);
    const [named] = await loadClusters({ ...FAST, kubeconfig: kc, namespaces: ['shop'] });
    const byType = (c: typeof named, r: string) => c?.coverage.find((t) => t.resource === r);
    assert.equal(byType(named, 'pods')?.status, 'ok');
    assert.equal(byType(named, 'namespaces')?.status, 'ok', 'the named Namespace is read with GET');
    assert.ok(named?.inventory.get('Namespace', undefined, 'shop'));
    assert.ok(named?.inventory.get('Deployment', 'shop', 'web'));
    const [blind] = await loadClusters({ ...FAST, kubeconfig: kc });
    assert.equal(byType(blind, 'pods')?.status, 'forbidden');
    assert.match(byType(blind, 'pods')?.reason ?? '', /pass --namespace/);
    assert.equal(blind?.inventory.size, 0);
  });

  it('retries a connection dropped mid-list, and records a list that keeps failing', async () => {
    const server = await serve({
      faults: [
        { type: 'drop', match: { resource: 'pods', page: 1 }, times: 1 },
        { type: 'drop', match: { resource: 'configmaps' } },
      ],
    });
    const [cluster] = await loadClusters({ ...FAST, kubeconfig: kubeconfig([admin(server)]) });
    assert.equal(cluster?.inventory.ofKind('Pod').length, 8, 'the dropped page was fetched again');
    assert.equal(cluster?.coverage.find((t) => t.resource === 'pods')?.status, 'ok');
    const cm = cluster?.coverage.find((t) => t.resource === 'configmaps');
    assert.equal(cm?.status, 'failed');
    assert.match(cm?.reason ?? '', /connection dropped/);
    assert.equal((await server.requests()).filter((r) => r.path.startsWith('/api/v1/configmaps')).length, 3, 'one try and two retries');
  });

  it('restarts a list once when its continue token expires (410 Gone), and records a second expiry', async () => {
    const server = await serve({ faults: [{ type: 'expire-continue', match: { resource: 'pods' }, times: 1 }] });
    const [cluster] = await loadClusters({ ...FAST, kubeconfig: kubeconfig([admin(server)]) });
    const pods = cluster?.inventory.ofKind('Pod') ?? [];
    assert.equal(pods.length, 8);
    assert.equal(new Set(pods.map((p) => p.ref.name)).size, 8, 'no pod counted twice');
    assert.equal((await server.requests()).filter((r) => r.path.startsWith('/api/v1/pods?') && !r.path.includes('continue=')).length, 2);
    const again = await serve({ faults: [{ type: 'expire-continue', match: { resource: 'pods' }, times: 2 }] });
    const [failed] = await loadClusters({ ...FAST, kubeconfig: kubeconfig([admin(again)]) });
    const cov = failed?.coverage.find((t) => t.resource === 'pods');
    assert.equal(cov?.status, 'failed');
    assert.match(cov?.reason ?? '', /410/);
    assert.equal(failed?.inventory.ofKind('Pod').length, 0);
  });

  it('records timeouts, retries server errors and survives a broken aggregated API', async () => {
    const server = await serve({
      faults: [
        // Nodes never answer in time; the deadline is long enough that a loaded machine does
        // not time out the other (instant) answers too.
        { type: 'delay', match: { resource: 'nodes' }, ms: 60_000 },
        { type: 'status', match: { resource: 'deployments.apps' }, status: 503, times: 1 },
        { type: 'status', match: { path: '/apis/argoproj.io/v1alpha1' }, status: 503 },
      ],
    });
    const [cluster] = await loadClusters({ ...FAST, timeoutMs: 3_000, kubeconfig: kubeconfig([admin(server)]) });
    const nodes = cluster?.coverage.find((t) => t.resource === 'nodes');
    assert.equal(nodes?.status, 'failed');
    assert.match(nodes?.reason ?? '', /timed out after 3s/);
    assert.equal(cluster?.coverage.find((t) => t.resource === 'deployments')?.status, 'ok');
    const discovery = cluster?.coverage.find((t) => t.group === 'argoproj.io');
    assert.deepEqual([discovery?.resource, discovery?.status], ['*', 'failed']);
    assert.match(discovery?.reason ?? '', /discovery failed: service unavailable \(503\)/);
    assert.equal(cluster?.inventory.ofKind('Rollout').length, 0);
  });

  it('skips Secrets with --no-secrets and excluded namespaces with --exclude-namespace', async () => {
    const server = await serve();
    const [cluster] = await loadClusters({ ...FAST, kubeconfig: kubeconfig([admin(server)]), secrets: false, excludeNamespaces: ['kube-system'] });
    assert.ok(!(await server.requests()).some((r) => r.path.includes('/secrets')), 'Secrets are never requested');
    const secrets = cluster?.coverage.find((t) => t.resource === 'secrets');
    assert.deepEqual([secrets?.status, secrets?.reason], ['skipped', '--no-secrets']);
    assert.ok(
      (await server.requests()).some(
        (r) => r.path.startsWith('/api/v1/pods?') && decodeURIComponent(r.path).includes('fieldSelector=metadata.namespace!=kube-system'),
      ),
    );
    assert.ok(!cluster?.inventory.all.some((r) => r.ref.namespace === 'kube-system' || (r.ref.kind === 'Namespace' && r.ref.name === 'kube-system')));
    const report = scanLoaded(cluster ? [{ inventory: cluster.inventory, sources: [], diagnostics: [], coverage: cluster.coverage }] : []);
    assert.equal(report.coverage?.percent, 100, 'a type skipped on purpose does not lower coverage');
  });

  it('scans several contexts into one report, each finding tagged with its cluster', async () => {
    const a = await serve();
    const b = await serve({ objects: fixtureClusterObjects().filter((o) => o.kind !== 'Rollout') });
    const fileA = kubeconfig([admin(a, 'east')]);
    const fileB = kubeconfig([admin(b, 'west'), { name: 'down', server: 'https://127.0.0.1:9', token: 'admin-token' }]);
    const env = { KUBECONFIG: [fileA, fileB].join(delimiter) };
    const report = scanLoaded(await loadSource({ kind: 'cluster', options: { ...FAST, env, allContexts: true } }));
    assert.deepEqual(
      report.clusters?.map((c) => [c.name, c.coveragePercent]),
      [
        ['east', 100],
        ['west', 100],
        ['down', 0],
      ],
    );
    assert.ok(report.diagnostics.some((d) => d.level === 'error' && d.code === 'cluster-unreachable' && d.message.includes('context down')));
    assert.deepEqual(new Set(report.findings.map((f) => f.resource.cluster)), new Set(['east', 'west', 'down']));
    const down = report.findings.filter((f) => f.resource.cluster === 'down');
    assert.equal(down.length, report.summary.checksRun, 'one error per check for the cluster that could not be read');
    assert.ok(down.every((f) => f.status === 'error' && f.resource.kind === 'Cluster'));
    assert.ok(report.findings.some((f) => f.resource.cluster === 'east' && f.resource.kind === 'Rollout'));
    assert.ok(!report.findings.some((f) => f.resource.cluster === 'west' && f.resource.kind === 'Rollout'));
    assert.deepEqual(new Set(report.coverage?.types.map((t) => t.cluster)), new Set(['east', 'west', 'down']));
    assert.deepEqual(report.sources, ['cluster:east', 'cluster:west', 'cluster:down']);
  });

  it('gives the same findings from a live scan, a snapshot of it, and a file scan of the same objects', async () => {
    const server = await serve();
    const options = { extraChecks: [namespaceHasPolicy], includePassed: true, today: '2026-06-01' };
    const live = scanLoaded(await loadSource({ kind: 'cluster', options: { ...FAST, kubeconfig: kubeconfig([admin(server)]) } }), options);

    const snapshotFile = join(dir, 'cluster.snapshot.json.gz');
    const clusters = await loadClusters({ ...FAST, kubeconfig: kubeconfig([admin(server)]) });
    await writeSnapshot(snapshotFile, clusters);
    const snap = await readSnapshot(snapshotFile);
    assert.equal(snap.clusters[0]?.inventory.size, clusters[0]?.inventory.size);
    const fromSnapshot = scanLoaded(await loadSource({ kind: 'snapshot', file: snapshotFile }), options);
    assert.deepEqual(fromSnapshot.findings, live.findings, 'snapshot scan = live scan, cluster tags included');
    assert.deepEqual(fromSnapshot.coverage, live.coverage);
    assert.deepEqual(fromSnapshot.clusters, live.clusters);

    // The same objects as manifests (with status, managed fields, and Secret values in clear).
    const manifests = join(dir, 'manifests');
    mkdirSync(manifests);
    writeFileSync(
      join(manifests, 'all.yaml'),
      fixtureClusterObjects()
        .map((o) => `---\n${JSON.stringify(o)}\n`)
        .join(''),
    );
    const files: SourceSpec = { kind: 'files', paths: [manifests] };
    const fromFiles = scanLoaded(await loadSource(files), options);
    const a = live.findings.map(project).sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
    const b = fromFiles.findings.map(project).sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
    assert.ok(a.length > 50, `a realistic number of findings (${a.length})`);
    assert.deepEqual(b, a);
  });
});
