/**
 * The one catalogue of risky RBAC capabilities. Both check families read it, so they cannot
 * disagree: the role-level checks (PAL-03xx) ask "does this Role or ClusterRole's rule grant
 * the capability?", the effective-permission checks (PAL-04xx) "does this subject hold it,
 * through every binding that applies to it?". Each capability is a set of probes (requests
 * with the object name left open) matched with `rules.ts` against a rule, respecting where a
 * grant holds: a RoleBinding grants only in its namespace and never cluster-scoped resources.
 *
 * The catalogue follows Kubernetes' RBAC good practices ("privilege escalation risks") and
 * the peers' catalogues (rbac-police, KubiScan, Kubescape, Trivy):
 * https://kubernetes.io/docs/concepts/security/rbac-good-practices/
 */
import { UNSET_NAMESPACE } from '../core/inventory.js';
import type { Severity } from '../core/types.js';
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

/** The risky capabilities, in catalogue order. */
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

/** A named request shape that some capability (or an escalation-path edge) looks for. */
export interface Probe {
  readonly id: string;
  readonly query: ResourceQuery;
  /** The capability the probe grants; absent for probes only escalation paths use. */
  readonly capability?: CapabilityId;
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

function probes(prefix: string, verbs: readonly string[], group: string, resources: readonly string[], capability?: CapabilityId): Probe[] {
  return queriesOf(verbs, group, resources).map((query) => ({
    id: `${prefix}:${query.verb}:${query.apiGroup}/${query.resource}${query.subresource ? `/${query.subresource}` : ''}`,
    query,
    ...(capability !== undefined ? { capability } : {}),
  }));
}

/** Severity where a capability is held cluster-wide, and where it is held in namespaces only. */
export interface SeverityByReach {
  readonly cluster: Severity;
  readonly namespaced: Severity;
}

/** One entry of the catalogue. */
export interface CapabilitySpec {
  readonly id: CapabilityId;
  /** What holding it lets one do, as a subject-level message says it: `can read Secrets`. */
  readonly does: string;
  /** What the holders of a role granting it can do, as a role-level message says it. */
  readonly consequence: string;
  /**
   * The requests that grant it: any one of them (`issue-certificates` needs one of each of
   * its three kinds). Empty for `cluster-admin` and `wildcard`, which are judged on the
   * rule's shape ({@link isStarRule}, {@link hasWildcard}).
   */
  readonly probes: readonly Probe[];
  /**
   * The default severity by reach: a ClusterRole's rule or a cluster-wide grant is judged
   * `cluster`, a Role's rule or a RoleBinding's grant `namespaced`; one step lower when the
   * rule reaches only the objects its resourceNames list.
   */
  readonly severity: SeverityByReach;
  /** Framework references (CIS, MITRE ATT&CK, the Microsoft threat matrix), shared by both checks. */
  readonly frameworks: readonly string[];
  /** The role-level check (PAL-03xx) and the effective-permission check (PAL-04xx) it feeds. */
  readonly checks: { readonly role: string; readonly subject: string };
}

const AUTHN = 'authentication.k8s.io';
const CERTS = 'certificates.k8s.io';

// Verbs of the streaming subresources: kubectl's SPDY transport sends exec, attach and
// port-forward as a POST (`create`), but a WebSocket client upgrades a GET, which the API
// server authorizes as `get` (kubernetes/kubernetes#78741). Only from Kubernetes 1.35 does
// the API server also require `create` for the upgrade (feature gate
// AuthorizePodWebsocketUpgradeCreatePermission, KEP-4006, beta and on by default), so on
// every older cluster either verb opens a stream into the container.
const STREAM_VERBS = ['create', 'get'];

/**
 * The catalogue. Adding a capability here gives both families a case: the role-level check
 * named in `checks.role` and the subject-level one in `checks.subject` read this entry.
 */
export const CAPABILITIES: readonly CapabilitySpec[] = [
  {
    id: 'cluster-admin',
    does: 'holds every verb on every resource',
    consequence: 'it grants every verb on every resource in every API group',
    probes: [],
    severity: { cluster: 'critical', namespaced: 'high' },
    frameworks: ['cis:5.1.1', 'mitre:T1078', 'ms:MS-TA9019'],
    checks: { role: 'PAL-0301', subject: 'PAL-0400' },
  },
  {
    id: 'read-secrets',
    does: 'can read Secrets',
    consequence: 'its holders can read Secret values (list and watch return values too)',
    // `list` and `watch` return Secret values too, not just names.
    probes: probes('read-secrets', ['get', 'list', 'watch'], '', ['secrets'], 'read-secrets'),
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['cis:5.1.2', 'mitre:T1552.007', 'ms:MS-TA9025'],
    checks: { role: 'PAL-0302', subject: 'PAL-0401' },
  },
  {
    id: 'create-workloads',
    does: 'can create or change workloads (and run them as any service account of the namespace)',
    consequence: 'its holders can run pods as any service account of the namespace',
    probes: [
      ...WORKLOAD_RESOURCES.flatMap(([g, r]) => probes('create-workloads', ['create'], g, [r], 'create-workloads')),
      // Changing a controller's pod template runs new pods as whatever it says.
      ...WORKLOAD_RESOURCES.filter(([, r]) => r !== 'pods').flatMap(([g, r]) => probes('create-workloads', ['update', 'patch'], g, [r], 'create-workloads')),
    ],
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['cis:5.1.4', 'mitre:T1610', 'ms:MS-TA9008', 'mitre:T1053.007', 'ms:MS-TA9014'],
    checks: { role: 'PAL-0303', subject: 'PAL-0402' },
  },
  {
    id: 'pod-exec',
    does: 'can exec into pods',
    consequence: 'its holders can run commands in running containers and use their credentials',
    probes: probes('pod-exec', STREAM_VERBS, '', ['pods/exec'], 'pod-exec'),
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['mitre:T1609', 'ms:MS-TA9006', 'nsa:NSA-25'],
    checks: { role: 'PAL-0304', subject: 'PAL-0403' },
  },
  {
    id: 'pod-attach',
    does: 'can attach to pods',
    consequence: "its holders can attach to running containers' processes",
    probes: probes('pod-attach', STREAM_VERBS, '', ['pods/attach'], 'pod-attach'),
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['mitre:T1609', 'ms:MS-TA9006', 'nsa:NSA-25'],
    checks: { role: 'PAL-0304', subject: 'PAL-0404' },
  },
  {
    id: 'port-forward',
    does: 'can port-forward to pods',
    consequence: 'its holders can reach any port of the pods, bypassing Services and NetworkPolicies',
    probes: probes('port-forward', STREAM_VERBS, '', ['pods/portforward'], 'port-forward'),
    severity: { cluster: 'medium', namespaced: 'low' },
    frameworks: ['nsa:NSA-25', 'mitre:T1133'],
    checks: { role: 'PAL-0305', subject: 'PAL-0405' },
  },
  {
    id: 'ephemeral-containers',
    does: 'can add ephemeral containers to running pods',
    consequence: 'its holders can run any image inside running pods, as their service account',
    // `kubectl debug` adds an ephemeral container with a PATCH of this subresource.
    probes: probes('ephemeral-containers', ['patch', 'update'], '', ['pods/ephemeralcontainers'], 'ephemeral-containers'),
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['mitre:T1610', 'ms:MS-TA9011', 'nsa:NSA-25'],
    checks: { role: 'PAL-0306', subject: 'PAL-0406' },
  },
  {
    id: 'nodes-proxy',
    does: 'can use the kubelet API of every node (nodes/proxy)',
    consequence: 'its holders can use the kubelet API, including exec into every pod on the nodes',
    // Every verb a proxy request can carry (the API server maps the HTTP method): the kubelet
    // runs exec on a POST and on a WebSocket upgrade of a GET.
    probes: probes('nodes-proxy', ['get', 'create', 'update', 'patch', 'delete'], '', ['nodes/proxy'], 'nodes-proxy'),
    severity: { cluster: 'high', namespaced: 'high' },
    frameworks: ['cis:5.1.10', 'ms:MS-TA9030'],
    checks: { role: 'PAL-0310', subject: 'PAL-0407' },
  },
  {
    id: 'escalate',
    does: 'can escalate roles (write rules beyond its own permissions)',
    consequence: 'its holders can write roles granting permissions they do not have',
    // `escalate` on clusterroles is checked without a namespace, so in a Role only `roles` counts.
    probes: probes('escalate', ['escalate'], RBAC_GROUP, ['roles', 'clusterroles'], 'escalate'),
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['cis:5.1.8', 'mitre:T1098.006'],
    checks: { role: 'PAL-0307', subject: 'PAL-0408' },
  },
  {
    id: 'bind',
    does: 'can bind roles it does not hold',
    consequence: 'its holders can bind roles whose permissions they do not have',
    // `bind` on clusterroles is checked in the namespace of the RoleBinding being written.
    probes: probes('bind', ['bind'], RBAC_GROUP, ['roles', 'clusterroles'], 'bind'),
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['cis:5.1.8', 'mitre:T1098.006'],
    checks: { role: 'PAL-0308', subject: 'PAL-0409' },
  },
  {
    id: 'impersonate',
    does: 'can impersonate other identities',
    consequence: 'its holders can act as other identities, with their permissions',
    // What the impersonation filter authorizes: users, groups and service accounts in the
    // core group, uids and user extras (the extra key is the subresource, see probeMatches).
    probes: [
      ...probes('impersonate', ['impersonate'], '', ['users', 'groups', 'serviceaccounts'], 'impersonate'),
      ...probes('impersonate', ['impersonate'], AUTHN, ['uids'], 'impersonate'),
    ],
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['cis:5.1.8', 'mitre:T1078'],
    checks: { role: 'PAL-0309', subject: 'PAL-0410' },
  },
  {
    id: 'create-tokens',
    does: 'can request tokens for service accounts',
    consequence: 'its holders can mint tokens and act as those service accounts',
    probes: probes('create-tokens', ['create'], '', ['serviceaccounts/token'], 'create-tokens'),
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['cis:5.1.13', 'mitre:T1528', 'ms:MS-TA9016'],
    checks: { role: 'PAL-0314', subject: 'PAL-0411' },
  },
  {
    id: 'issue-certificates',
    does: 'can issue itself certificates',
    consequence: 'its holders can approve certificates for any identity',
    // Create a CSR, approve it (`kubectl certificate approve` updates the approval
    // subresource), and hold `approve` on the signer (by name, or `<domain>/*`).
    probes: [
      ...probes('csr-create', ['create'], CERTS, ['certificatesigningrequests'], 'issue-certificates'),
      ...probes('csr-approve', ['update', 'patch'], CERTS, ['certificatesigningrequests/approval'], 'issue-certificates'),
      ...probes('csr-signer', ['approve'], CERTS, ['signers'], 'issue-certificates'),
    ],
    severity: { cluster: 'critical', namespaced: 'critical' },
    frameworks: ['cis:5.1.11', 'mitre:T1078'],
    checks: { role: 'PAL-0312', subject: 'PAL-0412' },
  },
  {
    id: 'modify-webhooks',
    does: 'can change admission webhook configurations',
    consequence: 'its holders can intercept or rewrite API requests, or switch admission policy off',
    // Deleting a webhook configuration switches its policy off, so delete counts as a change.
    probes: probes(
      'modify-webhooks',
      ['create', 'update', 'patch', 'delete', 'deletecollection'],
      'admissionregistration.k8s.io',
      ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
      'modify-webhooks',
    ),
    severity: { cluster: 'high', namespaced: 'high' },
    frameworks: ['cis:5.1.12', 'ms:MS-TA9015'],
    checks: { role: 'PAL-0313', subject: 'PAL-0413' },
  },
  {
    id: 'modify-rbac',
    does: 'can create or change Roles, ClusterRoles or bindings',
    consequence: 'its holders can change who may do what',
    probes: probes('modify-rbac', ['create', 'update', 'patch'], RBAC_GROUP, ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'], 'modify-rbac'),
    severity: { cluster: 'high', namespaced: 'medium' },
    frameworks: ['mitre:T1098.006'],
    checks: { role: 'PAL-0315', subject: 'PAL-0414' },
  },
  {
    id: 'modify-nodes',
    does: 'can change nodes (labels, taints, status)',
    consequence: 'its holders can relabel and taint nodes and so steer where pods run',
    probes: probes('modify-nodes', ['patch', 'update'], '', ['nodes', 'nodes/status'], 'modify-nodes'),
    severity: { cluster: 'medium', namespaced: 'medium' },
    frameworks: ['mitre:T1528'],
    checks: { role: 'PAL-0317', subject: 'PAL-0415' },
  },
  {
    id: 'delete-events',
    does: 'can delete events',
    consequence: 'its holders can erase events and hide their activity',
    // The same events are served by the core API and by events.k8s.io.
    probes: [
      ...probes('delete-events', ['delete', 'deletecollection'], '', ['events'], 'delete-events'),
      ...probes('delete-events', ['delete', 'deletecollection'], 'events.k8s.io', ['events'], 'delete-events'),
    ],
    severity: { cluster: 'medium', namespaced: 'low' },
    frameworks: ['mitre:T1070', 'ms:MS-TA9022'],
    checks: { role: 'PAL-0316', subject: 'PAL-0416' },
  },
  {
    id: 'create-persistent-volumes',
    does: 'can create PersistentVolumes (hostPath included)',
    consequence: 'its holders can create hostPath volumes and reach node filesystems',
    probes: probes('create-persistent-volumes', ['create'], '', ['persistentvolumes'], 'create-persistent-volumes'),
    severity: { cluster: 'medium', namespaced: 'medium' },
    frameworks: ['cis:5.1.9', 'mitre:T1611'],
    checks: { role: 'PAL-0311', subject: 'PAL-0417' },
  },
  {
    id: 'wildcard',
    does: 'is granted rules with * in verbs, resources or API groups',
    consequence: 'it grants every present and future value of that field',
    probes: [],
    severity: { cluster: 'medium', namespaced: 'low' },
    frameworks: ['cis:5.1.3'],
    checks: { role: 'PAL-0300', subject: 'PAL-0418' },
  },
];

const SPECS = new Map<CapabilityId, CapabilitySpec>(CAPABILITIES.map((c) => [c.id, c]));

/**
 * The catalogue entry of a capability.
 *
 * @example
 * capabilitySpec('read-secrets').severity.cluster; // 'high'
 */
export function capabilitySpec(id: CapabilityId): CapabilitySpec {
  return SPECS.get(id) as CapabilitySpec;
}

/**
 * The framework references of one or more capabilities (for checks that cover several), in
 * catalogue order without repeats.
 *
 * @example
 * frameworksOf('pod-exec', 'pod-attach');
 */
export function frameworksOf(...ids: readonly CapabilityId[]): readonly string[] {
  return [...new Set(ids.flatMap((id) => capabilitySpec(id).frameworks))];
}

/** Probes used to build escalation paths, beyond the capabilities'. */
const PATH_PROBES: readonly Probe[] = [
  ...probes('path-create-secrets', ['create'], '', ['secrets']),
  ...probes('path-update-roles', ['update', 'patch'], RBAC_GROUP, ['roles', 'clusterroles']),
  ...probes('path-create-bindings', ['create'], RBAC_GROUP, ['rolebindings', 'clusterrolebindings']),
  ...probes('path-modify-pods', ['update', 'patch'], '', ['pods']),
];

/**
 * True when rules grant nothing but `use` (of a PodSecurityPolicy or an OpenShift
 * SecurityContextConstraints): admission checks that verb on the pod being created, no API
 * request is authorized by it. Binding such a role to every service account or every
 * authenticated user is how those policies are applied, not a grant of permissions.
 *
 * @example
 * grantsOnlyUse([toPolicyRule({ verbs: ['use'], apiGroups: ['policy'], resources: ['podsecuritypolicies'] })]); // true
 */
export function grantsOnlyUse(rules: readonly PolicyRule[]): boolean {
  return rules.length > 0 && rules.every((r) => r.verbs.length > 0 && r.verbs.every((v) => v === 'use'));
}

/** Every rule with `*` verbs, resources and API groups and no resourceNames. */
export function isStarRule(rule: PolicyRule): boolean {
  return rule.verbs.includes(RBAC_ALL) && rule.apiGroups.includes(RBAC_ALL) && rule.resources.includes(RBAC_ALL) && rule.resourceNames.length === 0;
}

/**
 * The fields of a rule that hold a wildcard: `*` in verbs or apiGroups, `*` or
 * `*\/subresource` in resources.
 *
 * @example
 * wildcardFields(toPolicyRule({ verbs: ['get'], apiGroups: [''], resources: ['*\/scale'] })); // ['resources']
 */
export function wildcardFields(rule: PolicyRule): readonly ('verbs' | 'apiGroups' | 'resources')[] {
  const out: ('verbs' | 'apiGroups' | 'resources')[] = [];
  if (rule.verbs.includes(RBAC_ALL)) out.push('verbs');
  if (rule.apiGroups.includes(RBAC_ALL)) out.push('apiGroups');
  if (rule.resources.some((r) => r === RBAC_ALL || r.startsWith('*/'))) out.push('resources');
  return out;
}

/** A rule with a wildcard among its verbs, resources or API groups (see {@link wildcardFields}). */
export function hasWildcard(rule: PolicyRule): boolean {
  return wildcardFields(rule).length > 0;
}

/** One probe a rule matches, and how widely. */
export interface ProbeMatch {
  readonly probe: Probe;
  readonly scope: GrantScope;
}

const ALL_PROBES: readonly Probe[] = [...CAPABILITIES.flatMap((c) => c.probes), ...PATH_PROBES];
const RULE_MATCHES = Symbol('probe matches per rule');
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
 * The probes a rule of the model matches, memoised on the model (rules are shared by every
 * subject bound to their role, and read by the role-level checks too).
 *
 * @example
 * probeMatches(model, grant.rule).map((m) => m.probe.id);
 */
export function probeMatches(model: RbacModel, rule: EffectiveRule): readonly ProbeMatch[] {
  const memo = model.memo.get(RULE_MATCHES, () => new Map<EffectiveRule, readonly ProbeMatch[]>());
  const cached = memo.get(rule);
  if (cached) return cached;
  const out = ruleProbeMatches(rule.rule);
  memo.set(rule, out);
  return out;
}

/**
 * The probes one rule matches, in catalogue order: the capabilities' (and the escalation
 * paths') requests it grants, and how widely.
 *
 * @example
 * ruleProbeMatches(toPolicyRule({ verbs: ['get'], apiGroups: [''], resources: ['pods/exec'] })).map((m) => m.probe.capability); // ['pod-exec']
 */
export function ruleProbeMatches(r: PolicyRule): readonly ProbeMatch[] {
  const out: ProbeMatch[] = [];
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
      if (scope !== undefined) out.push({ probe: { id: 'impersonate:impersonate:authentication.k8s.io/userextras', query, capability: 'impersonate' }, scope });
    }
  }
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
  return probeGrantsFrom(model, model.grantsOf(user));
}

function probeGrantsFrom(model: RbacModel, grants: readonly Grant[]): ProbeGrant[] {
  const out: ProbeGrant[] = [];
  for (const grant of grants) {
    for (const m of probeMatches(model, grant.rule)) {
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

const USER_CAPABILITIES = Symbol('capabilities per user info');
const SUBJECT_CAPABILITIES = Symbol('capabilities per subject');

/**
 * The risky capabilities of a user (or group member, or service account), with evidence.
 * Memoised on the model per identity.
 *
 * @example
 * capabilitiesOf(model, userInfoOf(parseSubject('sa:ci/deployer'))).map((c) => c.id); // ['create-workloads', 'read-secrets']
 */
export function capabilitiesOf(model: RbacModel, user: UserInfo): readonly Capability[] {
  const cache = model.memo.get(USER_CAPABILITIES, () => new Map<string, readonly Capability[]>());
  const key = `${user.name}\u0000${[...user.groups].sort().join('\u0000')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = capabilitiesFrom(model, model.grantsOf(user));
  cache.set(key, out);
  return out;
}

/** The capabilities that rest on a list of grants (what {@link capabilitiesOf} memoises). */
function capabilitiesFrom(model: RbacModel, grants: readonly Grant[]): Capability[] {
  const out: Capability[] = [];
  if (grants.length === 0) return out;
  // One pass over the probe grants, into the capability of each (order kept within each).
  const byCapability = new Map<CapabilityId, ProbeGrant[]>();
  for (const g of probeGrantsFrom(model, grants)) {
    const id = g.probe.capability;
    if (id === undefined) continue;
    const list = byCapability.get(id);
    if (list) list.push(g);
    else byCapability.set(id, [g]);
  }
  const push = (c: Capability | undefined): void => {
    if (c) out.push(c);
  };
  for (const id of CAPABILITY_IDS) {
    if (id === 'cluster-admin' || id === 'wildcard') push(summarise(id, starGrants(grants, id === 'wildcard')));
    else if (id === 'issue-certificates') push(issueCertificates(byCapability.get(id) ?? []));
    else push(summarise(id, byCapability.get(id) ?? []));
  }
  return out;
}

/**
 * The capabilities of a subject, as {@link capabilitiesOf} gives them for
 * `userInfoOf(subject)`, memoised by the subject itself (checks ask once per object).
 *
 * @example
 * capabilitiesOfSubject(model, { kind: 'ServiceAccount', namespace: 'ci', name: 'deployer' });
 */
export function capabilitiesOfSubject(model: RbacModel, subject: Subject): readonly Capability[] {
  const cache = model.memo.get(SUBJECT_CAPABILITIES, () => new Map<string, Map<string, readonly Capability[]>>());
  const outer = subject.kind === 'ServiceAccount' ? subject.namespace : subject.kind === 'User' ? '\u0000u' : '\u0000g';
  let byName = cache.get(outer);
  if (!byName) {
    byName = new Map();
    cache.set(outer, byName);
  }
  let found = byName.get(subject.name);
  if (!found) {
    found = capabilitiesFrom(model, model.grantsOfSubject(subject));
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
  // Namespace-less manifests hold it where they are applied, which the manifests do not say.
  const one = c.namespaces[0] === UNSET_NAMESPACE ? 'in the namespace the manifests are applied to' : `in namespace ${c.namespaces[0]}`;
  const where = c.cluster ? 'cluster-wide' : c.namespaces.length === 1 ? one : `in namespaces ${c.namespaces.join(', ')}`;
  return c.named ? `${where} (named objects only)` : where;
}
