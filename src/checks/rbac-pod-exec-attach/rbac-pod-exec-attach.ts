import { defineCheck } from '../../core/check.js';
import { queriesOf, roleGrantViolations } from '../../rbac/rules.js';

// kubectl authorizes exec and attach as `create`; WebSocket clients upgrade a GET, which
// older API servers authorize as `get`, so both verbs open a shell.
const QUERIES = queriesOf(['create', 'get'], '', ['pods/exec', 'pods/attach']);

/** A shell in a container gives its files, its service account token and its network position. */
export default defineCheck({
  id: 'PAL-0304',
  name: 'rbac-pod-exec-attach',
  title: 'Role can exec into or attach to pods',
  severity: 'high',
  category: 'rbac',
  frameworks: ['mitre:T1609', 'ms:MS-TA9006', 'nsa:NSA-25'],
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
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    return roleGrantViolations(resource, QUERIES, {
      severity: 'high',
      consequence: 'its holders can run commands in running containers and use their credentials',
    });
  },
});
