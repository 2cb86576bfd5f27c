import { defineCheck, type Violation } from '../../core/check.js';
import { capabilitiesOf, grantsOnlyUse } from '../../rbac/capabilities.js';
import { ANONYMOUS, isCatchAllGroup, UNAUTHENTICATED, userInfoOf } from '../../rbac/identity.js';
import { describeEntry } from '../../rbac/model.js';
import { grantEvidence, isReportable, subjectOfBinding } from '../../rbac/subject-checks.js';

// What Kubernetes itself grants the catch-all groups: discovery, self-review and version information.
const DEFAULT_ROLES = new Set(['system:public-info-viewer', 'system:basic-user', 'system:discovery', 'system:service-account-issuer-discovery']);

/** A binding to a catch-all identity grants its role to every caller of that class, present and future. */
export default defineCheck({
  id: 'PAL-0419',
  name: 'rbac-catch-all-grant',
  title: 'Binding grants permissions to everyone, every authenticated user or every service account',
  severity: 'high',
  category: 'rbac',
  frameworks: ['nsa:NSA-21', 'mitre:T1078.001', 'cis:5.1.1'],
  docs: {
    description:
      'The user `system:anonymous` and the groups `system:unauthenticated`, `system:authenticated`, `system:serviceaccounts` and ' +
      '`system:serviceaccounts:<namespace>` are not people: every request without credentials, every identity the cluster accepts ' +
      '(on managed clusters possibly any account of the cloud provider), every service account of the cluster or of a namespace is in them. ' +
      'A binding to one of them grants its role to all of those callers, including workloads deployed later. The severity follows what the ' +
      'binding effectively grants: a risky capability (Secrets, workloads, exec, tokens, impersonation, RBAC changes...) to anonymous or all ' +
      'authenticated callers is critical, to service account groups high; anything else medium. Kubernetes’ own discovery bindings pass, and so do ' +
      'roles that grant only `use` (of a PodSecurityPolicy or SecurityContextConstraints: binding `use` to every service account is how such a policy is applied; ' +
      'admission checks that verb, no API request is authorized by it). ' +
      'rbac-anonymous-binding (PAL-0319) reports the anonymous and authenticated cases on the binding alone.',
    remediation: 'Bind the role to the specific users, groups or service accounts that need it.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#service-account-permissions',
    ],
  },
  target: { kind: 'resource', kinds: ['RoleBinding', 'ClusterRoleBinding'] },
  needs: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount'],
  uses: ['rbac'],
  evaluate({ models, resource }) {
    const model = models.rbac;
    const binding = model.bindingOf(resource);
    if (!isReportable(binding) || !binding.role) return undefined;
    if (binding.roleRef?.kind === 'ClusterRole' && DEFAULT_ROLES.has(binding.roleRef.name)) return undefined;
    // A role that grants nothing but `use` of a pod security policy grants no API access.
    if (grantsOnlyUse(binding.role.rules.map((r) => r.rule))) return undefined;
    const out: Violation[] = [];
    for (const s of binding.subjects) {
      const subject = subjectOfBinding(s);
      if (!subject) continue;
      const everyone = (subject.kind === 'User' && subject.name === ANONYMOUS) || (subject.kind === 'Group' && isCatchAllGroup(subject.name));
      if (!everyone) continue;
      const who =
        subject.kind === 'User' || subject.name === UNAUTHENTICATED
          ? 'every unauthenticated request'
          : subject.name === 'system:authenticated'
            ? 'every authenticated identity'
            : subject.name === 'system:serviceaccounts'
              ? 'every service account of the cluster'
              : `every service account of namespace ${subject.name.slice('system:serviceaccounts:'.length)}`;
      const risky = capabilitiesOf(model, userInfoOf(subject)).filter((c) => c.id !== 'wildcard' && c.grants.some((g) => g.grant.binding === binding));
      const broad = subject.kind === 'User' || subject.name === UNAUTHENTICATED || subject.name === 'system:authenticated';
      out.push({
        path: s.path,
        message:
          `${describeEntry(binding)} grants ${describeEntry(binding.role)} to ${s.kind} ${s.name}, that is to ${who}` +
          (risky.length > 0 ? `, including: ${risky.map((c) => c.id).join(', ')}` : ''),
        severity: risky.length > 0 ? (broad ? 'critical' : 'high') : 'medium',
        evidence: {
          subject: `${s.kind} ${s.name}`,
          capabilities: risky.map((c) => c.id),
          grants: risky.flatMap((c) => c.grants.filter((g) => g.grant.binding === binding).slice(0, 2)).map((g) => grantEvidence(g.grant)),
        },
      });
    }
    return out;
  },
});
