/**
 * Kubernetes RBAC PolicyRules, matched exactly as the API server's RBAC authorizer matches
 * one rule against one request, plus the small helpers the RBAC checks share (reading
 * rules, subjects and role references out of objects, describing grants).
 *
 * The matching follows `pkg/apis/rbac/v1/evaluation_helpers.go` and `RuleAllows` in
 * `plugin/pkg/auth/authorizer/rbac/rbac.go` of kubernetes/kubernetes:
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/rbac/v1/evaluation_helpers.go
 *
 * What this module does not do: follow bindings, aggregate ClusterRoles, or know which
 * subjects a request comes from. Those belong to the effective-permissions model built on top.
 */
import { joinPointer } from '../core/pointer.js';
import type { JsonObject, JsonValue, Resource, Severity } from '../core/types.js';
import { isObject } from '../core/object.js';

/** One rule of a Role or ClusterRole, normalised: absent or malformed lists are empty. */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/**
 * The attributes of a resource request as the authorizer sees them. `apiGroup` is `''` for
 * the core group; `name` is absent (or `''`) for requests on collections (`create`, `list`
 * without a `metadata.name` field selector, `deletecollection`).
 */
export interface ResourceRequest {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
}

/** The `*` that means "all" in verbs, apiGroups, resources and nonResourceURLs. */
export const RBAC_ALL = '*';

/** The API group of Role, ClusterRole and their bindings. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

function stringsAt(o: Readonly<Record<string, JsonValue>>, key: string): readonly string[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Normalises one entry of `rules` as parsed from YAML or JSON. A malformed entry becomes a
 * rule with empty lists, which, as in the authorizer, grants nothing.
 *
 * @example
 * toPolicyRule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }).resourceNames; // []
 */
export function toPolicyRule(value: JsonValue | undefined): PolicyRule {
  const o = isObject(value) ? value : {};
  return {
    verbs: stringsAt(o, 'verbs'),
    apiGroups: stringsAt(o, 'apiGroups'),
    resources: stringsAt(o, 'resources'),
    resourceNames: stringsAt(o, 'resourceNames'),
    nonResourceURLs: stringsAt(o, 'nonResourceURLs'),
  };
}

/**
 * True when the rule lists the verb or `*`. Verbs are compared case-sensitively, as the
 * authorizer does: `GET` in a rule grants nothing.
 *
 * @example
 * verbMatches(toPolicyRule({ verbs: ['*'] }), 'escalate'); // true
 */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === RBAC_ALL || v === verb);
}

/**
 * True when the rule lists the API group or `*`; `''` is the core group.
 *
 * @example
 * apiGroupMatches(toPolicyRule({ apiGroups: [''] }), 'apps'); // false
 */
export function apiGroupMatches(rule: PolicyRule, apiGroup: string): boolean {
  return rule.apiGroups.some((g) => g === RBAC_ALL || g === apiGroup);
}

/**
 * True when the rule lists `*`, the exact `resource` or `resource/subresource`, or, for a
 * subresource request, `*\/subresource` (any resource's subresource). `pods` does not cover
 * `pods/exec`, and `pods/*` is not a wildcard: the authorizer compares it literally.
 *
 * @example
 * resourceMatches(toPolicyRule({ resources: ['*\/scale'] }), 'deployments', 'scale'); // true
 * resourceMatches(toPolicyRule({ resources: ['pods'] }), 'pods', 'exec'); // false
 */
export function resourceMatches(rule: PolicyRule, resource: string, subresource?: string): boolean {
  const sub = subresource ?? '';
  const combined = sub === '' ? resource : `${resource}/${sub}`;
  return rule.resources.some((r) => r === RBAC_ALL || r === combined || (sub !== '' && r === `*/${sub}`));
}

/**
 * True when the rule has no resourceNames or lists the requested name. A request without a
 * name (a `create` of a new object, a `list`, a `deletecollection`) has the name `''`, so a
 * rule with resourceNames never matches it unless it lists `''`.
 *
 * @example
 * resourceNameMatches(toPolicyRule({ resourceNames: ['app-config'] }), undefined); // false
 */
export function resourceNameMatches(rule: PolicyRule, name?: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  const requested = name ?? '';
  return rule.resourceNames.includes(requested);
}

/**
 * True when the rule lists `*`, the exact path, or a prefix of it ending in `*`
 * (`/healthz/*` matches `/healthz/etcd`; `/healthz*` also matches `/healthzfoo`).
 *
 * @example
 * nonResourceURLMatches(toPolicyRule({ nonResourceURLs: ['/apis/*'] }), '/apis/apps'); // true
 */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some((u) => u === RBAC_ALL || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))));
}

/**
 * Whether this one rule allows a resource request: verb, API group, resource (with
 * subresource) and name must all match.
 *
 * @example
 * const rule = toPolicyRule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'] });
 * ruleAllows(rule, { verb: 'get', apiGroup: '', resource: 'secrets', name: 'tls' }); // true
 * ruleAllows(rule, { verb: 'list', apiGroup: '', resource: 'secrets' }); // false
 */
export function ruleAllows(rule: PolicyRule, request: ResourceRequest): boolean {
  return (
    verbMatches(rule, request.verb) &&
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, request.resource, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}

/**
 * Whether this one rule allows a non-resource request (`GET /healthz`). Only rules of
 * ClusterRoles bound by ClusterRoleBindings take part in such requests; that is the
 * caller's concern.
 *
 * @example
 * ruleAllowsNonResource(toPolicyRule({ verbs: ['get'], nonResourceURLs: ['/metrics'] }), 'get', '/metrics'); // true
 */
export function ruleAllowsNonResource(rule: PolicyRule, verb: string, path: string): boolean {
  return verbMatches(rule, verb) && nonResourceURLMatches(rule, path);
}

/* ---------------------------------------------------------------------------------------
 * Grants: "can this rule do X broadly?"
 * ------------------------------------------------------------------------------------- */

/** A request shape with the object name left open. */
export interface ResourceQuery {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
}

/**
 * How widely a rule grants a query: `all` objects, or only the objects its resourceNames
 * list (`named`).
 */
export type GrantScope = 'all' | 'named';

/** A query a rule grants, and how widely. */
export interface Grant extends ResourceQuery {
  readonly scope: GrantScope;
}

/**
 * True for requests that never carry an object name, so resourceNames cannot apply: `create`
 * of a new object (but not `create` on a subresource such as `pods/exec`, which names the
 * pod) and `deletecollection`.
 */
function isNameless(query: ResourceQuery): boolean {
  return (query.verb === 'create' && (query.subresource ?? '') === '') || query.verb === 'deletecollection';
}

/**
 * Whether the rule grants the query for every object name (`all`), only for the names in its
 * resourceNames (`named`), or not at all (`undefined`). A `create` or `deletecollection`
 * rule restricted by resourceNames grants nothing, because those requests carry no name.
 *
 * @example
 * const rule = toPolicyRule({ verbs: ['get', 'create'], apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'] });
 * ruleGrants(rule, { verb: 'get', apiGroup: '', resource: 'secrets' }); // 'named'
 * ruleGrants(rule, { verb: 'create', apiGroup: '', resource: 'secrets' }); // undefined
 */
export function ruleGrants(rule: PolicyRule, query: ResourceQuery): GrantScope | undefined {
  if (isNameless(query)) return ruleAllows(rule, query) ? 'all' : undefined;
  const request: ResourceRequest = { ...query, ...(rule.resourceNames.length > 0 ? { name: rule.resourceNames[0] } : {}) };
  if (!ruleAllows(rule, request)) return undefined;
  return rule.resourceNames.length === 0 ? 'all' : 'named';
}

/**
 * The queries that stand for "some subresource of `resource`" against one rule (e.g. any
 * key of `userextras`, which impersonation authorizes as a subresource): one per
 * subresource the rule spells out (`userextras/scopes`, `*\/scopes`), and `*`, which only
 * `*`, `*\/*` and a literal `resource/*` match. Whatever one of them is granted, a request
 * with that subresource is.
 *
 * @example
 * const rule = toPolicyRule({ verbs: ['impersonate'], apiGroups: ['authentication.k8s.io'], resources: ['userextras/scopes'] });
 * someSubresourceQueries(rule, { verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'userextras' }).map((q) => q.subresource);
 * // ['*', 'scopes']
 */
export function someSubresourceQueries(rule: PolicyRule, query: Omit<ResourceQuery, 'subresource'>): readonly ResourceQuery[] {
  const subresources = new Set<string>([RBAC_ALL]);
  for (const r of rule.resources) {
    const slash = r.indexOf('/');
    if (slash >= 0 && slash < r.length - 1) subresources.add(r.slice(slash + 1));
  }
  return [...subresources].map((subresource) => ({ ...query, subresource }));
}

/**
 * The queries of `verbs` x `resources` in one API group, for checks to state what they look
 * for. A resource may carry a subresource: `pods/exec`.
 *
 * @example
 * queriesOf(['get', 'list'], '', ['secrets']).length; // 2
 */
export function queriesOf(verbs: readonly string[], apiGroup: string, resources: readonly string[]): readonly ResourceQuery[] {
  const out: ResourceQuery[] = [];
  for (const combined of resources) {
    const slash = combined.indexOf('/');
    const resource = slash < 0 ? combined : combined.slice(0, slash);
    const subresource = slash < 0 ? undefined : combined.slice(slash + 1);
    for (const verb of verbs) out.push({ verb, apiGroup, resource, ...(subresource !== undefined ? { subresource } : {}) });
  }
  return out;
}

/**
 * Built-in resources whose requests carry no namespace, as `group/resource` (`/nodes` for
 * the core group). A Role's rules on them grant nothing: RoleBindings only take part in
 * namespaced requests. `namespaces` is left out on purpose: a request on namespace `foo` is
 * authorized in namespace `foo`.
 */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  '/nodes',
  '/persistentvolumes',
  '/componentstatuses',
  '/users',
  '/groups',
  'authentication.k8s.io/uids',
  'authentication.k8s.io/userextras',
  'authentication.k8s.io/tokenreviews',
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  `${RBAC_GROUP}/clusterroles`,
  `${RBAC_GROUP}/clusterrolebindings`,
  'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingadmissionpolicies',
  'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  'admissionregistration.k8s.io/mutatingadmissionpolicies',
  'admissionregistration.k8s.io/mutatingadmissionpolicybindings',
  'apiextensions.k8s.io/customresourcedefinitions',
  'apiregistration.k8s.io/apiservices',
  'certificates.k8s.io/certificatesigningrequests',
  'certificates.k8s.io/signers',
  'certificates.k8s.io/clustertrustbundles',
  'storage.k8s.io/storageclasses',
  'storage.k8s.io/volumeattachments',
  'storage.k8s.io/csidrivers',
  'storage.k8s.io/csinodes',
  'scheduling.k8s.io/priorityclasses',
  'node.k8s.io/runtimeclasses',
  'networking.k8s.io/ingressclasses',
  'networking.k8s.io/ipaddresses',
  'networking.k8s.io/servicecidrs',
  'flowcontrol.apiserver.k8s.io/flowschemas',
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
]);

/**
 * True when a query is authorized without a namespace, so that only ClusterRoleBindings, and
 * never a Role, can grant it. One exception: `bind` on `clusterroles` is checked in the
 * namespace of the RoleBinding being written, so a Role can grant it.
 *
 * @example
 * isClusterScopedQuery({ verb: 'create', apiGroup: '', resource: 'persistentvolumes' }); // true
 * isClusterScopedQuery({ verb: 'bind', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }); // false
 */
export function isClusterScopedQuery(query: ResourceQuery): boolean {
  if (query.verb === 'bind' && query.apiGroup === RBAC_GROUP && query.resource === 'clusterroles') return false;
  return CLUSTER_SCOPED.has(`${query.apiGroup}/${query.resource}`);
}

/* ---------------------------------------------------------------------------------------
 * Reading RBAC objects
 * ------------------------------------------------------------------------------------- */

/** The RBAC object kinds. */
export type RbacKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

/**
 * The RBAC kind of an object, or undefined for other objects (including custom resources
 * that happen to be called `Role`).
 *
 * @example
 * rbacKindOf({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' }); // 'Role'
 */
export function rbacKindOf(object: JsonObject): RbacKind | undefined {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith(`${RBAC_GROUP}/`)) return undefined;
  return kind === 'Role' || kind === 'ClusterRole' || kind === 'RoleBinding' || kind === 'ClusterRoleBinding' ? kind : undefined;
}

/**
 * True for the roles and bindings the API server creates and reconciles itself: names
 * starting with `system:` or the label `kubernetes.io/bootstrapping: rbac-defaults`
 * (which also marks `cluster-admin`, `admin`, `edit` and `view`). Users cannot usefully
 * change them, so reporting their content is noise.
 *
 * @example
 * isBootstrapRbac({ metadata: { name: 'system:node' } }); // true
 */
export function isBootstrapRbac(object: JsonObject): boolean {
  const meta = isObject(object.metadata) ? object.metadata : {};
  if (typeof meta.name === 'string' && meta.name.startsWith('system:')) return true;
  const labels = isObject(meta.labels) ? meta.labels : {};
  return labels['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

/**
 * True for RoleBindings and ClusterRoleBindings of the RBAC API.
 *
 * @example
 * if (!isRbacBinding(resource)) return;
 */
export function isRbacBinding(resource: Resource): boolean {
  const kind = rbacKindOf(resource.object);
  return kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
}

/**
 * How a subject is named in messages: `User alice`, `ServiceAccount shop/default`.
 *
 * @example
 * describeSubject({ kind: 'Group', name: 'dev' }); // 'Group dev'
 */
export function describeSubject(s: { readonly kind: string; readonly name: string; readonly namespace?: string }): string {
  return `${s.kind} ${s.kind === 'ServiceAccount' && s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}

/** A subject of a binding with where it sits. */
export interface IndexedSubject {
  readonly index: number;
  /** Pointer from the object root: `/subjects/0`. */
  readonly path: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly apiGroup?: string;
}

/**
 * The subjects of a RoleBinding or ClusterRoleBinding. A ServiceAccount subject without a
 * namespace in a RoleBinding gets the binding's namespace, as the authorizer does.
 *
 * @example
 * subjectsOf({ subjects: [{ kind: 'Group', name: 'dev' }] })[0]?.name; // 'dev'
 */
export function subjectsOf(object: JsonObject): readonly IndexedSubject[] {
  const subjects = object.subjects;
  if (!Array.isArray(subjects)) return [];
  const meta = isObject(object.metadata) ? object.metadata : {};
  const bindingNamespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  const out: IndexedSubject[] = [];
  subjects.forEach((s, index) => {
    if (!isObject(s) || typeof s.kind !== 'string' || typeof s.name !== 'string') return;
    const explicitNs = typeof s.namespace === 'string' && s.namespace !== '' ? s.namespace : undefined;
    const namespace = explicitNs ?? (s.kind === 'ServiceAccount' ? bindingNamespace : undefined);
    out.push({
      index,
      path: joinPointer('', 'subjects', index),
      kind: s.kind,
      name: s.name,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(typeof s.apiGroup === 'string' ? { apiGroup: s.apiGroup } : {}),
    });
  });
  return out;
}

/** The role a binding refers to. */
export interface RoleRef {
  readonly kind: string;
  readonly name: string;
}

/**
 * The roleRef of a binding, or undefined when it is missing or malformed.
 *
 * @example
 * roleRefOf({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } }); // { kind: 'ClusterRole', name: 'view' }
 */
export function roleRefOf(object: JsonObject): RoleRef | undefined {
  const ref = object.roleRef;
  if (!isObject(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name };
}

/* ---------------------------------------------------------------------------------------
 * Wording shared by the RBAC checks
 * ------------------------------------------------------------------------------------- */

/**
 * How a resource is named in messages, kubectl style: `secrets`, `deployments.apps`,
 * `certificatesigningrequests.certificates.k8s.io/approval`.
 *
 * @example
 * describeResource({ apiGroup: 'apps', resource: 'deployments' }); // 'deployments.apps'
 */
export function describeResource(q: { readonly apiGroup: string; readonly resource: string; readonly subresource?: string }): string {
  const base = q.apiGroup === '' ? q.resource : `${q.resource}.${q.apiGroup}`;
  return q.subresource ? `${base}/${q.subresource}` : base;
}

/**
 * Describes grants for a message: verbs per resource, and the resourceNames when the rule is
 * limited to them. `rule` gives the names.
 *
 * @example
 * describeGrants(grants, rule); // 'get, list on secrets (only resourceNames "tls")'
 */
export function describeGrants(grants: readonly Grant[], rule: PolicyRule): string {
  const byResource = new Map<string, string[]>();
  for (const g of grants) {
    const key = describeResource(g);
    const verbs = byResource.get(key) ?? [];
    if (!verbs.includes(g.verb)) verbs.push(g.verb);
    byResource.set(key, verbs);
  }
  // Group resources that share the same verbs: "create on pods, jobs.batch".
  const byVerbs = new Map<string, string[]>();
  for (const [resource, verbs] of byResource) {
    const key = verbs.join(', ');
    byVerbs.set(key, [...(byVerbs.get(key) ?? []), resource]);
  }
  const text = [...byVerbs].map(([verbs, resources]) => `${verbs} on ${resources.join(', ')}`).join('; ');
  return grants.every((g) => g.scope === 'named') ? `${text} ${describeNames(rule)}` : text;
}

/**
 * The resourceNames clause of a message.
 *
 * @example
 * describeNames(toPolicyRule({ resourceNames: ['a', 'b'] })); // '(only resourceNames "a", "b")'
 */
export function describeNames(rule: PolicyRule): string {
  return `(only resourceNames ${rule.resourceNames.map((n) => JSON.stringify(n)).join(', ')})`;
}

/**
 * One step less severe: used when a grant is limited to named objects.
 *
 * @example
 * narrower('high'); // 'medium'
 */
export function narrower(severity: Severity): Severity {
  const order: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
  return order[Math.min(order.indexOf(severity) + 1, order.length - 1)] ?? 'info';
}

/**
 * The rule as evidence for a finding (only its non-empty lists).
 *
 * @example
 * evidenceOf(toPolicyRule({ verbs: ['get'], resources: ['secrets'] })); // { verbs: ['get'], resources: ['secrets'] }
 */
export function evidenceOf(rule: PolicyRule): Readonly<Record<string, JsonValue>> {
  const out: Record<string, JsonValue> = {};
  for (const key of ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
    if (rule[key].length > 0) out[key] = [...rule[key]];
  }
  return out;
}
