/**
 * The Pod Security Standards evaluator: PSA's versioned controls as data, the level and
 * version composition, and helpers for the `pss-*` checks.
 *
 * @example
 * import { evaluatePodSecurity } from './pss/index.js';
 * evaluatePodSecurity({ spec, metadata }, { level: 'baseline', version: 'v1.30' }).allowed;
 */
export { controlViolations } from './check-violations.js';
export { type PssLocation, type PssObjectResult, type PssReport, type PssReportViolation, pssReport } from './report.js';
export { evaluateControl, evaluatePodSecurity, type PodSecurityPolicy } from './evaluate.js';
export {
  type ActiveCheck,
  activeChecks,
  type ControlInfo,
  controlById,
  effectiveMinor,
  listControls,
  NEWEST_MINOR,
  NEWEST_VERSION,
  PSS_CONTROLS,
} from './registry.js';
export {
  CONTROL_IDS,
  type ControlId,
  type ControlLevel,
  type PodInput,
  type PodSecurityResult,
  PSS_LEVELS,
  type PssLevel,
  type PssViolation,
} from './types.js';
export { formatPolicyVersion, isPssLevel, type PolicyVersion, parsePolicyVersion, parsePssLevel } from './version.js';
