import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** nodes/proxy is the kubelet API: exec into any pod on the node, without the API server's audit of it. */
export default defineRoleCheck({
  id: 'PAL-0310',
  name: 'rbac-nodes-proxy',
  title: 'Role grants access to nodes/proxy',
  severity: 'high',
  docs: {
    description:
      'Any verb on `nodes/proxy` (get, create, update, patch or delete: the verbs a proxy request can carry) gives access to the kubelet API through the API server: reading pods, logs and metrics of every pod on the node, ' +
      'and running commands in them (even `get` suffices over WebSockets). The actions are audited only as node proxy requests, not as exec, and ' +
      'admission control does not see them. One step lower when the rule is limited to resourceNames (specific nodes). ' +
      'A Role cannot grant `nodes/proxy` (nodes are cluster-scoped), so only ClusterRoles are reported. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove `nodes/proxy`; monitoring agents need `nodes/metrics` or `nodes/stats`, which the kubelet authorizes separately.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes',
      'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization',
    ],
  },
  capabilities: ['nodes-proxy'],
});
