import { defineCheck } from '../../core/check.js';
import { queriesOf, roleGrantViolations } from '../../rbac/rules.js';

// `kubectl debug` adds an ephemeral container with a PATCH of this subresource.
const QUERIES = queriesOf(['update', 'patch'], '', ['pods/ephemeralcontainers']);

/** An ephemeral container runs any image inside an existing pod, with its identity and volumes. */
export default defineCheck({
  id: 'PAL-0306',
  name: 'rbac-ephemeral-containers',
  title: 'Role can add ephemeral containers to pods',
  severity: 'high',
  category: 'rbac',
  frameworks: ['mitre:T1610', 'ms:MS-TA9011', 'nsa:NSA-25'],
  docs: {
    description:
      "`update` or `patch` on `pods/ephemeralcontainers` adds a container of any image to a running pod: it shares the pod's service account, network " +
      'and, with `targetContainerName`, the process namespace of another container. It is exec by another name, and admission policies written for pod ' +
      'creation may not look at it. One step lower (medium) when the rule is limited to resourceNames (specific pods). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Grant ephemeral containers only for just-in-time debugging, limited to specific pods with `resourceNames`.',
    references: ['https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/'],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    return roleGrantViolations(resource, QUERIES, {
      severity: 'high',
      consequence: 'its holders can run any image inside running pods, as their service account',
    });
  },
});
