/**
 * Kubernetes' default RBAC policy (src/rbac/fixtures/bootstrap-policy.yaml) and the answers
 * a real cluster gives with it, as `kubectl auth can-i --as ...` would.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { Inventory } from '../core/inventory.js';
import { inventoryOf } from '../../test/support/fixtures.js';
import { BOOTSTRAP_POLICY } from './bootstrap-policy.js';
import { parseSubject, userInfoOf } from './identity.js';
import { buildRbacModel, type RequestAttributes } from './model.js';
import { escalationPathsOf } from './paths.js';

const fixture = new URL('./fixtures/bootstrap-policy.yaml', import.meta.url).pathname;

/** A fresh cluster: the inventory holds the default policy, as read from a live cluster. */
function freshCluster() {
  const { inventory } = inventoryOf(readFileSync(fixture, 'utf8'), 'bootstrap-policy.yaml');
  return buildRbacModel(inventory, { defaults: 'none' });
}

const m = freshCluster();
const can = (subject: string, request: RequestAttributes, groups: string[] = []) => m.authorize(userInfoOf(parseSubject(subject), groups), request).allowed;
const res = (
  verb: string,
  resource: string,
  namespace = 'default',
  extra: { apiGroup?: string; subresource?: string; name?: string } = {},
): RequestAttributes => ({
  kind: 'resource',
  verb,
  apiGroup: extra.apiGroup ?? '',
  resource,
  namespace,
  ...(extra.subresource !== undefined ? { subresource: extra.subresource } : {}),
  ...(extra.name !== undefined ? { name: extra.name } : {}),
});
const url = (path: string, verb = 'get'): RequestAttributes => ({ kind: 'nonResource', verb, path });

describe('bootstrap policy data', () => {
  it('the generated module equals the fixture (regenerate: node src/rbac/gen-bootstrap.mjs)', () => {
    const fromYaml = yaml.loadAll(readFileSync(fixture, 'utf8')).filter((d) => d !== null && typeof d === 'object');
    assert.deepEqual(BOOTSTRAP_POLICY, fromYaml);
  });
  it('holds the roles and bindings of a cluster', () => {
    const count = (kind: string) => BOOTSTRAP_POLICY.filter((o) => o.kind === kind).length;
    assert.equal(count('ClusterRole'), 65);
    assert.equal(count('ClusterRoleBinding'), 46);
    assert.equal(count('Role'), 7);
    assert.equal(count('RoleBinding'), 7);
    assert.equal(m.danglingBindings().length, 0);
  });
  it('--defaults all on an empty inventory is the same cluster', () => {
    const empty = buildRbacModel(new Inventory(), { defaults: 'all' });
    assert.equal(empty.bindings().length, m.bindings().length);
    assert.equal(empty.authorize(userInfoOf(parseSubject('user:system:anonymous')), url('/healthz')).allowed, true);
  });
});

describe('system:masters is all-powerful', () => {
  it('through the cluster-admin binding and the privileged-group bypass', () => {
    assert.equal(can('user:root', res('*', '*', '', { apiGroup: '*' }), ['system:masters']), true);
    assert.equal(can('user:root', res('delete', 'nodes', ''), ['system:masters']), true);
    assert.equal(can('user:root', url('/debug/pprof', 'post'), ['system:masters']), true);
    const d = m.authorize(userInfoOf(parseSubject('user:root'), ['system:masters']), res('get', 'secrets'));
    assert.equal(d.privileged, true);
  });
});

describe('anonymous requests reach only the public information endpoints', () => {
  for (const path of ['/healthz', '/livez', '/readyz', '/version', '/version/']) {
    it(`get ${path}: yes`, () => assert.equal(can('user:system:anonymous', url(path)), true));
  }
  for (const path of ['/api', '/apis', '/apis/apps/v1', '/openapi/v2', '/metrics', '/healthz/etcd', '/.well-known/openid-configuration']) {
    it(`get ${path}: no`, () => assert.equal(can('user:system:anonymous', url(path)), false));
  }
  it('no resource at all', () => {
    assert.equal(can('user:system:anonymous', res('get', 'namespaces', '')), false);
    assert.equal(can('user:system:anonymous', res('create', 'selfsubjectaccessreviews', '', { apiGroup: 'authorization.k8s.io' })), false);
  });
});

describe('authenticated users get discovery and self review, nothing else', () => {
  it('discovery URLs', () => {
    for (const path of ['/api', '/api/v1', '/apis', '/apis/apps/v1', '/openapi/v3', '/version']) assert.equal(can('user:alice', url(path)), true, path);
    assert.equal(can('user:alice', url('/metrics')), false);
  });
  it('self reviews', () => {
    assert.equal(can('user:alice', res('create', 'selfsubjectaccessreviews', '', { apiGroup: 'authorization.k8s.io' })), true);
    assert.equal(can('user:alice', res('create', 'selfsubjectreviews', '', { apiGroup: 'authentication.k8s.io' })), true);
    assert.equal(can('user:alice', res('create', 'subjectaccessreviews', '', { apiGroup: 'authorization.k8s.io' })), false);
  });
  it('no objects', () => {
    assert.equal(can('user:alice', res('list', 'pods')), false);
    assert.equal(can('user:alice', res('get', 'namespaces', '')), false);
  });
  it('service accounts also read the issuer discovery document', () => {
    assert.equal(can('sa:default/default', url('/.well-known/openid-configuration')), true);
    assert.equal(can('sa:default/default', url('/openid/v1/jwks')), true);
    assert.equal(can('user:alice', url('/openid/v1/jwks')), false);
    assert.equal(can('sa:default/default', res('get', 'pods')), false);
  });
  it('system:monitoring reads metrics', () => {
    assert.equal(can('user:prom', url('/metrics'), ['system:monitoring']), true);
    assert.equal(can('user:prom', url('/readyz/etcd'), ['system:monitoring']), true);
  });
});

describe('system:kube-controller-manager', () => {
  const kcm = 'user:system:kube-controller-manager';
  it('can list and watch everything, get and create secrets, create tokens', () => {
    assert.equal(can(kcm, res('list', 'secrets', '')), true);
    assert.equal(can(kcm, res('watch', 'widgets', 'x', { apiGroup: 'example.com' })), true);
    assert.equal(can(kcm, res('get', 'secrets', 'kube-system')), true);
    assert.equal(can(kcm, res('create', 'serviceaccounts', 'x', { subresource: 'token' })), true);
    assert.equal(can(kcm, res('update', 'leases', 'kube-system', { apiGroup: 'coordination.k8s.io', name: 'kube-controller-manager' })), true);
  });
  it('cannot create pods, update deployments, update other leases or read logs', () => {
    assert.equal(can(kcm, res('create', 'pods', 'x')), false);
    assert.equal(can(kcm, res('update', 'deployments', 'x', { apiGroup: 'apps' })), false);
    // Outside kube-system (where system::leader-locking-kube-controller-manager grants every lease), only its own lease.
    assert.equal(can(kcm, res('update', 'leases', 'x', { apiGroup: 'coordination.k8s.io', name: 'kube-scheduler' })), false);
    assert.equal(can(kcm, res('get', 'pods', 'x', { subresource: 'log' })), false);
  });
  it('reads the extension-apiserver-authentication ConfigMap in kube-system only, by name', () => {
    assert.equal(can(kcm, res('get', 'configmaps', 'kube-system', { name: 'extension-apiserver-authentication' })), true);
    assert.equal(can(kcm, res('watch', 'configmaps', 'kube-system')), true); // list/watch * *
    assert.equal(can(kcm, res('update', 'configmaps', 'kube-system', { name: 'extension-apiserver-authentication' })), false);
  });
});

describe('other system identities', () => {
  it('kube-scheduler binds pods and reads nodes, but cannot read secrets', () => {
    assert.equal(can('user:system:kube-scheduler', res('create', 'pods', 'x', { subresource: 'binding' })), true);
    assert.equal(can('user:system:kube-scheduler', res('get', 'nodes', '')), true);
    assert.equal(can('user:system:kube-scheduler', res('get', 'secrets', 'x')), false);
  });
  it('system:node is bound to no one (the Node authorizer took over)', () => {
    assert.equal(can('user:system:node:n1', res('get', 'secrets', 'x'), ['system:nodes']), false);
  });
  it('controller service accounts have their own roles', () => {
    assert.equal(can('sa:kube-system/deployment-controller', res('create', 'replicasets', 'x', { apiGroup: 'apps' })), true);
    assert.equal(can('sa:kube-system/deployment-controller', res('create', 'pods', 'x')), false);
    assert.equal(can('sa:kube-system/namespace-controller', res('deletecollection', 'widgets', 'x', { apiGroup: 'example.com' })), true);
    assert.equal(can('sa:kube-system/bootstrap-signer', res('update', 'configmaps', 'kube-public', { name: 'cluster-info' })), true);
    assert.equal(can('sa:kube-system/bootstrap-signer', res('update', 'configmaps', 'kube-public', { name: 'other' })), false);
  });
});

describe('aggregated user-facing roles', () => {
  const bound = (role: string) => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}\nsubjects: [{kind: User, name: u}]\n`;
    const model = buildRbacModel(inventoryOf(text).inventory, { defaults: 'roles' });
    return (r: RequestAttributes) => model.authorize(userInfoOf(parseSubject('user:u')), r).allowed;
  };
  it('view reads workloads but not secrets', () => {
    const v = bound('view');
    assert.equal(v(res('list', 'pods', 'shop')), true);
    assert.equal(v(res('get', 'deployments', 'shop', { apiGroup: 'apps', subresource: 'scale' })), true);
    assert.equal(v(res('get', 'secrets', 'shop')), false);
    assert.equal(v(res('create', 'pods', 'shop', { subresource: 'exec' })), false);
  });
  it('edit adds writes, exec and secrets but no RBAC', () => {
    const e = bound('edit');
    assert.equal(e(res('get', 'secrets', 'shop')), true);
    assert.equal(e(res('create', 'pods', 'shop', { subresource: 'exec' })), true);
    assert.equal(e(res('list', 'pods', 'shop')), true);
    assert.equal(e(res('create', 'rolebindings', 'shop', { apiGroup: 'rbac.authorization.k8s.io' })), false);
    assert.equal(e(res('get', 'secrets', 'other')), false);
  });
  it('admin adds roles and bindings in the namespace', () => {
    const a = bound('admin');
    assert.equal(a(res('create', 'rolebindings', 'shop', { apiGroup: 'rbac.authorization.k8s.io' })), true);
    assert.equal(a(res('create', 'localsubjectaccessreviews', 'shop', { apiGroup: 'authorization.k8s.io' })), true);
    assert.equal(a(res('create', 'clusterrolebindings', '', { apiGroup: 'rbac.authorization.k8s.io' })), false);
  });
});

describe('escalation paths of the default policy', () => {
  const g = escalationPathsOf(m);
  const path = (s: string) => g.pathOf(parseSubject(s), 'cluster-admin');
  it('system:masters and the clusterrole aggregation controller (escalate on its own role) reach cluster-admin', () => {
    assert.equal(path('group:system:masters')?.steps[0]?.kind, 'member');
    assert.deepEqual(
      path('sa:kube-system/clusterrole-aggregation-controller')?.steps.map((s) => s.kind),
      ['escalate'],
    );
  });
  it('controllers that create pods in any namespace can run as that controller', () => {
    const p = path('sa:kube-system/job-controller');
    assert.deepEqual(
      p?.steps.map((s) => s.kind),
      ['create-workload', 'escalate'],
    );
    assert.equal(p?.steps[0]?.to, 'sa:kube-system/clusterrole-aggregation-controller');
  });
  it('the controller manager reaches cluster-admin through a token request', () => {
    assert.deepEqual(
      path('user:system:kube-controller-manager')?.steps.map((s) => s.kind),
      ['token-request', 'escalate'],
    );
  });
  it('ordinary users and the discovery groups have no path', () => {
    assert.equal(path('user:alice'), undefined);
    assert.equal(path('group:system:authenticated'), undefined);
    assert.equal(path('user:system:anonymous'), undefined);
    assert.equal(path('user:system:kube-scheduler'), undefined);
  });
  it('namespace and resource-quota controllers read every Secret directly', () => {
    assert.equal(g.pathOf(parseSubject('sa:kube-system/resourcequota-controller'), 'all-secrets')?.steps[0]?.kind, 'holds');
  });
});
