import { defineCheck } from '../../core/check.js';
import { capabilitiesOf } from '../../rbac/capabilities.js';
import { userInfoOf } from '../../rbac/identity.js';
import { describeEntry } from '../../rbac/model.js';
import { isReportable } from '../../rbac/subject-checks.js';

/** Every pod without a serviceAccountName runs as `default`: what it may do, they all may do. */
export default defineCheck({
  id: 'PAL-0420',
  name: 'rbac-default-service-account-permissions',
  title: 'Default service account is granted permissions',
  severity: 'medium',
  category: 'rbac',
  frameworks: ['cis:5.1.5', 'mitre:T1078.001'],
  docs: {
    description:
      'Each namespace has a service account named `default`, used by every pod that names no other. A binding that names it grants its role to all ' +
      'those pods, to pods added later, and to anyone who can create a pod in the namespace. This check reports the ServiceAccount object when any ' +
      'binding names it directly, high when its effective permissions include a risky capability (Secrets, workloads, exec, tokens, impersonation, ' +
      'RBAC changes, cluster-admin); rbac-default-service-account-bound (PAL-0320) reports the bindings.',
    remediation:
      'Create a dedicated service account for the workload that needs the permissions, bind the role to it and set `serviceAccountName` in its pod template.',
    references: ['https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts'],
  },
  target: { kind: 'resource', kinds: ['ServiceAccount'] },
  needs: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount'],
  uses: ['rbac'],
  evaluate({ models, resource }) {
    if (resource.ref.name !== 'default' || resource.object.apiVersion !== 'v1') return undefined;
    const model = models.rbac;
    const namespace = model.namespaceOf(resource) as string;
    const subject = { kind: 'ServiceAccount', namespace, name: 'default' } as const;
    const bindings = model.directBindingsOf(subject).filter((b) => isReportable(b.binding));
    if (bindings.length === 0) return undefined;
    const risky = capabilitiesOf(model, userInfoOf(subject)).filter((c) => c.id !== 'wildcard' && c.id !== 'port-forward' && c.id !== 'delete-events');
    return {
      pointer: '',
      message:
        `ServiceAccount ${namespace}/default, which every pod of the namespace without a serviceAccountName runs as, is bound by ${bindings.map((b) => describeEntry(b.binding)).join(', ')}` +
        (risky.length > 0 ? ` and can: ${risky.map((c) => c.id).join(', ')}` : ''),
      severity: risky.length > 0 ? 'high' : 'medium',
      evidence: { bindings: bindings.map((b) => describeEntry(b.binding)), capabilities: risky.map((c) => c.id) },
    };
  },
});
