/**
 * Risky capabilities evaluated on effective permissions: what a subject can do through all
 * the bindings that apply to it (its own, its groups', the catch-all groups'), not what one
 * role says. Each capability is a set of probes (requests with the object name left open)
 * matched with `core/rbac-rules.ts` against every granted rule, respecting where the grant
 * holds: a RoleBinding grants only in its namespace and never cluster-scoped resources.
 *
 * The catalogue follows Kubernetes' RBAC good practices ("privilege escalation risks") and
 * the peers' catalogues (rbac-police, KubiScan, Kubescape, Trivy).
 */
import {
  type GrantScope,
  isClusterScopedQuery,
  type PolicyRule,
  queriesOf,
  RBAC_ALL,
  RBAC_GROUP,
  type ResourceQuery,
  ruleGrants,
  someSubresourceQueries,
} from './rules.js';
import type { EffectiveRule, Grant, RbacModel } from './model.js';
import type { Subject, UserInfo } from './identity.js';

/** The risky capabilities, one per subject-level check. */
export const CAPABILITY_IDS = [
  'cluster-admin',
  'read-secrets',
  'create-workloads',
  'pod-exec',
  'pod-attach',
  'port-forward',
  'ephemeral-containers',
  'nodes-proxy',
  'escalate',
  'bind',
  'impersonate',
  'create-tokens',
  'issue-certificates',
  'modify-webhooks',
  'modify-rbac',
  'modify-nodes',
  'delete-events',
  'create-persistent-volumes',
  'wildcard',
] as const;
export type CapabilityId = (typeof CAPABILITY_IDS)[number];

/** A named request shape that some capability looks for. */
export interface Probe {
  readonly id: string;
  readonly query: ResourceQuery;
}

const WORKLOAD_RESOURCES: readonly [string, string][] = [
  ['', 'pods'],
  ['', 'replicationcontrollers'],
  ['apps', 'deployments'],
  ['apps', 'daemonsets'],
  ['apps', 'statefulsets'],
  ['apps', 'replicasets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
];

function probes(prefix: string, verbs: readonly string[], group: string, resources: readonly string[]): Probe[] {
  return queriesOf(verbs, group, resources).map((query) => ({
    id: `${prefix}:${query.verb}:${query.apiGroup}/${query.resource}${query.subresource ? `/${query.subresource}` : ''}`,
    query,
  }));
}

/** The probes of each capability (OR within a capability, except `issue-certificates`). */
const PROBES: Readonly<Record<Exclude<CapabilityId, 'cluster-admin' | 'wildcard' | 'impersonate'>, readonly Probe[]>> = {
  'read-secrets': probes('read-secrets', ['get', 'list', 'watch'], '', ['secrets']),
  'create-workloads': [
    ...WORKLOAD_RESOURCES.flatMap(([g, r]) => probes('create-workloads', ['create'], g, [r])),
    // Changing a controller's pod template runs new pods as whatever it says.
    ...WORKLOAD_RESOURCES.filter(([, r]) => r !== 'pods').flatMap(([g, r]) => probes('create-workloads', ['update', 'patch'], g, [r])),
  ],
  'pod-exec': probes('pod-exec', ['create'], '', ['pods/exec']),
  'pod-attach': probes('pod-attach', ['create'], '', ['pods/attach']),
  'port-forward': probes('port-forward', ['create'], '', ['pods/portforward']),
  'ephemeral-containers': probes('ephemeral-containers', ['patch', 'update'], '', ['pods/ephemeralcontainers']),
  'nodes-proxy': probes('nodes-proxy', ['get', 'create'], '', ['nodes/proxy']),
  escalate: probes('escalate', ['escalate'], RBAC_GROUP, ['roles', 'clusterroles']),
  bind: probes('bind', ['bind'], RBAC_GROUP, ['roles', 'clusterroles']),
  'create-tokens': probes('create-tokens', ['create'], '', ['serviceaccounts/token']),
  'issue-certificates': [
    ...probes('csr-create', ['create'], 'certificates.k8s.io', ['certificatesigningrequests']),
    ...probes('csr-approve', ['update', 'patch'], 'certificates.k8s.io', ['certificatesigningrequests/approval']),
    ...probes('csr-signer', ['approve'], 'certificates.k8s.io', ['signers']),
  ],
  'modify-webhooks': probes('modify-webhooks', ['create', 'update', 'patch', 'delete'], 'admissionregistration.k8s.io', [
    'mutatingwebhookconfigurations',
    'validatingwebhookconfigurations',
  ]),
  'modify-rbac': probes('modify-rbac', ['create', 'update', 'patch'], RBAC_GROUP, ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']),
  'modify-nodes': probes('modify-nodes', ['patch', 'update'], '', ['nodes', 'nodes/status']),
  'delete-events': [
    ...probes('delete-events', ['delete', 'deletecollection'], '', ['events']),
    ...probes('delete-events', ['delete', 'deletecollection'], 'events.k8s.io', ['events']),
  ],
  'create-persistent-volumes': probes('create-persistent-volumes', ['create'], '', ['persistentvolumes']),
};

const IMPERSONATE_FIXED: readonly Probe[] = [
  ...probes('impersonate', ['impersonate'], '', ['users', 'groups', 'serviceaccounts']),
  ...probes('impersonate', ['impersonate'], 'authentication.k8s.io', ['uids']),
];

/** Probes used to build escalation paths, beyond the capabilities'. */
const PATH_PROBES: readonly Probe[] = [
  ...probes('path-create-secrets', ['create'], '', ['secrets']),
  ...probes('path-update-roles', ['update', 'patch'], RBAC_GROUP, ['roles', 'clusterroles']),
  ...probes('path-create-bindings', ['create'], RBAC_GROUP, ['rolebindings', 'clusterrolebindings']),
  ...probes('path-modify-pods', ['update', 'patch'], '', ['pods']),
];

/** Every rule with `*` verbs, resources and API groups and no resourceNames. */
export function isStarRule(rule: PolicyRule): boolean {
  return rule.verbs.includes(RBAC_ALL) && rule.apiGroups.includes(RBAC_ALL) && rule.resources.includes(RBAC_ALL) && rule.resourceNames.length === 0;
}

/** A rule with `*` among its verbs, resources or API groups. */
export function hasWildcard(rule: PolicyRule): boolean {
  return rule.verbs.includes(RBAC_ALL) || rule.resources.includes(RBAC_ALL) || rule.apiGroups.includes(RBAC_ALL);
}

/** One probe a rule matches, and how widely. */
export interface ProbeMatch {
  readonly probe: Probe;
  readonly scope: GrantScope;
}

const RULE_CACHE = new WeakMap<EffectiveRule, readonly ProbeMatch[]>();
const ALL_PROBES: readonly Probe[] = [...Object.values(PROBES).flat(), ...IMPERSONATE_FIXED, ...PATH_PROBES];
/** Probe indexes (ascending) by verb: a rule without `*` verbs can only grant these. */
const PROBES_BY_VERB = new Map<string, number[]>();
ALL_PROBES.forEach((p, i) => {
  const list = PROBES_BY_VERB.get(p.query.verb);
  if (list) list.push(i);
  else PROBES_BY_VERB.set(p.query.verb, [i]);
});
const ALL_INDEXES: readonly number[] = ALL_PROBES.map((_, i) => i);
/** Per probe (same order): the entries of `resources` that can grant it besides `*`. */
const PROBE_RESOURCES: readonly (readonly string[])[] = ALL_PROBES.map(({ query: q }) =>
  q.subresource ? [`${q.resource}/${q.subresource}`, `*/${q.subresource}`] : [q.resource],
);

/**
 * The probes a rule matches (cached per rule: rules are shared by every subject bound to
 * their role).
 *
 * @example
 * probeMatches(grant.rule).map((m) => m.probe.id);
 */
export function probeMatches(rule: EffectiveRule): readonly ProbeMatch[] {
  const cached = RULE_CACHE.get(rule);
  if (cached) return cached;
  const out: ProbeMatch[] = [];
  const r = rule.rule;
  // Cheap pre-filter: a rule without verbs or API groups matches no resource probe.
  if (r.verbs.length > 0 && r.apiGroups.length > 0 && r.resources.length > 0) {
    // A rule grants nothing whose verb or API group it does not list (ruleAllows checks both first).
    // The same holds for the resource (resourceMatches: `*`, `resource/sub` or `*\/sub`).
    const anyVerb = r.verbs.includes(RBAC_ALL);
    const anyGroup = r.apiGroups.includes(RBAC_ALL);
    const anyResource = r.resources.includes(RBAC_ALL);
    let indexes: readonly number[] = ALL_INDEXES;
    if (!anyVerb) {
      const some: number[] = [];
      for (const v of new Set(r.verbs)) for (const i of PROBES_BY_VERB.get(v) ?? []) some.push(i);
      // Probe order is kept: answers list probes in catalogue order.
      indexes = some.sort((a, b) => a - b);
    }
    for (const i of indexes) {
      const probe = ALL_PROBES[i] as Probe;
      if (!anyGroup && !r.apiGroups.includes(probe.query.apiGroup)) continue;
      if (!anyResource && !(PROBE_RESOURCES[i] as readonly string[]).some((x) => r.resources.includes(x))) continue;
      const scope = ruleGrants(r, probe.query);
      if (scope !== undefined) out.push({ probe, scope });
    }
    const extras = (anyVerb || r.verbs.includes('impersonate')) && (anyGroup || r.apiGroups.includes('authentication.k8s.io'));
    for (const query of extras ? someSubresourceQueries(r, { verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'userextras' }) : []) {
      const scope = ruleGrants(r, query);
      if (scope !== undefined) out.push({ probe: { id: 'impersonate:impersonate:authentication.k8s.io/userextras', query }, scope });
    }
  }
  RULE_CACHE.set(rule, out);
  return out;
}

/** One granted probe: the grant (binding, role, rule, namespace) and what it matches. */
export interface ProbeGrant {
  readonly grant: Grant;
  readonly probe: Probe;
  readonly scope: GrantScope;
  /** For `named` grants: the names the rule lists. */
  readonly names: readonly string[];
}

/** A capability a subject holds, with the grants it rests on. */
export interface Capability {
  readonly id: CapabilityId;
  /** Held cluster-wide (through ClusterRoleBindings). */
  readonly cluster: boolean;
  /** Namespaces where it is held through RoleBindings (when not cluster-wide). */
  readonly namespaces: readonly string[];
  /** Only for the object names listed in resourceNames. */
  readonly named: boolean;
  /** The grants it rests on, first ones first. */
  readonly grants: readonly ProbeGrant[];
  /** Capability-specific facts: the signers of `issue-certificates`, the names of named grants. */
  readonly detail?: string;
}

/**
 * Every probe a user's grants match. Cluster-scoped probes only count for cluster-wide grants.
 *
 * @example
 * probeGrantsOf(model, user).filter((p) => p.probe.id.startsWith('read-secrets'));
 */
export function probeGrantsOf(model: RbacModel, user: UserInfo): readonly ProbeGrant[] {
  return probeGrantsFrom(model.grantsOf(user));
}

function probeGrantsFrom(grants: readonly Grant[]): ProbeGrant[] {
  const out: ProbeGrant[] = [];
  for (const grant of grants) {
    for (const m of probeMatches(grant.rule)) {
      if (grant.namespace !== undefined && isClusterScopedQuery(m.probe.query)) continue;
      out.push({ grant, probe: m.probe, scope: m.scope, names: m.scope === 'named' ? grant.rule.rule.resourceNames : [] });
    }
  }
  return out;
}

/**
 * A capability from the grants it rests on (reach and naming computed from them), or
 * undefined for none. Used to narrow a capability to part of its grants.
 *
 * @example
 * summarise('read-secrets', capability.grants.filter((g) => g.grant.namespace === 'shop'));
 */
export function summarise(id: CapabilityId, grants: readonly ProbeGrant[], detail?: string): Capability | undefined {
  if (grants.length === 0) return undefined;
  const cluster = grants.some((g) => g.grant.namespace === undefined);
  const namespaces = cluster ? [] : [...new Set(grants.map((g) => g.grant.namespace as string))].sort();
  const named = grants.every((g) => g.scope === 'named');
  return { id, cluster, namespaces, named, grants, ...(detail !== undefined ? { detail } : {}) };
}

/** Grants of rules written with `*` verbs, groups and resources (and no names). */
function starGrants(grants: readonly Grant[], wildcardOnly: boolean): ProbeGrant[] {
  const out: ProbeGrant[] = [];
  for (const grant of grants) {
    const r = grant.rule.rule;
    if (wildcardOnly ? !hasWildcard(r) : !isStarRule(r)) continue;
    out.push({
      grant,
      probe: { id: wildcardOnly ? 'wildcard' : 'cluster-admin', query: { verb: '*', apiGroup: '*', resource: '*' } },
      scope: 'all',
      names: [],
    });
  }
  return out;
}

const CAPABILITY_CACHE = new WeakMap<RbacModel, Map<string, readonly Capability[]>>();

/** Probe id -> the capability whose probes include it (impersonation by prefix, see below). */
const CAPABILITY_OF_PROBE = new Map<string, CapabilityId>();
for (const [id, list] of Object.entries(PROBES) as [CapabilityId, readonly Probe[]][]) {
  if (id === 'issue-certificates') continue;
  for (const p of list) if (!CAPABILITY_OF_PROBE.has(p.id)) CAPABILITY_OF_PROBE.set(p.id, id);
}

/**
 * The risky capabilities of a user (or group member, or service account), with evidence.
 * Results are cached per model and identity.
 *
 * @example
 * capabilitiesOf(model, userInfoOf(parseSubject('sa:ci/deployer'))).map((c) => c.id); // ['create-workloads', 'read-secrets']
 */
export function capabilitiesOf(model: RbacModel, user: UserInfo): readonly Capability[] {
  let cache = CAPABILITY_CACHE.get(model);
  if (!cache) {
    cache = new Map();
    CAPABILITY_CACHE.set(model, cache);
  }
  const key = `${user.name}\u0000${[...user.groups].sort().join('\u0000')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = capabilitiesFrom(model.grantsOf(user));
  cache.set(key, out);
  return out;
}

/** The capabilities that rest on a list of grants (what {@link capabilitiesOf} caches). */
function capabilitiesFrom(grants: readonly Grant[]): Capability[] {
  const out: Capability[] = [];
  if (grants.length === 0) return out;
  // One pass over the probe grants, into the capability of each (order kept within each).
  const byCapability = new Map<CapabilityId, ProbeGrant[]>();
  const csr: ProbeGrant[] = [];
  for (const g of probeGrantsFrom(grants)) {
    if (g.probe.id.startsWith('csr-')) csr.push(g);
    const id = g.probe.id.startsWith('impersonate:') ? 'impersonate' : CAPABILITY_OF_PROBE.get(g.probe.id);
    if (id === undefined) continue;
    const list = byCapability.get(id);
    if (list) list.push(g);
    else byCapability.set(id, [g]);
  }
  const push = (c: Capability | undefined): void => {
    if (c) out.push(c);
  };
  push(summarise('cluster-admin', starGrants(grants, false)));
  for (const id of CAPABILITY_IDS) {
    if (id === 'cluster-admin' || id === 'wildcard') continue;
    if (id === 'issue-certificates') push(issueCertificates(csr));
    else push(summarise(id, byCapability.get(id) ?? []));
  }
  push(summarise('wildcard', starGrants(grants, true)));
  return out;
}

const SUBJECT_CAPABILITIES = new WeakMap<RbacModel, Map<string, Map<string, readonly Capability[]>>>();

/**
 * The capabilities of a subject, as {@link capabilitiesOf} gives them for
 * `userInfoOf(subject)`, cached by the subject itself (checks ask once per object).
 *
 * @example
 * capabilitiesOfSubject(model, { kind: 'ServiceAccount', namespace: 'ci', name: 'deployer' });
 */
export function capabilitiesOfSubject(model: RbacModel, subject: Subject): readonly Capability[] {
  let cache = SUBJECT_CAPABILITIES.get(model);
  if (!cache) {
    cache = new Map();
    SUBJECT_CAPABILITIES.set(model, cache);
  }
  const outer = subject.kind === 'ServiceAccount' ? subject.namespace : subject.kind === 'User' ? '\u0000u' : '\u0000g';
  let byName = cache.get(outer);
  if (!byName) {
    byName = new Map();
    cache.set(outer, byName);
  }
  let found = byName.get(subject.name);
  if (!found) {
    found = capabilitiesFrom(model.grantsOfSubject(subject));
    byName.set(subject.name, found);
  }
  return found;
}

/**
 * Create a CSR, approve it, and hold `approve` on a signer: the combination that lets one
 * mint a client certificate for any identity (`kubernetes.io/kube-apiserver-client` signs
 * whatever subject was approved, `system:masters` included).
 */
function issueCertificates(all: readonly ProbeGrant[]): Capability | undefined {
  const create = all.filter((g) => g.probe.id.startsWith('csr-create:'));
  const approve = all.filter((g) => g.probe.id.startsWith('csr-approve:'));
  const signer = all.filter((g) => g.probe.id.startsWith('csr-signer:'));
  if (create.length === 0 || approve.length === 0 || signer.length === 0) return undefined;
  const signers = signer.some((g) => g.scope === 'all') ? ['*'] : [...new Set(signer.flatMap((g) => g.names))];
  const c = summarise('issue-certificates', [...create, ...approve, ...signer], `signers ${signers.join(', ')}`);
  // Named signer grants still make the capability whole: the CSR and approval grants carry no names.
  return c ? { ...c, named: false } : undefined;
}

/**
 * True when a signer name list lets one approve CSRs for the API server client signer, which
 * is honoured for any subject (`kubernetes.io/kube-apiserver-client`, `kubernetes.io/*`, `*`).
 *
 * @example
 * signsClientCertificates(['kubernetes.io/*']); // true
 */
export function signsClientCertificates(names: readonly string[]): boolean {
  return names.some((n) => n === '*' || n === 'kubernetes.io/*' || n === 'kubernetes.io/kube-apiserver-client');
}

/**
 * A short description of where a capability holds: `cluster-wide`, `in namespace shop`,
 * `in namespaces a, b`, with `(named objects only)` when limited by resourceNames.
 *
 * @example
 * describeReach(capability); // 'in namespace shop'
 */
export function describeReach(c: Pick<Capability, 'cluster' | 'namespaces' | 'named'>): string {
  const where = c.cluster ? 'cluster-wide' : c.namespaces.length === 1 ? `in namespace ${c.namespaces[0]}` : `in namespaces ${c.namespaces.join(', ')}`;
  return c.named ? `${where} (named objects only)` : where;
}
