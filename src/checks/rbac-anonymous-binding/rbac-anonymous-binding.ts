import { defineCheck, type Violation } from '../../core/check.js';
import { describeSubject, type IndexedSubject, isRbacBinding, type RoleRef, roleRefOf, subjectsOf } from '../../rbac/rules.js';
import { describeObject } from '../../core/object.js';
import { grantsOnlyUse } from '../../rbac/capabilities.js';

type Audience = 'anonymous' | 'authenticated';

/** Which requests a subject matches, when it is one of the built-in catch-all identities. */
function audienceOf(s: IndexedSubject): Audience | undefined {
  if ((s.kind === 'User' && s.name === 'system:anonymous') || (s.kind === 'Group' && s.name === 'system:unauthenticated')) return 'anonymous';
  if (s.kind === 'Group' && s.name === 'system:authenticated') return 'authenticated';
  return undefined;
}

// What Kubernetes itself binds to these identities: discovery and version information.
const DEFAULTS: Readonly<Record<Audience, ReadonlySet<string>>> = {
  anonymous: new Set(['system:public-info-viewer']),
  authenticated: new Set(['system:basic-user', 'system:discovery', 'system:public-info-viewer']),
};

function isDefault(audience: Audience, ref: RoleRef | undefined): boolean {
  return ref?.kind === 'ClusterRole' && DEFAULTS[audience].has(ref.name);
}

/** Anyone who can reach the API server, or anyone with any credential, gets the role. */
export default defineCheck({
  id: 'PAL-0319',
  name: 'rbac-anonymous-binding',
  title: 'Binding grants a role to anonymous or all authenticated users',
  severity: 'critical',
  category: 'rbac',
  frameworks: ['nsa:NSA-21', 'mitre:T1078.001'],
  docs: {
    description:
      'A binding whose subjects include the user `system:anonymous` or the group `system:unauthenticated` grants its role to every request that reaches ' +
      'the API server without credentials; the group `system:authenticated` grants it to every identity the cluster accepts, each service account of every ' +
      'namespace included (and, on some managed clusters, any account of the cloud provider). Only the bindings Kubernetes creates itself pass: ' +
      '`system:public-info-viewer` for anonymous requests and `system:basic-user`, `system:discovery` and `system:public-info-viewer` for authenticated ones; ' +
      'and so do bindings of a role that grants only `use` (of a PodSecurityPolicy or SecurityContextConstraints), which authorizes no API request.',
    remediation:
      'Bind roles to specific users, groups or service accounts instead of the catch-all identities; disable anonymous authentication where it is not needed.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles',
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests',
    ],
  },
  target: { kind: 'resource', kinds: ['ClusterRoleBinding', 'RoleBinding'] },
  uses: ['rbac'],
  evaluate({ models, resource }) {
    if (!isRbacBinding(resource)) return undefined;
    // A role that grants only `use` of a pod security policy authorizes no request (as
    // rbac-catch-all-grant). A role missing from the inventory is not known to be harmless.
    const bound = models.rbac.bindingOf(resource)?.role;
    if (bound && grantsOnlyUse(bound.rules.map((r) => r.rule))) return undefined;
    const ref = roleRefOf(resource.object);
    const role = ref ? `${ref.kind} ${ref.name}` : 'its role';
    const out: Violation[] = [];
    for (const s of subjectsOf(resource.object)) {
      const audience = audienceOf(s);
      if (audience === undefined || isDefault(audience, ref)) continue;
      const who = audience === 'anonymous' ? 'every unauthenticated request' : 'every authenticated identity, every service account included';
      out.push({
        path: s.path,
        message: `${describeObject(resource.ref)} binds ${role} to ${describeSubject(s)}, granting it to ${who}`,
        evidence: { subject: describeSubject(s), ...(ref ? { roleRef: `${ref.kind}/${ref.name}` } : {}) },
      });
    }
    return out;
  },
});
