import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can attach to pods: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0404',
  name: 'rbac-subject-pod-attach',
  title: 'Subject can attach to pods',
  severity: 'high',
  docs: {
    description:
      '`create` or `get` on `pods/attach` (a WebSocket upgrade is a GET, authorized as `get` before Kubernetes 1.35) connects to the main process of a running container (its stdin when the pod allows it): like exec, this hands over the container and its service account. Cluster-wide is high, within namespaces medium.',
    remediation: 'Remove pods/attach from routine roles; grant it to named people for debugging only.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources'],
  },
  capability: 'pod-attach',
});
