/**
 * Text and JSON renderings of RBAC answers for `palisade rbac`: who-can, can, subject and
 * paths. Pure functions from model answers to strings.
 */
import type { JsonObject, JsonValue, SourceLocation } from '../core/types.js';
import { type Capability, capabilitiesOf, describeReach } from './capabilities.js';
import { formatSubject, MASTERS, type Subject, type UserInfo } from './identity.js';
import {
  type BindingEntry,
  type Decision,
  describeEntry,
  describeRule,
  type EffectiveRule,
  type Grant,
  type RbacModel,
  type RequestAttributes,
  type RoleEntry,
  type WhoCanRow,
} from './model.js';
import type { EscalationPath, StepEvidence } from './paths.js';

/** Lays out rows as aligned columns (the last column is not padded). */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i] ?? 0) : c))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/**
 * A rule's place, compact for tables: `ClusterRole edit #2`, `ClusterRole admin ← system:aggregate-to-edit #2`.
 *
 * @example
 * shortRule(grant.role, grant.rule); // 'ClusterRole edit ← system:aggregate-to-edit #0'
 */
export function shortRule(role: RoleEntry, rule: EffectiveRule): string {
  const name = `${role.kind} ${role.namespace ? `${role.namespace}/` : ''}${role.name}`;
  return rule.source === role ? `${name} #${rule.index}` : `${name} ← ${rule.source.name} #${rule.index}`;
}

function where(location: SourceLocation | undefined): string {
  return location ? `${location.file}:${location.line}` : '';
}

/** `file:line` of the object an entry comes from, or `(Kubernetes default)`. */
export function sourceOf(e: BindingEntry | RoleEntry): string {
  return e.resource ? where(e.resource.location) : e.origin === 'default' ? 'Kubernetes default' : '';
}

/** The rule as text: `get, list secrets (names: tls)`, `get /healthz`. */
export function describeRuleText(rule: EffectiveRule): string {
  const r = rule.rule;
  if (r.nonResourceURLs.length > 0 && r.resources.length === 0) return `${r.verbs.join(',')} ${r.nonResourceURLs.join(',')}`;
  const groups = r.apiGroups.map((g) => (g === '' ? 'core' : g)).join(',');
  return `${r.verbs.join(',')} ${r.resources.join(',')} [${groups}]${r.resourceNames.length ? ` names=${r.resourceNames.join(',')}` : ''}`;
}

function subjectText(row: { readonly subject: { readonly kind: string; readonly name: string; readonly namespace?: string } }): string {
  const s = row.subject;
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`;
}

function describeRequest(request: RequestAttributes): string {
  if (request.kind === 'nonResource') return `${request.verb} ${request.path}`;
  const res = `${request.resource}${request.apiGroup ? `.${request.apiGroup}` : ''}${request.subresource ? `/${request.subresource}` : ''}`;
  return `${request.verb} ${res}${request.name ? ` named ${request.name}` : ''}${request.namespace ? ` in namespace ${request.namespace}` : ' (cluster-wide)'}`;
}

function requestJson(request: RequestAttributes): JsonObject {
  return { ...request } as unknown as JsonObject;
}

function grantJson(g: Pick<Grant, 'binding' | 'role' | 'rule' | 'namespace'>): JsonObject {
  return {
    binding: describeEntry(g.binding),
    bindingSource: sourceOf(g.binding),
    role: describeEntry(g.role),
    rule: g.rule.index,
    ...(g.rule.source !== g.role ? { ruleIn: describeEntry(g.rule.source) } : {}),
    ruleSource: sourceOf(g.rule.source),
    ruleText: describeRuleText(g.rule),
    scope: g.namespace ?? 'cluster',
  };
}

/* ----------------------------------------------------------------------------- who-can */

/**
 * The who-can answer as a table or JSON.
 *
 * @example
 * renderWhoCan(rows, 'get secrets in namespace shop', 'table');
 */
export function renderWhoCan(rows: readonly WhoCanRow[], request: string, format: 'table' | 'json'): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        request,
        alwaysAllowed: [`group:${MASTERS}`],
        subjects: rows.map((r) => ({
          subject: subjectText(r),
          kind: r.subject.kind,
          name: r.subject.name,
          ...(r.subject.namespace !== undefined ? { namespace: r.subject.namespace } : {}),
          ...grantJson({ binding: r.binding, role: r.role, rule: r.rule, ...(r.namespace !== undefined ? { namespace: r.namespace } : {}) }),
        })),
      },
      null,
      2,
    )}\n`;
  }
  const body = rows.map((r) => [subjectText(r), r.namespace ?? 'cluster-wide', describeEntry(r.binding), shortRule(r.role, r.rule), sourceOf(r.binding)]);
  const head = ['SUBJECT', 'WHERE', 'BINDING', 'RULE', 'SOURCE'];
  const note = `Group ${MASTERS} is always allowed (it bypasses authorization).`;
  if (rows.length === 0) return `No binding allows ${request}.\n${note}\n`;
  return `${table(head, body)}\n${rows.length} grant${rows.length === 1 ? ' allows' : 's allow'} ${request}. ${note}\n`;
}

/* ----------------------------------------------------------------------------- can */

/**
 * The can answer: `yes` or `no` on the first line (as `kubectl auth can-i`), then why.
 *
 * @example
 * renderCan(subject, user, request, decision, 'table');
 */
export function renderCan(subject: Subject, user: UserInfo, request: RequestAttributes, decision: Decision, format: 'table' | 'json'): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        allowed: decision.allowed,
        subject: formatSubject(subject),
        user: { name: user.name, groups: [...user.groups] },
        request: requestJson(request),
        reason: decision.reason,
        ...(decision.grant ? { grant: grantJson(decision.grant) } : {}),
        ...(decision.errors.length > 0 ? { errors: [...decision.errors] } : {}),
      },
      null,
      2,
    )}\n`;
  }
  const lines = [decision.allowed ? 'yes' : 'no'];
  const who = `${formatSubject(subject)} (user ${user.name === '' ? '(any member)' : user.name}, groups ${user.groups.join(', ')})`;
  if (decision.grant) {
    const g = decision.grant;
    lines.push(decision.reason);
    lines.push(`  rule: ${describeRule(g.role, g.rule)}: ${describeRuleText(g.rule)}${sourceOf(g.rule.source) ? `  [${sourceOf(g.rule.source)}]` : ''}`);
    lines.push(`  binding: ${describeEntry(g.binding)}${sourceOf(g.binding) ? `  [${sourceOf(g.binding)}]` : ''}`);
  } else if (decision.allowed) {
    lines.push(decision.reason);
  } else {
    lines.push(`no binding grants ${describeRequest(request)} to ${who}`);
    for (const e of decision.errors) lines.push(`  note: ${e}`);
  }
  return `${lines.join('\n')}\n`;
}

/* ----------------------------------------------------------------------------- subject */

/**
 * Every effective rule of a subject, its risky capabilities and escalation paths.
 *
 * @example
 * renderSubject(model, subject, user, paths, 'table');
 */
export function renderSubject(model: RbacModel, subject: Subject, user: UserInfo, paths: readonly EscalationPath[], format: 'table' | 'json'): string {
  const grants = model.grantsOf(user);
  const dangling = model.bindingsOf(user).filter((b) => !b.binding.role);
  const capabilities = capabilitiesOf(model, user);
  if (format === 'json') {
    return `${JSON.stringify(
      {
        subject: formatSubject(subject),
        user: { name: user.name, groups: [...user.groups] },
        privileged: user.groups.includes(MASTERS),
        rules: grants.map((g) => ({
          ...grantJson(g),
          verbs: [...g.rule.rule.verbs],
          apiGroups: [...g.rule.rule.apiGroups],
          resources: [...g.rule.rule.resources],
          resourceNames: [...g.rule.rule.resourceNames],
          nonResourceURLs: g.namespace === undefined ? [...g.rule.rule.nonResourceURLs] : [],
          grantedTo: subjectText(g),
        })),
        capabilities: capabilities.map(capabilityJson),
        paths: paths.map(pathJson),
        danglingBindings: dangling.map((d) => ({
          binding: describeEntry(d.binding),
          roleRef: d.binding.roleRef ? `${d.binding.roleRef.kind}/${d.binding.roleRef.name}` : null,
        })),
      },
      null,
      2,
    )}\n`;
  }
  const out: string[] = [];
  out.push(`Subject: ${formatSubject(subject)}`);
  out.push(`User name: ${user.name === '' ? '(any member of the groups)' : user.name}`);
  out.push(`Groups: ${user.groups.join(', ')}`);
  if (user.groups.includes(MASTERS)) out.push(`In group ${MASTERS}: every request is allowed, whatever RBAC says.`);
  out.push('');
  if (grants.length === 0) out.push('No binding grants this subject anything.');
  else {
    const rows = grants.map((g) => {
      const r = g.rule.rule;
      return [
        g.namespace ?? 'cluster-wide',
        r.verbs.join(','),
        // URLs only through ClusterRoleBindings: a RoleBinding never grants them.
        r.nonResourceURLs.length > 0 && r.resources.length === 0 && g.namespace === undefined ? r.nonResourceURLs.join(',') : r.resources.join(','),
        r.apiGroups.map((x) => (x === '' ? 'core' : x)).join(','),
        r.resourceNames.join(','),
        `${describeEntry(g.binding)} → ${shortRule(g.role, g.rule)}`,
      ];
    });
    out.push(table(['WHERE', 'VERBS', 'RESOURCES/URLS', 'API GROUPS', 'NAMES', 'GRANTED BY'], rows));
  }
  if (capabilities.length > 0) {
    out.push('', 'Risky capabilities:');
    for (const c of capabilities) out.push(`  ${c.id} ${describeReach(c)}${c.detail ? ` (${c.detail})` : ''}`);
  }
  if (paths.length > 0) {
    out.push('', 'Escalation:');
    for (const p of paths) out.push(renderPath(p, '  '));
  }
  if (dangling.length > 0) {
    out.push('', 'Bindings to missing roles (grant nothing):');
    for (const d of dangling) out.push(`  ${describeEntry(d.binding)} → ${d.binding.roleRef?.kind} ${d.binding.roleRef?.name}`);
  }
  return `${out.join('\n')}\n`;
}

function capabilityJson(c: Capability): JsonValue {
  return {
    id: c.id,
    reach: describeReach(c),
    cluster: c.cluster,
    namespaces: [...c.namespaces],
    named: c.named,
    ...(c.detail ? { detail: c.detail } : {}),
    grants: c.grants.slice(0, 10).map((g) => grantJson(g.grant)),
  };
}

/* ----------------------------------------------------------------------------- paths */

function evidenceText(e: StepEvidence): string {
  if (e.hypothetical) {
    const scope = e.namespace === undefined ? 'cluster-wide' : e.namespace === '*' ? 'in a namespace of its choice' : `in namespace ${e.namespace}`;
    return `${describeRule(e.role, e.rule)} once bound ${scope}: ${describeRuleText(e.rule)}`;
  }
  const b = e.binding as BindingEntry;
  const src = sourceOf(b);
  return `${describeEntry(b)} grants ${describeRule(e.role, e.rule)}: ${describeRuleText(e.rule)}${src ? `  [${src}]` : ''}`;
}

/**
 * One path as numbered steps, each with the rules that allow it.
 *
 * @example
 * renderPath(path, '');
 */
export function renderPath(path: EscalationPath, indent = ''): string {
  const target = path.target === 'cluster-admin' ? 'cluster-admin' : 'every Secret';
  const lines = [`${indent}${formatSubject(path.subject)} → ${target} (${path.steps.length} step${path.steps.length === 1 ? '' : 's'})`];
  path.steps.forEach((s, i) => {
    const text = s.kind === 'holds' || s.kind === 'member' ? `${s.from} ${s.action}` : `${s.action} → ${s.to}`;
    lines.push(`${indent}  ${i + 1}. ${text}`);
    for (const e of s.evidence) lines.push(`${indent}       ${evidenceText(e)}`);
  });
  return lines.join('\n');
}

/** A path as JSON: subject, target, steps with evidence. */
export function pathJson(path: EscalationPath): JsonValue {
  return {
    subject: formatSubject(path.subject),
    target: path.target,
    steps: path.steps.map((s) => ({
      kind: s.kind,
      from: s.from,
      action: s.action,
      to: s.to,
      evidence: s.evidence.map((e) => ({
        ...(e.binding ? { binding: describeEntry(e.binding), bindingSource: sourceOf(e.binding) } : { binding: null, hypothetical: true }),
        role: describeEntry(e.role),
        rule: e.rule.index,
        ...(e.rule.source !== e.role ? { ruleIn: describeEntry(e.rule.source) } : {}),
        ruleText: describeRuleText(e.rule),
        scope: e.namespace ?? 'cluster',
      })),
    })),
  };
}

/**
 * Paths as text or JSON, with the workloads running as each subject.
 *
 * @example
 * renderPaths(paths, model, 'table');
 */
export function renderPaths(paths: readonly EscalationPath[], model: RbacModel, format: 'table' | 'json', omitted: number): string {
  // Each workload object once, named with its source: same-name objects of different files
  // (22 `guestbook-ui` Deployments of 22 examples) are different objects.
  const workloadsOf = (s: Subject): string[] =>
    s.kind === 'ServiceAccount'
      ? [
          ...new Set(
            model
              .workloads()
              .filter((w) => w.namespace === s.namespace && w.serviceAccount === s.name)
              .map((w) => `${w.resource.ref.kind} ${w.namespace}/${w.resource.ref.name}${w.resource.location ? ` (${where(w.resource.location)})` : ''}`),
          ),
        ]
      : [];
  if (format === 'json') {
    return `${JSON.stringify(
      { paths: paths.map((p) => ({ ...(pathJson(p) as JsonObject), workloads: workloadsOf(p.subject) })), omittedBootstrapSubjects: omitted },
      null,
      2,
    )}\n`;
  }
  if (paths.length === 0)
    return `No escalation path to cluster-admin or to every Secret.${omitted ? ` (${omitted} subjects granted only by Kubernetes' own bindings not shown; --all shows them.)` : ''}\n`;
  const blocks = paths.map((p) => {
    const w = workloadsOf(p.subject);
    return `${renderPath(p)}${w.length > 0 ? `\n     workloads running as ${formatSubject(p.subject)}: ${w.join(', ')}` : ''}`;
  });
  const footer = `${paths.length} path${paths.length === 1 ? '' : 's'}${omitted ? `; ${omitted} subjects granted only by Kubernetes' own bindings not shown (--all shows them)` : ''}.`;
  return `${blocks.join('\n\n')}\n\n${footer}\n`;
}
