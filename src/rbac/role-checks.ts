/**
 * What the role-level RBAC checks (PAL-03xx) share: each reads one or more capabilities of
 * the catalogue (`capabilities.ts`) and reports every rule of a Role or ClusterRole that
 * grants one, at `/rules/<i>`. The same probes decide the effective-permission checks
 * (PAL-04xx), so a role that grants a capability and a subject bound to it are reported by
 * both families. Kubernetes' own bootstrap roles are not reported.
 */
import { type Check, defineCheck, type ResourceContext, type Violation } from '../core/check.js';
import { describeObject } from '../core/object.js';
import type { Severity } from '../core/types.js';
import { type CapabilityId, capabilitySpec, frameworksOf, type ProbeMatch, probeMatches } from './capabilities.js';
import type { EffectiveRule, RbacModel, RoleEntry } from './model.js';
import { describeGrants, evidenceOf, type Grant, isClusterScopedQuery, narrower } from './rules.js';

/** The kinds the role-level checks read. */
export const ROLE_TARGET = { kind: 'resource', kinds: ['Role', 'ClusterRole'] } as const;

/**
 * The role of a Role or ClusterRole object that the role-level checks review: one of the
 * RBAC API, not a Kubernetes bootstrap role.
 *
 * @example
 * const role = reviewedRole(ctx.models.rbac, ctx.resource);
 */
export function reviewedRole(model: RbacModel, resource: ResourceContext['resource']): RoleEntry | undefined {
  const role = model.roleOf(resource);
  return role && !role.bootstrap ? role : undefined;
}

/** One rule of a role and the probes of the checked capabilities it grants. */
export interface RuleCapabilities {
  readonly rule: EffectiveRule;
  /** Pointer from the object root: `/rules/2`. */
  readonly path: string;
  readonly matches: readonly ProbeMatch[];
  /** The matches as grants, for {@link describeGrants}. */
  readonly grants: readonly Grant[];
}

/**
 * The rules of a role (as written in it) that grant any of the capabilities. A Role's rules
 * never grant cluster-scoped requests (RoleBindings take part only in namespaced ones).
 *
 * @example
 * rulesGranting(model, role, ['read-secrets']).map((r) => r.path); // ['/rules/0']
 */
export function rulesGranting(model: RbacModel, role: RoleEntry, capabilities: readonly CapabilityId[]): readonly RuleCapabilities[] {
  const out: RuleCapabilities[] = [];
  for (const rule of role.ownRules) {
    const matches = probeMatches(model, rule).filter(
      (m) =>
        m.probe.capability !== undefined && capabilities.includes(m.probe.capability) && (role.kind === 'ClusterRole' || !isClusterScopedQuery(m.probe.query)),
    );
    if (matches.length === 0) continue;
    out.push({ rule, path: `/rules/${rule.index}`, matches, grants: matches.map((m) => ({ ...m.probe.query, scope: m.scope })) });
  }
  return out;
}

/**
 * The severity of a role-level finding from the catalogue: a ClusterRole's rule is judged at
 * cluster reach, a Role's at namespace reach, one step lower when the rule only reaches the
 * objects its resourceNames list (as the subject-level checks judge a grant).
 *
 * @example
 * roleSeverity('read-secrets', role, false); // 'high' for a ClusterRole, 'medium' for a Role
 */
export function roleSeverity(capability: CapabilityId, role: Pick<RoleEntry, 'kind'>, named: boolean): Severity {
  const { severity } = capabilitySpec(capability);
  const base = role.kind === 'ClusterRole' ? severity.cluster : severity.namespaced;
  return named ? narrower(base) : base;
}

/** Options of {@link defineRoleCheck}. */
export interface RoleCheckSpec extends Omit<Check<typeof ROLE_TARGET>, 'target' | 'evaluate' | 'category' | 'frameworks'> {
  /** The capabilities of the catalogue the check reports (PAL-0304: exec and attach). */
  readonly capabilities: readonly CapabilityId[];
  /**
   * Overrides the catalogue's wording or severity for one rule (impersonating
   * `system:masters` is critical whatever the reach).
   */
  refine?(found: RuleCapabilities, role: RoleEntry): { readonly consequence?: string; readonly severity?: Severity } | undefined;
}

/**
 * Defines a role-level check from catalogue entries: its frameworks, severity by reach and
 * consequence come from `capabilities.ts`.
 *
 * @example
 * export default defineRoleCheck({ id: 'PAL-0302', name: 'rbac-read-secrets', capabilities: ['read-secrets'], ... });
 */
export function defineRoleCheck(spec: RoleCheckSpec): Check<typeof ROLE_TARGET> {
  const { capabilities, refine, ...meta } = spec;
  return defineCheck({
    ...meta,
    category: 'rbac',
    frameworks: frameworksOf(...capabilities),
    target: ROLE_TARGET,
    uses: ['rbac'],
    evaluate(ctx: ResourceContext): Violation[] {
      const model = ctx.models.rbac;
      const role = reviewedRole(model, ctx.resource);
      if (!role) return [];
      return rulesGranting(model, role, capabilities).map((found) => {
        const named = found.matches.every((m) => m.scope === 'named');
        // The most severe capability the rule grants decides.
        const granted = capabilities.filter((c) => found.matches.some((m) => m.probe.capability === c));
        const severity = granted.map((c) => roleSeverity(c, role, named)).sort((a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b))[0] as Severity;
        const consequence = granted.map((c) => capabilitySpec(c).consequence).join('; ');
        const refined = refine?.(found, role);
        return {
          path: found.path,
          message: `${describeObject(ctx.resource.ref)} rule ${found.rule.index} grants ${describeGrants(found.grants, found.rule.rule)}: ${refined?.consequence ?? consequence}`,
          severity: refined?.severity ?? severity,
          evidence: { capabilities: granted, ...evidenceOf(found.rule.rule) },
        };
      });
    },
  });
}

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
