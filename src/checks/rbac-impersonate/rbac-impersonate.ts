import { defineCheck } from '../../core/check.js';
import {
  describeGrants,
  evidenceOf,
  grantsByRule,
  isReviewedRole,
  type PolicyRule,
  queriesOf,
  type ResourceQuery,
  someSubresourceQueries,
} from '../../rbac/rules.js';
import { describeObject } from '../../core/object.js';

const AUTHN = 'authentication.k8s.io';

// What the impersonation filter authorizes: users, groups and service accounts in the core
// group, uids and user extras (the extra key is the subresource) in authentication.k8s.io.
const FIXED = [...queriesOf(['impersonate'], '', ['users', 'groups', 'serviceaccounts']), ...queriesOf(['impersonate'], AUTHN, ['uids'])];

function queriesFor(rule: PolicyRule): readonly ResourceQuery[] {
  return [...FIXED, ...someSubresourceQueries(rule, { verb: 'impersonate', apiGroup: AUTHN, resource: 'userextras' })];
}

/** Impersonation makes the caller whoever they name, with all of that identity's permissions. */
export default defineCheck({
  id: 'PAL-0309',
  name: 'rbac-impersonate',
  title: 'Role grants the impersonate verb',
  severity: 'high',
  category: 'rbac',
  frameworks: ['cis:5.1.8'],
  docs: {
    description:
      '`impersonate` on `users`, `groups`, `serviceaccounts`, `uids` or `userextras/<key>` lets its holders send requests as another identity ' +
      '(`kubectl --as`, `--as-group`): impersonating a group such as `system:masters` or an administrator is cluster-admin. ' +
      'One step lower (medium) when the rule is limited to resourceNames (specific identities), unless the names include `system:masters`. ' +
      'A Role can only grant impersonation of service accounts of its namespace; users, groups, uids and extras are cluster-scoped. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove `impersonate`, or limit it with `resourceNames` to specific, unprivileged identities.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#impersonate-verb',
    ],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    if (!isReviewedRole(resource)) return undefined;
    return grantsByRule(resource.object, queriesFor).map((r) => {
      const named = r.grants.every((g) => g.scope === 'named');
      // A name list that reaches system:masters is no narrowing: that group bypasses RBAC.
      const masters = named && r.grants.some((g) => g.resource === 'groups') && r.rule.resourceNames.includes('system:masters');
      return {
        path: r.path,
        message: `${describeObject(resource.ref)} rule ${r.index} grants ${describeGrants(r.grants, r.rule)}: its holders can act as ${
          masters ? 'the group system:masters, which bypasses RBAC' : 'other identities, with their permissions'
        }`,
        severity: named && !masters ? 'medium' : 'high',
        evidence: evidenceOf(r.rule),
      };
    });
  },
});
