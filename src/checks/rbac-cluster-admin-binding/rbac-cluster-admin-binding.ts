import { defineCheck } from '../../core/check.js';
import { describeSubject, isRbacBinding, roleRefOf, subjectsOf } from '../../rbac/rules.js';
import { describeObject } from '../../core/object.js';

/** cluster-admin is every permission; each subject holding it is a path to the whole cluster. */
export default defineCheck({
  id: 'PAL-0318',
  name: 'rbac-cluster-admin-binding',
  title: 'Binding grants cluster-admin',
  severity: 'high',
  category: 'rbac',
  frameworks: ['cis:5.1.1', 'ms:MS-TA9019', 'mitre:T1078', 'mitre:T1098.006'],
  docs: {
    description:
      'A ClusterRoleBinding to the `cluster-admin` ClusterRole gives its subjects every permission in the cluster; a RoleBinding to it gives every permission ' +
      'in the namespace, Secrets and RBAC included. Each subject other than the group `system:masters` (the default binding, which RBAC does not need anyway) is reported. ' +
      'Service accounts bound to cluster-admin are the worst case: anyone who can run a pod as them, or read their token, owns the cluster.',
    remediation: 'Bind narrower roles (`admin`, `edit`, `view` or custom roles) instead; keep cluster-admin for break-glass access, granted just in time.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'],
  },
  target: { kind: 'resource', kinds: ['ClusterRoleBinding', 'RoleBinding'] },
  evaluate({ resource }) {
    if (!isRbacBinding(resource)) return undefined;
    const ref = roleRefOf(resource.object);
    if (ref?.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') return undefined;
    const scope = resource.ref.kind === 'RoleBinding' ? ` in namespace ${resource.ref.namespace ?? '(none)'}` : ' cluster-wide';
    return subjectsOf(resource.object)
      .filter((s) => !(s.kind === 'Group' && s.name === 'system:masters'))
      .map((s) => ({
        path: s.path,
        message: `${describeObject(resource.ref)} binds ClusterRole cluster-admin to ${describeSubject(s)}${scope}`,
        evidence: { roleRef: 'ClusterRole/cluster-admin', subject: describeSubject(s) },
      }));
  },
});
