/**
 * What a scan computes lives and dies with the scan (memoised on the model, no module-level
 * caches), and namespace-less manifest objects never join a real namespace.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { Inventory, UNSET_NAMESPACE } from '../core/inventory.js';
import { scan } from '../scan.js';
import { addManifestText, type LoadStats } from '../sources/files.js';
import { summarizeInventory } from '../summary/inventory.js';
import { capabilitiesOfSubject, describeReach } from './capabilities.js';
import { parseSubject, userInfoOf } from './identity.js';
import * as rbac from './index.js';
import { buildRbacModel } from './model.js';
import { escalationPathsOf } from './paths.js';
import { renderSubject } from './render.js';

const H = 'apiVersion: rbac.authorization.k8s.io/v1';

describe('RBAC memoisation belongs to the model', () => {
  const text = `${H}\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: edit}\nsubjects: [{kind: ServiceAccount, name: app, namespace: shop}]`;

  it('each model has its own capabilities and escalation graph; one model answers from its memo', () => {
    const { inventory } = inventoryOf(text);
    const a = buildRbacModel(inventory);
    const b = buildRbacModel(inventory);
    const sa = parseSubject('sa:shop/app');
    assert.equal(capabilitiesOfSubject(a, sa), capabilitiesOfSubject(a, sa));
    assert.notEqual(capabilitiesOfSubject(a, sa), capabilitiesOfSubject(b, sa));
    assert.equal(escalationPathsOf(a), escalationPathsOf(a));
    assert.notEqual(escalationPathsOf(a), escalationPathsOf(b));
  });

  it('no module-level WeakMap caches in src/rbac or the RBAC checks, and no rbacModelOf', () => {
    const root = new URL('../', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(join(root, 'rbac'));
    for (const d of readdirSync(join(root, 'checks'))) if (d.startsWith('rbac-')) walk(join(root, 'checks', d));
    assert.ok(files.length > 40);
    const offenders = files.filter((f) => /new WeakMap|rbacModelOf/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
    assert.equal('rbacModelOf' in rbac, false);
  });
});

/** Two files, as in a folder of examples: a namespace-less Deployment and a cluster-admin binding of default/default. */
function twoFiles(): string {
  const d = mkdtempSync(join(tmpdir(), 'palisade-ns-'));
  writeFileSync(
    join(d, 'app.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: guestbook-ui}\nspec: {template: {spec: {containers: [{name: ui, image: ui:1}]}}}\n',
  );
  writeFileSync(
    join(d, 'admin.yaml'),
    `${H}\nkind: ClusterRoleBinding\nmetadata: {name: everyone-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: default, namespace: default}]\n`,
  );
  return d;
}

describe('namespace-less manifest objects', () => {
  it('are in an unknown namespace that joins no real one; --default-namespace states it', async () => {
    const d = twoFiles();
    const workloadFindings = async (defaultNamespace?: string) =>
      (await scan([d], { include: ['PAL-0423'], ...(defaultNamespace ? { defaultNamespace } : {}) })).findings.filter((f) => f.status === 'fail');
    assert.deepEqual(await workloadFindings(), []);
    const stated = await workloadFindings('default');
    assert.equal(stated.length, 1);
    assert.equal(stated[0]?.severity, 'critical');
    assert.match(stated[0]?.message ?? '', /^Deployment default\/guestbook-ui runs as service account default\/default, which can reach cluster-admin/);
    assert.deepEqual(await workloadFindings('shop'), []);
  });

  it("join each other: a namespace-less RoleBinding names the namespace-less workload's account; messages never invent default/", () => {
    const { inventory } = inventoryOf(
      [
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {serviceAccountName: web, containers: [{name: w, image: w}]}}}',
        `${H}\nkind: RoleBinding\nmetadata: {name: web-edit}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects: [{kind: ServiceAccount, name: web}]`,
      ].join('\n---\n'),
    );
    const model = buildRbacModel(inventory);
    const [binding] = model.bindings().filter((b) => b.name === 'web-edit');
    assert.equal(binding?.namespace, UNSET_NAMESPACE);
    assert.equal(model.workloads()[0]?.namespace, UNSET_NAMESPACE);
    const caps = capabilitiesOfSubject(model, { kind: 'ServiceAccount', namespace: UNSET_NAMESPACE, name: 'web' });
    assert.deepEqual(caps.find((c) => c.id === 'read-secrets')?.namespaces, [UNSET_NAMESPACE]);
    const reads = caps.find((c) => c.id === 'read-secrets');
    assert.ok(reads);
    assert.equal(describeReach(reads), 'in the namespace the manifests are applied to');
    // A real namespace never sees it.
    assert.equal(capabilitiesOfSubject(model, { kind: 'ServiceAccount', namespace: 'default', name: 'web' }).length, 0);
  });

  it('the inventory summary joins a namespace-less workload to no default service account', () => {
    const text =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: default}\n---\n' +
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ui}\nspec: {template: {spec: {containers: [{name: ui, image: ui}]}}}';
    const used = (inventory: Inventory) =>
      summarizeInventory([{ inventory, sources: ['f.yaml'] }]).serviceAccounts.map((a) => `${a.namespace}/${a.name} ${a.usedBy}`);
    assert.deepEqual(used(inventoryOf(text).inventory), ['default/default 0']);
    const stated = new Inventory({ defaultNamespace: 'default' });
    const stats: LoadStats = { files: 1, documents: 0, resources: 0, nonKubernetes: 0, parseErrors: 0, skippedFiles: 0 };
    addManifestText(stated, text, 'f.yaml', [], stats);
    assert.deepEqual(used(stated), ['default/default 1']);
  });

  it('objects from a cluster keep their namespace; cluster-scoped kinds have none', () => {
    const inv = new Inventory({ defaultNamespace: 'shop' });
    const stats: LoadStats = { files: 1, documents: 0, resources: 0, nonKubernetes: 0, parseErrors: 0, skippedFiles: 0 };
    addManifestText(
      inv,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: x}',
      'f.yaml',
      [],
      stats,
    );
    assert.deepEqual(
      inv.all.map((r) => inv.namespaceOf(r)),
      ['shop', undefined, 'x'],
    );
  });
});

describe('non-resource URLs', () => {
  it('are effective only through ClusterRoleBindings: a RoleBinding lists them nowhere (issue 8)', () => {
    const { inventory } = inventoryOf(
      [
        `${H}\nkind: ClusterRole\nmetadata: {name: health}\nrules: [{nonResourceURLs: ["/healthz", "/metrics"], verbs: [get]}, {apiGroups: [""], resources: [pods], verbs: [get]}]`,
        `${H}\nkind: RoleBinding\nmetadata: {name: health, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: health}\nsubjects: [{kind: User, name: alice}]`,
      ].join('\n---\n'),
    );
    const model = buildRbacModel(inventory);
    const alice = userInfoOf(parseSubject('user:alice'));
    assert.deepEqual(
      model.grantsOf(alice).map((g) => g.rule.index),
      [1],
    );
    assert.equal(model.authorize(alice, { kind: 'nonResource', verb: 'get', path: '/metrics' }).allowed, false);
    const table = renderSubject(model, parseSubject('user:alice'), alice, [], 'table');
    assert.doesNotMatch(table, /healthz|metrics/);
    const json = JSON.parse(renderSubject(model, parseSubject('user:alice'), alice, [], 'json'));
    assert.deepEqual(
      json.rules.map((r: { nonResourceURLs: string[] }) => r.nonResourceURLs),
      [[]],
    );
  });
});
