/**
 * RBAC rules: roles with wildcards or dangerous verbs, bindings to cluster-admin, changes to
 * the system roles, RBAC written by identities that are not cluster administrators (which
 * needs `escalate` or `bind` when the grant exceeds their own rights), and self-binding.
 * Bodies are read from the response (the stored object) so that patches are judged whole.
 */
import { isObject } from '../../core/object.js';
import type { JsonObject } from '../../core/types.js';
import { type AuditEvent, isControlPlane, isPrivilegedIdentity, succeeded, userName, writtenObject } from '../event.js';
import { defineAuditRule } from '../rule.js';
import { actor, identityInSubjects, objName, past, policyRules, strings, subjectsOf } from './util.js';

const ROLES = ['roles', 'clusterroles'];
const BINDINGS = ['rolebindings', 'clusterrolebindings'];
const WRITE = ['create', 'update', 'patch'];

function kindName(e: AuditEvent): string {
  return `${e.objectRef?.resource === 'clusterroles' ? 'ClusterRole' : e.objectRef?.resource === 'roles' ? 'Role' : e.objectRef?.resource === 'clusterrolebindings' ? 'ClusterRoleBinding' : 'RoleBinding'} ${objName(e)}`;
}

function storedRole(e: AuditEvent): JsonObject | undefined {
  if (!succeeded(e) || isControlPlane(userName(e))) return undefined;
  return writtenObject(e);
}

export const roleWildcard = defineAuditRule({
  id: 'PAL-A020',
  name: 'role-with-wildcard',
  title: 'Role or ClusterRole granting wildcard access written',
  severity: 'high',
  category: 'rbac',
  frameworks: ['mitre:T1098.006', 'mitre:T1078'],
  docs: {
    description:
      'A Role or ClusterRole whose rules use `*` for verbs, resources or API groups grants everything current and future in its scope; a ClusterRole with `*` everywhere is cluster-admin.',
    remediation: 'List the verbs and resources the subject needs.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ROLES, verbs: WRITE },
  evaluate: ({ event }) => {
    const rules = policyRules(storedRole(event));
    const wild = rules.filter((r) => strings(r.verbs).includes('*') || strings(r.resources).includes('*') || strings(r.nonResourceURLs).includes('*'));
    if (wild.length === 0) return;
    const full = wild.some((r) => strings(r.verbs).includes('*') && strings(r.resources).includes('*') && strings(r.apiGroups).includes('*'));
    return {
      message: `${kindName(event)} ${event.verb === 'create' ? 'created' : 'changed'} by ${actor(event)} grants ${full ? 'all verbs on all resources (cluster-admin equivalent in its scope)' : 'wildcard access'}`,
      ...(full && event.objectRef?.resource === 'clusterroles' ? { severity: 'critical' as const } : {}),
      evidence: { rules: wild.length },
    };
  },
});

const SENSITIVE_RESOURCES = ['pods/exec', 'pods/attach', 'nodes/proxy', 'secrets', 'serviceaccounts/token', 'pods/ephemeralcontainers'];

export const roleSensitive = defineAuditRule({
  id: 'PAL-A021',
  name: 'role-grants-exec-or-secrets',
  title: 'Role granting exec, attach, nodes/proxy, tokens or secrets written',
  severity: 'medium',
  category: 'rbac',
  frameworks: ['mitre:T1098.006'],
  docs: {
    description:
      'A Role or ClusterRole grants a resource that leads to code execution or credentials: `pods/exec`, `pods/attach`, `pods/ephemeralcontainers`, `nodes/proxy`, `serviceaccounts/token` or `secrets`.',
    remediation: 'Grant these only to break-glass roles and audit their use.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ROLES, verbs: WRITE },
  evaluate: ({ event }) => {
    const found = new Set<string>();
    for (const r of policyRules(storedRole(event))) {
      const verbs = strings(r.verbs);
      if (verbs.length === 0) continue;
      for (const res of strings(r.resources)) if (SENSITIVE_RESOURCES.includes(res)) found.add(res);
    }
    if (found.size === 0) return;
    return { message: `${kindName(event)} written by ${actor(event)} grants ${[...found].join(', ')}`, evidence: { resources: [...found] } };
  },
});

export const roleEscalateVerbs = defineAuditRule({
  id: 'PAL-A022',
  name: 'role-grants-escalate-bind-impersonate',
  title: 'Role granting escalate, bind or impersonate written',
  severity: 'high',
  category: 'rbac',
  frameworks: ['mitre:T1098.006', 'mitre:T1134'],
  docs: {
    description:
      '`escalate` lets a subject write roles with rights it does not hold, `bind` lets it bind roles it does not hold, and `impersonate` lets it act as another identity: each is a path to cluster-admin.',
    remediation: 'Remove these verbs; RBAC delegation belongs to cluster administrators.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ROLES, verbs: WRITE },
  evaluate: ({ event }) => {
    const found = new Set<string>();
    for (const r of policyRules(storedRole(event))) for (const v of strings(r.verbs)) if (v === 'escalate' || v === 'bind' || v === 'impersonate') found.add(v);
    if (found.size === 0) return;
    return { message: `${kindName(event)} written by ${actor(event)} grants ${[...found].join(', ')}`, evidence: { verbs: [...found] } };
  },
});

const BROAD_GROUPS = new Set(['system:anonymous', 'system:unauthenticated', 'system:authenticated', 'system:serviceaccounts']);

export const clusterAdminBinding = defineAuditRule({
  id: 'PAL-A023',
  name: 'cluster-admin-binding',
  title: 'Binding to cluster-admin written',
  severity: 'high',
  category: 'rbac',
  frameworks: ['mitre:T1098.006', 'mitre:T1078'],
  docs: {
    description:
      'A ClusterRoleBinding or RoleBinding grants the `cluster-admin` ClusterRole. A RoleBinding limits it to one namespace, which still includes its secrets and pods. Binding it to anonymous, every authenticated user or every service account is critical.',
    remediation: 'Bind a narrower role; keep cluster-admin for break-glass identities.',
  },
  target: { kind: 'audit-event' },
  match: { resources: BINDINGS, verbs: WRITE },
  evaluate: ({ event }) => {
    const obj = storedRole(event);
    const roleRef = isObject(obj?.roleRef) ? obj.roleRef : undefined;
    if (roleRef?.name !== 'cluster-admin') return;
    const subs = subjectsOf(obj);
    const broad = subs.some((s) => s.kind === 'Group' && BROAD_GROUPS.has(s.name)) || subs.some((s) => s.kind === 'User' && s.name === 'system:anonymous');
    return {
      message: `${kindName(event)} written by ${actor(event)} binds cluster-admin to ${subs.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ') || 'no subject'}`,
      ...(broad ? { severity: 'critical' as const } : {}),
      evidence: { subjects: subs.map((s) => `${s.kind}:${s.namespace ? `${s.namespace}/` : ''}${s.name}`) },
    };
  },
});

export const systemRoleModified = defineAuditRule({
  id: 'PAL-A024',
  name: 'system-role-modified',
  title: 'System ClusterRole or binding modified or deleted',
  severity: 'medium',
  category: 'rbac',
  frameworks: ['mitre:T1098.006'],
  docs: {
    description:
      'The `system:` ClusterRoles and ClusterRoleBindings (and `cluster-admin`, `admin`, `edit`, `view`) are maintained by the API server; a change by anyone else alters what every component and user may do.',
    remediation: 'Revert the change; the API server restores reconciled roles on restart unless `rbac.authorization.kubernetes.io/autoupdate` is false.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['clusterroles', 'clusterrolebindings'], verbs: ['update', 'patch', 'delete'] },
  evaluate: ({ event }) => {
    const name = event.objectRef?.name ?? '';
    if (!(name.startsWith('system:') || ['cluster-admin', 'admin', 'edit', 'view'].includes(name))) return;
    if (!succeeded(event) || isControlPlane(userName(event))) return;
    return { message: `${kindName(event)} ${event.verb === 'delete' ? 'deleted' : 'modified'} by ${actor(event)}` };
  },
});

export const rbacByNonAdmin = defineAuditRule({
  id: 'PAL-A025',
  name: 'rbac-written-by-non-admin',
  title: 'RBAC written by an identity that is not a cluster administrator (escalate/bind use)',
  severity: 'high',
  category: 'rbac',
  frameworks: ['mitre:T1098.006', 'mitre:T1068'],
  docs: {
    description:
      'A Role, ClusterRole or binding was written by an identity outside `system:masters` and the control plane. Kubernetes only allows it when the writer already holds every granted right or has the `escalate` (roles) or `bind` (bindings) verb, so this is either delegated administration or a privilege escalation in progress.',
    remediation: 'Confirm the change; list delegated RBAC administrators (for example a GitOps controller) in `checks.PAL-A025.params.ignoreUsers`.',
  },
  target: { kind: 'audit-event' },
  match: { resources: [...ROLES, ...BINDINGS], verbs: [...WRITE, 'delete'] },
  evaluate: ({ event }) => {
    if (!succeeded(event) || isPrivilegedIdentity(event)) return;
    const obj = writtenObject(event);
    const roleRef = isObject(obj?.roleRef) ? obj.roleRef : undefined;
    const via = ROLES.includes(event.objectRef?.resource ?? '') ? 'escalate' : 'bind';
    return {
      message: `${kindName(event)} ${past(event.verb)} by ${actor(event)}${roleRef ? ` (role ${String(roleRef.kind)} ${String(roleRef.name)})` : ''}: needs ${via} unless the writer holds every right granted`,
      evidence: { verb: event.verb ?? '', ...(roleRef ? { role: String(roleRef.name) } : {}) },
    };
  },
});

export const selfBinding = defineAuditRule({
  id: 'PAL-A026',
  name: 'self-binding',
  title: 'Identity bound a role to itself',
  severity: 'high',
  category: 'rbac',
  frameworks: ['mitre:T1098.006', 'mitre:T1068'],
  docs: {
    description:
      'A RoleBinding or ClusterRoleBinding names the identity that wrote it (its user, service account or one of its groups) as a subject: the writer granted itself rights.',
    remediation: 'Remove the binding and review who holds `bind` or `escalate`.',
  },
  target: { kind: 'audit-event' },
  match: { resources: BINDINGS, verbs: WRITE },
  evaluate: ({ event }) => {
    const obj = storedRole(event);
    if (!obj || isPrivilegedIdentity(event)) return;
    if (!identityInSubjects(event, subjectsOf(obj), event.objectRef?.namespace)) return;
    const roleRef = isObject(obj.roleRef) ? obj.roleRef : {};
    return { message: `${actor(event)} bound ${String(roleRef.kind ?? 'role')} ${String(roleRef.name ?? '?')} to itself in ${kindName(event)}` };
  },
});

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', '*']);

export const roleWrite = defineAuditRule({
  id: 'PAL-A027',
  name: 'cluster-role-with-write-privileges',
  title: 'ClusterRole granting write access created or changed',
  severity: 'low',
  category: 'rbac',
  frameworks: ['mitre:T1098.006'],
  docs: {
    description:
      'A ClusterRole that grants create, update, patch or delete was written (Falco\'s "ClusterRole With Write Privileges Created"). Cluster-wide write access is the raw material of most escalations; the other RBAC rules judge the worst cases, this one keeps the trail of every new writer role.',
    remediation: 'Confirm the role is needed cluster-wide; prefer namespaced Roles.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['clusterroles'], verbs: WRITE },
  evaluate: ({ event }) => {
    const verbs = new Set<string>();
    for (const r of policyRules(storedRole(event))) for (const v of strings(r.verbs)) if (WRITE_VERBS.has(v)) verbs.add(v);
    if (verbs.size === 0) return;
    return {
      message: `${kindName(event)} ${past(event.verb)} by ${actor(event)} grants ${[...verbs].sort().join(', ')}`,
      evidence: { verbs: [...verbs].sort() },
    };
  },
});

export const rbacRules = [
  roleWildcard,
  roleSensitive,
  roleEscalateVerbs,
  clusterAdminBinding,
  systemRoleModified,
  rbacByNonAdmin,
  selfBinding,
  roleWrite,
] as const;
