import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** Creating a pod means choosing its service account, volumes and security context. */
export default defineRoleCheck({
  id: 'PAL-0303',
  name: 'rbac-create-pods',
  title: 'Role can create or change workloads',
  severity: 'medium',
  docs: {
    description:
      'Whoever can create pods, or create the Deployments, DaemonSets, StatefulSets, ReplicaSets, Jobs, CronJobs or ReplicationControllers that create them, ' +
      'or `update`/`patch` those controllers (a changed pod template runs new pods as whatever it says), ' +
      'can run any image as any service account of the namespace (and so use its permissions and tokens), mount Secrets and ConfigMaps of the namespace, ' +
      'and, unless admission control stops it, run privileged pods with host access. ' +
      'High for a ClusterRole, medium for a Role (the capability catalogue shared with rbac-subject-create-workloads, PAL-0402). ' +
      '`create` cannot be limited by resourceNames (a new object has no name when it is authorized), so such rules grant nothing and pass. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation:
      'Grant workload creation only to deployment pipelines and controllers, in namespaces whose service accounts hold little, with Pod Security Admission `restricted` enforced there.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  capabilities: ['create-workloads'],
});
