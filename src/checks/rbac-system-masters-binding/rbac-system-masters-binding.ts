import { defineCheck } from '../../core/check.js';
import { describeSubject, isRbacBinding, roleRefOf, subjectsOf } from '../../rbac/rules.js';
import { describeObject } from '../../core/object.js';

/** system:masters bypasses authorization; a binding to it shows that someone relies on the group. */
export default defineCheck({
  id: 'PAL-0321',
  name: 'rbac-system-masters-binding',
  title: 'Binding names the system:masters group',
  severity: 'high',
  category: 'rbac',
  frameworks: ['cis:5.1.7'],
  docs: {
    description:
      'Members of the group `system:masters` (certificates with `O=system:masters`) bypass RBAC and every authorization webhook, and their access cannot be ' +
      'revoked without rotating the cluster CA. A binding naming the group adds nothing for them; it shows that the group is in use for people or tools, ' +
      'which CIS 5.1.7 advises against. The default ClusterRoleBinding of `cluster-admin` to the group (and any ClusterRoleBinding of cluster-admin to it) passes.',
    remediation:
      'Give administrators their own users or groups bound to `cluster-admin` (or narrower roles), and keep `system:masters` certificates for break-glass only.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
  target: { kind: 'resource', kinds: ['ClusterRoleBinding', 'RoleBinding'] },
  evaluate({ resource }) {
    if (!isRbacBinding(resource)) return undefined;
    const ref = roleRefOf(resource.object);
    // Kubernetes' own `cluster-admin` binding has this shape; it is not a choice of the user.
    if (resource.ref.kind === 'ClusterRoleBinding' && ref?.kind === 'ClusterRole' && ref.name === 'cluster-admin') return undefined;
    const role = ref ? `${ref.kind} ${ref.name}` : 'its role';
    return subjectsOf(resource.object)
      .filter((s) => s.kind === 'Group' && s.name === 'system:masters')
      .map((s) => ({
        path: s.path,
        message: `${describeObject(resource.ref)} binds ${role} to ${describeSubject(s)}, a group that bypasses authorization`,
        evidence: { subject: describeSubject(s), ...(ref ? { roleRef: `${ref.kind}/${ref.name}` } : {}) },
      }));
  },
});
