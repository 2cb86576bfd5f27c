import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** A shell in a container gives its files, its service account token and its network position. */
export default defineRoleCheck({
  id: 'PAL-0304',
  name: 'rbac-pod-exec-attach',
  title: 'Role can exec into or attach to pods',
  severity: 'high',
  docs: {
    description:
      '`create` or `get` on `pods/exec` or `pods/attach` lets its holders run commands inside running containers (kubectl sends exec and attach as a POST, `create`; ' +
      "on clusters older than Kubernetes 1.35 a WebSocket client (kubectl's WebSocket transport, client libraries, dashboards) upgrades a GET, which the API server authorizes as `get` (kubernetes/kubernetes#78741; from 1.35 the feature gate AuthorizePodWebsocketUpgradeCreatePermission also requires `create`), so both verbs count): " +
      'they read mounted Secrets and service account tokens, act as the workload, and bypass whatever the pod spec restricts at creation. ' +
      'High for a ClusterRole, medium for a Role; one step lower when the rule is limited to resourceNames (specific pods). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation:
      'Keep exec and attach out of routine roles; grant them just in time for debugging, to specific pods with `resourceNames`, and audit their use.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    ],
  },
  capabilities: ['pod-exec', 'pod-attach'],
});
