import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can exec into pods: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0403',
  name: 'rbac-subject-pod-exec',
  title: 'Subject can exec into pods',
  severity: 'high',
  docs: {
    description:
      "`create` or `get` on `pods/exec` runs commands in running containers (on clusters older than Kubernetes 1.35 a WebSocket client (kubectl's WebSocket transport, client libraries, dashboards) upgrades a GET, which the API server authorizes as `get` (kubernetes/kubernetes#78741; from 1.35 the feature gate AuthorizePodWebsocketUpgradeCreatePermission also requires `create`), so both verbs count): the caller gets the container's files, environment, network position and service account token. Cluster-wide is high, within namespaces medium, limited to named pods one step lower.",
    remediation: 'Grant exec only for debugging, to named people, for a limited time; prefer ephemeral debug tooling with audit.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  capability: 'pod-exec',
});
