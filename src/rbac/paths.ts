/**
 * Privilege-escalation paths: a graph whose nodes are identities (users, groups, service
 * accounts, and "holder of role R" states one can reach by binding R to oneself) and whose
 * edges are the escalation primitives of Kubernetes RBAC, each backed by the rule that
 * allows it. Two targets: "cluster-admin equivalent" and "can read every Secret". The
 * shortest chain from every identity to each target comes from one 0-1 breadth-first
 * search backwards from the target, so all paths cost O(nodes + edges).
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
import { type GrantScope, isClusterScopedQuery, type RoleRef } from '../core/rbac-rules.js';
import { isStarRule, type ProbeGrant, probeGrantsOf, probeMatches, signsClientCertificates } from './capabilities.js';
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

interface Edge {
  readonly to: string;
  readonly kind: EdgeKind;
  readonly action: string;
  readonly evidence: readonly StepEvidence[];
}

const CLUSTER_ADMIN = 'cluster-admin';
const ALL_SECRETS = 'all-secrets';

/** A holder of a role: what one becomes after binding the role to oneself. */
interface Holder {
  readonly role: RoleEntry;
  /** A namespace, `*` (a namespace of one's choice), or undefined (cluster-wide). */
  readonly namespace?: string;
}

// Grants are shared objects (cached per identity), and many probes match one grant: one
// evidence object per grant keeps the graph build from allocating the same facts again.
const EVIDENCE = new WeakMap<Grant, StepEvidence>();

function evidenceOf(g: Grant): StepEvidence {
  const cached = EVIDENCE.get(g);
  if (cached) return cached;
  const e: StepEvidence = {
    ...(g.binding.order < 0 ? { hypothetical: true } : { binding: g.binding, subject: g.subject }),
    role: g.role,
    rule: g.rule,
    ...(g.namespace !== undefined ? { namespace: g.namespace } : {}),
  };
  EVIDENCE.set(g, e);
  return e;
}

function where(namespace: string | undefined): string {
  return namespace === undefined ? 'cluster-wide' : namespace === '*' ? 'in any namespace' : `in namespace ${namespace}`;
}

/**
 * The escalation graph of a model and the shortest paths in it.
 *
 * @example
 * const paths = escalationPathsOf(model);
 * paths.pathOf(parseSubject('sa:ci/deployer'), 'cluster-admin')?.steps.length; // 2
 */
export class EscalationGraph {
  readonly #model: RbacModel;
  readonly #edges = new Map<string, Edge[]>();
  readonly #holders = new Map<string, Holder>();
  readonly #subjects = new Map<string, Subject>();
  readonly #next = new Map<PathTarget, Map<string, Edge>>();
  readonly #interesting = new Map<RoleEntry, boolean>();
  #running: Map<string, Set<string>> | undefined;
  #interestingList: readonly RoleEntry[] | undefined;
  #tokensByNamespace: Map<string, { sa: string; secret: string }[]> | undefined;

  constructor(model: RbacModel) {
    this.#model = model;
    const queue: string[] = [];
    const enqueue = (node: string): void => {
      if (this.#edges.has(node)) return;
      this.#edges.set(node, []);
      queue.push(node);
    };
    for (const s of model.subjects()) {
      const id = formatSubject(s);
      this.#subjects.set(id, s);
      enqueue(id);
    }
    while (queue.length > 0) {
      const node = queue.shift() as string;
      const edges = this.#expand(node);
      const list = this.#edges.get(node) as Edge[];
      const seen = new Set<string>();
      for (const e of edges) {
        const k = `${e.to}\u0000${e.kind}`;
        if (seen.has(k) || e.to === node) continue;
        seen.add(k);
        list.push(e);
        if (e.to !== CLUSTER_ADMIN && e.to !== ALL_SECRETS) enqueue(e.to);
      }
    }
    this.#edges.set(CLUSTER_ADMIN, [{ to: ALL_SECRETS, kind: 'holds', action: 'read every Secret (cluster-admin can)', evidence: [] }]);
    this.#edges.set(ALL_SECRETS, []);
    for (const target of [CLUSTER_ADMIN, ALL_SECRETS] as const) this.#next.set(target, this.#search(target));
  }

  /* ----------------------------------------------------------------------------- nodes */

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

  /** The probe grants of a node: a subject's own, or a role holder's (through a binding it would create). */
  #grantsOf(node: string): { probes: readonly ProbeGrant[]; grants: readonly Grant[] } {
    const holder = this.#holders.get(node);
    if (holder) {
      const binding: BindingEntry = {
        kind: holder.namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding',
        name: '(new)',
        ...(holder.namespace !== undefined ? { namespace: holder.namespace } : {}),
        origin: 'inventory',
        bootstrap: false,
        roleRef: { kind: holder.role.kind, name: holder.role.name } satisfies RoleRef,
        role: holder.role,
        subjects: [],
        order: -1,
      };
      const grants: Grant[] = holder.role.rules.map((rule) => ({
        binding,
        subject: { index: 0, path: '', kind: 'User', name: '' },
        role: holder.role,
        rule,
        ...(holder.namespace !== undefined ? { namespace: holder.namespace } : {}),
      }));
      const probes: ProbeGrant[] = [];
      for (const grant of grants) {
        for (const m of probeMatches(grant.rule)) {
          if (grant.namespace !== undefined && isClusterScopedQuery(m.probe.query)) continue;
          probes.push({ grant, probe: m.probe, scope: m.scope, names: m.scope === 'named' ? grant.rule.rule.resourceNames : [] });
        }
      }
      return { probes, grants };
    }
    const subject = this.#subjectOf(node);
    if (!subject) return { probes: [], grants: [] };
    const user = userInfoOf(subject);
    return { probes: probeGrantsOf(this.#model, user), grants: this.#model.grantsOf(user) };
  }

  #holderNode(role: RoleEntry, namespace: string | undefined): string {
    const id = `holder:${role.kind}/${role.namespace ? `${role.namespace}/` : ''}${role.name}@${namespace ?? '(cluster)'}`;
    if (!this.#holders.has(id)) this.#holders.set(id, { role, ...(namespace !== undefined ? { namespace } : {}) });
    return id;
  }

  /** Whether holding a role can lead anywhere (it matches an escalation probe or is `*`). */
  #isInteresting(role: RoleEntry): boolean {
    const cached = this.#interesting.get(role);
    if (cached !== undefined) return cached;
    const yes = role.rules.some((r) => isStarRule(r.rule) || probeMatches(r).some((m) => ESCALATING.test(m.probe.id)));
    this.#interesting.set(role, yes);
    return yes;
  }

  /* ----------------------------------------------------------------------------- edges */

  #expand(node: string): Edge[] {
    if (node.startsWith('sas:') || node.startsWith('pods:') || node === 'users:*') return this.#fanOut(node);
    const out: Edge[] = [];
    const subject = this.#subjectOf(node);
    if (subject?.kind === 'Group' && subject.name === MASTERS) {
      out.push({ to: CLUSTER_ADMIN, kind: 'member', action: `is in group ${MASTERS}, which bypasses authorization`, evidence: [] });
    }
    const { probes, grants } = this.#grantsOf(node);
    const of = (prefix: string, scope?: GrantScope): ProbeGrant[] =>
      probes.filter((p) => p.probe.id.startsWith(prefix) && (scope === undefined || p.scope === scope));

    // Holding the end state directly.
    for (const g of grants) {
      if (g.namespace === undefined && isStarRule(g.rule.rule)) {
        out.push({ to: CLUSTER_ADMIN, kind: 'holds', action: 'holds every verb on every resource cluster-wide', evidence: [evidenceOf(g)] });
        break;
      }
    }
    const listAll = probes.find((p) => p.grant.namespace === undefined && p.scope === 'all' && /^read-secrets:(list|watch):/.test(p.probe.id));
    if (listAll) out.push({ to: ALL_SECRETS, kind: 'holds', action: 'lists Secrets in every namespace', evidence: [evidenceOf(listAll.grant)] });

    // Run pods as any service account of a namespace.
    for (const p of of('create-workloads:')) {
      if (p.scope !== 'all') continue;
      const verb = p.probe.query.verb === 'create' ? 'create' : 'change the pod template of';
      out.push({
        to: `sas:${p.grant.namespace ?? '*'}`,
        kind: 'create-workload',
        action: `${verb} ${p.probe.query.resource} ${where(p.grant.namespace)}`,
        evidence: [evidenceOf(p.grant)],
      });
    }
    // Act as the service account of a running pod.
    for (const [prefix, text] of [
      ['pod-exec:', 'exec into pods'],
      ['pod-attach:', 'attach to pods'],
      ['ephemeral-containers:', 'add ephemeral containers to pods'],
      ['path-modify-pods:', 'change the image of running pods'],
    ] as const) {
      for (const p of of(prefix, 'all'))
        out.push({
          to: `pods:${p.grant.namespace ?? '*'}`,
          kind: 'control-pod',
          action: `${text} ${where(p.grant.namespace)}`,
          evidence: [evidenceOf(p.grant)],
        });
    }
    for (const p of of('nodes-proxy:', 'all')) {
      out.push({ to: 'pods:*', kind: 'nodes-proxy', action: 'use the kubelet API through nodes/proxy (exec in any pod)', evidence: [evidenceOf(p.grant)] });
    }
    // Tokens.
    for (const p of of('create-tokens:')) {
      if (p.scope === 'all')
        out.push({
          to: `sas:${p.grant.namespace ?? '*'}`,
          kind: 'token-request',
          action: `request tokens for service accounts ${where(p.grant.namespace)}`,
          evidence: [evidenceOf(p.grant)],
        });
      else
        for (const sa of this.#serviceAccountsNamed(p.grant.namespace, p.names))
          out.push({ to: sa, kind: 'token-request', action: `request a token for ${sa}`, evidence: [evidenceOf(p.grant)] });
    }
    const readers = probes.filter((p) => /^read-secrets:(get|list|watch):/.test(p.probe.id));
    for (const p of readers) {
      const byName = p.scope === 'named' ? new Set(p.names) : undefined;
      // get of all names or list/watch: every token Secret there; get of named Secrets: those.
      for (const { sa, secret } of this.#tokenSecrets(p.grant.namespace)) {
        if (byName && !byName.has(secret)) continue;
        out.push({ to: sa, kind: 'read-token-secret', action: `read the token Secret ${secret} of ${sa}`, evidence: [evidenceOf(p.grant)] });
      }
    }
    for (const c of of('path-create-secrets:', 'all')) {
      const reader = readers.find((r) => r.scope === 'all' && (r.grant.namespace === undefined || r.grant.namespace === c.grant.namespace));
      if (!reader) continue;
      out.push({
        to: `sas:${c.grant.namespace ?? '*'}`,
        kind: 'mint-token-secret',
        action: `create a service-account-token Secret ${where(c.grant.namespace)} and read it`,
        evidence: [evidenceOf(c.grant), evidenceOf(reader.grant)],
      });
    }
    // Impersonation. Group (and extra) impersonation needs a user to impersonate as well.
    const asUser = of('impersonate:impersonate:/users');
    const asSa = of('impersonate:impersonate:/serviceaccounts');
    for (const p of asUser) {
      if (p.scope === 'all') out.push({ to: 'users:*', kind: 'impersonate-user', action: 'impersonate any user', evidence: [evidenceOf(p.grant)] });
      else
        for (const name of p.names)
          out.push({ to: `user:${name}`, kind: 'impersonate-user', action: `impersonate user ${name}`, evidence: [evidenceOf(p.grant)] });
    }
    for (const p of asSa) {
      if (p.scope === 'all')
        out.push({
          to: `sas:${p.grant.namespace ?? '*'}`,
          kind: 'impersonate-service-account',
          action: `impersonate service accounts ${where(p.grant.namespace)}`,
          evidence: [evidenceOf(p.grant)],
        });
      else
        for (const sa of this.#serviceAccountsNamed(p.grant.namespace, p.names))
          out.push({ to: sa, kind: 'impersonate-service-account', action: `impersonate ${sa}`, evidence: [evidenceOf(p.grant)] });
    }
    const anyUser = asUser[0] ?? asSa[0];
    if (anyUser) {
      for (const p of of('impersonate:impersonate:/groups')) {
        const names = p.scope === 'all' ? [MASTERS] : p.names;
        for (const name of names) {
          const to = name === MASTERS ? CLUSTER_ADMIN : `group:${name}`;
          out.push({ to, kind: 'impersonate-group', action: `impersonate group ${name}`, evidence: [evidenceOf(p.grant), evidenceOf(anyUser.grant)] });
        }
      }
    }
    // Certificates for system:masters: create a CSR, approve it, approve for the client signer.
    const create = of('csr-create:')[0];
    const approve = of('csr-approve:')[0];
    const signer = of('csr-signer:').find((g) => signsClientCertificates(g.scope === 'all' ? ['*'] : g.names));
    if (create && approve && signer) {
      out.push({
        to: CLUSTER_ADMIN,
        kind: 'issue-certificate',
        action: `create and approve a CSR for the kube-apiserver-client signer with organisation ${MASTERS}`,
        evidence: [evidenceOf(create.grant), evidenceOf(approve.grant), evidenceOf(signer.grant)],
      });
    }
    out.push(...this.#bindEdges(probes), ...this.#escalateEdges(node, probes));
    return out;
  }

  /** Bind a role to oneself: create the binding, with `bind` on the role. */
  #bindEdges(probes: readonly ProbeGrant[]): Edge[] {
    const out: Edge[] = [];
    const creators = probes.filter((p) => p.probe.id.startsWith('path-create-bindings:') && p.scope === 'all');
    const binders = probes.filter((p) => p.probe.id.startsWith('bind:'));
    if (creators.length === 0 || binders.length === 0) return out;
    for (const c of creators) {
      const cluster = c.probe.query.resource === 'clusterrolebindings';
      // Where the new binding holds: cluster-wide, the creator's namespace, or any namespace.
      const scope = cluster ? undefined : (c.grant.namespace ?? '*');
      for (const b of binders) {
        // `bind` is checked in the namespace of the binding being written.
        if (b.grant.namespace !== undefined && (cluster || (scope !== '*' && b.grant.namespace !== scope))) continue;
        const kind = b.probe.query.resource === 'clusterroles' ? 'ClusterRole' : 'Role';
        if (cluster && kind === 'Role') continue;
        const ns = scope === '*' && b.grant.namespace !== undefined ? b.grant.namespace : scope;
        // Named grants: look the roles up; otherwise only roles that can lead somewhere.
        const candidates = b.scope === 'named' ? this.#rolesNamed(kind, ns, b.names) : this.#interestingRoles();
        for (const role of candidates) {
          if (role.kind !== kind || (kind === 'Role' && (ns === undefined || (ns !== '*' && role.namespace !== ns)))) continue;
          if (!this.#isInteresting(role)) continue;
          const holderNs = kind === 'Role' ? role.namespace : ns;
          const evidence = [evidenceOf(c.grant), evidenceOf(b.grant)];
          const label = `${role.kind} ${role.namespace ? `${role.namespace}/` : ''}${role.name}`;
          if (holderNs === undefined && role.rules.some((r) => isStarRule(r.rule))) {
            out.push({ to: CLUSTER_ADMIN, kind: 'bind', action: `bind ${label} to itself with a ClusterRoleBinding`, evidence });
            continue;
          }
          out.push({ to: this.#holderNode(role, holderNs), kind: 'bind', action: `bind ${label} to itself ${where(holderNs)}`, evidence });
        }
      }
    }
    return out;
  }

  /** Rewrite a role one is already bound to, with `escalate` and update/patch on it. */
  #escalateEdges(node: string, probes: readonly ProbeGrant[]): Edge[] {
    const out: Edge[] = [];
    const subject = this.#subjectOf(node);
    if (!subject) return out;
    const escalators = probes.filter((p) => p.probe.id.startsWith('escalate:'));
    const updaters = probes.filter((p) => p.probe.id.startsWith('path-update-roles:'));
    if (escalators.length === 0 || updaters.length === 0) return out;
    const fits = (p: ProbeGrant, role: RoleEntry): boolean => {
      if (p.probe.query.resource !== (role.kind === 'ClusterRole' ? 'clusterroles' : 'roles')) return false;
      if (p.grant.namespace !== undefined && p.grant.namespace !== role.namespace) return false;
      return p.scope === 'all' || p.names.includes(role.name);
    };
    for (const { binding } of this.#model.bindingsOf(userInfoOf(subject))) {
      const role = binding.role;
      if (!role) continue;
      const e = escalators.find((p) => fits(p, role));
      const u = updaters.find((p) => fits(p, role));
      if (!e || !u) continue;
      const label = `${role.kind} ${role.namespace ? `${role.namespace}/` : ''}${role.name}`;
      const evidence = [evidenceOf(e.grant), evidenceOf(u.grant)];
      if (binding.namespace === undefined)
        out.push({ to: CLUSTER_ADMIN, kind: 'escalate', action: `add a * rule to ${label}, which it is bound to cluster-wide`, evidence });
      else
        out.push({
          to: `sas:${binding.namespace}`,
          kind: 'escalate',
          action: `add a * rule to ${label}, which it is bound to in namespace ${binding.namespace}, and run pods there`,
          evidence,
        });
    }
    return out;
  }

  #fanOut(node: string): Edge[] {
    const out: Edge[] = [];
    const sas = this.#model.serviceAccounts();
    const fan = (to: string): void => void out.push({ to, kind: 'fan-out', action: '', evidence: [] });
    if (node === 'sas:*') for (const ns of sas.keys()) fan(`sas:${ns}`);
    else if (node === 'pods:*') for (const ns of this.#runningAccounts().keys()) fan(`pods:${ns}`);
    else if (node === 'users:*') for (const s of this.#model.subjects()) s.kind === 'User' && fan(formatSubject(s));
    else if (node.startsWith('sas:')) for (const name of sas.get(node.slice(4)) ?? []) fan(`sa:${node.slice(4)}/${name}`);
    else if (node.startsWith('pods:')) {
      const ns = node.slice(5);
      for (const name of this.#runningAccounts().get(ns) ?? []) fan(`sa:${ns}/${name}`);
    }
    return out;
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

  /** Roles of a kind by name: in one namespace, or (`*`) in every namespace for Roles. */
  #rolesNamed(kind: 'Role' | 'ClusterRole', namespace: string | undefined, names: readonly string[]): RoleEntry[] {
    const out: RoleEntry[] = [];
    if (kind === 'ClusterRole' || (namespace !== undefined && namespace !== '*')) {
      for (const n of names) {
        const r = this.#model.role(kind, namespace, n);
        if (r) out.push(r);
      }
      return out;
    }
    return this.#model.roles().filter((r) => r.kind === kind && names.includes(r.name));
  }

  /** Every role whose holder has an edge, computed once. */
  #interestingRoles(): readonly RoleEntry[] {
    if (!this.#interestingList) this.#interestingList = this.#model.roles().filter((r) => this.#isInteresting(r));
    return this.#interestingList;
  }

  #serviceAccountsNamed(namespace: string | undefined, names: readonly string[]): string[] {
    const out: string[] = [];
    for (const [ns, set] of this.#model.serviceAccounts()) {
      if (namespace !== undefined && namespace !== '*' && ns !== namespace) continue;
      for (const n of names) if (set.has(n)) out.push(`sa:${ns}/${n}`);
    }
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
    }
    if (namespace !== undefined && namespace !== '*') return this.#tokensByNamespace.get(namespace) ?? [];
    return [...this.#tokensByNamespace.values()].flat();
  }

  /* ----------------------------------------------------------------------------- search */

  /**
   * 0-1 breadth-first search backwards from the target: fan-out, "holds" and membership
   * edges cost nothing, every primitive costs one step. Nodes are settled level by level.
   */
  #search(target: PathTarget): Map<string, Edge> {
    const reverse = new Map<string, { from: string; edge: Edge }[]>();
    for (const [from, edges] of this.#edges) {
      for (const edge of edges) {
        const list = reverse.get(edge.to);
        if (list) list.push({ from, edge });
        else reverse.set(edge.to, [{ from, edge }]);
      }
    }
    const dist = new Map<string, number>([[target, 0]]);
    const next = new Map<string, Edge>();
    let level: string[] = [target];
    let depth = 0;
    while (level.length > 0) {
      const later: string[] = [];
      for (let i = 0; i < level.length; i++) {
        const node = level[i] as string;
        if (dist.get(node) !== depth) continue;
        for (const { from, edge } of reverse.get(node) ?? []) {
          const w = edge.kind === 'fan-out' || edge.kind === 'holds' || edge.kind === 'member' ? 0 : 1;
          const nd = depth + w;
          const cur = dist.get(from);
          if (cur !== undefined && cur <= nd) continue;
          dist.set(from, nd);
          next.set(from, edge);
          if (w === 0) level.push(from);
          else later.push(from);
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
    const next = this.#next.get(target) as Map<string, Edge>;
    const start = formatSubject(subject);
    if (!next.has(start)) return undefined;
    const steps: PathStep[] = [];
    let node = start;
    let guard = 0;
    while (node !== target && guard++ < 1000) {
      const edge = next.get(node);
      if (!edge) return undefined;
      if (edge.kind === 'fan-out' && steps.length > 0) {
        const last = steps[steps.length - 1] as PathStep;
        steps[steps.length - 1] = { ...last, to: this.label(edge.to) };
      } else if (edge.kind !== 'fan-out') {
        steps.push({ kind: edge.kind, from: this.label(node), action: edge.action, to: this.label(edge.to), evidence: edge.evidence });
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

  /** Nodes and edges of the graph, for benchmarks and tests. */
  size(): { nodes: number; edges: number } {
    let edges = 0;
    for (const list of this.#edges.values()) edges += list.length;
    return { nodes: this.#edges.size, edges };
  }

  /** How a node reads in a path. */
  label(node: string): string {
    if (node === CLUSTER_ADMIN) return 'cluster-admin';
    if (node === ALL_SECRETS) return 'every Secret';
    const holder = this.#holders.get(node);
    if (holder)
      return `holder of ${holder.role.kind} ${holder.role.namespace ? `${holder.role.namespace}/` : ''}${holder.role.name} ${where(holder.namespace)}`;
    return node;
  }
}

const ESCALATING =
  /^(create-workloads|pod-exec|pod-attach|ephemeral-containers|path-modify-pods|nodes-proxy|create-tokens|read-secrets|impersonate|bind|escalate|csr-|path-create-secrets|path-create-bindings):/;

const GRAPHS = new WeakMap<RbacModel, EscalationGraph>();

/**
 * The escalation graph of a model, built once and shared (checks and commands call this).
 *
 * @example
 * escalationPathsOf(rbacModelOf(inventory)).paths('cluster-admin');
 */
export function escalationPathsOf(model: RbacModel): EscalationGraph {
  let g = GRAPHS.get(model);
  if (!g) {
    g = new EscalationGraph(model);
    GRAPHS.set(model, g);
  }
  return g;
}
