import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant (users, groups, service accounts, uids, user extras), its
// severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Impersonation makes the caller whoever they name, with all of that identity's permissions. */
export default defineRoleCheck({
  id: 'PAL-0309',
  name: 'rbac-impersonate',
  title: 'Role grants the impersonate verb',
  severity: 'high',
  docs: {
    description:
      '`impersonate` on `users`, `groups`, `serviceaccounts`, `uids` or `userextras/<key>` lets its holders send requests as another identity ' +
      '(`kubectl --as`, `--as-group`): impersonating a group such as `system:masters` or an administrator is cluster-admin. ' +
      'High for a ClusterRole, medium for a Role (critical whenever the group system:masters can be impersonated); one step lower when the rule is limited to resourceNames (specific identities). ' +
      'A Role can only grant impersonation of service accounts of its namespace; users, groups, uids and extras are cluster-scoped. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove `impersonate`, or limit it with `resourceNames` to specific, unprivileged identities.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#impersonate-verb',
    ],
  },
  capabilities: ['impersonate'],
  refine(found) {
    // A name list that reaches system:masters is no narrowing: that group bypasses RBAC, as
    // the subject-level PAL-0410 says too.
    const masters = found.matches.some(
      (m) => m.probe.query.resource === 'groups' && (m.scope === 'all' || found.rule.rule.resourceNames.includes('system:masters')),
    );
    return masters ? { consequence: 'its holders can act as the group system:masters, which bypasses RBAC', severity: 'critical' } : undefined;
  },
});
