import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { type CapabilityId, capabilitiesOf, describeReach, signsClientCertificates } from './capabilities.js';
import { parseSubject, userInfoOf } from './identity.js';
import { buildRbacModel } from './model.js';

/** One role bound to user u, by a ClusterRoleBinding or a RoleBinding in `ns`. */
function capsOf(rules: string, binding: 'cluster' | 'ns' = 'cluster'): Map<CapabilityId, ReturnType<typeof capabilitiesOf>[number]> {
  const text = [
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n${rules}`,
    binding === 'cluster'
      ? 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: r}\nsubjects: [{kind: User, name: u}]'
      : 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: ns}\nroleRef: {kind: ClusterRole, name: r}\nsubjects: [{kind: User, name: u}]',
  ].join('\n---\n');
  const model = buildRbacModel(inventoryOf(text).inventory, { defaults: 'none' });
  return new Map(capabilitiesOf(model, userInfoOf(parseSubject('user:u'))).map((c) => [c.id, c]));
}

describe('capabilities', () => {
  it('cluster-admin needs * verbs, groups and resources without names', () => {
    assert.ok(capsOf('  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}').get('cluster-admin')?.cluster);
    assert.equal(capsOf('  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"], resourceNames: [x]}').has('cluster-admin'), false);
    assert.equal(capsOf('  - {apiGroups: [""], resources: ["*"], verbs: ["*"]}').has('cluster-admin'), false);
    assert.deepEqual(capsOf('  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}', 'ns').get('cluster-admin')?.namespaces, ['ns']);
  });
  it('reach: cluster-wide, namespaced, named', () => {
    const c = capsOf('  - {apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [tls]}', 'ns').get('read-secrets');
    assert.ok(c);
    assert.equal(describeReach(c), 'in namespace ns (named objects only)');
    assert.equal(describeReach(capsOf('  - {apiGroups: [""], resources: [secrets], verbs: [list]}').get('read-secrets') as never), 'cluster-wide');
  });
  it('cluster-scoped capabilities are not granted by RoleBindings', () => {
    const rules = '  - {apiGroups: [""], resources: [nodes/proxy, nodes, persistentvolumes], verbs: [get, patch, create]}';
    for (const id of ['nodes-proxy', 'modify-nodes', 'create-persistent-volumes'] as const) {
      assert.ok(capsOf(rules).has(id), id);
      assert.equal(capsOf(rules, 'ns').has(id), false, id);
    }
  });
  it('workload creation: create of pods and controllers, template changes; never create with resourceNames', () => {
    assert.ok(capsOf('  - {apiGroups: [batch], resources: [cronjobs], verbs: [create]}').has('create-workloads'));
    assert.ok(capsOf('  - {apiGroups: [apps], resources: [statefulsets], verbs: [update]}').has('create-workloads'));
    assert.equal(capsOf('  - {apiGroups: [""], resources: [pods], verbs: [update]}').has('create-workloads'), false);
    assert.equal(capsOf('  - {apiGroups: [""], resources: [pods], verbs: [create], resourceNames: [p]}').has('create-workloads'), false);
  });
  it('subresource capabilities need the subresource, * matches it', () => {
    assert.ok(capsOf('  - {apiGroups: [""], resources: [pods/exec], verbs: [create]}').has('pod-exec'));
    assert.equal(capsOf('  - {apiGroups: [""], resources: [pods], verbs: [create]}').has('pod-exec'), false);
    assert.ok(capsOf('  - {apiGroups: [""], resources: ["*"], verbs: [create]}').has('pod-exec'));
    assert.ok(capsOf('  - {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}').has('create-tokens'));
  });
  it('impersonation, userextras included', () => {
    assert.ok(capsOf('  - {apiGroups: [authentication.k8s.io], resources: [userextras/scopes], verbs: [impersonate]}').has('impersonate'));
    assert.ok(capsOf('  - {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}', 'ns').has('impersonate'));
    assert.equal(capsOf('  - {apiGroups: [""], resources: [users], verbs: [impersonate]}', 'ns').has('impersonate'), false);
  });
  it('certificates need create, approval and a signer together', () => {
    const create = '  - {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}';
    const approve = '  - {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}';
    const signer = '  - {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: [kubernetes.io/kube-apiserver-client]}';
    assert.equal(capsOf([create, approve].join('\n')).has('issue-certificates'), false);
    const c = capsOf([create, approve, signer].join('\n')).get('issue-certificates');
    assert.equal(c?.detail, 'signers kubernetes.io/kube-apiserver-client');
    assert.equal(signsClientCertificates(['kubernetes.io/kubelet-serving']), false);
    assert.equal(signsClientCertificates(['kubernetes.io/*']), true);
  });
  it('RBAC verbs and objects', () => {
    assert.ok(capsOf('  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}', 'ns').has('bind'));
    assert.equal(capsOf('  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate]}', 'ns').has('escalate'), false);
    assert.ok(capsOf('  - {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate]}', 'ns').has('escalate'));
    assert.ok(capsOf('  - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [patch]}', 'ns').has('modify-rbac'));
  });
  it('webhooks, events, wildcard', () => {
    assert.ok(capsOf('  - {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [delete]}').has('modify-webhooks'));
    assert.ok(capsOf('  - {apiGroups: [events.k8s.io], resources: [events], verbs: [delete]}', 'ns').has('delete-events'));
    assert.ok(capsOf('  - {apiGroups: [apps], resources: ["*"], verbs: [get]}').has('wildcard'));
    assert.equal(capsOf('  - {apiGroups: [apps], resources: [deployments], verbs: [get]}').size, 0);
  });
});
