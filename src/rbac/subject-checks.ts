/**
 * What the subject-level RBAC checks (PAL-0400...) share: they evaluate effective permissions
 * per subject, and report
 * - on the ServiceAccount object, for service accounts the inventory holds;
 * - otherwise on the binding that grants the capability (users, groups, service accounts
 *   without an object), at `/subjects/<i>`, so that every finding has a source line.
 * A subject whose capability comes only from Kubernetes' own bindings (bootstrap policy:
 * `system:` names or `kubernetes.io/bootstrapping: rbac-defaults`) is not reported.
 */
import { type Check, defineCheck, type ResourceContext, type Violation } from '../core/check.js';
import type { JsonValue, Resource, Severity } from '../core/types.js';
import { type Capability, type CapabilityId, capabilitiesOfSubject, capabilitySpec, describeReach, frameworksOf, summarise } from './capabilities.js';
import { describeSubjectOf, formatSubject, isCatchAllGroup, parseServiceAccountUsername, type Subject } from './identity.js';
import { type BindingEntry, type BindingSubject, describeEntry, describeRule, type Grant, type RbacModel } from './model.js';
import { type EscalationPath, escalationPathsOf, type PathStep } from './paths.js';

/** The kinds the subject checks read. */
export const SUBJECT_TARGET = { kind: 'resource', kinds: ['ServiceAccount', 'RoleBinding', 'ClusterRoleBinding'] } as const;

/**
 * The kinds every RBAC model question reads: a cluster scan that could not list them turns
 * passes into errors instead of silent passes.
 */
export const RBAC_NEEDS: readonly string[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** A binding that counts as the source of a finding: in the inventory and not Kubernetes' own. */
export function isReportable(binding: BindingEntry | undefined): binding is BindingEntry & { resource: Resource } {
  return binding !== undefined && binding.resource !== undefined && !binding.bootstrap && binding.origin === 'inventory' && binding.order >= 0;
}

/**
 * The subject a binding subject stands for: a User named like a service account is that
 * service account.
 *
 * @example
 * subjectOfBinding({ kind: 'ServiceAccount', name: 'web', namespace: 'shop', index: 0, path: '/subjects/0' });
 */
export function subjectOfBinding(s: BindingSubject): Subject | undefined {
  if (s.key === undefined) return undefined;
  if (s.kind === 'Group') return { kind: 'Group', name: s.name };
  if (s.kind === 'ServiceAccount') return { kind: 'ServiceAccount', namespace: s.namespace as string, name: s.name };
  const sa = parseServiceAccountUsername(s.name);
  return sa ? { kind: 'ServiceAccount', ...sa } : { kind: 'User', name: s.name };
}

/** One grant as evidence: binding, role, rule (and where it is written), scope, and the rule itself. */
export function grantEvidence(g: Pick<Grant, 'binding' | 'role' | 'rule' | 'namespace'>): JsonValue {
  const r = g.rule.rule;
  return {
    binding: describeEntry(g.binding),
    role: describeEntry(g.role),
    rule: g.rule.index,
    ...(g.rule.source !== g.role ? { ruleIn: describeEntry(g.rule.source) } : {}),
    scope: g.namespace === undefined ? 'cluster' : g.namespace,
    ...(r.verbs.length ? { verbs: [...r.verbs] } : {}),
    ...(r.apiGroups.length ? { apiGroups: [...r.apiGroups] } : {}),
    ...(r.resources.length ? { resources: [...r.resources] } : {}),
    ...(r.resourceNames.length ? { resourceNames: [...r.resourceNames] } : {}),
  };
}

/** "RoleBinding ci/x grants ClusterRole edit rule 2": the first grant of a capability, for messages. */
export function describeGrant(g: Pick<Grant, 'binding' | 'role' | 'rule'>): string {
  return `${describeEntry(g.binding)} grants ${describeRule(g.role, g.rule)}`;
}

/** Steps of a path as evidence. */
export function pathEvidence(path: EscalationPath): JsonValue {
  return path.steps.map((s: PathStep) => ({
    from: s.from,
    action: s.action,
    to: s.to,
    via: s.evidence.map((e) =>
      e.hypothetical
        ? `${describeRule(e.role, e.rule)} once bound ${e.namespace === undefined ? 'cluster-wide' : e.namespace === '*' ? 'in a namespace' : `in ${e.namespace}`}`
        : `${describeEntry(e.binding as BindingEntry)} grants ${describeRule(e.role, e.rule)}`,
    ),
  }));
}

/**
 * A path as one line.
 *
 * @example
 * describePath(path); // 'create pods in namespace x → sa:x/admin; sa:x/admin holds every verb on every resource cluster-wide'
 */
export function describePath(path: EscalationPath): string {
  return path.steps.map((s) => (s.kind === 'holds' || s.kind === 'member' ? `${s.from} ${s.action}` : `${s.action} → ${s.to}`)).join('; ');
}

/** Where a finding about a subject goes, and which subjects to evaluate for one resource. */
interface Target {
  readonly subject: Subject;
  /** Pointer into the resource: `''` for a ServiceAccount, `/subjects/<i>` for a binding. */
  readonly pointer: string;
  /** For binding targets: the binding; a finding is kept only when it is the source. */
  readonly binding?: BindingEntry;
  /** The subject's capabilities, computed by the first check that asks. */
  capabilities?: readonly Capability[];
}

// Every subject check visits the same resources: their targets (and capabilities) are
// worked out once per model and resource, not once per check.
const TARGETS = Symbol('subject-check targets per resource');

function targetsOf(model: RbacModel, resource: Resource): readonly Target[] {
  const byResource = model.memo.get(TARGETS, () => new Map<Resource, readonly Target[]>());
  let targets = byResource.get(resource);
  if (!targets) {
    targets = findTargets(model, resource);
    byResource.set(resource, targets);
  }
  return targets;
}

function capabilitiesOfTarget(model: RbacModel, t: Target): readonly Capability[] {
  t.capabilities ??= capabilitiesOfSubject(model, t.subject);
  return t.capabilities;
}

function findTargets(model: RbacModel, resource: Resource): Target[] {
  if (resource.ref.kind === 'ServiceAccount') {
    if (resource.object.apiVersion !== 'v1') return [];
    const namespace = model.namespaceOf(resource) as string;
    if (model.serviceAccountObject(namespace, resource.ref.name) !== resource) return [];
    return [{ subject: { kind: 'ServiceAccount', namespace, name: resource.ref.name }, pointer: '' }];
  }
  const binding = model.bindingOf(resource);
  if (!isReportable(binding)) return [];
  const out: Target[] = [];
  for (const s of binding.subjects) {
    const subject = subjectOfBinding(s);
    if (!subject) continue;
    // Service accounts with an object are reported there.
    if (subject.kind === 'ServiceAccount' && model.serviceAccountObject(subject.namespace, subject.name)) continue;
    out.push({ subject, pointer: s.path, binding });
  }
  return out;
}

/** True for subjects that stand for one identity, not a catch-all group. */
function isIndividual(subject: Subject): boolean {
  return !(subject.kind === 'Group' && isCatchAllGroup(subject.name));
}

/** True for binding subjects that are catch-all groups (`system:authenticated`, `system:serviceaccounts[:ns]`...). */
function isCatchAll(s: BindingSubject): boolean {
  return s.kind === 'Group' && isCatchAllGroup(s.name);
}

/** The first binding (in model order) a finding rests on that counts as a source. */
function sourceOf(bindings: readonly (BindingEntry | undefined)[]): BindingEntry | undefined {
  return bindings.find(isReportable);
}

/** What a subject check says about one capability. */
export interface CapabilityVerdict {
  /** `can read Secrets`: the subject is prefixed, the reach and the granting rule appended. */
  readonly text: string;
  readonly severity: Severity;
}

/** Options of {@link defineSubjectCheck}. */
export interface SubjectCheckSpec extends Omit<Check<typeof SUBJECT_TARGET>, 'target' | 'evaluate' | 'category' | 'frameworks'> {
  readonly capability: CapabilityId;
  /**
   * The verdict for a capability, or undefined when this instance is not a finding. Default:
   * the catalogue's wording (`does`) and severity by reach.
   */
  verdict?(c: Capability): CapabilityVerdict | undefined;
}

/**
 * The catalogue's verdict on a held capability: its wording, and its severity by reach.
 *
 * @example
 * catalogueVerdict(capability); // { text: 'can read Secrets', severity: 'high' }
 */
export function catalogueVerdict(c: Capability): CapabilityVerdict {
  const spec = capabilitySpec(c.id);
  return { text: spec.does, severity: byReach(c, spec.severity.cluster, spec.severity.namespaced) };
}

/**
 * Defines a check that reports subjects holding one risky capability.
 *
 * @example
 * export default defineSubjectCheck({ id: 'PAL-0403', name: 'rbac-subject-pod-exec', capability: 'pod-exec', ... });
 */
export function defineSubjectCheck(spec: SubjectCheckSpec): Check<typeof SUBJECT_TARGET> {
  const { capability, verdict = catalogueVerdict, ...meta } = spec;
  return defineCheck({
    needs: RBAC_NEEDS,
    ...meta,
    category: 'rbac',
    frameworks: frameworksOf(capability),
    target: SUBJECT_TARGET,
    uses: ['rbac'],
    evaluate(ctx: ResourceContext): Violation[] {
      const model = ctx.models.rbac;
      const out: Violation[] = [];
      for (const t of targetsOf(model, ctx.resource)) {
        const all = capabilitiesOfTarget(model, t);
        const held = all.find((x) => x.id === capability);
        if (!held || subsumed(held, all)) continue;
        // What an individual holds only as a member of a catch-all group is reported once, on
        // that group's binding: not again for every user and service account.
        // (Unchanged when no grant comes from one: summarising the same grants again gives
        // the same capability, except for issue-certificates, which is not a plain summary.)
        const c =
          isIndividual(t.subject) && (capability === 'issue-certificates' || held.grants.some((g) => isCatchAll(g.grant.subject)))
            ? summarise(
                capability,
                held.grants.filter((g) => !isCatchAll(g.grant.subject)),
                held.detail,
              )
            : held;
        if (!c) continue;
        const source = c.grants.find((g) => isReportable(g.grant.binding))?.grant.binding;
        if (!source || (t.binding && source !== t.binding)) continue;
        const v = verdict(c);
        if (!v) continue;
        const first = c.grants.find((g) => g.grant.binding === source) ?? c.grants[0];
        out.push({
          pointer: t.pointer,
          message: `${describeSubjectOf(t.subject)} ${v.text} ${describeReach(c)}${c.detail ? ` (${c.detail})` : ''}: ${first ? describeGrant(first.grant) : 'see evidence'}`,
          severity: v.severity,
          evidence: {
            subject: formatSubject(t.subject),
            capability,
            reach: describeReach(c),
            grants: c.grants.slice(0, 8).map((g) => grantEvidence(g.grant)),
          },
        });
      }
      return out;
    },
  });
}

/**
 * True when the subject holds every permission wherever it holds `c`: its cluster-admin
 * (or namespace-admin) finding says it all.
 */
function subsumed(c: Capability, all: readonly Capability[]): boolean {
  if (c.id === 'cluster-admin') return false;
  const star = all.find((x) => x.id === 'cluster-admin');
  if (!star) return false;
  return star.cluster || (!c.cluster && c.namespaces.every((n) => star.namespaces.includes(n)));
}

/** Options of {@link defineEscalationCheck}. */
export interface EscalationCheckSpec extends Omit<Check<typeof SUBJECT_TARGET>, 'target' | 'evaluate' | 'category'> {
  readonly target: 'cluster-admin' | 'all-secrets';
}

/**
 * Defines a check that reports subjects with an escalation path to a target (and that do not
 * hold the target directly: the capability checks report those).
 *
 * @example
 * export default defineEscalationCheck({ id: 'PAL-0421', name: 'rbac-escalation-to-cluster-admin', target: 'cluster-admin', ... });
 */
export function defineEscalationCheck(spec: EscalationCheckSpec): Check<typeof SUBJECT_TARGET> {
  const { target, ...meta } = spec;
  return defineCheck({
    needs: [...RBAC_NEEDS, 'ServiceAccount'],
    ...meta,
    category: 'rbac',
    target: SUBJECT_TARGET,
    uses: ['rbac'],
    evaluate(ctx: ResourceContext): Violation[] {
      const model = ctx.models.rbac;
      const graph = escalationPathsOf(model);
      const out: Violation[] = [];
      for (const t of targetsOf(model, ctx.resource)) {
        const path = escalationOf(model, t.subject, target);
        if (!path) continue;
        const first = path.steps[0] as PathStep;
        if (isIndividual(t.subject) && first.evidence.some((e) => e.subject && isCatchAll(e.subject))) continue;
        const source = sourceOf(first.evidence.map((e) => e.binding));
        if (!source || (t.binding && source !== t.binding)) continue;
        out.push({
          pointer: t.pointer,
          message: `${describeSubjectOf(t.subject)} can reach ${graph.label(target)} in ${path.steps.length} step${path.steps.length === 1 ? '' : 's'}: ${describePath(path)}`,
          evidence: { subject: formatSubject(t.subject), target, steps: path.steps.length, chain: pathEvidence(path) },
        });
      }
      return out;
    },
  });
}

/**
 * The escalation path of a subject that does not hold the target itself: at least one
 * primitive step. For `all-secrets`, subjects with a path to cluster-admin are left to the
 * cluster-admin check.
 *
 * @example
 * escalationOf(model, { kind: 'User', name: 'alice' }, 'cluster-admin');
 */
export function escalationOf(model: RbacModel, subject: Subject, target: 'cluster-admin' | 'all-secrets'): EscalationPath | undefined {
  const graph = escalationPathsOf(model);
  const direct = (p: EscalationPath | undefined): boolean =>
    p !== undefined && p.steps.length > 0 && (p.steps[0]?.kind === 'holds' || p.steps[0]?.kind === 'member');
  const path = graph.pathOf(subject, target);
  if (!path || path.steps.length === 0 || direct(path)) return undefined;
  if (target === 'all-secrets' && graph.pathOf(subject, 'cluster-admin')) return undefined;
  return path;
}

const ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * A severity by reach: `cluster` when held cluster-wide, `namespaced` otherwise, one step
 * lower when only named objects are reachable.
 *
 * @example
 * byReach(capability, 'high', 'medium'); // 'medium' for a RoleBinding grant
 */
export function byReach(c: Pick<Capability, 'cluster' | 'named'>, cluster: Severity, namespaced: Severity): Severity {
  const base = c.cluster ? cluster : namespaced;
  return c.named ? (ORDER[Math.min(ORDER.indexOf(base) + 1, ORDER.length - 1)] as Severity) : base;
}
