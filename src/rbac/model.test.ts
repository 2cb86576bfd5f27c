import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { parseSubject, type UserInfo, userInfoOf } from './identity.js';
import { buildRbacModel, type DefaultsMode, type RbacModel, type RequestAttributes } from './model.js';

const dir = new URL('./fixtures/', import.meta.url).pathname;

function model(file: string, defaults: DefaultsMode = 'none'): RbacModel {
  return buildRbacModel(inventoryOf(readFileSync(dir + file, 'utf8'), file).inventory, { defaults });
}

const user = (text: string, groups: string[] = []): UserInfo => userInfoOf(parseSubject(text), groups);
const res = (
  verb: string,
  resource: string,
  namespace?: string,
  extra: { apiGroup?: string; subresource?: string; name?: string } = {},
): RequestAttributes => ({
  kind: 'resource',
  verb,
  apiGroup: extra.apiGroup ?? '',
  resource,
  ...(extra.subresource !== undefined ? { subresource: extra.subresource } : {}),
  ...(extra.name !== undefined ? { name: extra.name } : {}),
  ...(namespace !== undefined ? { namespace } : {}),
});
const url = (verb: string, path: string): RequestAttributes => ({ kind: 'nonResource', verb, path });

describe('RBAC model: where bindings grant (scoping.yaml)', () => {
  const m = model('scoping.yaml');
  it('a RoleBinding grants only in its namespace', () => {
    assert.equal(m.authorize(user('user:alice'), res('get', 'secrets', 'shop')).allowed, true);
    assert.equal(m.authorize(user('user:alice'), res('get', 'secrets', 'other')).allowed, false);
    assert.equal(m.authorize(user('user:alice'), res('get', 'secrets')).allowed, false);
  });
  it('a RoleBinding to a ClusterRole is scoped to its namespace', () => {
    assert.equal(m.authorize(user('user:alice'), res('list', 'pods', 'shop')).allowed, true);
    assert.equal(m.authorize(user('user:alice'), res('list', 'pods', 'kube-system')).allowed, false);
    assert.equal(m.authorize(user('user:alice'), res('list', 'pods', '')).allowed, false);
  });
  it('a ClusterRoleBinding grants in every namespace and cluster-wide', () => {
    for (const ns of ['shop', 'kube-system', '']) assert.equal(m.authorize(user('user:bob'), res('list', 'pods', ns)).allowed, true, ns);
  });
  it('a Role or RoleBinding never grants a cluster-wide request (nodes)', () => {
    assert.equal(m.authorize(user('user:alice'), res('get', 'nodes', '')).allowed, false);
    assert.equal(m.authorize(user('user:carol'), res('get', 'nodes', '')).allowed, false);
    assert.equal(m.authorize(user('user:dave'), res('get', 'nodes', '')).allowed, true);
  });
  it('as the authorizer, it decides the attributes it is given: a namespaced request on nodes is granted by the RoleBinding', () => {
    // kubectl auth can-i get nodes -n shop sends namespace shop; the RBAC authorizer then consults RoleBindings.
    assert.equal(m.authorize(user('user:carol'), res('get', 'nodes', 'shop')).allowed, true);
  });
  it('words the reason as the API server does', () => {
    assert.equal(
      m.authorize(user('user:alice'), res('get', 'secrets', 'shop')).reason,
      'RBAC: allowed by RoleBinding "alice-secrets/shop" of Role "secret-reader" to User "alice"',
    );
    assert.equal(
      m.authorize(user('user:bob'), res('get', 'pods', 'x')).reason,
      'RBAC: allowed by ClusterRoleBinding "bob-pods" of ClusterRole "pod-reader" to User "bob"',
    );
  });
  it('who-can lists RoleBinding subjects only for their namespace, and all for any namespace', () => {
    const names = (ns?: string) =>
      m
        .whoCan({ kind: 'resource', verb: 'list', apiGroup: '', resource: 'pods', ...(ns !== undefined ? { namespace: ns } : {}) })
        .map((r) => `${r.subject.name}@${r.namespace ?? '*'}`)
        .sort();
    assert.deepEqual(names('shop'), ['alice@shop', 'bob@*']);
    assert.deepEqual(names('other'), ['bob@*']);
    assert.deepEqual(names(''), ['bob@*']);
    assert.deepEqual(names(), ['alice@shop', 'bob@*']);
  });
  it('who-can gives the binding and the first rule that allows', () => {
    const [row] = m.whoCan({ kind: 'resource', verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'shop' });
    assert.equal(row?.binding.name, 'alice-secrets');
    assert.equal(row?.rule.index, 0);
  });
});

describe('RBAC model: subjects and implicit groups (subjects.yaml)', () => {
  const m = model('subjects.yaml');
  const cm = (ns: string) => res('get', 'configmaps', ns);
  it('a ServiceAccount subject without namespace in a RoleBinding is in the binding namespace', () => {
    assert.equal(m.authorize(user('sa:shop/web'), cm('shop')).allowed, true);
    assert.equal(m.authorize(user('sa:other/web'), cm('shop')).allowed, false);
  });
  it('a ServiceAccount subject without namespace in a ClusterRoleBinding matches nothing', () => {
    for (const ns of ['default', 'kube-system', '']) assert.equal(m.authorize(user(`sa:${ns || 'default'}/orphan`), cm(ns)).allowed, false);
    assert.equal(m.bindings().find((b) => b.name === 'sa-without-namespace')?.subjects[0]?.key, undefined);
  });
  it('a User subject named like a service account is that service account', () => {
    assert.equal(m.authorize(user('sa:ci/builder'), cm('x')).allowed, true);
    assert.equal(m.authorize(user('user:system:serviceaccount:ci:builder'), cm('x')).allowed, true);
  });
  it('service accounts are in system:serviceaccounts and system:serviceaccounts:<ns>', () => {
    assert.equal(m.authorize(user('sa:ops/anything'), cm('ops')).allowed, true);
    assert.equal(m.authorize(user('sa:dev/anything'), cm('ops')).allowed, false);
    assert.equal(m.authorize(user('sa:dev/anything'), cm('shared')).allowed, true);
    assert.equal(m.authorize(user('user:alice'), cm('shared')).allowed, false);
  });
  it('every authenticated user (and service account) is in system:authenticated, anonymous is not', () => {
    assert.equal(m.authorize(user('user:nobody'), cm('public')).allowed, true);
    assert.equal(m.authorize(user('sa:a/b'), cm('public')).allowed, true);
    assert.equal(m.authorize(user('user:system:anonymous'), cm('public')).allowed, false);
    assert.equal(m.authorize(user('user:system:anonymous'), cm('open')).allowed, true);
    assert.equal(m.authorize(user('user:nobody'), cm('open')).allowed, false);
  });
  it('--as-group semantics: given groups replace a service account’s, system:authenticated is still added', () => {
    assert.deepEqual(user('sa:ops/x', ['developers']).groups, ['developers', 'system:authenticated']);
    assert.equal(m.authorize(user('sa:ops/x', ['developers']), cm('ops')).allowed, false);
    assert.equal(m.authorize(user('user:x', ['developers']), cm('dev')).allowed, true);
    assert.equal(m.authorize(user('user:x', ['system:unauthenticated']), cm('public')).allowed, false);
  });
  it('a group subject stands for any member', () => {
    assert.equal(m.authorize(user('group:developers'), cm('dev')).allowed, true);
    assert.equal(m.authorize(user('group:developers'), cm('public')).allowed, true);
  });
  it('unknown subject kinds match nothing; names are case-sensitive', () => {
    assert.equal(m.authorize(user('user:r2'), cm('dev')).allowed, false);
    assert.equal(m.authorize(user('user:alice'), cm('dev')).allowed, false);
    assert.equal(m.authorize(user('user:Alice'), cm('dev')).allowed, true);
  });
  it('lists known subjects', () => {
    const subjects = m.subjects().map((s) => (s.kind === 'ServiceAccount' ? `sa:${s.namespace}/${s.name}` : `${s.kind}:${s.name}`));
    for (const s of ['sa:shop/web', 'sa:ci/builder', 'Group:system:serviceaccounts', 'User:Alice', 'Group:developers']) assert.ok(subjects.includes(s), s);
    assert.ok(!subjects.includes('User:system:serviceaccount:ci:builder'));
  });
});

describe('RBAC model: rule matching (matching.yaml)', () => {
  const m = model('matching.yaml');
  const mia = user('user:mia');
  const can = (r: RequestAttributes) => m.authorize(mia, r).allowed;
  it('* verbs match every verb, the resource but not its subresources', () => {
    for (const v of ['get', 'deletecollection', 'escalate', 'watch']) assert.equal(can(res(v, 'pods', 'x')), true, v);
    assert.equal(can(res('create', 'pods', 'x', { subresource: 'exec' })), false);
  });
  it('a request for verb * is only allowed by rules listing *', () => {
    assert.equal(can(res('*', 'pods', 'x')), true);
    assert.equal(can(res('*', 'secrets', 'x', { name: 'tls' })), false);
  });
  it('resourceNames: a named get is allowed, list and unnamed get are not', () => {
    assert.equal(can(res('get', 'secrets', 'x', { name: 'tls' })), true);
    assert.equal(can(res('get', 'secrets', 'x', { name: 'other' })), false);
    assert.equal(can(res('get', 'secrets', 'x')), false);
    assert.equal(can(res('list', 'secrets', 'x')), false);
  });
  it('create cannot be limited by resourceNames (no name at authorization), delete can', () => {
    assert.equal(can(res('create', 'configmaps', 'x')), false);
    assert.equal(can(res('delete', 'configmaps', 'x', { name: 'app' })), true);
  });
  it('*/scale matches the scale subresource of any resource in any group', () => {
    assert.equal(can(res('update', 'deployments', 'x', { apiGroup: 'apps', subresource: 'scale' })), true);
    assert.equal(can(res('update', 'foos', 'x', { apiGroup: 'example.com', subresource: 'scale' })), true);
    assert.equal(can(res('update', 'deployments', 'x', { apiGroup: 'apps' })), false);
  });
  it('services/* is literal, not a wildcard', () => {
    assert.equal(can(res('get', 'services', 'x', { subresource: 'proxy' })), false);
    assert.equal(can(res('get', 'services', 'x', { subresource: '*' })), true);
  });
  it('resources * matches every resource and subresource of the listed groups only', () => {
    assert.equal(can(res('get', 'deployments', 'x', { apiGroup: 'apps' })), true);
    assert.equal(can(res('get', 'deployments', 'x', { apiGroup: 'apps', subresource: 'status' })), true);
    assert.equal(can(res('get', 'configmaps', 'x')), false);
  });
});

describe('RBAC model: non-resource URLs (non-resource.yaml)', () => {
  const m = model('non-resource.yaml');
  const can = (u: string, verb: string, path: string) => m.authorize(user(u), url(verb, path)).allowed;
  it('matches exact paths and prefixes ending in *', () => {
    assert.equal(can('user:prober', 'get', '/healthz'), true);
    assert.equal(can('user:prober', 'get', '/healthz/etcd'), true);
    assert.equal(can('user:prober', 'get', '/metrics'), true);
    assert.equal(can('user:prober', 'get', '/metricsfoo'), true);
    assert.equal(can('user:prober', 'get', '/healthzfoo'), false);
    assert.equal(can('user:prober', 'post', '/healthz'), false);
    assert.equal(can('user:prober', 'post', '/logs/kubelet.log'), true);
    assert.equal(can('user:prober', 'get', '/logs'), false);
  });
  it('is granted only through ClusterRoleBindings', () => {
    assert.equal(can('user:local-prober', 'get', '/healthz'), false);
  });
  it('who-can for a URL lists ClusterRoleBinding subjects only', () => {
    assert.deepEqual(
      m.whoCan({ kind: 'nonResource', verb: 'get', path: '/healthz/ping' }).map((r) => r.subject.name),
      ['prober'],
    );
  });
});

describe('RBAC model: aggregated ClusterRoles (aggregation.yaml)', () => {
  const m = model('aggregation.yaml');
  const can = (u: string, verb: string, resource: string) => m.authorize(user(u), res(verb, resource, 'x')).allowed;
  it('merges the rules of roles matched by matchLabels and by matchExpressions, keeping its own', () => {
    assert.equal(can('user:mon', 'list', 'events'), true);
    assert.equal(can('user:mon', 'get', 'pods'), true);
    assert.equal(can('user:mon', 'get', 'nodes'), true);
  });
  it('honours DoesNotExist and In: deprecated and other teams are left out', () => {
    assert.equal(can('user:mon', 'get', 'secrets'), false);
    assert.equal(can('user:mon', 'get', 'configmaps'), false);
  });
  it('follows aggregation through aggregated roles', () => {
    assert.equal(can('user:plat', 'get', 'pods'), true);
    const platform = m.role('ClusterRole', undefined, 'platform');
    assert.deepEqual(
      platform?.aggregatedFrom.map((r) => r.name),
      ['monitoring-alias', 'monitoring-pods'],
    );
  });
  it('survives cycles and keeps both sides’ rules', () => {
    assert.equal(can('user:looper', 'get', 'services'), true);
    assert.equal(can('user:looper', 'get', 'endpoints'), true);
  });
  it('records where an aggregated rule is written', () => {
    const d = m.authorize(user('user:mon'), res('get', 'pods', 'x'));
    assert.equal(d.grant?.role.name, 'monitoring');
    assert.equal(d.grant?.rule.source.name, 'monitoring-pods');
  });
});

describe('RBAC model: dangling bindings (dangling.yaml)', () => {
  const m = model('dangling.yaml');
  it('reports bindings to missing roles and invalid role references', () => {
    const problems = m
      .danglingBindings()
      .map((b) => `${b.name}:${b.problem}`)
      .sort();
    assert.deepEqual(problems, [
      'cross-namespace:missing-role',
      'ghost-cluster:missing-role',
      'ghost:missing-role',
      'no-role-ref:invalid-role-ref',
      'wrong-kind:invalid-role-ref',
    ]);
  });
  it('still answers, with the authorizer’s errors when nothing allows', () => {
    const ok = m.authorize(user('user:hank'), res('get', 'pods', 'shop'));
    assert.equal(ok.allowed, true);
    const no = m.authorize(user('user:hank'), res('get', 'secrets', 'shop'));
    assert.equal(no.allowed, false);
    assert.ok(no.errors.includes('role.rbac.authorization.k8s.io "gone" not found'), no.errors.join('; '));
    assert.ok(no.errors.includes('clusterrole.rbac.authorization.k8s.io "gone-too" not found'));
    assert.match(no.reason, /^RBAC: /);
  });
  it('an aggregated role with null rules grants nothing and is not dangling', () => {
    assert.equal(m.role('ClusterRole', undefined, 'empty-aggregate')?.rules.length, 0);
  });
  it('resolves default roles only when asked to', () => {
    const text =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: e, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects: [{kind: User, name: u}]\n';
    const inv = inventoryOf(text).inventory;
    assert.equal(buildRbacModel(inv, { defaults: 'none' }).danglingBindings().length, 1);
    const withRoles = buildRbacModel(inv, { defaults: 'roles' });
    assert.equal(withRoles.danglingBindings().length, 0);
    assert.equal(withRoles.authorize(user('user:u'), res('create', 'deployments', 'shop', { apiGroup: 'apps' })).allowed, true);
    assert.equal(withRoles.authorize(user('user:u'), res('create', 'rolebindings', 'shop', { apiGroup: 'rbac.authorization.k8s.io' })).allowed, false);
  });
});

describe('RBAC model: system:masters', () => {
  it('is allowed everything, with or without bindings', () => {
    const m = model('scoping.yaml');
    const d = m.authorize(user('user:root', ['system:masters']), res('delete', 'nodes', ''));
    assert.equal(d.allowed, true);
    assert.equal(d.privileged, true);
    assert.equal(m.authorize(user('group:system:masters'), url('get', '/anything')).allowed, true);
  });
});

describe('RBAC model: inventory details', () => {
  it('keeps the first of duplicate roles, as the inventory does', () => {
    const text = [
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [pods], verbs: [get]}]',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: r}\nsubjects: [{kind: User, name: u}]',
    ].join('\n---\n');
    const m = buildRbacModel(inventoryOf(text).inventory, { defaults: 'none' });
    assert.equal(m.authorize(user('user:u'), res('get', 'pods', 'x')).allowed, true);
    assert.equal(m.authorize(user('user:u'), res('get', 'secrets', 'x')).allowed, false);
  });
  it('ignores objects of other API groups named Role', () => {
    const text = 'apiVersion: example.com/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]';
    assert.equal(buildRbacModel(inventoryOf(text).inventory, { defaults: 'none' }).roles().length, 0);
  });
  it('knows workloads, their service accounts and token mounting', () => {
    const text = [
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: quiet, namespace: a}\nautomountServiceAccountToken: false',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\nspec: {template: {spec: {serviceAccountName: quiet, containers: [{name: c, image: x}]}}}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, image: x}]}',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: t, namespace: a, annotations: {kubernetes.io/service-account.name: quiet}}\ntype: kubernetes.io/service-account-token',
    ].join('\n---\n');
    const m = buildRbacModel(inventoryOf(text).inventory);
    assert.deepEqual(
      m.workloads().map((w) => `${w.resource.ref.name}:${w.serviceAccount}:${w.tokenMounted}`),
      ['d:quiet:false', 'p:default:true'],
    );
    assert.deepEqual(m.tokenSecretsOf('a', 'quiet'), ['t']);
    assert.deepEqual([...(m.serviceAccounts().get('a') ?? [])].sort(), ['default', 'quiet']);
  });
});
