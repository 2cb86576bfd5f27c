import { defineCheck } from '../../core/check.js';
import { queriesOf, roleGrantViolations } from '../../rbac/rules.js';

// kubectl port-forward is a `create`; WebSocket clients of older API servers use `get`.
const QUERIES = queriesOf(['create', 'get'], '', ['pods/portforward']);

/** Port-forwarding reaches ports that Services and NetworkPolicies were meant to keep private. */
export default defineCheck({
  id: 'PAL-0305',
  name: 'rbac-port-forward',
  title: 'Role can port-forward to pods',
  severity: 'medium',
  category: 'rbac',
  frameworks: ['nsa:NSA-25'],
  docs: {
    description:
      '`create` (or `get` for WebSocket clients) on `pods/portforward` tunnels connections from the caller straight to any port of a pod, ' +
      'through the API server and kubelet: admin ports, debug endpoints and databases that no Service exposes become reachable, and NetworkPolicies do not apply. ' +
      'One step lower (low) when the rule is limited to resourceNames (specific pods). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Grant port-forward only where it is needed for debugging, limited to specific pods with `resourceNames`.',
    references: ['https://kubernetes.io/docs/tasks/access-application-cluster/port-forward-access-application-cluster/'],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    return roleGrantViolations(resource, QUERIES, {
      severity: 'medium',
      consequence: 'its holders can reach any port of the pods, bypassing Services and NetworkPolicies',
    });
  },
});
