import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** An ephemeral container runs any image inside an existing pod, with its identity and volumes. */
export default defineRoleCheck({
  id: 'PAL-0306',
  name: 'rbac-ephemeral-containers',
  title: 'Role can add ephemeral containers to pods',
  severity: 'high',
  docs: {
    description:
      "`update` or `patch` on `pods/ephemeralcontainers` adds a container of any image to a running pod: it shares the pod's service account, network " +
      'and, with `targetContainerName`, the process namespace of another container. It is exec by another name, and admission policies written for pod ' +
      'creation may not look at it. High for a ClusterRole, medium for a Role; one step lower when the rule is limited to resourceNames (specific pods). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Grant ephemeral containers only for just-in-time debugging, limited to specific pods with `resourceNames`.',
    references: ['https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/'],
  },
  capabilities: ['ephemeral-containers'],
});
