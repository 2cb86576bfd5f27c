import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** Node labels and taints decide where pods land; whoever writes them chooses the nodes. */
export default defineRoleCheck({
  id: 'PAL-0317',
  name: 'rbac-patch-nodes',
  title: 'Role can update or patch nodes',
  severity: 'medium',
  docs: {
    description:
      '`update` or `patch` on nodes or `nodes/status` lets its holders relabel, taint, untaint and cordon nodes, and rewrite their reported status: ' +
      'they can attract sensitive workloads to a node they control, push workloads off healthy nodes, or make a node look unschedulable. ' +
      'One step lower when the rule is limited to resourceNames (specific nodes). ' +
      'A Role cannot grant it (nodes are cluster-scoped), so only ClusterRoles are reported. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation:
      'Keep node writes to the node lifecycle components and cluster administrators; enable the NodeRestriction admission plugin so kubelets cannot set `node-restriction.kubernetes.io/` labels.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
      'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction',
    ],
  },
  capabilities: ['modify-nodes'],
});
