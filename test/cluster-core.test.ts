/**
 * The core pieces cluster scanning relies on: normalisation and Secret redaction, ownership
 * links, coverage-aware check results, coverage percentages and multi-cluster merging.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCheck } from '../src/core/check.js';
import { runChecks } from '../src/core/engine.js';
import { Inventory } from '../src/core/inventory.js';
import { REDACTED, SECRET_FACTS_FIELD, secretFacts } from '../src/credentials/secret-facts.js';
import { normalizeObject } from '../src/sources/normalize.js';
import { computeCoverage, gapsFromCoverage } from '../src/core/report.js';
import type { JsonObject, ResourceTypeCoverage } from '../src/core/types.js';
import { mergeReports, scanInventory } from '../src/scan.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('normalizeObject', () => {
  it('drops status, managed fields and the last-applied annotation', () => {
    const o = normalizeObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'a', managedFields: [{ manager: 'x' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: { replicas: 1 },
      status: { replicas: 1 },
    });
    assert.deepEqual(o, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { replicas: 1 } });
  });

  it('redacts Secrets: no value survives, keys and derived facts do', () => {
    const secret: JsonObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 's',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { password: b64('hunter2-but-longer') } }), team: 'a' },
      },
      type: 'Opaque',
      data: { password: b64('hunter2-but-longer'), 'key.pem': b64(PEM) },
      stringData: { token: 'plain-text-token' },
    };
    const o = normalizeObject(secret);
    const text = JSON.stringify(o);
    for (const leaked of ['hunter2', b64('hunter2-but-longer'), 'PRIVATE KEY', b64(PEM), 'plain-text-token']) assert.ok(!text.includes(leaked), leaked);
    assert.deepEqual(o.data, { password: REDACTED, 'key.pem': REDACTED });
    assert.equal(o.stringData, undefined);
    const annotations = (o.metadata as JsonObject).annotations as JsonObject;
    assert.equal(annotations.team, 'a');
    assert.deepEqual(JSON.parse(annotations['kubectl.kubernetes.io/last-applied-configuration'] as string), { data: { password: REDACTED } });
    // The facts are the same whether computed from the clear manifest or the redacted object.
    assert.deepEqual(secretFacts(o), secretFacts(secret));
    assert.equal(secretFacts(o)['key.pem']?.credential, 'private-key');
    assert.equal(secretFacts(o)['key.pem']?.bytes, Buffer.byteLength(PEM));
    assert.ok(o[SECRET_FACTS_FIELD]);
    // Idempotent: normalising a redacted Secret changes nothing.
    assert.deepEqual(normalizeObject(o), o);
  });
});

const uid = (n: number): string => `uid-${n}`;
function owned(kind: string, name: string, owner: JsonObject | undefined, spec: JsonObject, n: number): JsonObject {
  const om = owner?.metadata as JsonObject | undefined;
  return {
    apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1',
    kind,
    metadata: {
      name,
      namespace: 'ns',
      uid: uid(n),
      ...(owner
        ? {
            ownerReferences: [
              { apiVersion: String(owner.apiVersion), kind: String(owner.kind), name: String(om?.name), uid: String(om?.uid), controller: true },
            ],
          }
        : {}),
    },
    spec,
  };
}

describe('ownership', () => {
  const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };
  const deploy = owned('Deployment', 'web', undefined, { template: { spec: podSpec } }, 1);
  const rs = owned('ReplicaSet', 'web-1', deploy, { template: { spec: podSpec } }, 2);
  const pods = [owned('Pod', 'web-1-a', rs, podSpec, 3), owned('Pod', 'web-1-b', rs, podSpec, 4)];
  const mirror: JsonObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'etcd-node', namespace: 'ns', uid: 'm', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node', uid: 'n', controller: true }] },
    spec: podSpec,
  };
  const node: JsonObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node', uid: 'n' } };

  it('links Pods and ReplicaSets to their workload and counts pods on the owner', () => {
    const inv = new Inventory();
    for (const o of [deploy, rs, ...pods, mirror, node]) inv.add({ object: o });
    const [d, r, p1] = inv.all;
    assert.equal(inv.workloadOwnerOf(p1 as never)?.ref.name, 'web-1');
    assert.equal(inv.workloadOwnerOf(r as never)?.ref.name, 'web');
    assert.equal(inv.workloadOwnerOf(d as never), undefined);
    assert.equal(inv.podCountOf(d as never), 2);
    assert.equal(inv.podCountOf(r as never), 2);
    // A mirror Pod owned by a Node is not linked: its findings stay its own.
    assert.equal(inv.workloadOwnerOf(inv.get('Pod', 'ns', 'etcd-node') as never), undefined);
  });

  it('reports findings once, on the owner, with the number of affected pods', () => {
    const inv = new Inventory();
    for (const o of [deploy, rs, ...pods, mirror, node]) inv.add({ object: o });
    const check = defineCheck({
      id: 'TEST-0001',
      name: 'always',
      title: 't',
      severity: 'low',
      category: 'test',
      frameworks: [],
      docs: { description: 'd', remediation: 'r' },
      target: { kind: 'container' },
      evaluate: ({ container }) => ({ path: '/image', message: `container ${container.name} fails` }),
    });
    const { findings } = runChecks(inv, { checks: [check] });
    assert.deepEqual(
      findings.map((f) => [f.resource.kind, f.resource.name, f.affectedPods]),
      [
        ['Deployment', 'web', 2],
        ['Pod', 'etcd-node', undefined],
      ],
    );
  });
});

describe('coverage-aware results', () => {
  const needsPolicy = defineCheck({
    id: 'TEST-0002',
    name: 'namespace-has-policy',
    title: 't',
    severity: 'low',
    category: 'test',
    frameworks: [],
    docs: { description: 'd', remediation: 'r' },
    target: { kind: 'resource', kinds: ['Namespace'] },
    needs: ['NetworkPolicy'],
    evaluate: ({ resource, inventory }) =>
      inventory.ofKind('NetworkPolicy').some((p) => p.ref.namespace === resource.ref.name) ? undefined : { message: `${resource.ref.name} has no policy` },
  });
  const onSecrets = defineCheck({
    id: 'TEST-0003',
    name: 'secret-check',
    title: 't',
    severity: 'low',
    category: 'test',
    frameworks: [],
    docs: { description: 'd', remediation: 'r' },
    target: { kind: 'resource', kinds: ['Secret'] },
    evaluate: () => undefined,
  });
  const inv = new Inventory({ cluster: 'c1' });
  for (const ns of ['a', 'b', 'c']) inv.add({ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
  inv.add({ object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' } } });
  const type = (over: Partial<ResourceTypeCoverage>): ResourceTypeCoverage => ({
    group: '',
    version: 'v1',
    resource: 'x',
    kind: 'X',
    namespaced: true,
    status: 'ok',
    objects: 0,
    ...over,
  });

  it('turns passes and fails into errors where needed data is missing, and says why once per check', () => {
    const coverage = [
      type({
        group: 'networking.k8s.io',
        resource: 'networkpolicies',
        kind: 'NetworkPolicy',
        status: 'partial',
        namespacesRead: ['a'],
        namespacesDenied: ['b', 'c'],
      }),
      type({ resource: 'secrets', kind: 'Secret', status: 'forbidden', reason: 'forbidden (403): no' }),
    ];
    const { findings, perCheck } = runChecks(inv, { checks: [needsPolicy, onSecrets], includePassed: true, gaps: gapsFromCoverage(coverage) });
    const byName = (n: string) => findings.find((f) => f.check === 'TEST-0002' && f.resource.name === n);
    assert.equal(byName('a')?.status, 'pass');
    assert.equal(byName('b')?.status, 'error');
    assert.match(byName('b')?.message ?? '', /unconfirmed: b has no policy .*networkpolicies\.networking\.k8s\.io: not read in namespaces b, c/);
    const summary = findings.filter((f) => f.resource.kind === 'Cluster');
    assert.deepEqual(
      summary.map((f) => [f.check, f.status, f.resource.name, f.resource.cluster]),
      [
        ['TEST-0002', 'error', 'c1', 'c1'],
        ['TEST-0003', 'error', 'c1', 'c1'],
      ],
    );
    assert.match(summary[1]?.message ?? '', /secrets: forbidden/);
    assert.deepEqual(perCheck.get('TEST-0003'), { pass: 0, fail: 0, exempt: 0, error: 1 });
  });

  it('computes the coverage percentage (partial types by namespaces read, skipped types left out)', () => {
    const c = computeCoverage([
      type({ status: 'ok' }),
      type({ status: 'forbidden' }),
      type({ status: 'partial', namespacesRead: ['a'], namespacesDenied: ['b', 'c', 'd'] }),
      type({ status: 'skipped' }),
    ]);
    assert.equal(c.percent, 41.6);
    assert.deepEqual(c.counts, { ok: 1, partial: 1, forbidden: 1, failed: 0, skipped: 1 });
    assert.equal(computeCoverage([]).percent, 100);
  });

  it('merges reports of several clusters', () => {
    const second = new Inventory({ cluster: 'c2' });
    second.add({ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'z' } } });
    const options = { extraChecks: [needsPolicy], include: ['TEST-*'], today: '2026-01-01' };
    const r1 = scanInventory(inv, { ...options, cluster: { name: 'c1' }, coverage: [type({ status: 'ok' })] });
    const r2 = scanInventory(second, { ...options, cluster: { name: 'c2' }, coverage: [type({ status: 'forbidden' })] });
    const merged = mergeReports([r1, r2]);
    assert.equal(merged.resources, 5);
    assert.deepEqual(
      merged.clusters?.map((c) => [c.name, c.coveragePercent]),
      [
        ['c1', 100],
        ['c2', 0],
      ],
    );
    assert.equal(merged.coverage?.percent, 50);
    assert.deepEqual(new Set(merged.findings.map((f) => f.resource.cluster)), new Set(['c1', 'c2']));
    assert.equal(merged.perCheck['TEST-0002']?.fail, 3);
  });
});
