import { defineCheck, type Violation } from '../../core/check.js';
import { evidenceOf, isReviewedRole, type PolicyRule, RBAC_ALL, rulesOf } from '../../rbac/rules.js';
import { describeObject } from '../../core/object.js';

/** Every verb on every resource of every API group, for every object name. */
function grantsEverything(rule: PolicyRule): boolean {
  return rule.verbs.includes(RBAC_ALL) && rule.apiGroups.includes(RBAC_ALL) && rule.resources.includes(RBAC_ALL) && rule.resourceNames.length === 0;
}

/** Whoever holds such a rule holds the cluster (or, for a Role, the namespace): nothing else matters. */
export default defineCheck({
  id: 'PAL-0301',
  name: 'rbac-cluster-admin-equivalent',
  title: 'Role grants every verb on every resource',
  severity: 'critical',
  category: 'rbac',
  frameworks: ['mitre:T1078', 'ms:MS-TA9019'],
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
  evaluate({ resource }) {
    if (!isReviewedRole(resource)) return undefined;
    const cluster = resource.ref.kind === 'ClusterRole';
    const out: Violation[] = [];
    for (const { index, path, rule } of rulesOf(resource.object)) {
      if (!grantsEverything(rule)) continue;
      out.push({
        path,
        message: cluster
          ? `${describeObject(resource.ref)} rule ${index} grants every verb on every resource in every API group: it is equivalent to cluster-admin`
          : `${describeObject(resource.ref)} rule ${index} grants every verb on every resource in every API group: it is admin of namespace ${resource.ref.namespace ?? '(none)'}`,
        severity: cluster ? 'critical' : 'high',
        evidence: evidenceOf(rule),
      });
    }
    return out;
  },
});
