/**
 * The built-in audit rule catalogue. Ids are `PAL-A0xx` for stateless rules and `PAL-A1xx`
 * for stateful ones: the `A` keeps them apart from check ids (`PAL-0001`), which are digits.
 */
import type { AnyAuditRule } from './rule.js';
import { credentialRules } from './rules/credentials.js';
import { evasionRules } from './rules/evasion.js';
import { rbacRules } from './rules/rbac.js';
import { statefulRules } from './rules/stateful.js';
import { workloadRules } from './rules/workload.js';

export { type AuditAlert, AuditEngine, type AuditEngineOptions, type AuditRuleSettings, type AuditStats, atOrAbove, DEFAULT_LIMITS } from './engine.js';
export * from './event.js';
export * from './rule.js';
export { LruMap, TimeWindow } from './window.js';

/** Every built-in audit rule, in id order. */
export const builtinAuditRules: readonly AnyAuditRule[] = [...workloadRules, ...rbacRules, ...credentialRules, ...evasionRules, ...statefulRules].sort((a, b) =>
  a.id.localeCompare(b.id),
);
export { celAuditRule } from './cel.js';
