/**
 * Privilege-escalation paths: a graph whose nodes are identities (users, groups, service
 * accounts, and "holder of role R" states one can reach by binding R to oneself) and whose
 * edges are the escalation primitives of Kubernetes RBAC, each backed by the rule that
 * allows it. Two targets: "cluster-admin equivalent" and "can read every Secret". The
 * shortest chain from every identity to each target comes from one 0-1 breadth-first
 * search backwards from the target, so all paths cost O(nodes + edges).
 *
 * `bind` would make the graph quadratic: whoever can bind any role in a namespace has an
 * edge to the holder of every such role there, and holders of roles that can bind have the
 * same edges again. Those edges are stored once per (node, binding scope) and once per
 * (scope, holder) instead, and the search visits each scope once; the edge a path takes is
 * rebuilt when the path is read. Paths and their tie-breaks are those of the full graph.
 *
 * Primitives (kubernetes.io "RBAC good practices", rbac-police, KubeHound):
 * - create or modify workloads in a namespace: run as any service account there;
 * - exec, attach, ephemeral containers, patch pods: act as the service account of a running pod;
 * - `nodes/proxy`: the kubelet API, exec in every pod of the cluster;
 * - `serviceaccounts/token` create: mint a token; read a legacy token Secret, or create one and read it;
 * - impersonate users, groups (`system:masters` ends the path), service accounts;
 * - `bind` (plus create bindings): bind a role to oneself;
 * - `escalate` (plus update) on a role one is bound to: rewrite it to grant everything;
 * - create, approve and sign a CSR with the API server client signer: a certificate for `system:masters`.
 */
import { incomingEdges } from '../core/edge-index.js';
import { type GrantScope, isClusterScopedQuery } from './rules.js';
import { isStarRule, type Probe, probeMatches, signsClientCertificates } from './capabilities.js';
import { formatSubject, MASTERS, type Subject, userInfoOf } from './identity.js';
import type { BindingEntry, BindingSubject, EffectiveRule, Grant, RbacModel, RoleEntry } from './model.js';

/** The two end states of a path. */
export type PathTarget = 'cluster-admin' | 'all-secrets';

/** The primitive an edge uses. */
export type EdgeKind =
  | 'holds'
  | 'member'
  | 'create-workload'
  | 'control-pod'
  | 'nodes-proxy'
  | 'token-request'
  | 'read-token-secret'
  | 'mint-token-secret'
  | 'impersonate-user'
  | 'impersonate-group'
  | 'impersonate-service-account'
  | 'bind'
  | 'escalate'
  | 'issue-certificate'
  | 'fan-out';

/** A rule that allows a step; `hypothetical` for rules held through a binding the attacker creates. */
export interface StepEvidence {
  readonly binding?: BindingEntry;
  readonly role: RoleEntry;
  readonly rule: EffectiveRule;
  /** Where the rule holds: a namespace, `*` (any namespace one binds it in), or absent (cluster-wide). */
  readonly namespace?: string;
  readonly hypothetical?: boolean;
  /** The binding subject through which the rule applies (absent for hypothetical bindings). */
  readonly subject?: BindingSubject;
}

/** One step of a path. */
export interface PathStep {
  readonly kind: EdgeKind;
  /** The identity taking the step. */
  readonly from: string;
  /** What the step does: `create pods in namespace ci`. */
  readonly action: string;
  /** The identity (or end state) reached. */
  readonly to: string;
  readonly evidence: readonly StepEvidence[];
}

/** The shortest chain from one identity to one target. */
export interface EscalationPath {
  readonly subject: Subject;
  readonly target: PathTarget;
  readonly steps: readonly PathStep[];
}

/** An edge as a path shows it. */
interface Edge {
  /** Node id. */
  readonly to: number;
  readonly kind: EdgeKind;
  readonly action: string;
  readonly evidence: readonly StepEvidence[];
}

const CLUSTER_ADMIN = 'cluster-admin';
const ALL_SECRETS = 'all-secrets';
/** Node ids of the two end states. */
const CA = 0;
const AS = 1;

const KINDS: readonly EdgeKind[] = [
  'holds',
  'member',
  'create-workload',
  'control-pod',
  'nodes-proxy',
  'token-request',
  'read-token-secret',
  'mint-token-secret',
  'impersonate-user',
  'impersonate-group',
  'impersonate-service-account',
  'bind',
  'escalate',
  'issue-certificate',
  'fan-out',
];
const KIND_INDEX = new Map(KINDS.map((k, i) => [k, i]));

/** A holder of a role: what one becomes after binding the role to oneself. */
interface Holder {
  readonly role: RoleEntry;
  /** A namespace, `*` (a namespace of one's choice), or undefined (cluster-wide). */
  readonly namespace?: string;
}

/** A probe a node's grant matches: `gi` indexes the node's grants. */
interface ProbeEntry {
  readonly gi: number;
  readonly probe: Probe;
  readonly scope: GrantScope;
  /** For `named` grants: the names the rule lists. */
  readonly names: readonly string[];
}

// What a stored edge says: the primitive, and the grants it rests on. The action text and
// the evidence are written when a path uses the edge, from the grants of the node it leaves.
const D_MEMBER = 0;
const D_STAR = 1;
const D_LIST_ALL = 2;
const D_WORKLOAD = 3;
const D_CONTROL = 4;
const D_NODES_PROXY = 5;
const D_TOKENS = 6;
const D_TOKEN = 7;
const D_READ_TOKEN = 8;
const D_MINT = 9;
const D_AS_ANY_USER = 10;
const D_AS_USER = 11;
const D_AS_SAS = 12;
const D_AS_SA = 13;
const D_AS_GROUP = 14;
const D_CSR = 15;
const D_BIND_ADMIN = 16;
const D_ESCALATE = 17;
const D_FAN_OUT = 18;
const D_ADMIN_SECRETS = 19;

// Where a stored edge leads, from the grant it rests on (`ns` is where that grant holds).
const T_CA = 0;
const T_AS = 1;
/** `sas:<ns>` (`sas:*` for `*` and cluster-wide). */
const T_SAS = 2;
/** `pods:<ns>` (`pods:*` for `*` and cluster-wide). */
const T_PODS = 3;
const T_PODS_ANY = 4;
const T_USERS_ANY = 5;
const T_USER = 6;
const T_GROUP = 7;
/** Each service account the grant names, where it holds. */
const T_SAS_NAMED = 8;
/** Each service account with a legacy token Secret the grant can read. */
const T_TOKEN_SECRETS = 9;
/** Set by the code that stores the edge. */
const T_NONE = 10;

/** One stored edge's meaning, shared by every edge of that meaning (all holders of a role share theirs). */
interface Spec {
  readonly kind: EdgeKind;
  readonly k: number;
  readonly code: number;
  readonly target: number;
  readonly p?: ProbeEntry;
  readonly q?: ProbeEntry;
  readonly r?: ProbeEntry;
  readonly gi?: number;
  readonly text?: string;
  readonly role?: RoleEntry;
  readonly binding?: BindingEntry;
}

function spec(kind: EdgeKind, code: number, target: number, more: Omit<Spec, 'kind' | 'k' | 'code' | 'target'> = {}): Spec {
  return { kind, k: KIND_INDEX.get(kind) as number, code, target, ...more };
}

const FAN_OUT = spec('fan-out', D_FAN_OUT, T_NONE);
const ADMIN_SECRETS = spec('holds', D_ADMIN_SECRETS, T_AS);
const MEMBER = spec('member', D_MEMBER, T_CA);

/**
 * Where a binding one creates holds, and the kind of role it names: binding any role of
 * that kind leads to the holders of every such role there. Shared by every node that can
 * create the binding, so that `bind` costs one link per node and one per holder rather than
 * one edge per (node, holder) pair, which grows with the square of the roles.
 */
interface BindScope {
  /** Holder node ids, in role order. */
  readonly holders: number[];
  /** For cluster-wide ClusterRole bindings: the first role with a `*` rule (binding it is cluster-admin). */
  readonly star: RoleEntry | undefined;
  /** The nodes with a {@link BindOption} for this scope, in node order. */
  readonly from: number[];
}

/**
 * One way for a node to bind roles to itself: a grant to create the binding and a grant to
 * `bind` the role. The `bind` edge to a holder is the first option (in this order) that
 * reaches it, built when a path uses it.
 */
interface BindOption {
  readonly creator: ProbeEntry;
  readonly binder: ProbeEntry;
  /** An all-names `bind` grant: the index of its {@link BindScope}. */
  readonly scope?: number;
  /** A `bind` grant with resourceNames: the holders of the roles it names. */
  readonly holders?: readonly number[];
}

/** What a node's grants allow, before targets are resolved: shared by the holders of one role. */
interface Template {
  readonly specs: readonly Spec[];
  readonly creators: readonly ProbeEntry[];
  readonly binders: readonly ProbeEntry[];
  readonly escalators: readonly ProbeEntry[];
  readonly updaters: readonly ProbeEntry[];
}

// Probe categories: the primitives an edge is made of.
const C_WORKLOADS = 0;
const C_EXEC = 1;
const C_ATTACH = 2;
const C_EPHEMERAL = 3;
const C_MODIFY_PODS = 4;
const C_NODES_PROXY = 5;
const C_TOKENS = 6;
const C_READ_SECRETS = 7;
const C_CREATE_SECRETS = 8;
const C_AS_USERS = 9;
const C_AS_SAS = 10;
const C_AS_GROUPS = 11;
const C_CSR_CREATE = 12;
const C_CSR_APPROVE = 13;
const C_CSR_SIGNER = 14;
const C_CREATE_BINDINGS = 15;
const C_BIND = 16;
const C_ESCALATE = 17;
const C_UPDATE_ROLES = 18;
const CATEGORIES = 19;

const PREFIXES: readonly (readonly [string, number])[] = [
  ['create-workloads:', C_WORKLOADS],
  ['pod-exec:', C_EXEC],
  ['pod-attach:', C_ATTACH],
  ['ephemeral-containers:', C_EPHEMERAL],
  ['path-modify-pods:', C_MODIFY_PODS],
  ['nodes-proxy:', C_NODES_PROXY],
  ['create-tokens:', C_TOKENS],
  ['path-create-secrets:', C_CREATE_SECRETS],
  ['impersonate:impersonate:/users', C_AS_USERS],
  ['impersonate:impersonate:/serviceaccounts', C_AS_SAS],
  ['impersonate:impersonate:/groups', C_AS_GROUPS],
  ['csr-create:', C_CSR_CREATE],
  ['csr-approve:', C_CSR_APPROVE],
  ['csr-signer:', C_CSR_SIGNER],
  ['path-create-bindings:', C_CREATE_BINDINGS],
  ['bind:', C_BIND],
  ['escalate:', C_ESCALATE],
  ['path-update-roles:', C_UPDATE_ROLES],
];
const READ_SECRETS = /^read-secrets:(get|list|watch):/;
const LIST_SECRETS = /^read-secrets:(list|watch):/;
const CATEGORY = new Map<string, number>();

/** The category of a probe id, or -1 for probes no edge uses. */
function categoryOf(id: string): number {
  let c = CATEGORY.get(id);
  if (c === undefined) {
    c = READ_SECRETS.test(id) ? C_READ_SECRETS : (PREFIXES.find(([p]) => id.startsWith(p))?.[1] ?? -1);
    CATEGORY.set(id, c);
  }
  return c;
}

const NONE: readonly ProbeEntry[] = [];
/** The names of a grant of every name: one array for all of them. */
const NO_NAMES: readonly string[] = [];

/** The probes of a node's grants by category, in grant then probe order. Cluster-scoped probes only count for cluster-wide grants. */
function bucketsOf(model: RbacModel, grants: readonly Pick<Grant, 'rule' | 'namespace'>[]): readonly (readonly ProbeEntry[])[] {
  const out: ProbeEntry[][] = [];
  for (let gi = 0; gi < grants.length; gi++) {
    const grant = grants[gi] as Pick<Grant, 'rule' | 'namespace'>;
    for (const m of probeMatches(model, grant.rule)) {
      const c = categoryOf(m.probe.id);
      if (c < 0 || (grant.namespace !== undefined && isClusterScopedQuery(m.probe.query))) continue;
      const entry: ProbeEntry = { gi, probe: m.probe, scope: m.scope, names: m.scope === 'named' ? grant.rule.rule.resourceNames : NO_NAMES };
      const list = out[c];
      if (list) list.push(entry);
      else out[c] = [entry];
    }
  }
  const buckets: (readonly ProbeEntry[])[] = [];
  for (let c = 0; c < CATEGORIES; c++) buckets.push(out[c] ?? NONE);
  return buckets;
}

// The binding a role holder would create: never reported (hypothetical evidence carries no binding).
const NEW_BINDING: BindingEntry = { kind: 'RoleBinding', name: '(new)', origin: 'inventory', bootstrap: false, subjects: [], order: -1 };
const NEW_SUBJECT: BindingSubject = { index: 0, path: '', kind: 'User', name: '' };

// Grants are shared objects (memoised per identity), and many probes match one grant: one
// evidence object per grant keeps the graph from allocating the same facts again. The map
// belongs to the graph, which belongs to the model.
function evidenceOf(cache: Map<Grant, StepEvidence>, g: Grant): StepEvidence {
  let e = cache.get(g);
  if (!e) {
    e = g.binding.order < 0 ? { hypothetical: true, role: g.role, rule: g.rule } : { binding: g.binding, subject: g.subject, role: g.role, rule: g.rule };
    if (g.namespace !== undefined) e = { ...e, namespace: g.namespace };
    cache.set(g, e);
  }
  return e;
}

function where(namespace: string | undefined): string {
  return namespace === undefined ? 'cluster-wide' : namespace === '*' ? 'in any namespace' : `in namespace ${namespace}`;
}

function roleLabel(role: RoleEntry): string {
  return `${role.kind} ${role.namespace ? `${role.namespace}/` : ''}${role.name}`;
}

function hasStarRule(role: RoleEntry): boolean {
  return role.rules.some((r) => isStarRule(r.rule));
}

const CONTROL: readonly (readonly [number, string])[] = [
  [C_EXEC, 'exec into pods'],
  [C_ATTACH, 'attach to pods'],
  [C_EPHEMERAL, 'add ephemeral containers to pods'],
  [C_MODIFY_PODS, 'change the image of running pods'],
];

/** Roles whose holders have edges, by kind and (Roles) namespace, in model order; `star` those with a `*` rule. */
interface InterestingRoles {
  readonly cluster: RoleEntry[];
  readonly roles: RoleEntry[];
  readonly byNamespace: Map<string, RoleEntry[]>;
  readonly star: Set<RoleEntry>;
}

/** The grants of one node, to resolve targets and write evidence. */
interface Grants {
  namespace(gi: number): string | undefined;
  evidence(gi: number): StepEvidence;
}

/**
 * The escalation graph of a model and the shortest paths in it.
 *
 * Nodes are numbered in the order a breadth-first expansion from the subjects meets them;
 * in-edges are visited in that order, which settles ties between equally short paths.
 * Edges are stored as (from, to, {@link Spec}) in node order; `bind` edges to role holders
 * are not stored one by one (see {@link BindScope}).
 *
 * @example
 * const paths = escalationPathsOf(model);
 * paths.pathOf(parseSubject('sa:ci/deployer'), 'cluster-admin')?.steps.length; // 2
 */
export class EscalationGraph {
  readonly #model: RbacModel;
  /** One evidence object per grant (see evidenceOf). */
  readonly #evidence = new Map<Grant, StepEvidence>();
  /** Node id -> name (`user:alice`, `sas:ci`); ids 0 and 1 are the end states; holders have none. */
  readonly #names: (string | undefined)[] = [CLUSTER_ADMIN, ALL_SECRETS];
  readonly #ids = new Map<string, number>([
    [CLUSTER_ADMIN, CA],
    [ALL_SECRETS, AS],
  ]);
  readonly #sasIds = new Map<string, number>();
  readonly #podsIds = new Map<string, number>();
  readonly #saIds = new Map<string, Map<string, number>>();
  readonly #holderIds = new Map<RoleEntry, Map<string | undefined, number>>();
  /** Holder node id -> its role and where it is bound (two columns: an object per holder is 48 bytes more). */
  readonly #holderRole: (RoleEntry | undefined)[] = [];
  readonly #holderNs: (string | undefined)[] = [];
  readonly #subjects = new Map<string, Subject>();
  // Stored edges, grouped by the node they leave, nodes in id order (the end states last);
  // typed arrays once built.
  #from: number[] | Int32Array = [];
  #to: number[] | Int32Array = [];
  readonly #spec: Spec[] = [];
  /** Once built: each edge's spec as an index in `#specTable` (the specs repeat: holders of a role share theirs). */
  #specIds: Int32Array | undefined;
  #specTable: readonly Spec[] = [];
  readonly #options: (BindOption[] | undefined)[] = [];
  /** Holder id -> the nodes with a named `bind` option reaching it, in node order. */
  readonly #namedFrom: (number[] | undefined)[] = [];
  /** Holder id -> the (first) scope it belongs to; {@link #moreScopes} has the others (Roles: their namespace's and `*`). */
  #scopeOf: number[] | Int32Array = [];
  readonly #moreScopes = new Map<number, number[]>();
  readonly #scopes: BindScope[] = [];
  /** Once built: how many (scope, holder) links the scopes had, for {@link size}. */
  #scopeLinks = 0;
  readonly #scopeIds = new Map<string, number>();
  /**
   * Per target: node id -> its next step, as a stored edge index, or `-2 - holder` for a
   * `bind` edge to a holder, or -1 for none.
   */
  readonly #next: Int32Array[] = [];
  readonly #edges = new Map<number, Edge>();
  readonly #interesting = new Map<RoleEntry, boolean>();
  readonly #templates = [new Map<RoleEntry, Template>(), new Map<RoleEntry, Template>()];
  #running: Map<string, Set<string>> | undefined;
  #interestingRoles: InterestingRoles | undefined;
  #rolesByName: Map<string, { position: number; role: RoleEntry }[]> | undefined;
  #tokensByNamespace: Map<string, { sa: string; secret: string }[]> | undefined;
  #allTokens: readonly { sa: string; secret: string }[] | undefined;
  #holderNames: Map<string, number> | undefined;

  // The node being expanded: its id, where its edges start, the grants it holds.
  #at = -1;
  #atStart = 0;
  #atSeen: Set<number> | undefined;
  #atHolder: Holder | undefined;
  #atGrants: readonly Grant[] = [];

  constructor(model: RbacModel) {
    this.#model = model;
    for (const s of model.subjects()) {
      const id = formatSubject(s);
      this.#subjects.set(id, s);
      const node = this.#node(id);
      if (s.kind === 'ServiceAccount') {
        // Fan-outs reach service accounts by namespace and name: no need to spell their ids.
        let byName = this.#saIds.get(s.namespace);
        if (!byName) {
          byName = new Map();
          this.#saIds.set(s.namespace, byName);
        }
        byName.set(s.name, node);
      }
    }
    // Every node is expanded once, in the order it was met (the list grows as we go).
    for (let node = 2; node < this.#names.length; node++) this.#expand(node);
    this.#atGrants = [];
    (this.#from as number[]).push(CA);
    (this.#to as number[]).push(AS);
    this.#spec.push(ADMIN_SECRETS);
    const reverse = this.#reverse();
    this.#next[CA] = this.#search(CA, reverse);
    this.#next[AS] = this.#search(AS, reverse);
    this.#release();
  }

  /**
   * Drops what only building and searching need (about 20 MB on a 100,000-object inventory):
   * the lookups that number nodes, the templates, the scopes' members. Reading a path needs
   * the edges, the nodes' names and holders, and the bind options.
   */
  #release(): void {
    this.#from = Int32Array.from(this.#from);
    this.#to = Int32Array.from(this.#to);
    const specIds = new Int32Array(this.#spec.length);
    const table: Spec[] = [];
    const known = new Map<Spec, number>();
    this.#spec.forEach((s, i) => {
      let id = known.get(s);
      if (id === undefined) {
        id = table.length;
        table.push(s);
        known.set(s, id);
      }
      specIds[i] = id;
    });
    this.#specIds = specIds;
    this.#specTable = table;
    this.#spec.length = 0;
    // -1 for nodes in no scope (undefined while building).
    const scopeOf = new Int32Array(this.#names.length).fill(-1);
    this.#scopeOf.forEach((s, i) => {
      scopeOf[i] = s;
    });
    this.#scopeOf = scopeOf;
    for (const s of this.#scopes) this.#scopeLinks += s.holders.length;
    this.#scopes.length = 0;
    this.#namedFrom.length = 0;
    this.#sasIds.clear();
    this.#podsIds.clear();
    this.#saIds.clear();
    this.#holderIds.clear();
    this.#interesting.clear();
    for (const t of this.#templates) t.clear();
    this.#scopeIds.clear();
    this.#running = undefined;
    this.#interestingRoles = undefined;
    this.#rolesByName = undefined;
    this.#atSeen = undefined;
    this.#atHolder = undefined;
  }

  /* ----------------------------------------------------------------------------- nodes */

  /** The id of a node, registered (and so queued for expansion) on first sight. */
  #node(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#names.length;
      this.#names.push(name);
      this.#ids.set(name, id);
    }
    return id;
  }

  /** `sas:NS`: any service account of a namespace (`*`: of any). */
  #sasNode(namespace: string): number {
    let id = this.#sasIds.get(namespace);
    if (id === undefined) {
      id = this.#node(`sas:${namespace}`);
      this.#sasIds.set(namespace, id);
    }
    return id;
  }

  /** `pods:NS`: the service accounts of running pods of a namespace (`*`: of any). */
  #podsNode(namespace: string): number {
    let id = this.#podsIds.get(namespace);
    if (id === undefined) {
      id = this.#node(`pods:${namespace}`);
      this.#podsIds.set(namespace, id);
    }
    return id;
  }

  #saNode(namespace: string, name: string): number {
    let byName = this.#saIds.get(namespace);
    if (!byName) {
      byName = new Map();
      this.#saIds.set(namespace, byName);
    }
    let id = byName.get(name);
    if (id === undefined) {
      id = this.#node(`sa:${namespace}/${name}`);
      byName.set(name, id);
    }
    return id;
  }

  #subjectOf(node: string): Subject | undefined {
    const known = this.#subjects.get(node);
    if (known) return known;
    const m = /^(user|group):(.+)$/.exec(node) ?? /^sa:([^/]+)\/(.+)$/.exec(node);
    if (!m) return undefined;
    const s: Subject = node.startsWith('sa:')
      ? { kind: 'ServiceAccount', namespace: m[1] as string, name: m[2] as string }
      : { kind: m[1] === 'user' ? 'User' : 'Group', name: m[2] as string };
    this.#subjects.set(node, s);
    return s;
  }

  /** The holder of a role bound at a namespace, `*` or cluster-wide (undefined). */
  #holderNode(role: RoleEntry, namespace: string | undefined): number {
    let byNamespace = this.#holderIds.get(role);
    if (!byNamespace) {
      byNamespace = new Map();
      this.#holderIds.set(role, byNamespace);
    }
    let id = byNamespace.get(namespace);
    if (id === undefined) {
      id = this.#names.length;
      this.#names.push(undefined);
      this.#holderRole[id] = role;
      this.#holderNs[id] = namespace;
      byNamespace.set(namespace, id);
    }
    return id;
  }

  /** The holder a node stands for, or undefined for other nodes. */
  #holder(node: number): Holder | undefined {
    const role = this.#holderRole[node];
    if (!role) return undefined;
    const namespace = this.#holderNs[node];
    return namespace !== undefined ? { role, namespace } : { role };
  }

  /** The name a holder would have as a string node (`holder:ClusterRole/edit@shop`). */
  static #holderName(holder: Holder): string {
    const { role, namespace } = holder;
    return `holder:${role.kind}/${role.namespace ? `${role.namespace}/` : ''}${role.name}@${namespace ?? '(cluster)'}`;
  }

  /** Whether holding a role can lead anywhere (it matches an escalation probe or is `*`). */
  #isInteresting(role: RoleEntry): boolean {
    const cached = this.#interesting.get(role);
    if (cached !== undefined) return cached;
    const yes = role.rules.some((r) => isStarRule(r.rule) || probeMatches(this.#model, r).some((m) => ESCALATING.test(m.probe.id)));
    this.#interesting.set(role, yes);
    return yes;
  }

  /** Where grant `gi` of the node being expanded holds. */
  #ns(gi: number): string | undefined {
    return this.#atHolder ? this.#atHolder.namespace : this.#atGrants[gi]?.namespace;
  }

  /** The grants of a node, for the evidence of its edges (a holder's through the binding it would create). */
  #grantsOf(node: number): Grants {
    const holder = this.#holder(node);
    if (holder) {
      const made: Grant[] = [];
      return {
        namespace: () => holder.namespace,
        evidence: (gi) => {
          let g = made[gi];
          if (!g) {
            const rule = holder.role.rules[gi] as EffectiveRule;
            g =
              holder.namespace !== undefined
                ? { binding: NEW_BINDING, subject: NEW_SUBJECT, role: holder.role, rule, namespace: holder.namespace }
                : { binding: NEW_BINDING, subject: NEW_SUBJECT, role: holder.role, rule };
            made[gi] = g;
          }
          return evidenceOf(this.#evidence, g);
        },
      };
    }
    const subject = this.#subjectOf(this.#names[node] as string);
    const grants = subject ? this.#model.grantsOfSubject(subject) : [];
    return { namespace: (gi) => grants[gi]?.namespace, evidence: (gi) => evidenceOf(this.#evidence, grants[gi] as Grant) };
  }

  /* ----------------------------------------------------------------------------- edges */

  /** Stores an edge from the node being expanded, unless it loops or repeats a (target, kind) pair. */
  #push(to: number, s: Spec): void {
    if (to === this.#at) return;
    const start = this.#atStart;
    const count = this.#to.length - start;
    if (count < 8) {
      for (let j = start; j < start + count; j++) if (this.#to[j] === to && (this.#spec[j] as Spec).k === s.k) return;
    } else {
      let seen = this.#atSeen;
      if (!seen) {
        seen = new Set();
        for (let j = start; j < start + count; j++) seen.add((this.#to[j] as number) * KINDS.length + (this.#spec[j] as Spec).k);
        this.#atSeen = seen;
      }
      const key = to * KINDS.length + s.k;
      if (seen.has(key)) return;
      seen.add(key);
    }
    (this.#from as number[]).push(this.#at);
    (this.#to as number[]).push(to);
    this.#spec.push(s);
  }

  /** Stores the edges of a spec from the node being expanded: its targets follow from where its grant holds. */
  #place(s: Spec): void {
    const p = s.p as ProbeEntry;
    switch (s.target) {
      case T_CA:
        this.#push(CA, s);
        return;
      case T_AS:
        this.#push(AS, s);
        return;
      case T_SAS:
        this.#push(this.#sasNode(this.#ns(p.gi) ?? '*'), s);
        return;
      case T_PODS:
        this.#push(this.#podsNode(this.#ns(p.gi) ?? '*'), s);
        return;
      case T_PODS_ANY:
        this.#push(this.#podsNode('*'), s);
        return;
      case T_USERS_ANY:
        this.#push(this.#node('users:*'), s);
        return;
      case T_USER:
        this.#push(this.#node(`user:${s.text}`), s);
        return;
      case T_GROUP:
        this.#push(this.#node(`group:${s.text}`), s);
        return;
      case T_SAS_NAMED:
        for (const sa of this.#serviceAccountsNamed(this.#ns(p.gi), p.names)) this.#push(this.#node(sa), s);
        return;
      case T_TOKEN_SECRETS: {
        const byName = p.scope === 'named' ? new Set(p.names) : undefined;
        // get of all names or list/watch: every token Secret there; get of named Secrets: those.
        for (const { sa, secret } of this.#tokenSecrets(this.#ns(p.gi))) {
          if (byName && !byName.has(secret)) continue;
          this.#push(this.#node(sa), s);
        }
        return;
      }
    }
  }

  #expand(node: number): void {
    this.#at = node;
    this.#atStart = this.#to.length;
    this.#atSeen = undefined;
    const holder = this.#holder(node);
    this.#atHolder = holder;
    let template: Template;
    let subject: Subject | undefined;
    if (holder) {
      // Which probes count depends on the role and on whether the holder is namespaced only.
      const templates = this.#templates[holder.namespace === undefined ? 0 : 1] as Map<RoleEntry, Template>;
      const known = templates.get(holder.role);
      if (known) template = known;
      else {
        const ns = holder.namespace;
        template = this.#template(
          bucketsOf(
            this.#model,
            holder.role.rules.map((rule) => (ns !== undefined ? { rule, namespace: ns } : { rule })),
          ),
          undefined,
        );
        templates.set(holder.role, template);
      }
    } else {
      const name = this.#names[node] as string;
      if (name.startsWith('sas:') || name.startsWith('pods:') || name === 'users:*') {
        this.#fanOut(name);
        return;
      }
      subject = this.#subjectOf(name);
      if (!subject) return;
      if (subject.kind === 'Group' && subject.name === MASTERS) this.#push(CA, MEMBER);
      const grants = this.#model.grantsOfSubject(subject);
      if (grants.length === 0) return;
      this.#atGrants = grants;
      template = this.#template(bucketsOf(this.#model, grants), grants);
    }
    for (const s of template.specs) this.#place(s);
    this.#bindOptions(node, template.creators, template.binders);
    if (subject) this.#escalateEdges(subject, template.escalators, template.updaters);
  }

  /**
   * The edges a node's grants allow, in order, before their targets are resolved. For a
   * holder it depends only on the role and on whether the holder is namespaced: all its
   * grants hold in the holder's namespace, so they agree with one another wherever it is.
   */
  #template(buckets: readonly (readonly ProbeEntry[])[], grants: readonly Grant[] | undefined): Template {
    const of = (c: number): readonly ProbeEntry[] => buckets[c] as readonly ProbeEntry[];
    const specs: Spec[] = [];
    // Holding the end state directly.
    const holder = this.#atHolder;
    const star = holder
      ? holder.namespace === undefined
        ? holder.role.rules.findIndex((r) => isStarRule(r.rule))
        : -1
      : (grants as readonly Grant[]).findIndex((g) => g.namespace === undefined && isStarRule(g.rule.rule));
    if (star >= 0) specs.push(spec('holds', D_STAR, T_CA, { gi: star }));
    const readers = of(C_READ_SECRETS);
    const listAll = readers.find((p) => this.#ns(p.gi) === undefined && p.scope === 'all' && LIST_SECRETS.test(p.probe.id));
    if (listAll) specs.push(spec('holds', D_LIST_ALL, T_AS, { p: listAll }));
    // Run pods as any service account of a namespace.
    for (const p of of(C_WORKLOADS)) if (p.scope === 'all') specs.push(spec('create-workload', D_WORKLOAD, T_SAS, { p }));
    // Act as the service account of a running pod.
    for (const [c, text] of CONTROL) for (const p of of(c)) if (p.scope === 'all') specs.push(spec('control-pod', D_CONTROL, T_PODS, { p, text }));
    for (const p of of(C_NODES_PROXY)) if (p.scope === 'all') specs.push(spec('nodes-proxy', D_NODES_PROXY, T_PODS_ANY, { p }));
    // Tokens.
    for (const p of of(C_TOKENS)) {
      specs.push(p.scope === 'all' ? spec('token-request', D_TOKENS, T_SAS, { p }) : spec('token-request', D_TOKEN, T_SAS_NAMED, { p }));
    }
    for (const p of readers) specs.push(spec('read-token-secret', D_READ_TOKEN, T_TOKEN_SECRETS, { p }));
    for (const c of of(C_CREATE_SECRETS)) {
      if (c.scope !== 'all') continue;
      const ns = this.#ns(c.gi);
      const reader = readers.find((r) => r.scope === 'all' && (this.#ns(r.gi) === undefined || this.#ns(r.gi) === ns));
      if (reader) specs.push(spec('mint-token-secret', D_MINT, T_SAS, { p: c, q: reader }));
    }
    // Impersonation. Group (and extra) impersonation needs a user to impersonate as well.
    const asUser = of(C_AS_USERS);
    const asSa = of(C_AS_SAS);
    for (const p of asUser) {
      if (p.scope === 'all') specs.push(spec('impersonate-user', D_AS_ANY_USER, T_USERS_ANY, { p }));
      else for (const text of p.names) specs.push(spec('impersonate-user', D_AS_USER, T_USER, { p, text }));
    }
    for (const p of asSa) {
      specs.push(
        p.scope === 'all' ? spec('impersonate-service-account', D_AS_SAS, T_SAS, { p }) : spec('impersonate-service-account', D_AS_SA, T_SAS_NAMED, { p }),
      );
    }
    const anyUser = asUser[0] ?? asSa[0];
    if (anyUser) {
      for (const p of of(C_AS_GROUPS)) {
        for (const text of p.scope === 'all' ? [MASTERS] : p.names) {
          specs.push(spec('impersonate-group', D_AS_GROUP, text === MASTERS ? T_CA : T_GROUP, { p, q: anyUser, text }));
        }
      }
    }
    // Certificates for system:masters: create a CSR, approve it, approve for the client signer.
    const create = of(C_CSR_CREATE)[0];
    const approve = of(C_CSR_APPROVE)[0];
    const signer = of(C_CSR_SIGNER).find((g) => signsClientCertificates(g.scope === 'all' ? ['*'] : g.names));
    if (create && approve && signer) specs.push(spec('issue-certificate', D_CSR, T_CA, { p: create, q: approve, r: signer }));
    return { specs, creators: of(C_CREATE_BINDINGS), binders: of(C_BIND), escalators: of(C_ESCALATE), updaters: of(C_UPDATE_ROLES) };
  }

  /**
   * Bind a role to oneself: create the binding, with `bind` on the role. Edges to cluster-admin
   * (a `*` ClusterRole bound cluster-wide) are stored; the ways to holders become options.
   */
  #bindOptions(node: number, creators: readonly ProbeEntry[], binders: readonly ProbeEntry[]): void {
    if (binders.length === 0) return;
    let options: BindOption[] | undefined;
    for (const c of creators) {
      if (c.scope !== 'all') continue;
      const cluster = c.probe.query.resource === 'clusterrolebindings';
      // Where the new binding holds: cluster-wide, the creator's namespace, or any namespace.
      const scope = cluster ? undefined : (this.#ns(c.gi) ?? '*');
      for (const b of binders) {
        const bns = this.#ns(b.gi);
        // `bind` is checked in the namespace of the binding being written.
        if (bns !== undefined && (cluster || (scope !== '*' && bns !== scope))) continue;
        const kind = b.probe.query.resource === 'clusterroles' ? 'ClusterRole' : 'Role';
        if (cluster && kind === 'Role') continue;
        const ns = scope === '*' && bns !== undefined ? bns : scope;
        options ??= [];
        if (b.scope === 'named') {
          // Named grants: look the roles up.
          const holders: number[] = [];
          for (const role of this.#rolesNamed(kind, ns, b.names)) {
            if (role.kind !== kind || (kind === 'Role' && (ns === undefined || (ns !== '*' && role.namespace !== ns)))) continue;
            if (!this.#isInteresting(role)) continue;
            const holderNs = kind === 'Role' ? role.namespace : ns;
            if (holderNs === undefined && hasStarRule(role)) {
              this.#push(CA, spec('bind', D_BIND_ADMIN, T_CA, { p: c, q: b, role }));
              continue;
            }
            const h = this.#holderNode(role, holderNs);
            holders.push(h);
            const from = this.#namedFrom[h];
            if (!from) this.#namedFrom[h] = [node];
            else if (from[from.length - 1] !== node) from.push(node);
          }
          options.push({ creator: c, binder: b, holders });
        } else {
          // Otherwise every role that can lead somewhere.
          const id = this.#scope(kind, ns);
          const s = this.#scopes[id] as BindScope;
          if (s.star) this.#push(CA, spec('bind', D_BIND_ADMIN, T_CA, { p: c, q: b, role: s.star }));
          if (s.from[s.from.length - 1] !== node) s.from.push(node);
          options.push({ creator: c, binder: b, scope: id });
        }
      }
    }
    if (options) this.#options[node] = options;
  }

  /** The scope of bindings of `kind` roles held at `namespace`, with its holders registered on first use. */
  #scope(kind: 'Role' | 'ClusterRole', namespace: string | undefined): number {
    const key = `${kind}\u0000${namespace ?? '\u0001'}`;
    const known = this.#scopeIds.get(key);
    if (known !== undefined) return known;
    const id = this.#scopes.length;
    this.#scopeIds.set(key, id);
    const interesting = this.#interestingOf();
    const roles =
      kind === 'ClusterRole'
        ? interesting.cluster
        : namespace === undefined
          ? []
          : namespace === '*'
            ? interesting.roles
            : (interesting.byNamespace.get(namespace) ?? []);
    const holders: number[] = [];
    let star: RoleEntry | undefined;
    for (const role of roles) {
      const holderNs = kind === 'Role' ? role.namespace : namespace;
      if (holderNs === undefined && interesting.star.has(role)) {
        star ??= role;
        continue;
      }
      const h = this.#holderNode(role, holderNs);
      holders.push(h);
      if (this.#scopeOf[h] === undefined) this.#scopeOf[h] = id;
      else {
        const more = this.#moreScopes.get(h);
        if (more) more.push(id);
        else this.#moreScopes.set(h, [id]);
      }
    }
    this.#scopes.push({ holders, star, from: [] });
    return id;
  }

  /** Rewrite a role one is already bound to, with `escalate` and update/patch on it. */
  #escalateEdges(subject: Subject, escalators: readonly ProbeEntry[], updaters: readonly ProbeEntry[]): void {
    if (escalators.length === 0 || updaters.length === 0) return;
    const fits = (p: ProbeEntry, role: RoleEntry): boolean => {
      if (p.probe.query.resource !== (role.kind === 'ClusterRole' ? 'clusterroles' : 'roles')) return false;
      const ns = this.#ns(p.gi);
      if (ns !== undefined && ns !== role.namespace) return false;
      return p.scope === 'all' || p.names.includes(role.name);
    };
    for (const { binding } of this.#model.bindingsOf(userInfoOf(subject))) {
      const role = binding.role;
      if (!role) continue;
      const e = escalators.find((p) => fits(p, role));
      const u = updaters.find((p) => fits(p, role));
      if (!e || !u) continue;
      const s = spec('escalate', D_ESCALATE, T_NONE, { p: e, q: u, role, binding });
      this.#push(binding.namespace === undefined ? CA : this.#sasNode(binding.namespace), s);
    }
  }

  /** Fan-out edges: their targets (map keys, set members, distinct users) never repeat, so only loops are dropped. */
  #fanOut(node: string): void {
    const sas = this.#model.serviceAccounts();
    const fan = (to: number): void => {
      if (to === this.#at) return;
      (this.#from as number[]).push(this.#at);
      (this.#to as number[]).push(to);
      this.#spec.push(FAN_OUT);
    };
    if (node === 'sas:*') for (const ns of sas.keys()) fan(this.#sasNode(ns));
    else if (node === 'pods:*') for (const ns of this.#runningAccounts().keys()) fan(this.#podsNode(ns));
    else if (node === 'users:*') {
      for (const s of this.#model.subjects()) if (s.kind === 'User') fan(this.#node(formatSubject(s)));
    } else if (node.startsWith('sas:')) {
      const ns = node.slice(4);
      for (const name of sas.get(ns) ?? []) fan(this.#saNode(ns, name));
    } else if (node.startsWith('pods:')) {
      const ns = node.slice(5);
      for (const name of this.#runningAccounts().get(ns) ?? []) fan(this.#saNode(ns, name));
    }
  }

  /** Per namespace, the service accounts whose tokens running pods mount. */
  #runningAccounts(): Map<string, Set<string>> {
    if (this.#running) return this.#running;
    const map = new Map<string, Set<string>>();
    for (const w of this.#model.workloads()) {
      if (!w.tokenMounted) continue;
      const set = map.get(w.namespace) ?? new Set<string>();
      set.add(w.serviceAccount);
      map.set(w.namespace, set);
    }
    this.#running = map;
    return map;
  }

  /** Roles of a kind by name: in one namespace, or (`*`) in every namespace for Roles, in model order. */
  #rolesNamed(kind: 'Role' | 'ClusterRole', namespace: string | undefined, names: readonly string[]): RoleEntry[] {
    const out: RoleEntry[] = [];
    if (kind === 'ClusterRole' || (namespace !== undefined && namespace !== '*')) {
      for (const n of names) {
        const r = this.#model.role(kind, namespace, n);
        if (r) out.push(r);
      }
      return out;
    }
    if (!this.#rolesByName) {
      const index = new Map<string, { position: number; role: RoleEntry }[]>();
      this.#model.roles().forEach((role, position) => {
        if (role.kind !== 'Role') return;
        const list = index.get(role.name);
        if (list) list.push({ position, role });
        else index.set(role.name, [{ position, role }]);
      });
      this.#rolesByName = index;
    }
    const found: { position: number; role: RoleEntry }[] = [];
    for (const n of new Set(names)) for (const e of this.#rolesByName.get(n) ?? []) found.push(e);
    return found.sort((a, b) => a.position - b.position).map((e) => e.role);
  }

  /** Every role whose holder has an edge, computed once, by kind (and Roles by namespace), in model order. */
  #interestingOf(): InterestingRoles {
    if (this.#interestingRoles) return this.#interestingRoles;
    const found: InterestingRoles = { cluster: [], roles: [], byNamespace: new Map(), star: new Set() };
    for (const r of this.#model.roles()) {
      if (!this.#isInteresting(r)) continue;
      if (hasStarRule(r)) found.star.add(r);
      if (r.kind === 'ClusterRole') found.cluster.push(r);
      else {
        found.roles.push(r);
        const ns = r.namespace as string;
        const list = found.byNamespace.get(ns);
        if (list) list.push(r);
        else found.byNamespace.set(ns, [r]);
      }
    }
    this.#interestingRoles = found;
    return found;
  }

  #serviceAccountsNamed(namespace: string | undefined, names: readonly string[]): string[] {
    const out: string[] = [];
    const sas = this.#model.serviceAccounts();
    if (namespace !== undefined && namespace !== '*') {
      const set = sas.get(namespace);
      if (set) for (const n of names) if (set.has(n)) out.push(`sa:${namespace}/${n}`);
      return out;
    }
    for (const [ns, set] of sas) for (const n of names) if (set.has(n)) out.push(`sa:${ns}/${n}`);
    return out;
  }

  /** Legacy token Secrets of service accounts, in one namespace or (undefined, `*`) in all. */
  #tokenSecrets(namespace: string | undefined): readonly { sa: string; secret: string }[] {
    if (!this.#tokensByNamespace) {
      const map = new Map<string, { sa: string; secret: string }[]>();
      for (const [ns, set] of this.#model.serviceAccounts()) {
        for (const name of set) {
          for (const secret of this.#model.tokenSecretsOf(ns, name)) {
            const list = map.get(ns) ?? [];
            list.push({ sa: `sa:${ns}/${name}`, secret });
            map.set(ns, list);
          }
        }
      }
      this.#tokensByNamespace = map;
      this.#allTokens = [...map.values()].flat();
    }
    if (namespace !== undefined && namespace !== '*') return this.#tokensByNamespace.get(namespace) ?? [];
    return this.#allTokens as readonly { sa: string; secret: string }[];
  }

  /* ------------------------------------------------------------------------ reading edges */

  /** A stored edge as a path shows it (written on first use). */
  #edgeAt(index: number): Edge {
    const known = this.#edges.get(index);
    if (known) return known;
    const from = this.#from[index] as number;
    const to = this.#to[index] as number;
    const s = this.#specTable[(this.#specIds as Int32Array)[index] as number] as Spec;
    const g = this.#grantsOf(from);
    const ev = (p: ProbeEntry | undefined): StepEvidence => g.evidence((p as ProbeEntry).gi);
    const ns = (p: ProbeEntry | undefined): string | undefined => g.namespace((p as ProbeEntry).gi);
    const p = s.p;
    let action = '';
    let evidence: StepEvidence[] = [];
    switch (s.code) {
      case D_MEMBER:
        action = `is in group ${MASTERS}, which bypasses authorization`;
        break;
      case D_STAR:
        action = 'holds every verb on every resource cluster-wide';
        evidence = [g.evidence(s.gi as number)];
        break;
      case D_LIST_ALL:
        action = 'lists Secrets in every namespace';
        evidence = [ev(p)];
        break;
      case D_WORKLOAD: {
        const q = (p as ProbeEntry).probe.query;
        action = `${q.verb === 'create' ? 'create' : 'change the pod template of'} ${q.resource} ${where(ns(p))}`;
        evidence = [ev(p)];
        break;
      }
      case D_CONTROL:
        action = `${s.text} ${where(ns(p))}`;
        evidence = [ev(p)];
        break;
      case D_NODES_PROXY:
        action = 'use the kubelet API through nodes/proxy (exec in any pod)';
        evidence = [ev(p)];
        break;
      case D_TOKENS:
        action = `request tokens for service accounts ${where(ns(p))}`;
        evidence = [ev(p)];
        break;
      case D_TOKEN:
        action = `request a token for ${this.#names[to]}`;
        evidence = [ev(p)];
        break;
      case D_READ_TOKEN: {
        // The first Secret of that account the grant reads (later ones repeat the edge).
        const sa = this.#names[to];
        const byName = (p as ProbeEntry).scope === 'named' ? new Set((p as ProbeEntry).names) : undefined;
        const secret = this.#tokenSecrets(ns(p)).find((t) => t.sa === sa && (!byName || byName.has(t.secret)))?.secret;
        action = `read the token Secret ${secret} of ${sa}`;
        evidence = [ev(p)];
        break;
      }
      case D_MINT:
        action = `create a service-account-token Secret ${where(ns(p))} and read it`;
        evidence = [ev(p), ev(s.q)];
        break;
      case D_AS_ANY_USER:
        action = 'impersonate any user';
        evidence = [ev(p)];
        break;
      case D_AS_USER:
        action = `impersonate user ${s.text}`;
        evidence = [ev(p)];
        break;
      case D_AS_SAS:
        action = `impersonate service accounts ${where(ns(p))}`;
        evidence = [ev(p)];
        break;
      case D_AS_SA:
        action = `impersonate ${this.#names[to]}`;
        evidence = [ev(p)];
        break;
      case D_AS_GROUP:
        action = `impersonate group ${s.text}`;
        evidence = [ev(p), ev(s.q)];
        break;
      case D_CSR:
        action = `create and approve a CSR for the kube-apiserver-client signer with organisation ${MASTERS}`;
        evidence = [ev(p), ev(s.q), ev(s.r)];
        break;
      case D_BIND_ADMIN:
        action = `bind ${roleLabel(s.role as RoleEntry)} to itself with a ClusterRoleBinding`;
        evidence = [ev(p), ev(s.q)];
        break;
      case D_ESCALATE: {
        const label = roleLabel(s.role as RoleEntry);
        const bns = (s.binding as BindingEntry).namespace;
        action =
          bns === undefined
            ? `add a * rule to ${label}, which it is bound to cluster-wide`
            : `add a * rule to ${label}, which it is bound to in namespace ${bns}, and run pods there`;
        evidence = [ev(p), ev(s.q)];
        break;
      }
      case D_ADMIN_SECRETS:
        action = 'read every Secret (cluster-admin can)';
        break;
    }
    const edge: Edge = { to, kind: s.kind, action, evidence };
    this.#edges.set(index, edge);
    return edge;
  }

  /** The `bind` edge from a node to a holder: the first of the node's options that reaches it. */
  #bindEdge(node: number, holder: number): Edge {
    const h = this.#holder(holder) as Holder;
    const first = this.#scopeOf[holder];
    const more = this.#moreScopes.get(holder);
    const o = (this.#options[node] ?? []).find((o) =>
      o.scope !== undefined ? o.scope === first || more?.includes(o.scope) === true : (o.holders as readonly number[]).includes(holder),
    ) as BindOption;
    const g = this.#grantsOf(node);
    return {
      to: holder,
      kind: 'bind',
      action: `bind ${roleLabel(h.role)} to itself ${where(h.namespace)}`,
      evidence: [g.evidence(o.creator.gi), g.evidence(o.binder.gi)],
    };
  }

  /* ----------------------------------------------------------------------------- search */

  /**
   * Stored in-edges of every node, in node order (the end states last, as they are expanded
   * last), as edge indexes from `start[node]` to `start[node + 1]`.
   */
  #reverse(): { start: Int32Array; edges: Int32Array } {
    return incomingEdges(this.#to, this.#names.length);
  }

  /**
   * 0-1 breadth-first search backwards from the target: fan-out, "holds" and membership
   * edges cost nothing, every primitive costs one step. Nodes are settled level by level;
   * a node's in-edges are visited in node order, so the first edge to reach a node at its
   * distance is its next step. The in-edges of a holder are the nodes whose bind options
   * reach it: a scope's nodes are all reached the first time one of its holders is settled,
   * so each scope is visited once.
   */
  #search(target: number, reverse: { start: Int32Array; edges: Int32Array }): Int32Array {
    const n = this.#names.length;
    const dist = new Int32Array(n).fill(-1);
    const next = new Int32Array(n).fill(-1);
    const visited = new Uint8Array(this.#scopes.length);
    dist[target] = 0;
    let level: number[] = [target];
    let depth = 0;
    while (level.length > 0) {
      const later: number[] = [];
      for (let i = 0; i < level.length; i++) {
        const node = level[i] as number;
        if (dist[node] !== depth) continue;
        const end = reverse.start[node + 1] as number;
        for (let j = reverse.start[node] as number; j < end; j++) {
          const index = reverse.edges[j] as number;
          const from = this.#from[index] as number;
          const kind = (this.#spec[index] as Spec).kind;
          const w = kind === 'fan-out' || kind === 'holds' || kind === 'member' ? 0 : 1;
          const nd = depth + w;
          const cur = dist[from] as number;
          if (cur !== -1 && cur <= nd) continue;
          dist[from] = nd;
          next[from] = index;
          if (w === 0) level.push(from);
          else later.push(from);
        }
        if (this.#holderRole[node] === undefined) continue;
        // Bind edges (cost one) from the nodes that can bind this holder's role here.
        const lists: (readonly number[])[] = [];
        const named = this.#namedFrom[node];
        if (named) lists.push(named);
        const first = this.#scopeOf[node];
        for (const s of first === undefined ? [] : [first, ...(this.#moreScopes.get(node) ?? [])]) {
          if (visited[s]) continue;
          visited[s] = 1;
          lists.push((this.#scopes[s] as BindScope).from);
        }
        const froms = lists.length === 1 ? (lists[0] as readonly number[]) : lists.flat().sort((a, b) => a - b);
        const nd = depth + 1;
        for (const from of froms) {
          const cur = dist[from] as number;
          if (cur !== -1 && cur <= nd) continue;
          dist[from] = nd;
          next[from] = -2 - node;
          later.push(from);
        }
      }
      level = later;
      depth++;
    }
    return next;
  }

  /**
   * The shortest path of a subject to a target, or undefined when there is none.
   *
   * @example
   * graph.pathOf({ kind: 'User', name: 'alice' }, 'cluster-admin')?.steps.map((s) => s.action);
   */
  pathOf(subject: Subject, target: PathTarget): EscalationPath | undefined {
    const goal = target === CLUSTER_ADMIN ? CA : AS;
    const next = this.#next[goal] as Int32Array;
    const start = this.#ids.get(formatSubject(subject));
    if (start === undefined || next[start] === -1) return undefined;
    const steps: PathStep[] = [];
    let node = start;
    let guard = 0;
    while (node !== goal && guard++ < 1000) {
      const v = next[node] as number;
      if (v === -1) return undefined;
      const edge = v >= 0 ? this.#edgeAt(v) : this.#bindEdge(node, -2 - v);
      if (edge.kind === 'fan-out' && steps.length > 0) {
        const last = steps[steps.length - 1] as PathStep;
        steps[steps.length - 1] = { ...last, to: this.#label(edge.to) };
      } else if (edge.kind !== 'fan-out') {
        steps.push({ kind: edge.kind, from: this.#label(node), action: edge.action, to: this.#label(edge.to), evidence: edge.evidence });
      }
      node = edge.to;
    }
    // The implicit last hop from cluster-admin to every Secret adds nothing to read.
    if (target === ALL_SECRETS && steps.length > 1 && steps[steps.length - 1]?.from === CLUSTER_ADMIN) steps.pop();
    return { subject, target, steps };
  }

  /**
   * Every known subject with a path to the target, shortest first.
   *
   * @example
   * graph.paths('cluster-admin').length;
   */
  paths(target: PathTarget): readonly EscalationPath[] {
    const out: EscalationPath[] = [];
    for (const s of this.#subjects.values()) {
      const p = this.pathOf(s, target);
      if (p) out.push(p);
    }
    return out.sort((a, b) => a.steps.length - b.steps.length || formatSubject(a.subject).localeCompare(formatSubject(b.subject)));
  }

  /**
   * Nodes and stored edges of the graph, for benchmarks and tests. `bind` steps to role
   * holders count as one link per (node, scope) and one per (scope, holder).
   */
  size(): { nodes: number; edges: number } {
    let edges = this.#to.length;
    for (const options of this.#options) edges += options?.length ?? 0;
    edges += this.#scopeLinks;
    return { nodes: this.#names.length, edges };
  }

  #label(node: number): string {
    if (node === CA) return 'cluster-admin';
    if (node === AS) return 'every Secret';
    const holder = this.#holder(node);
    if (holder) return `holder of ${roleLabel(holder.role)} ${where(holder.namespace)}`;
    return this.#names[node] as string;
  }

  /** How a node reads in a path (`holder:ClusterRole/edit@shop` reads as the holder of that role there). */
  label(node: string): string {
    let id = this.#ids.get(node);
    if (id === undefined && node.startsWith('holder:')) {
      if (!this.#holderNames) {
        const names = new Map<string, number>();
        this.#holderRole.forEach((_, i) => {
          const h = this.#holder(i);
          if (h) names.set(EscalationGraph.#holderName(h), i);
        });
        this.#holderNames = names;
      }
      id = this.#holderNames.get(node);
    }
    return id === undefined ? node : this.#label(id);
  }
}

const ESCALATING =
  /^(create-workloads|pod-exec|pod-attach|ephemeral-containers|path-modify-pods|nodes-proxy|create-tokens|read-secrets|impersonate|bind|escalate|csr-|path-create-secrets|path-create-bindings):/;

const GRAPH = Symbol('escalation graph');

/**
 * The escalation graph of a model, built once per model and memoised on it (checks and
 * commands call this).
 *
 * @example
 * escalationPathsOf(buildRbacModel(inventory)).paths('cluster-admin');
 */
export function escalationPathsOf(model: RbacModel): EscalationGraph {
  return model.memo.get(GRAPH, () => new EscalationGraph(model));
}
