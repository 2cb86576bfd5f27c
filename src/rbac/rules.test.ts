import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeGrants,
  describeResource,
  describeSubject,
  isBootstrapRbac,
  isClusterScopedQuery,
  isRbacBinding,
  narrower,
  type PolicyRule,
  queriesOf,
  rbacKindOf,
  type ResourceRequest,
  roleRefOf,
  ruleAllows,
  ruleAllowsNonResource,
  ruleGrants,
  someSubresourceQueries,
  subjectsOf,
  toPolicyRule,
} from './rules.js';
import type { JsonObject, Resource } from '../core/types.js';

const rule = (r: Partial<Record<keyof PolicyRule, readonly string[]>>): PolicyRule => toPolicyRule(r as JsonObject);
const req = (verb: string, apiGroup: string, resource: string, extra: { subresource?: string; name?: string } = {}): ResourceRequest => ({
  verb,
  apiGroup,
  resource,
  ...extra,
});

describe('toPolicyRule', () => {
  it('normalises absent and malformed lists to empty ones', () => {
    assert.deepEqual(toPolicyRule({ verbs: ['get', 3, null], resources: 'pods' }), {
      verbs: ['get'],
      apiGroups: [],
      resources: [],
      resourceNames: [],
      nonResourceURLs: [],
    });
    assert.deepEqual(toPolicyRule(null).verbs, []);
    assert.deepEqual(toPolicyRule(['get']).verbs, []);
  });
  it('a malformed rule grants nothing', () => {
    assert.equal(ruleAllows(toPolicyRule('*'), req('get', '', 'pods')), false);
  });
});

describe('ruleAllows: verbs', () => {
  const r = rule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] });
  it('matches listed verbs only', () => {
    assert.equal(ruleAllows(r, req('get', '', 'pods')), true);
    assert.equal(ruleAllows(r, req('list', '', 'pods')), true);
    assert.equal(ruleAllows(r, req('watch', '', 'pods')), false);
  });
  it('* matches every verb, special verbs included', () => {
    const all = rule({ verbs: ['*'], apiGroups: [''], resources: ['pods'] });
    for (const v of ['get', 'deletecollection', 'escalate', 'impersonate', 'anything']) assert.equal(ruleAllows(all, req(v, '', 'pods')), true, v);
  });
  it('compares case-sensitively, as the authorizer does', () => {
    assert.equal(ruleAllows(rule({ verbs: ['GET'], apiGroups: [''], resources: ['pods'] }), req('get', '', 'pods')), false);
  });
  it('an empty verb list grants nothing', () => {
    assert.equal(ruleAllows(rule({ apiGroups: ['*'], resources: ['*'] }), req('get', '', 'pods')), false);
  });
});

describe('ruleAllows: apiGroups', () => {
  it('"" is the core group and matches nothing else', () => {
    const core = rule({ verbs: ['get'], apiGroups: [''], resources: ['deployments', 'pods'] });
    assert.equal(ruleAllows(core, req('get', '', 'pods')), true);
    assert.equal(ruleAllows(core, req('get', 'apps', 'deployments')), false);
  });
  it('* matches every group, the core group included', () => {
    const any = rule({ verbs: ['get'], apiGroups: ['*'], resources: ['secrets'] });
    assert.equal(ruleAllows(any, req('get', '', 'secrets')), true);
    assert.equal(ruleAllows(any, req('get', 'example.com', 'secrets')), true);
  });
  it('no apiGroups grants no resource request', () => {
    assert.equal(ruleAllows(rule({ verbs: ['get'], resources: ['pods'] }), req('get', '', 'pods')), false);
  });
});

describe('ruleAllows: resources and subresources', () => {
  const g = ['', 'apps'];
  it('a resource does not cover its subresources', () => {
    const r = rule({ verbs: ['create', 'get'], apiGroups: g, resources: ['pods'] });
    assert.equal(ruleAllows(r, req('create', '', 'pods')), true);
    assert.equal(ruleAllows(r, req('create', '', 'pods', { subresource: 'exec' })), false);
  });
  it('resource/subresource matches exactly that pair', () => {
    const r = rule({ verbs: ['create'], apiGroups: g, resources: ['pods/exec'] });
    assert.equal(ruleAllows(r, req('create', '', 'pods', { subresource: 'exec' })), true);
    assert.equal(ruleAllows(r, req('create', '', 'pods', { subresource: 'attach' })), false);
    assert.equal(ruleAllows(r, req('create', '', 'pods')), false);
  });
  it('* matches resources and their subresources', () => {
    const r = rule({ verbs: ['create'], apiGroups: g, resources: ['*'] });
    assert.equal(ruleAllows(r, req('create', '', 'pods')), true);
    assert.equal(ruleAllows(r, req('create', '', 'pods', { subresource: 'exec' })), true);
  });
  it('*/subresource matches that subresource of any resource, and nothing else', () => {
    const r = rule({ verbs: ['update'], apiGroups: g, resources: ['*/scale'] });
    assert.equal(ruleAllows(r, req('update', 'apps', 'deployments', { subresource: 'scale' })), true);
    assert.equal(ruleAllows(r, req('update', 'apps', 'statefulsets', { subresource: 'scale' })), true);
    assert.equal(ruleAllows(r, req('update', 'apps', 'deployments')), false);
    assert.equal(ruleAllows(r, req('update', 'apps', 'deployments', { subresource: 'status' })), false);
    assert.equal(ruleAllows(r, req('update', 'apps', 'scale')), false);
    // "*/scale" must equal "*/" + subresource: a longer subresource ending in "scale" does not match.
    assert.equal(ruleAllows(r, req('update', 'apps', 'deployments', { subresource: 'rescale' })), false);
  });
  it('pods/* is not a wildcard: the authorizer compares it literally', () => {
    const r = rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/*'] });
    assert.equal(ruleAllows(r, req('create', '', 'pods', { subresource: 'exec' })), false);
    assert.equal(ruleAllows(r, req('create', '', 'pods')), false);
  });
  it('an empty subresource is the same as none', () => {
    const r = rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] });
    assert.equal(ruleAllows(r, req('get', '', 'pods', { subresource: '' })), true);
  });
});

describe('ruleAllows: resourceNames', () => {
  const r = rule({ verbs: ['get', 'list', 'create'], apiGroups: [''], resources: ['secrets'], resourceNames: ['tls', 'db'] });
  it('matches requests naming a listed object', () => {
    assert.equal(ruleAllows(r, req('get', '', 'secrets', { name: 'tls' })), true);
    assert.equal(ruleAllows(r, req('get', '', 'secrets', { name: 'db' })), true);
    assert.equal(ruleAllows(r, req('get', '', 'secrets', { name: 'other' })), false);
  });
  it('never matches requests without a name (create, plain list)', () => {
    assert.equal(ruleAllows(r, req('list', '', 'secrets')), false);
    assert.equal(ruleAllows(r, req('create', '', 'secrets')), false);
    assert.equal(ruleAllows(r, req('get', '', 'secrets', { name: '' })), false);
  });
  it('a list with a metadata.name field selector carries the name', () => {
    assert.equal(ruleAllows(r, req('list', '', 'secrets', { name: 'tls' })), true);
  });
  it('no resourceNames matches every name and none', () => {
    const open = rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] });
    assert.equal(ruleAllows(open, req('get', '', 'secrets', { name: 'x' })), true);
    assert.equal(ruleAllows(open, req('get', '', 'secrets')), true);
  });
  it('"*" in resourceNames is a literal name', () => {
    const star = rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['*'] });
    assert.equal(ruleAllows(star, req('get', '', 'secrets', { name: 'tls' })), false);
  });
  it('a subresource request carries the parent name', () => {
    const exec = rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'], resourceNames: ['debug'] });
    assert.equal(ruleAllows(exec, req('create', '', 'pods', { subresource: 'exec', name: 'debug' })), true);
    assert.equal(ruleAllows(exec, req('create', '', 'pods', { subresource: 'exec', name: 'web' })), false);
  });
  it('ignores nonResourceURLs for resource requests', () => {
    assert.equal(ruleAllows(rule({ verbs: ['get'], nonResourceURLs: ['*'] }), req('get', '', 'pods')), false);
  });
});

describe('ruleAllowsNonResource', () => {
  it('* matches every path', () => {
    assert.equal(ruleAllowsNonResource(rule({ verbs: ['get'], nonResourceURLs: ['*'] }), 'get', '/metrics'), true);
  });
  it('matches exact paths', () => {
    const r = rule({ verbs: ['get'], nonResourceURLs: ['/healthz', '/version'] });
    assert.equal(ruleAllowsNonResource(r, 'get', '/version'), true);
    assert.equal(ruleAllowsNonResource(r, 'get', '/version/'), false);
    assert.equal(ruleAllowsNonResource(r, 'post', '/version'), false);
  });
  it('a trailing * is a plain prefix match, not a path-segment match', () => {
    const r = rule({ verbs: ['get'], nonResourceURLs: ['/healthz/*', '/api*'] });
    assert.equal(ruleAllowsNonResource(r, 'get', '/healthz/etcd'), true);
    assert.equal(ruleAllowsNonResource(r, 'get', '/healthz/'), true);
    assert.equal(ruleAllowsNonResource(r, 'get', '/healthz'), false);
    assert.equal(ruleAllowsNonResource(r, 'get', '/apis/apps/v1'), true);
    assert.equal(ruleAllowsNonResource(r, 'get', '/api'), true);
  });
  it('trims every trailing *', () => {
    assert.equal(ruleAllowsNonResource(rule({ verbs: ['get'], nonResourceURLs: ['/logs**'] }), 'get', '/logs/x'), true);
  });
  it('a * inside a path is literal', () => {
    const r = rule({ verbs: ['get'], nonResourceURLs: ['/a/*/b'] });
    assert.equal(ruleAllowsNonResource(r, 'get', '/a/x/b'), false);
    assert.equal(ruleAllowsNonResource(r, 'get', '/a/*/b'), true);
  });
  it('ignores resources', () => {
    assert.equal(ruleAllowsNonResource(rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }), 'get', '/metrics'), false);
  });
});

describe('ruleGrants', () => {
  it('is all for rules without resourceNames', () => {
    assert.equal(ruleGrants(rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }), { verb: 'get', apiGroup: '', resource: 'secrets' }), 'all');
  });
  it('is named for rules with resourceNames, for verbs that carry a name', () => {
    const r = rule({ verbs: ['get', 'list', 'update'], apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'] });
    for (const verb of ['get', 'list', 'update']) assert.equal(ruleGrants(r, { verb, apiGroup: '', resource: 'secrets' }), 'named', verb);
  });
  it('is undefined for create and deletecollection restricted by name: those requests carry none', () => {
    const r = rule({ verbs: ['create', 'deletecollection'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] });
    assert.equal(ruleGrants(r, { verb: 'create', apiGroup: '', resource: 'pods' }), undefined);
    assert.equal(ruleGrants(r, { verb: 'deletecollection', apiGroup: '', resource: 'pods' }), undefined);
  });
  it('create on a subresource names the parent, so resourceNames apply', () => {
    const r = rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'], resourceNames: ['web'] });
    assert.equal(ruleGrants(r, { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec' }), 'named');
  });
  it('is undefined when verb, group or resource do not match', () => {
    const r = rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] });
    assert.equal(ruleGrants(r, { verb: 'list', apiGroup: '', resource: 'secrets' }), undefined);
    assert.equal(ruleGrants(r, { verb: 'get', apiGroup: 'apps', resource: 'secrets' }), undefined);
    assert.equal(ruleGrants(r, { verb: 'get', apiGroup: '', resource: 'configmaps' }), undefined);
  });
});

describe('someSubresourceQueries', () => {
  const q = { verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'userextras' } as const;
  const granted = (r: PolicyRule): string[] =>
    someSubresourceQueries(r, q)
      .filter((x) => ruleGrants(r, x) !== undefined)
      .map((x) => x.subresource ?? '');
  it('finds subresources the rule spells out', () => {
    assert.deepEqual(granted(rule({ verbs: ['impersonate'], apiGroups: ['authentication.k8s.io'], resources: ['userextras/scopes'] })), ['scopes']);
    assert.deepEqual(granted(rule({ verbs: ['impersonate'], apiGroups: ['*'], resources: ['*/scopes'] })), ['scopes']);
  });
  it('* grants every subresource', () => {
    assert.deepEqual(granted(rule({ verbs: ['impersonate'], apiGroups: ['*'], resources: ['*'] })), ['*']);
  });
  it('the bare resource does not grant its subresources', () => {
    assert.deepEqual(granted(rule({ verbs: ['impersonate'], apiGroups: ['authentication.k8s.io'], resources: ['userextras'] })), []);
  });
  it('subresources of other resources are tried but not granted', () => {
    assert.deepEqual(granted(rule({ verbs: ['impersonate'], apiGroups: ['authentication.k8s.io'], resources: ['pods/exec'] })), []);
  });
});

describe('queriesOf and isClusterScopedQuery', () => {
  it('splits subresources', () => {
    assert.deepEqual(queriesOf(['create'], '', ['pods/exec', 'pods']), [
      { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec' },
      { verb: 'create', apiGroup: '', resource: 'pods' },
    ]);
  });
  it('knows cluster-scoped resources, with the bind exception', () => {
    assert.equal(isClusterScopedQuery({ verb: 'get', apiGroup: '', resource: 'nodes', subresource: 'proxy' }), true);
    assert.equal(isClusterScopedQuery({ verb: 'get', apiGroup: '', resource: 'pods' }), false);
    assert.equal(isClusterScopedQuery({ verb: 'get', apiGroup: '', resource: 'namespaces' }), false);
    assert.equal(isClusterScopedQuery({ verb: 'escalate', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }), true);
    assert.equal(isClusterScopedQuery({ verb: 'bind', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }), false);
    assert.equal(isClusterScopedQuery({ verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts' }), false);
    assert.equal(isClusterScopedQuery({ verb: 'impersonate', apiGroup: '', resource: 'users' }), true);
  });
});

describe('reading RBAC objects', () => {
  it('rbacKindOf only accepts the RBAC API group', () => {
    assert.equal(rbacKindOf({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }), 'ClusterRole');
    assert.equal(rbacKindOf({ apiVersion: 'example.com/v1', kind: 'Role' }), undefined);
    assert.equal(rbacKindOf({ apiVersion: 'v1', kind: 'Pod' }), undefined);
  });
  it('isBootstrapRbac: system: names and the rbac-defaults label', () => {
    assert.equal(isBootstrapRbac({ metadata: { name: 'system:controller:job-controller' } }), true);
    assert.equal(isBootstrapRbac({ metadata: { name: 'edit', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } } }), true);
    assert.equal(isBootstrapRbac({ metadata: { name: 'systemic' } }), false);
    assert.equal(isBootstrapRbac({}), false);
  });
  it('isRbacBinding and describeSubject', () => {
    const res = (kind: string, apiVersion = 'rbac.authorization.k8s.io/v1'): Resource => ({
      index: 0,
      ref: { apiVersion, kind, name: 'b' },
      object: { apiVersion, kind },
    });
    assert.equal(isRbacBinding(res('RoleBinding')), true);
    assert.equal(isRbacBinding(res('ClusterRoleBinding')), true);
    assert.equal(isRbacBinding(res('ClusterRole')), false);
    assert.equal(isRbacBinding(res('RoleBinding', 'example.com/v1')), false);
    assert.equal(describeSubject({ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }), 'ServiceAccount shop/default');
    assert.equal(describeSubject({ kind: 'Group', name: 'system:masters' }), 'Group system:masters');
  });
  it('subjectsOf defaults ServiceAccount namespaces to the binding namespace and skips malformed entries', () => {
    const subjects = subjectsOf({
      metadata: { name: 'b', namespace: 'team' },
      subjects: [{ kind: 'ServiceAccount', name: 'default' }, 'junk', { kind: 'User', name: 'ann', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    assert.deepEqual(subjects, [
      { index: 0, path: '/subjects/0', kind: 'ServiceAccount', name: 'default', namespace: 'team' },
      { index: 2, path: '/subjects/2', kind: 'User', name: 'ann', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
  });
  it('roleRefOf', () => {
    assert.deepEqual(roleRefOf({ roleRef: { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' } }), {
      kind: 'ClusterRole',
      name: 'view',
    });
    assert.equal(roleRefOf({ roleRef: 'view' }), undefined);
  });
});

describe('wording', () => {
  it('describes resources kubectl style', () => {
    assert.equal(describeResource({ apiGroup: '', resource: 'pods', subresource: 'exec' }), 'pods/exec');
    assert.equal(describeResource({ apiGroup: 'apps', resource: 'deployments' }), 'deployments.apps');
  });
  it('groups resources sharing verbs and names resourceNames', () => {
    const r = rule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets', 'configmaps'], resourceNames: ['a'] });
    const grants = queriesOf(['get'], '', ['secrets', 'configmaps']).map((q) => ({ ...q, scope: 'named' as const }));
    assert.equal(describeGrants(grants, r), 'get on secrets, configmaps (only resourceNames "a")');
  });
  it('narrower steps down and stops at info', () => {
    assert.equal(narrower('critical'), 'high');
    assert.equal(narrower('low'), 'info');
    assert.equal(narrower('info'), 'info');
  });
});
