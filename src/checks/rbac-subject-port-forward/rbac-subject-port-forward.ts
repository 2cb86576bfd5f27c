import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can port-forward to pods: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0405',
  name: 'rbac-subject-port-forward',
  title: 'Subject can port-forward to pods',
  severity: 'medium',
  docs: {
    description:
      '`create` or `get` (a WebSocket upgrade) on `pods/portforward` opens a tunnel from the caller to any port of a pod, past NetworkPolicies and Services: databases and admin interfaces listening only inside the cluster become reachable. Cluster-wide is medium, within namespaces low.',
    remediation: 'Grant port-forward only where it is needed for debugging, preferably to named pods.',
    references: ['https://kubernetes.io/docs/tasks/access-application-cluster/port-forward-access-application-cluster/'],
  },
  capability: 'port-forward',
});
