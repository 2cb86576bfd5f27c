import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** An admission webhook sees, and may rewrite, every object sent to the API server. */
export default defineRoleCheck({
  id: 'PAL-0313',
  name: 'rbac-modify-webhooks',
  title: 'Role can change admission webhook configurations',
  severity: 'high',
  docs: {
    description:
      'Whoever can create, update, patch or delete ValidatingWebhookConfigurations or MutatingWebhookConfigurations can register a webhook that receives ' +
      'every matching object (Secrets included) and, if mutating, rewrites pods as they are created: inject containers, change images, mount host paths. ' +
      'They can also switch off the webhooks that enforce policy. One step lower when the rule is limited to resourceNames (specific configurations). ' +
      'A Role cannot grant it (the configurations are cluster-scoped), so only ClusterRoles are reported. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation:
      'Keep webhook configuration changes to cluster administrators; a controller that manages its own webhook should be limited with `resourceNames` to it.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks'],
  },
  capabilities: ['modify-webhooks'],
});
