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
      '`create` (or, for WebSocket clients of older API servers, `get`) on `pods/exec` or `pods/attach` lets its holders run commands inside running containers: ' +
      'they read mounted Secrets and service account tokens, act as the workload, and bypass whatever the pod spec restricts at creation. ' +
      'One step lower (medium) when the rule is limited to resourceNames (specific pods). ' +
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
