import { byReach, defineSubjectCheck } from '../../rbac/subject-checks.js';

/** Subject can impersonate other identities: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0410',
  name: 'rbac-subject-impersonate',
  title: 'Subject can impersonate other identities',
  severity: 'high',
  docs: {
    description:
      '`impersonate` on `users`, `groups`, `serviceaccounts`, `uids` or `userextras` lets a subject send requests as someone else (`kubectl --as`, `--as-group`). Impersonating any group includes `system:masters`, which bypasses authorization (critical); users or groups otherwise high; service accounts within namespaces medium.',
    remediation: 'Remove impersonation, or limit it with resourceNames to specific, unprivileged identities.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#impersonate-verb',
    ],
  },
  capability: 'impersonate',
  verdict(c) {
    const groups = c.grants.filter((g) => g.probe.query.resource === 'groups');
    const masters = groups.some((g) => g.scope === 'all' || g.names.includes('system:masters'));
    if (masters) return { text: 'can impersonate the group system:masters, which bypasses authorization,', severity: 'critical' };
    return { text: 'can impersonate other identities', severity: byReach(c, 'high', 'medium') };
  },
});
