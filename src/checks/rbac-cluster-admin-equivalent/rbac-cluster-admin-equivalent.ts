import { defineCheck, type Violation } from '../../core/check.js';
import { UNSET_NAMESPACE } from '../../core/inventory.js';
import { describeObject } from '../../core/object.js';
import { frameworksOf, isStarRule } from '../../rbac/capabilities.js';
import { evidenceOf } from '../../rbac/rules.js';
import { reviewedRole, roleSeverity } from '../../rbac/role-checks.js';

// The catalogue's cluster-admin entry (src/rbac/capabilities.ts): the rule shape, severity
// by reach and framework references the subject-level PAL-0400 shares.
const FRAMEWORKS = frameworksOf('cluster-admin');

/** Whoever holds such a rule holds the cluster (or, for a Role, the namespace): nothing else matters. */
export default defineCheck({
  id: 'PAL-0301',
  name: 'rbac-cluster-admin-equivalent',
  title: 'Role grants every verb on every resource',
  severity: 'critical',
  category: 'rbac',
  frameworks: FRAMEWORKS,
  docs: {
    description:
      'A rule with `*` verbs on `*` resources in `*` API groups, without resourceNames, is what `cluster-admin` grants. ' +
      'In a ClusterRole it is a second cluster-admin under another name (critical); in a Role it makes its holders admins of the namespace, ' +
      'able to read every Secret and run pods as any service account there (high). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`, such as `cluster-admin` itself) are not reported.",
    remediation:
      'Grant the specific verbs and resources the subject needs. If full control really is needed, bind the built-in `cluster-admin` or `admin` role so that it is visible as such.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  uses: ['rbac'],
  evaluate({ models, resource }) {
    const role = reviewedRole(models.rbac, resource);
    if (!role) return undefined;
    const cluster = role.kind === 'ClusterRole';
    const out: Violation[] = [];
    for (const { index, rule } of role.ownRules) {
      if (!isStarRule(rule)) continue;
      out.push({
        path: `/rules/${index}`,
        message: cluster
          ? `${describeObject(resource.ref)} rule ${index} grants every verb on every resource in every API group: it is equivalent to cluster-admin`
          : `${describeObject(resource.ref)} rule ${index} grants every verb on every resource in every API group: it is admin of ${role.namespace !== undefined && role.namespace !== UNSET_NAMESPACE ? `namespace ${role.namespace}` : 'the namespace the manifests are applied to'}`,
        severity: roleSeverity('cluster-admin', role, false),
        evidence: evidenceOf(rule),
      });
    }
    return out;
  },
});
