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
import { computeCoverage, describeDegradedAnalysis, gapsFromCoverage } from '../src/core/report.js';
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

  it('does not evaluate objects whose needed data is missing, and reports that once per check and cause with the count', () => {
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
    const onNamespaces = findings.filter((f) => f.check === 'TEST-0002' && f.resource.kind === 'Namespace');
    assert.deepEqual(
      onNamespaces.map((f) => [f.resource.name, f.status]),
      [['a', 'pass']],
      'no pass, no fail and no error per object where the NetworkPolicies were not read',
    );
    const summary = findings.filter((f) => f.resource.kind === 'Cluster');
    assert.deepEqual(
      summary.map((f) => [f.check, f.status, f.resource.name, f.resource.cluster]),
      [
        ['TEST-0002', 'error', 'c1', 'c1'],
        ['TEST-0003', 'error', 'c1', 'c1'],
      ],
    );
    assert.match(
      summary[0]?.message ?? '',
      /could not be fully evaluated: networkpolicies\.networking\.k8s\.io: not read in namespaces b, c; 2 objects not evaluated \(Namespace b, Namespace c\), 2 unconfirmed failures/,
    );
    assert.deepEqual(summary[0]?.evidence, {
      missingKinds: ['NetworkPolicy'],
      objects: 2,
      unconfirmedFailures: 2,
      examples: ['Namespace b', 'Namespace c'],
    });
    assert.match(summary[1]?.message ?? '', /secrets: forbidden$/);
    assert.deepEqual(perCheck.get('TEST-0002'), { pass: 1, fail: 0, exempt: 0, error: 1 });
    assert.deepEqual(perCheck.get('TEST-0003'), { pass: 0, fail: 0, exempt: 0, error: 1 });
  });

  it('counts an object once however many of its containers a check evaluates, and names at most five', () => {
    const many = new Inventory({ cluster: 'c1' });
    for (let i = 0; i < 7; i++) {
      many.add({
        object: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `p${i}`, namespace: 'x' },
          spec: {
            containers: [
              { name: 'a', image: 'a' },
              { name: 'b', image: 'b' },
            ],
          },
        },
      });
    }
    const perContainer = defineCheck({
      id: 'TEST-0004',
      name: 'per-container',
      title: 't',
      severity: 'low',
      category: 'test',
      frameworks: [],
      docs: { description: 'd', remediation: 'r' },
      target: { kind: 'container' },
      needs: ['LimitRange'],
      evaluate: () => undefined,
    });
    const gaps = gapsFromCoverage([type({ resource: 'limitranges', kind: 'LimitRange', status: 'forbidden' })]);
    const { findings } = runChecks(many, { checks: [perContainer], gaps });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.evidence?.objects, 7);
    assert.deepEqual(findings[0]?.evidence?.examples, ['Pod x/p0', 'Pod x/p1', 'Pod x/p2', 'Pod x/p3', 'Pod x/p4']);
    assert.match(findings[0]?.message ?? '', /7 objects not evaluated \(Pod x\/p0, .*, Pod x\/p4, \.\.\.\)$/);
  });

  it('treats the reads of a model a check uses as its needs', () => {
    const usesModel = defineCheck({
      id: 'TEST-0005',
      name: 'uses-model',
      title: 't',
      severity: 'low',
      category: 'test',
      frameworks: [],
      docs: { description: 'd', remediation: 'r' },
      target: { kind: 'resource', kinds: ['Namespace'] },
      uses: ['rbac'],
      evaluate: () => undefined,
    });
    const models = [{ name: 'rbac', reads: ['ClusterRole'], build: () => ({}) }];
    const gaps = gapsFromCoverage([
      type({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, status: 'forbidden' }),
    ]);
    const { findings } = runChecks(inv, { checks: [usesModel], gaps, models, includePassed: true });
    assert.deepEqual(
      findings.map((f) => [f.resource.kind, f.status]),
      [['Cluster', 'error']],
    );
    assert.match(findings[0]?.message ?? '', /clusterroles\.rbac\.authorization\.k8s\.io: forbidden; 3 objects not evaluated/);
  });

  it('weights coverage by what the checks read and names the degraded analyses', () => {
    const types = [
      type({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, status: 'forbidden' }),
      type({ resource: 'secrets', kind: 'Secret', status: 'forbidden' }),
      ...Array.from({ length: 38 }, (_, i) => type({ resource: `r${i}`, kind: `K${i}`, status: 'ok' })),
    ];
    const check = (id: string, over: object) => ({ id, name: id, target: { kind: 'resource' as const, kinds: ['K1'] }, ...over });
    const needs = {
      checks: [
        check('rbac-1', { uses: ['rbac'] }),
        check('rbac-2', { needs: ['ClusterRole'] }),
        check('secret', { target: { kind: 'resource' as const, kinds: ['Secret'] } }),
        check('plain', {}),
      ],
      models: [{ name: 'rbac', reads: ['Role', 'ClusterRole'] }],
    };
    const c = computeCoverage(types, needs as never);
    assert.equal(c.typesPercent, 95, 'by type, two forbidden types of forty look like little');
    assert.equal(c.percent, 25, 'by check, three of four checks are blind');
    assert.deepEqual(
      c.checks?.degraded.map((d) => [d.check, d.percent, d.missing]),
      [
        ['rbac-1', 0, ['clusterroles.rbac.authorization.k8s.io: forbidden']],
        ['rbac-2', 0, ['clusterroles.rbac.authorization.k8s.io: forbidden']],
        ['secret', 0, ['secrets: forbidden']],
      ],
    );
    assert.deepEqual(c.degraded, [{ analysis: 'rbac', missing: ['clusterroles.rbac.authorization.k8s.io: forbidden'], checks: 2 }]);
    assert.equal(
      describeDegradedAnalysis(c.degraded?.[0] as never),
      'RBAC analysis degraded: clusterroles.rbac.authorization.k8s.io: forbidden (2 checks rely on it)',
    );
    assert.equal(computeCoverage(types).percent, 95, 'without checks (inventory): the share of types');
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
    const r2 = scanInventory(second, {
      ...options,
      cluster: { name: 'c2' },
      coverage: [type({ group: 'networking.k8s.io', resource: 'networkpolicies', kind: 'NetworkPolicy', status: 'forbidden' })],
    });
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
    assert.equal(merged.perCheck['TEST-0002']?.fail, 2, 'b and c in c1; z in c2 could not be evaluated');
    assert.equal(merged.perCheck['TEST-0002']?.error, 1);
  });
});
