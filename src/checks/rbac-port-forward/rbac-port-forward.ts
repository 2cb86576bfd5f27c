import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** Port-forwarding reaches ports that Services and NetworkPolicies were meant to keep private. */
export default defineRoleCheck({
  id: 'PAL-0305',
  name: 'rbac-port-forward',
  title: 'Role can port-forward to pods',
  severity: 'medium',
  docs: {
    description:
      '`create` (or `get` for WebSocket clients) on `pods/portforward` tunnels connections from the caller straight to any port of a pod, ' +
      'through the API server and kubelet: admin ports, debug endpoints and databases that no Service exposes become reachable, and NetworkPolicies do not apply. ' +
      'Medium for a ClusterRole, low for a Role; one step lower when the rule is limited to resourceNames (specific pods). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Grant port-forward only where it is needed for debugging, limited to specific pods with `resourceNames`.',
    references: ['https://kubernetes.io/docs/tasks/access-application-cluster/port-forward-access-application-cluster/'],
  },
  capabilities: ['port-forward'],
});
