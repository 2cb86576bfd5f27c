import { defineCheck } from '../../core/check.js';
import { describeSubject, isRbacBinding, roleRefOf, subjectsOf } from '../../rbac/rules.js';
import { describeObject } from '../../core/object.js';

/** Every pod that names no service account runs as `default`, so its permissions go to all of them. */
export default defineCheck({
  id: 'PAL-0320',
  name: 'rbac-default-service-account-bound',
  title: 'Binding grants a role to a default service account',
  severity: 'medium',
  category: 'rbac',
  frameworks: ['cis:5.1.5'],
  docs: {
    description:
      'Each namespace has a service account named `default`, used by every pod that does not name another. A binding that grants it a role grants that role ' +
      'to all those pods, including ones added later by people who never asked for the permission, and to anyone who can create a pod in the namespace. ' +
      'default-service-account (PAL-0116) reports the pods that run as it.',
    remediation:
      'Create a dedicated service account for the workload that needs the permissions, bind the role to it, and set `serviceAccountName` in its pod template.',
    references: ['https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts'],
  },
  target: { kind: 'resource', kinds: ['RoleBinding', 'ClusterRoleBinding'] },
  evaluate({ resource }) {
    if (!isRbacBinding(resource)) return undefined;
    const ref = roleRefOf(resource.object);
    const role = ref ? `${ref.kind} ${ref.name}` : 'its role';
    return subjectsOf(resource.object)
      .filter((s) => s.kind === 'ServiceAccount' && s.name === 'default')
      .map((s) => ({
        path: s.path,
        message: `${describeObject(resource.ref)} binds ${role} to ${describeSubject(s)}, which every pod of ${s.namespace ? `namespace ${s.namespace}` : 'its namespace'} without a serviceAccountName runs as`,
        evidence: { subject: describeSubject(s), ...(ref ? { roleRef: `${ref.kind}/${ref.name}` } : {}) },
      }));
  },
});
