import { defineCheck } from '../../core/check.js';
import { queriesOf, roleGrantViolations } from '../../rbac/rules.js';

// Every built-in controller that creates pods from a template the caller writes.
const QUERIES = [
  ...queriesOf(['create'], '', ['pods', 'replicationcontrollers']),
  ...queriesOf(['create'], 'apps', ['deployments', 'daemonsets', 'statefulsets', 'replicasets']),
  ...queriesOf(['create'], 'batch', ['jobs', 'cronjobs']),
];

/** Creating a pod means choosing its service account, volumes and security context. */
export default defineCheck({
  id: 'PAL-0303',
  name: 'rbac-create-pods',
  title: 'Role can create pods or workload controllers',
  severity: 'medium',
  category: 'rbac',
  frameworks: ['cis:5.1.4', 'mitre:T1610', 'ms:MS-TA9008', 'mitre:T1053.007', 'ms:MS-TA9014'],
  docs: {
    description:
      'Whoever can create pods, or the Deployments, DaemonSets, StatefulSets, ReplicaSets, Jobs, CronJobs or ReplicationControllers that create them, ' +
      'can run any image as any service account of the namespace (and so use its permissions and tokens), mount Secrets and ConfigMaps of the namespace, ' +
      'and, unless admission control stops it, run privileged pods with host access. ' +
      '`create` cannot be limited by resourceNames (a new object has no name when it is authorized), so such rules grant nothing and pass. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation:
      'Grant workload creation only to deployment pipelines and controllers, in namespaces whose service accounts hold little, with Pod Security Admission `restricted` enforced there.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    return roleGrantViolations(resource, QUERIES, {
      severity: 'medium',
      consequence: 'its holders can run pods as any service account of the namespace',
    });
  },
});
