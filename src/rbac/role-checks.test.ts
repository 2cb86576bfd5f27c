import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { buildRbacModel } from './model.js';
import { reviewedRole, roleSeverity, rulesGranting } from './role-checks.js';

const H = 'apiVersion: rbac.authorization.k8s.io/v1';

function roleOf(text: string) {
  const { inventory } = inventoryOf(text);
  const model = buildRbacModel(inventory, { defaults: 'none' });
  const resource = inventory.all[0];
  assert.ok(resource);
  return { model, role: reviewedRole(model, resource) };
}

describe('role-level checks read the catalogue', () => {
  it("drop cluster-scoped requests for Roles only, and keep bind on clusterroles (checked in the binding's namespace)", () => {
    const rules =
      'rules: [{apiGroups: [""], resources: [persistentvolumes, pods/exec], verbs: [create]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind, escalate]}]';
    const ns = roleOf(`${H}\nkind: Role\nmetadata: {name: r, namespace: shop}\n${rules}`);
    assert.ok(ns.role);
    assert.deepEqual(
      rulesGranting(ns.model, ns.role, ['create-persistent-volumes', 'pod-exec', 'bind', 'escalate']).flatMap((r) => r.matches.map((m) => m.probe.id)),
      ['pod-exec:create:/pods/exec', 'bind:bind:rbac.authorization.k8s.io/clusterroles'],
    );
    const cluster = roleOf(`${H}\nkind: ClusterRole\nmetadata: {name: r}\n${rules}`);
    assert.ok(cluster.role);
    assert.deepEqual(
      rulesGranting(cluster.model, cluster.role, ['create-persistent-volumes', 'escalate']).flatMap((r) => r.matches.map((m) => `${r.path} ${m.probe.id}`)),
      ['/rules/0 create-persistent-volumes:create:/persistentvolumes', '/rules/1 escalate:escalate:rbac.authorization.k8s.io/clusterroles'],
    );
  });

  it('severity by reach: cluster for a ClusterRole, namespaces for a Role, one step lower when named', () => {
    assert.equal(roleSeverity('read-secrets', { kind: 'ClusterRole' }, false), 'high');
    assert.equal(roleSeverity('read-secrets', { kind: 'Role' }, false), 'medium');
    assert.equal(roleSeverity('read-secrets', { kind: 'Role' }, true), 'low');
  });

  it("skip Kubernetes' bootstrap roles and custom resources called Role", () => {
    const rules = 'rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]';
    assert.equal(roleOf(`${H}\nkind: ClusterRole\nmetadata: {name: "system:x"}\n${rules}`).role, undefined);
    assert.equal(roleOf(`apiVersion: example.com/v1\nkind: Role\nmetadata: {name: x, namespace: a}\n${rules}`).role, undefined);
  });

  it('read a duplicate of a role too (it grants nothing, but its rules are still reviewed)', () => {
    const text = [
      `${H}\nkind: Role\nmetadata: {name: r, namespace: a}\nrules: []`,
      `${H}\nkind: Role\nmetadata: {name: r, namespace: a}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]`,
    ].join('\n---\n');
    const { inventory } = inventoryOf(text);
    const model = buildRbacModel(inventory, { defaults: 'none' });
    const second = inventory.all[1];
    assert.ok(second);
    const role = reviewedRole(model, second);
    assert.ok(role);
    assert.equal(rulesGranting(model, role, ['read-secrets']).length, 1);
  });
});
