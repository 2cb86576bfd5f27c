/**
 * The RBAC model: Roles, ClusterRoles (aggregation computed), RoleBindings and
 * ClusterRoleBindings of an inventory, indexed so that the questions the API server's RBAC
 * authorizer answers ("may this user do this?") and their inverses ("who may do this?",
 * "what may this subject do?") are cheap. Pure: no I/O.
 *
 * Semantics follow the authorizer in kubernetes/kubernetes
 * (`plugin/pkg/auth/authorizer/rbac/rbac.go`, `pkg/registry/rbac/validation/rule.go`,
 * `pkg/controller/clusterroleaggregation`): single-rule matching is `rules.ts`.
 */
import { type Inventory, namespaceFor } from '../core/inventory.js';
import {
  type IndexedSubject,
  isBootstrapRbac,
  type PolicyRule,
  type ResourceRequest,
  type RoleRef,
  rbacKindOf,
  roleRefOf,
  ruleAllows,
  ruleAllowsNonResource,
  subjectsOf,
  toPolicyRule,
} from './rules.js';
import type { JsonObject, JsonValue, Resource } from '../core/types.js';
import { podSpecsOf } from '../core/workloads.js';
import { BOOTSTRAP_POLICY } from './bootstrap-policy.js';
import { MASTERS, parseServiceAccountUsername, type Subject, serviceAccountUsername, type UserInfo, userInfoOf } from './identity.js';
import { labelsOf, selectorMatches } from './selectors.js';
import { isObject } from '../core/object.js';

/** The two kinds of role. */
export type RoleKind = 'Role' | 'ClusterRole';
/** The two kinds of binding. */
export type BindingKind = 'RoleBinding' | 'ClusterRoleBinding';

/**
 * Where a role or binding comes from: the inventory, or Kubernetes' default policy (used for
 * objects a manifest refers to but does not define, see {@link DefaultsMode}).
 */
export type Origin = 'inventory' | 'default';

/**
 * Which parts of Kubernetes' default RBAC policy fill in what the inventory lacks:
 * `none`; `roles` (default roles only, so that a binding to `edit` or `cluster-admin` in
 * manifests resolves); `all` (roles and bindings, as on a fresh cluster).
 */
export type DefaultsMode = 'none' | 'roles' | 'all';

/** One rule as held by a role: for aggregated ClusterRoles, written in another role. */
export interface EffectiveRule {
  readonly rule: PolicyRule;
  /** Index of the rule in the role it is written in (`source`). */
  readonly index: number;
  /** The role whose `rules` list holds the rule. */
  readonly source: RoleEntry;
}

/** A Role or ClusterRole. */
export interface RoleEntry {
  readonly kind: RoleKind;
  readonly name: string;
  /** Namespace of a Role; absent for ClusterRoles. */
  readonly namespace?: string;
  readonly origin: Origin;
  /** The object, for roles of the inventory. */
  readonly resource?: Resource;
  /** A Kubernetes bootstrap role (`system:` name or `kubernetes.io/bootstrapping: rbac-defaults`). */
  readonly bootstrap: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** True for ClusterRoles with an `aggregationRule`. */
  readonly aggregated: boolean;
  /** The rules written in this role. */
  readonly ownRules: readonly EffectiveRule[];
  /** Own rules plus, for aggregated roles, the rules of the roles they select. */
  readonly rules: readonly EffectiveRule[];
  /** For aggregated roles: the ClusterRoles whose rules were merged in. */
  readonly aggregatedFrom: readonly RoleEntry[];
}

/** Why a binding grants nothing. */
export type BindingProblem = 'missing-role' | 'invalid-role-ref';

/** One subject of a binding, with the identity key it matches. */
export interface BindingSubject extends IndexedSubject {
  /**
   * `u:NAME` (users; service accounts as their user name) or `g:NAME` (groups); absent when
   * the subject can match no request (unknown kind, service account without a namespace in
   * a ClusterRoleBinding).
   */
  readonly key?: string;
}

/** A RoleBinding or ClusterRoleBinding. */
export interface BindingEntry {
  readonly kind: BindingKind;
  readonly name: string;
  readonly namespace?: string;
  readonly origin: Origin;
  readonly resource?: Resource;
  readonly bootstrap: boolean;
  readonly roleRef?: RoleRef;
  /** The role referred to, when it exists. */
  readonly role?: RoleEntry;
  readonly problem?: BindingProblem;
  readonly subjects: readonly BindingSubject[];
  /** Position among all bindings (ClusterRoleBindings first), for stable answers. */
  readonly order: number;
}

/** One rule granted to someone through one binding. */
export interface Grant {
  readonly binding: BindingEntry;
  readonly subject: BindingSubject;
  readonly role: RoleEntry;
  readonly rule: EffectiveRule;
  /** The namespace the grant is limited to (RoleBindings); absent for cluster-wide grants. */
  readonly namespace?: string;
}

/** A resource request, as in a SubjectAccessReview's `resourceAttributes`. */
export interface ResourceAttributes {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
  /** `''` or absent: a cluster-wide request (only ClusterRoleBindings take part). */
  readonly namespace?: string;
}

/** A request to a path that is not an API resource (`GET /healthz`). */
export interface NonResourceAttributes {
  readonly verb: string;
  readonly path: string;
}

/** A request the authorizer decides. */
export type RequestAttributes = ({ readonly kind: 'resource' } & ResourceAttributes) | ({ readonly kind: 'nonResource' } & NonResourceAttributes);

/** The answer to a request. */
export interface Decision {
  readonly allowed: boolean;
  /** The authorizer's reason, worded as the API server words it (`RBAC: allowed by ...`). */
  readonly reason: string;
  /** The first grant that allows the request. */
  readonly grant?: Grant;
  /** Allowed because the user is in `system:masters`, which bypasses authorization. */
  readonly privileged?: boolean;
  /** Bindings that apply but refer to missing roles, as the authorizer reports them. */
  readonly errors: readonly string[];
}

/** One row of a who-can answer: a subject and the binding and rule that allow the request. */
export interface WhoCanRow {
  readonly subject: BindingSubject;
  readonly binding: BindingEntry;
  readonly role: RoleEntry;
  readonly rule: EffectiveRule;
  /** Where the grant holds: a namespace, or absent for cluster-wide. */
  readonly namespace?: string;
}

/** A query for {@link RbacModel.whoCan}. */
export type WhoCanQuery =
  | ({ readonly kind: 'resource' } & Omit<ResourceAttributes, 'namespace'> & {
        /** A namespace; `''` for cluster-wide requests only; absent for any namespace. */
        readonly namespace?: string;
      })
  | ({ readonly kind: 'nonResource' } & NonResourceAttributes);

/** Options of {@link buildRbacModel}. */
export interface RbacModelOptions {
  /** Default `roles` for manifests, `none` for inventories read from a cluster. */
  readonly defaults?: DefaultsMode;
}

/**
 * What `rbac/` modules derive from one model (capabilities per subject, probe matches per
 * rule, the escalation graph, check targets): kept by the model, so that it lives and dies
 * with the scan that built the model, instead of in module-level caches.
 *
 * @example
 * const GRAPH = Symbol('escalation graph');
 * model.memo.get(GRAPH, () => new EscalationGraph(model));
 */
export class RbacMemo {
  readonly #slots = new Map<symbol, unknown>();

  /** The value of a slot, created on first use. Each module owns its slot keys. */
  get<T>(key: symbol, create: () => T): T {
    if (this.#slots.has(key)) return this.#slots.get(key) as T;
    const value = create();
    this.#slots.set(key, value);
    return value;
  }
}

/** A workload (pod-bearing object) and the service account its pods run as. */
export interface WorkloadIdentity {
  readonly resource: Resource;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Pointer to the pod spec. */
  readonly podPointer: string;
  /** False when the pod does not mount a service account token (automount disabled, no projected token). */
  readonly tokenMounted: boolean;
}

const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

function metaOf(o: JsonObject): JsonObject {
  return isObject(o.metadata) ? o.metadata : {};
}

function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${kind === 'ClusterRole' ? '' : (namespace ?? '')}\u0000${name}`;
}

function userKey(name: string): string {
  return `u:${name}`;
}

function groupKey(name: string): string {
  return `g:${name}`;
}

/** A mutable role under construction. */
interface RoleDraft {
  kind: RoleKind;
  name: string;
  namespace?: string;
  origin: Origin;
  resource?: Resource;
  object: JsonObject;
  bootstrap: boolean;
  labels: Readonly<Record<string, string>>;
  aggregated: boolean;
  ownRules: EffectiveRule[];
  rules: EffectiveRule[];
  aggregatedFrom: RoleEntry[];
}

/** What a subject is bound to, directly (named in a binding). */
export interface SubjectBinding {
  readonly binding: BindingEntry;
  readonly subject: BindingSubject;
}

/**
 * The RBAC model of one inventory. Build it with {@link buildRbacModel}; checks receive the
 * one the engine builds per scan as `ctx.models.rbac`.
 *
 * @example
 * const model = buildRbacModel(inventory);
 * model.authorize(userInfoOf(parseSubject('sa:shop/web')), { kind: 'resource', verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'shop' }).allowed;
 */
export class RbacModel {
  readonly defaults: DefaultsMode;
  /** What other `rbac/` modules compute from this model, memoised per model. */
  readonly memo = new RbacMemo();
  readonly #inventory: Inventory;
  readonly #roles = new Map<string, RoleEntry>();
  readonly #clusterBindings: BindingEntry[] = [];
  readonly #roleBindings = new Map<string, BindingEntry[]>();
  readonly #bindings: BindingEntry[] = [];
  /** Identity key -> the bindings (and subject) naming it. */
  readonly #bySubject = new Map<string, SubjectBinding[]>();
  readonly #serviceAccounts = new Map<string, Set<string>>();
  readonly #saObjects = new Map<string, Resource>();
  readonly #workloads: WorkloadIdentity[] = [];
  readonly #workloadsByResource = new Map<Resource, WorkloadIdentity[]>();
  readonly #tokenSecrets = new Map<string, string[]>();
  #ruleIndex: Map<string, { role: RoleEntry; position: number }[]> | undefined;
  #bindingsByRole: Map<RoleEntry, RoleBindings> | undefined;
  readonly #grants = new Map<string, Grants>();
  readonly #grantCache = new Map<string, readonly Grant[]>();
  /** Per subject (kind, then namespace and name): its grants, without building a user-info key. */
  readonly #subjectGrants = new Map<string, Map<string, readonly Grant[]>>();
  readonly #byResource = new Map<Resource, BindingEntry>();
  readonly #roleByResource = new Map<Resource, RoleEntry>();

  /** @internal Use {@link buildRbacModel}. */
  constructor(inventory: Inventory, options: RbacModelOptions = {}) {
    this.defaults = options.defaults ?? (inventory.cluster !== undefined ? 'none' : 'roles');
    this.#inventory = inventory;
    const drafts = this.#collectRoles(inventory);
    this.#aggregate(drafts);
    this.#collectBindings(inventory);
    this.#collectIdentities(inventory);
  }

  #collectRoles(inventory: Inventory): RoleDraft[] {
    const drafts: RoleDraft[] = [];
    const duplicates: RoleDraft[] = [];
    const seen = new Set<string>();
    const add = (object: JsonObject, origin: Origin, resource?: Resource): void => {
      const kind = rbacKindOf(object);
      if (kind !== 'Role' && kind !== 'ClusterRole') return;
      const meta = metaOf(object);
      const name = typeof meta.name === 'string' ? meta.name : '';
      const namespace = kind === 'Role' ? this.#namespace(kind, meta.namespace) : undefined;
      if (name === '') return;
      const key = roleKey(kind, namespace, name);
      // A second object with the same identity grants nothing (the first one loaded wins),
      // but role-level checks still read its rules: it gets an entry of its own.
      const duplicate = seen.has(key);
      seen.add(key);
      (duplicate ? duplicates : drafts).push({
        kind,
        name,
        ...(namespace !== undefined ? { namespace } : {}),
        origin,
        ...(resource ? { resource } : {}),
        object,
        bootstrap: isBootstrapRbac(object),
        labels: labelsOf(object),
        aggregated: kind === 'ClusterRole' && isObject(object.aggregationRule),
        ownRules: [],
        rules: [],
        aggregatedFrom: [],
      });
    };
    for (const kind of ['ClusterRole', 'Role'] as const) for (const r of inventory.ofKind(kind)) add(r.object, 'inventory', r);
    if (this.defaults !== 'none') for (const o of BOOTSTRAP_POLICY) add(o, 'default');
    for (const d of drafts) {
      // The draft doubles as the entry: rules point at it as their source.
      const entry = d as unknown as RoleEntry;
      const rules = Array.isArray(d.object.rules) ? d.object.rules : [];
      d.ownRules = rules.map((r, index) => ({ rule: toPolicyRule(r), index, source: entry }));
      this.#roles.set(roleKey(d.kind, d.namespace, d.name), entry);
      if (d.resource) this.#roleByResource.set(d.resource, entry);
    }
    for (const d of duplicates) {
      const entry = d as unknown as RoleEntry;
      const rules = Array.isArray(d.object.rules) ? d.object.rules : [];
      d.ownRules = rules.map((r, index) => ({ rule: toPolicyRule(r), index, source: entry }));
      d.rules = d.ownRules;
      if (d.resource) this.#roleByResource.set(d.resource, entry);
    }
    return drafts;
  }

  /**
   * Aggregated ClusterRoles get the rules of every ClusterRole a selector matches, as the
   * aggregation controller writes them; the role's own rules are kept too (a manifest may
   * carry them already filled in). Aggregation is followed through aggregated roles
   * (`admin` selects `edit`, which selects the `aggregate-to-edit` roles), cycles included.
   */
  #aggregate(drafts: readonly RoleDraft[]): void {
    const clusterRoles = drafts.filter((d) => d.kind === 'ClusterRole');
    const selectorsOf = (d: RoleDraft): readonly JsonValue[] => {
      const rule = d.object.aggregationRule;
      const sel = isObject(rule) ? rule.clusterRoleSelectors : undefined;
      return Array.isArray(sel) ? sel : [];
    };
    const direct = new Map<RoleDraft, RoleDraft[]>();
    for (const d of clusterRoles) {
      if (!d.aggregated) continue;
      const matched: RoleDraft[] = [];
      for (const selector of selectorsOf(d)) {
        const hits = clusterRoles
          .filter((c) => c !== d && selectorMatches(selector, c.labels))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const h of hits) if (!matched.includes(h)) matched.push(h);
      }
      direct.set(d, matched);
    }
    for (const d of drafts) {
      if (!d.aggregated) {
        d.rules = d.ownRules;
        continue;
      }
      const seen = new Set<RoleDraft>([d]);
      const order: RoleDraft[] = [];
      const queue = [...(direct.get(d) ?? [])];
      while (queue.length > 0) {
        const next = queue.shift() as RoleDraft;
        if (seen.has(next)) continue;
        seen.add(next);
        order.push(next);
        for (const n of direct.get(next) ?? []) queue.push(n);
      }
      const rules: EffectiveRule[] = [...d.ownRules];
      const keys = new Set(rules.map((r) => JSON.stringify(r.rule)));
      for (const source of order) {
        for (const r of source.ownRules) {
          const k = JSON.stringify(r.rule);
          if (keys.has(k)) continue;
          keys.add(k);
          rules.push(r);
        }
      }
      d.rules = rules;
      d.aggregatedFrom = order as unknown as RoleEntry[];
    }
  }

  #collectBindings(inventory: Inventory): void {
    const seen = new Set<string>();
    const found: { object: JsonObject; origin: Origin; resource?: Resource }[] = [];
    const add = (object: JsonObject, origin: Origin, resource?: Resource): void => {
      const kind = rbacKindOf(object);
      if (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') return;
      const meta = metaOf(object);
      const name = typeof meta.name === 'string' ? meta.name : '';
      const ns = kind === 'RoleBinding' ? (this.#namespace(kind, meta.namespace) as string) : '';
      const key = `${kind}\u0000${ns}\u0000${name}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push({ object, origin, ...(resource ? { resource } : {}) });
    };
    for (const kind of ['ClusterRoleBinding', 'RoleBinding'] as const) for (const r of inventory.ofKind(kind)) add(r.object, 'inventory', r);
    if (this.defaults === 'all') for (const o of BOOTSTRAP_POLICY) add(o, 'default');
    // ClusterRoleBindings first, as the authorizer visits them first.
    found.sort((a, b) => (a.object.kind === b.object.kind ? 0 : a.object.kind === 'ClusterRoleBinding' ? -1 : 1));
    for (const f of found) this.#addBinding(f.object, f.origin, f.resource);
  }

  #addBinding(object: JsonObject, origin: Origin, resource: Resource | undefined): void {
    const kind = rbacKindOf(object) as BindingKind;
    const meta = metaOf(object);
    const name = typeof meta.name === 'string' ? meta.name : '';
    const namespace = kind === 'RoleBinding' ? this.#namespace(kind, meta.namespace) : undefined;
    const roleRef = roleRefOf(object);
    let role: RoleEntry | undefined;
    let problem: BindingProblem | undefined;
    // A ClusterRoleBinding may only refer to a ClusterRole; the authorizer looks a Role up in
    // namespace "" and never finds it.
    if (!roleRef || (roleRef.kind !== 'Role' && roleRef.kind !== 'ClusterRole') || (kind === 'ClusterRoleBinding' && roleRef.kind === 'Role')) {
      problem = 'invalid-role-ref';
    } else {
      role = this.#roles.get(roleKey(roleRef.kind, namespace, roleRef.name));
      if (!role) problem = 'missing-role';
    }
    // subjectsOf gives ServiceAccount subjects the binding's namespace: the RoleBinding's
    // (defaulted), never a ClusterRoleBinding's (the authorizer matches those in namespace "").
    const { namespace: _ignored, ...restMeta } = meta;
    const scoped = { ...object, metadata: namespace !== undefined ? { ...restMeta, namespace } : restMeta };
    const subjects: BindingSubject[] = subjectsOf(scoped).map((s) => {
      let key: string | undefined;
      if (s.kind === 'User') key = userKey(s.name);
      else if (s.kind === 'Group') key = groupKey(s.name);
      else if (s.kind === 'ServiceAccount' && s.namespace !== undefined) key = userKey(serviceAccountUsername(s.namespace, s.name));
      return key !== undefined ? { ...s, key } : s;
    });
    const entry: BindingEntry = {
      kind,
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      origin,
      ...(resource ? { resource } : {}),
      bootstrap: isBootstrapRbac(object),
      ...(roleRef ? { roleRef } : {}),
      ...(role ? { role } : {}),
      ...(problem ? { problem } : {}),
      subjects,
      order: this.#bindings.length,
    };
    this.#bindings.push(entry);
    if (resource) this.#byResource.set(resource, entry);
    if (kind === 'ClusterRoleBinding') this.#clusterBindings.push(entry);
    else {
      const list = this.#roleBindings.get(namespace as string) ?? [];
      list.push(entry);
      this.#roleBindings.set(namespace as string, list);
    }
    for (const s of subjects) {
      if (s.key === undefined) continue;
      const list = this.#bySubject.get(s.key) ?? [];
      // One entry per binding: the first subject that matches, as the authorizer reports.
      if (list.length === 0 || list[list.length - 1]?.binding !== entry) list.push({ binding: entry, subject: s });
      this.#bySubject.set(s.key, list);
      if (s.kind === 'ServiceAccount' && s.namespace !== undefined) this.#noteServiceAccount(s.namespace, s.name);
      if (s.kind === 'User') {
        const sa = parseServiceAccountUsername(s.name);
        if (sa) this.#noteServiceAccount(sa.namespace, sa.name);
      }
    }
  }

  /**
   * The namespace of an RBAC object: its own, else the inventory's stated default namespace,
   * else the unknown namespace (never `default`: see `UNSET_NAMESPACE`).
   */
  #namespace(kind: string, value: JsonValue | undefined): string | undefined {
    return namespaceFor(kind, typeof value === 'string' ? value : undefined, this.#inventory.defaultNamespace);
  }

  /**
   * The namespace of an object of the inventory, as the model joins it (see
   * `Inventory.namespaceOf`): `(unset)` for namespace-less manifest objects unless a default
   * namespace was stated.
   *
   * @example
   * model.namespaceOf(deployment); // 'shop'
   */
  namespaceOf(resource: Resource): string | undefined {
    return this.#inventory.namespaceOf(resource);
  }

  #noteServiceAccount(namespace: string, name: string): void {
    let set = this.#serviceAccounts.get(namespace);
    if (!set) {
      set = new Set();
      this.#serviceAccounts.set(namespace, set);
    }
    set.add(name);
  }

  #collectIdentities(inventory: Inventory): void {
    for (const r of inventory.ofKind('ServiceAccount')) {
      if (r.object.apiVersion !== 'v1') continue;
      const ns = inventory.namespaceOf(r) as string;
      this.#noteServiceAccount(ns, r.ref.name);
      const key = `${ns}/${r.ref.name}`;
      if (!this.#saObjects.has(key)) this.#saObjects.set(key, r);
    }
    for (const r of inventory.ofKind('Secret')) {
      if (r.object.type !== SA_TOKEN_TYPE) continue;
      const annotations = metaOf(r.object).annotations;
      const sa = isObject(annotations) ? annotations[SA_NAME_ANNOTATION] : undefined;
      if (typeof sa !== 'string') continue;
      const key = `${inventory.namespaceOf(r) as string}/${sa}`;
      this.#tokenSecrets.set(key, [...(this.#tokenSecrets.get(key) ?? []), r.ref.name]);
    }
    for (const r of inventory.all) {
      // Owned objects (a Deployment's ReplicaSets and Pods) run as their owner's template says.
      if (inventory.workloadOwnerOf(r)) continue;
      for (const pod of podSpecsOf(r)) {
        const spec = pod.spec;
        const name =
          typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== ''
            ? spec.serviceAccountName
            : typeof spec.serviceAccount === 'string' && spec.serviceAccount !== ''
              ? spec.serviceAccount
              : 'default';
        const namespace = inventory.namespaceOf(r) as string;
        this.#noteServiceAccount(namespace, name);
        this.#workloads.push({
          resource: r,
          namespace,
          serviceAccount: name,
          podPointer: pod.pointer,
          tokenMounted: this.#tokenMounted(spec, namespace, name),
        });
      }
    }
  }

  /** Whether a pod gets a token of its service account: automount (pod, then SA) or a projected token. */
  #tokenMounted(spec: JsonObject, namespace: string, name: string): boolean {
    const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
    const projected = volumes.some((v) => {
      const sources = isObject(v) && isObject(v.projected) && Array.isArray(v.projected.sources) ? v.projected.sources : [];
      return sources.some((s) => isObject(s) && isObject(s.serviceAccountToken));
    });
    if (projected) return true;
    if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
    const sa = this.#saObjects.get(`${namespace}/${name}`)?.object;
    return !(sa && sa.automountServiceAccountToken === false);
  }

  /* ----------------------------------------------------------------------------- lookups */

  /** Every role (inventory first, then defaults). */
  roles(): readonly RoleEntry[] {
    return [...this.#roles.values()];
  }

  /** Every binding, ClusterRoleBindings first. */
  bindings(): readonly BindingEntry[] {
    return this.#bindings;
  }

  /** Bindings that grant nothing because their role is missing or their roleRef is invalid. */
  danglingBindings(): readonly BindingEntry[] {
    return this.#bindings.filter((b) => b.problem !== undefined);
  }

  /**
   * Looks a role up. `namespace` is ignored for ClusterRoles.
   *
   * @example
   * model.role('ClusterRole', undefined, 'edit')?.rules.length;
   */
  role(kind: RoleKind, namespace: string | undefined, name: string): RoleEntry | undefined {
    return this.#roles.get(roleKey(kind, namespace, name));
  }

  /**
   * The role entry of a Role or ClusterRole object of the inventory (also for a second object
   * with the same identity, which grants nothing but whose rules role-level checks read).
   *
   * @example
   * model.roleOf(resource)?.ownRules.length;
   */
  roleOf(resource: Resource): RoleEntry | undefined {
    return this.#roleByResource.get(resource);
  }

  /** The binding entry of a RoleBinding or ClusterRoleBinding object of the inventory. */
  bindingOf(resource: Resource): BindingEntry | undefined {
    return this.#byResource.get(resource);
  }

  /** Namespaces that hold RoleBindings. */
  bindingNamespaces(): readonly string[] {
    return [...this.#roleBindings.keys()];
  }

  /** Service accounts known per namespace: objects, binding subjects and workloads' accounts. */
  serviceAccounts(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.#serviceAccounts;
  }

  /** The ServiceAccount object of `ns/name`, when the inventory has it. */
  serviceAccountObject(namespace: string, name: string): Resource | undefined {
    return this.#saObjects.get(`${namespace}/${name}`);
  }

  /** Every workload with the service account it runs as. */
  workloads(): readonly WorkloadIdentity[] {
    return this.#workloads;
  }

  /** The pod specs of one workload object with their service accounts. */
  workloadsOf(resource: Resource): readonly WorkloadIdentity[] {
    return this.#workloadsByResource.get(resource) ?? [];
  }

  /** Names of the legacy token Secrets of a service account. */
  tokenSecretsOf(namespace: string, name: string): readonly string[] {
    return this.#tokenSecrets.get(`${namespace}/${name}`) ?? [];
  }

  /**
   * Users and groups named in bindings, and every known service account.
   *
   * @example
   * model.subjects().map(formatSubject);
   */
  subjects(): readonly Subject[] {
    const out: Subject[] = [];
    for (const key of this.#bySubject.keys()) {
      const name = key.slice(2);
      if (key.startsWith('g:')) out.push({ kind: 'Group', name });
      else if (!parseServiceAccountUsername(name)) out.push({ kind: 'User', name });
    }
    for (const [namespace, names] of this.#serviceAccounts) for (const name of names) out.push({ kind: 'ServiceAccount', namespace, name });
    return out;
  }

  /**
   * The bindings that name this subject directly (service accounts: also as a User subject
   * with the service account's user name).
   */
  directBindingsOf(subject: Subject): readonly SubjectBinding[] {
    const key =
      subject.kind === 'Group'
        ? groupKey(subject.name)
        : userKey(subject.kind === 'User' ? subject.name : serviceAccountUsername(subject.namespace, subject.name));
    return this.#bySubject.get(key) ?? [];
  }

  /**
   * Every binding that applies to a user (by name or by one of its groups), each once with
   * the first subject that matches, ClusterRoleBindings first.
   */
  bindingsOf(user: UserInfo): readonly SubjectBinding[] {
    const lists: (readonly SubjectBinding[])[] = [];
    if (user.name !== '') {
      const list = this.#bySubject.get(userKey(user.name));
      if (list) lists.push(list);
    }
    for (const g of user.groups) {
      const list = this.#bySubject.get(groupKey(g));
      if (list) lists.push(list);
    }
    // One identity key: its list is in binding order already, one entry per binding.
    if (lists.length <= 1) return lists.length === 0 ? [] : [...(lists[0] as readonly SubjectBinding[])];
    const best = new Map<BindingEntry, SubjectBinding>();
    for (const list of lists) {
      for (const sb of list) {
        const cur = best.get(sb.binding);
        if (!cur || sb.subject.index < cur.subject.index) best.set(sb.binding, sb);
      }
    }
    return [...best.values()].sort((a, b) => a.binding.order - b.binding.order);
  }

  /**
   * The grants of a subject as {@link grantsOf} gives them for `userInfoOf(subject)`, cached
   * by the subject itself: callers that ask once per object (checks) skip building the
   * user info and its cache key.
   *
   * @example
   * model.grantsOfSubject({ kind: 'ServiceAccount', namespace: 'shop', name: 'web' }).length;
   */
  grantsOfSubject(subject: Subject): readonly Grant[] {
    const outer = subject.kind === 'ServiceAccount' ? subject.namespace : subject.kind === 'User' ? '\u0000u' : '\u0000g';
    let byName = this.#subjectGrants.get(outer);
    if (!byName) {
      byName = new Map();
      this.#subjectGrants.set(outer, byName);
    }
    let grants = byName.get(subject.name);
    if (!grants) {
      grants = this.#grantsFor(userInfoOf(subject));
      byName.set(subject.name, grants);
    }
    return grants;
  }

  /**
   * Every rule granted to a user, with the binding that grants it and where it holds.
   *
   * @example
   * model.grantsOf(userInfoOf(parseSubject('user:alice'))).length;
   */
  grantsOf(user: UserInfo): readonly Grant[] {
    const cacheKey = `${user.name}\u0000${[...user.groups].sort().join('\u0000')}`;
    const cached = this.#grantCache.get(cacheKey);
    if (cached) return cached;
    const out = this.#grantsFor(user);
    this.#grantCache.set(cacheKey, out);
    return out;
  }

  #grantsFor(user: UserInfo): readonly Grant[] {
    const out: Grant[] = [];
    for (const { binding, subject } of this.bindingsOf(user)) {
      if (!binding.role) continue;
      const { role, namespace } = binding;
      for (const rule of role.rules) {
        // Non-resource URLs are authorized without a namespace: only ClusterRoleBindings
        // grant them, so a RoleBinding's rule that lists only URLs grants nothing.
        if (namespace !== undefined && rule.rule.resources.length === 0 && rule.rule.nonResourceURLs.length > 0) continue;
        out.push(namespace !== undefined ? { binding, subject, role, rule, namespace } : { binding, subject, role, rule });
      }
    }
    return out;
  }

  /* ----------------------------------------------------------------------------- authorize */

  /**
   * Decides a request as the API server does with RBAC as its only authorizer (plus the
   * privileged `system:masters` group, which the API server always allows): ClusterRoleBindings
   * grant everywhere (non-resource URLs included), RoleBindings only within their namespace
   * and only for namespaced requests.
   *
   * @example
   * model.authorize({ name: 'system:anonymous', groups: ['system:unauthenticated'] }, { kind: 'nonResource', verb: 'get', path: '/healthz' });
   */
  authorize(user: UserInfo, request: RequestAttributes): Decision {
    if (user.groups.includes(MASTERS)) return { allowed: true, reason: `allowed: group ${MASTERS} bypasses authorization`, privileged: true, errors: [] };
    const namespace = request.kind === 'resource' ? (request.namespace ?? '') : '';
    const errors: string[] = [];
    for (const sb of this.bindingsOf(user)) {
      const { binding } = sb;
      if (binding.kind === 'RoleBinding' && (namespace === '' || binding.namespace !== namespace)) continue;
      if (!binding.role) {
        errors.push(bindingError(binding));
        continue;
      }
      for (const rule of binding.role.rules) {
        const ok =
          request.kind === 'resource'
            ? ruleAllows(rule.rule, {
                verb: request.verb,
                apiGroup: request.apiGroup,
                resource: request.resource,
                ...(request.subresource !== undefined ? { subresource: request.subresource } : {}),
                ...(request.name !== undefined ? { name: request.name } : {}),
              })
            : ruleAllowsNonResource(rule.rule, request.verb, request.path);
        if (!ok) continue;
        const grant: Grant = {
          binding,
          subject: sb.subject,
          role: binding.role,
          rule,
          ...(binding.namespace !== undefined ? { namespace: binding.namespace } : {}),
        };
        return { allowed: true, reason: `RBAC: allowed by ${describeGrantSource(grant)}`, grant, errors };
      }
    }
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${errors.join(', ')}` : '', errors };
  }

  /* ----------------------------------------------------------------------------- who can */

  /**
   * The subjects allowed a request, each with the binding and (first) rule that allows it.
   * Group rows stand for every member; `system:masters` is always allowed and not listed.
   *
   * @example
   * model.whoCan({ kind: 'resource', verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'shop' });
   */
  whoCan(query: WhoCanQuery): readonly WhoCanRow[] {
    const grants = this.#grantsOf(query);
    const allowing = grants.allowing;
    const rows: WhoCanRow[] = [];
    const namespace = query.kind === 'resource' ? query.namespace : '';
    // RoleBindings take part in namespaced requests of their own namespace only.
    const bindings =
      namespace === undefined ? grants.all : namespace === '' ? grants.cluster : mergeByOrder(grants.cluster, grants.byNamespace.get(namespace) ?? []);
    for (const binding of bindings) {
      const role = binding.role as RoleEntry;
      const rule = allowing.get(role) as EffectiveRule;
      for (const subject of binding.subjects) {
        if (subject.key === undefined) continue;
        rows.push(binding.namespace !== undefined ? { subject, binding, role, rule, namespace: binding.namespace } : { subject, binding, role, rule });
      }
    }
    return rows;
  }

  /**
   * The rules that allow a request and the bindings of their roles, in binding order, for every
   * namespace at once: computed once per request (without its namespace), since callers such as
   * the attack graph ask the same question of every namespace.
   */
  #grantsOf(query: WhoCanQuery): Grants {
    const key =
      query.kind === 'resource'
        ? JSON.stringify(['r', query.verb, query.apiGroup, query.resource, query.subresource ?? null, query.name ?? null])
        : JSON.stringify(['n', query.verb, query.path]);
    let grants = this.#grants.get(key);
    if (grants) return grants;
    const allowing = this.#allowingRules(query);
    const byRole = this.#bindingIndex();
    const all: BindingEntry[] = [];
    const cluster: BindingEntry[] = [];
    const byNamespace = new Map<string, BindingEntry[]>();
    for (const role of allowing.keys()) {
      const idx = byRole.get(role);
      if (!idx) continue;
      for (const b of idx.all) all.push(b);
      for (const b of idx.cluster) cluster.push(b);
      for (const [ns, list] of idx.byNamespace) {
        const into = byNamespace.get(ns);
        if (into) for (const b of list) into.push(b);
        else byNamespace.set(ns, [...list]);
      }
    }
    const byOrder = (a: BindingEntry, b: BindingEntry): number => a.order - b.order;
    all.sort(byOrder);
    cluster.sort(byOrder);
    for (const list of byNamespace.values()) list.sort(byOrder);
    grants = { allowing, all, cluster, byNamespace };
    this.#grants.set(key, grants);
    return grants;
  }

  /** For each role with a rule allowing the query, its first such rule. Uses the rule index. */
  #allowingRules(query: WhoCanQuery): Map<RoleEntry, EffectiveRule> {
    const index = this.#index();
    const found = new Map<RoleEntry, number>();
    const request: ResourceRequest | undefined =
      query.kind === 'resource'
        ? {
            verb: query.verb,
            apiGroup: query.apiGroup,
            resource: query.resource,
            ...(query.subresource !== undefined ? { subresource: query.subresource } : {}),
            ...(query.name !== undefined ? { name: query.name } : {}),
          }
        : undefined;
    const consider = (role: RoleEntry, position: number): void => {
      const cur = found.get(role);
      if (cur !== undefined && cur <= position) return;
      const r = role.rules[position] as EffectiveRule;
      const ok = request ? ruleAllows(r.rule, request) : query.kind === 'nonResource' && ruleAllowsNonResource(r.rule, query.verb, query.path);
      if (ok) found.set(role, position);
    };
    if (query.kind === 'resource') {
      const combined = query.subresource ? `${query.resource}/${query.subresource}` : query.resource;
      const resources = ['*', combined, ...(query.subresource ? [`*/${query.subresource}`] : [])];
      for (const verb of new Set([query.verb, '*'])) {
        for (const group of new Set([query.apiGroup, '*'])) {
          for (const res of resources) for (const e of index.get(`${verb}\u0000${group}\u0000${res}`) ?? []) consider(e.role, e.position);
        }
      }
    } else {
      for (const verb of new Set([query.verb, '*'])) for (const e of index.get(`${verb}\u0000\u0001url`) ?? []) consider(e.role, e.position);
    }
    const out = new Map<RoleEntry, EffectiveRule>();
    for (const [role, position] of found) out.set(role, role.rules[position] as EffectiveRule);
    return out;
  }

  /** Rules by (verb, apiGroup, resource) and by verb for non-resource URLs; built on first who-can. */
  #index(): Map<string, { role: RoleEntry; position: number }[]> {
    if (this.#ruleIndex) return this.#ruleIndex;
    const index = new Map<string, { role: RoleEntry; position: number }[]>();
    const push = (key: string, role: RoleEntry, position: number): void => {
      const list = index.get(key);
      if (list) list.push({ role, position });
      else index.set(key, [{ role, position }]);
    };
    // Only roles some binding refers to can allow anything.
    const bound = new Set<RoleEntry>();
    for (const b of this.#bindings) if (b.role) bound.add(b.role);
    for (const role of bound) {
      role.rules.forEach((r, position) => {
        for (const verb of new Set(r.rule.verbs)) {
          for (const group of new Set(r.rule.apiGroups)) for (const res of new Set(r.rule.resources)) push(`${verb}\u0000${group}\u0000${res}`, role, position);
          if (r.rule.nonResourceURLs.length > 0) push(`${verb}\u0000\u0001url`, role, position);
        }
      });
    }
    this.#ruleIndex = index;
    return index;
  }

  #bindingIndex(): Map<RoleEntry, RoleBindings> {
    if (this.#bindingsByRole) return this.#bindingsByRole;
    const map = new Map<RoleEntry, RoleBindings>();
    for (const b of this.#bindings) {
      if (!b.role) continue;
      let idx = map.get(b.role);
      if (!idx) {
        idx = { all: [], cluster: [], byNamespace: new Map() };
        map.set(b.role, idx);
      }
      idx.all.push(b);
      if (b.namespace === undefined) idx.cluster.push(b);
      else {
        const list = idx.byNamespace.get(b.namespace);
        if (list) list.push(b);
        else idx.byNamespace.set(b.namespace, [b]);
      }
    }
    this.#bindingsByRole = map;
    return map;
  }

  /** The bindings that refer to a role. */
  bindingsTo(role: RoleEntry): readonly BindingEntry[] {
    return this.#bindingIndex().get(role)?.all ?? [];
  }
}

/** What {@link RbacModel.whoCan} needs of one request, for every namespace (see `#grantsOf`). */
interface Grants {
  readonly allowing: Map<RoleEntry, EffectiveRule>;
  /** Bindings of the allowing roles, in binding order: all, cluster-wide, and per namespace. */
  readonly all: readonly BindingEntry[];
  readonly cluster: readonly BindingEntry[];
  readonly byNamespace: ReadonlyMap<string, readonly BindingEntry[]>;
}

/** Two lists sorted by binding order, as one. */
function mergeByOrder(a: readonly BindingEntry[], b: readonly BindingEntry[]): readonly BindingEntry[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: BindingEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length)
    out.push((a[i] as BindingEntry).order <= (b[j] as BindingEntry).order ? (a[i++] as BindingEntry) : (b[j++] as BindingEntry));
  while (i < a.length) out.push(a[i++] as BindingEntry);
  while (j < b.length) out.push(b[j++] as BindingEntry);
  return out;
}

/** The bindings of one role, by where they grant. */
interface RoleBindings {
  readonly all: BindingEntry[];
  readonly cluster: BindingEntry[];
  readonly byNamespace: Map<string, BindingEntry[]>;
}

/** The authorizer's error for a binding whose role is missing. */
function bindingError(binding: BindingEntry): string {
  const ref = binding.roleRef;
  if (!ref) return `${binding.kind} "${binding.name}" has no valid roleRef`;
  if (binding.problem === 'invalid-role-ref') return `${binding.kind} "${binding.name}" refers to a ${ref.kind}, which it cannot bind`;
  return `${ref.kind.toLowerCase()}.rbac.authorization.k8s.io "${ref.name}" not found`;
}

/**
 * The authorizer's description of a grant's source:
 * `ClusterRoleBinding "ops" of ClusterRole "admin" to Group "ops"`,
 * `RoleBinding "dev/shop" of Role "dev" to ServiceAccount "web/shop"` (sic: the API server
 * writes binding and service account names before their namespaces).
 *
 * @example
 * describeGrantSource(decision.grant);
 */
export function describeGrantSource(grant: Pick<Grant, 'binding' | 'subject'>): string {
  const { binding, subject } = grant;
  const ref = binding.roleRef ?? { kind: '?', name: '?' };
  const who =
    subject.kind === 'ServiceAccount'
      ? `${subject.kind} "${subject.name}/${subject.namespace ?? binding.namespace ?? ''}"`
      : `${subject.kind} "${subject.name}"`;
  const name = binding.kind === 'RoleBinding' ? `${binding.name}/${binding.namespace ?? ''}` : binding.name;
  return `${binding.kind} "${name}" of ${ref.kind} "${ref.name}" to ${who}`;
}

/**
 * How a role or binding is named in messages: `ClusterRole edit`, `RoleBinding shop/dev`,
 * with `(Kubernetes default)` for defaults that are not in the inventory.
 *
 * @example
 * describeEntry(grant.role); // 'ClusterRole edit (Kubernetes default)'
 */
export function describeEntry(e: { readonly kind: string; readonly name: string; readonly namespace?: string; readonly origin: Origin }): string {
  return `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}${e.origin === 'default' ? ' (Kubernetes default)' : ''}`;
}

/**
 * Where a grant's rule is written: `ClusterRole edit rule 2`, or for an aggregated rule
 * `ClusterRole admin rule 5 (from ClusterRole system:aggregate-to-edit rule 2)`.
 *
 * @example
 * describeRule(grant.role, grant.rule);
 */
export function describeRule(role: RoleEntry, rule: EffectiveRule): string {
  if (rule.source === role) return `${describeEntry(role)} rule ${rule.index}`;
  return `${describeEntry(role)} (aggregated from ${describeEntry(rule.source)} rule ${rule.index})`;
}

/**
 * Builds the RBAC model of an inventory.
 *
 * @example
 * const model = buildRbacModel(inventory, { defaults: 'none' });
 */
export function buildRbacModel(inventory: Inventory, options: RbacModelOptions = {}): RbacModel {
  return new RbacModel(inventory, options);
}
