/**
 * The RBAC model as a library: build it from an inventory, ask who can, can, what a subject
 * may do, and which escalation paths exist.
 *
 * @example
 * import { buildRbacModel, parseSubject, userInfoOf } from './rbac/index.js';
 * const model = buildRbacModel(inventory);
 * model.authorize(userInfoOf(parseSubject('sa:shop/web')), { kind: 'resource', verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'shop' }).allowed;
 */
export { BOOTSTRAP_POLICY } from './bootstrap-policy.js';
export {
  CAPABILITIES,
  CAPABILITY_IDS,
  type Capability,
  type CapabilityId,
  type CapabilitySpec,
  capabilitiesOf,
  capabilitySpec,
  describeReach,
} from './capabilities.js';
export {
  formatSubject,
  parseSubject,
  type Subject,
  type SubjectKind,
  serviceAccountUsername,
  type UserInfo,
  userInfoOf,
} from './identity.js';
export {
  type BindingEntry,
  buildRbacModel,
  type Decision,
  type DefaultsMode,
  type EffectiveRule,
  type Grant,
  RbacModel,
  type RbacModelOptions,
  type RequestAttributes,
  type RoleEntry,
  type WhoCanQuery,
  type WhoCanRow,
} from './model.js';
export { EscalationGraph, type EscalationPath, escalationPathsOf, type PathStep, type PathTarget } from './paths.js';
export { parseResourceArgument, type ResourceArgument } from './resources.js';
