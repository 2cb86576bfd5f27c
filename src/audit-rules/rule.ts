/**
 * The audit rule shape: the metadata of a check (id, name, title, severity, category,
 * framework references with the MITRE ATT&CK technique, docs) over a target of its own kind,
 * one audit event, plus a pure `evaluate`. `defineAuditRule` is the one way to author a rule,
 * built-in or custom, as `defineCheck` is for checks.
 */
import type { CheckDocs } from '../core/check.js';
import { PalisadeError } from '../core/errors.js';
import type { Evidence, JsonObject, JsonValue, Severity } from '../core/types.js';
import { isSeverity } from '../core/types.js';
import type { AuditEvent } from './event.js';

/** The target of every audit rule: one audit event (one request, evaluated once). */
export interface AuditTarget {
  readonly kind: 'audit-event';
}

/** Which events the engine hands to a rule (a pre-filter; `evaluate` decides). */
export interface AuditMatchFilter {
  /** `resource` or `resource/subresource` of `objectRef` (`pods/exec`); `''` for non-resource URLs. Absent: every event. */
  readonly resources?: readonly string[];
  /** Verbs (`create`, `get`, ...). Absent: every verb. */
  readonly verbs?: readonly string[];
}

/** The serialisable part of an audit rule. */
export interface AuditRuleMeta {
  /** `PAL-A001`: the `A` keeps audit rule ids apart from check ids (`PAL-0001`). */
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: string;
  /** `mitre:T1609` and other `framework:control` references. */
  readonly frameworks: readonly string[];
  readonly docs: CheckDocs;
  readonly target: AuditTarget;
  readonly match: AuditMatchFilter;
  /** Keeps state across events (rates, sequences); the state is bounded by `AuditLimits`. */
  readonly stateful?: boolean;
  /** JSON Schema of the rule's own params (`checks.<id>.params`); `ignoreUsers` is accepted by every rule. */
  readonly paramsSchema?: JsonObject;
  readonly aliases?: readonly string[];
  /** `builtin` or the file that defined it. */
  readonly origin?: string;
}

/** One detection. */
export interface AuditMatch {
  readonly message: string;
  /** Overrides the rule's default severity for this match. */
  readonly severity?: Severity;
  readonly evidence?: Evidence;
}

/** Bounds of the state a stateful rule may keep. */
export interface AuditLimits {
  /** Most keys (identities, source IPs) a rule tracks; the least recently seen is forgotten first. */
  readonly maxKeys: number;
  /** Most timestamps kept per key in one window. */
  readonly maxPerKey: number;
}

/** What `evaluate` receives. */
export interface AuditRuleContext<S> {
  readonly event: AuditEvent;
  /** Event time in ms since the epoch (the previous event's time when the event has none). */
  readonly time: number;
  readonly params: Readonly<Record<string, JsonValue>>;
  /** The rule's state, made by `createState` once per engine. */
  readonly state: S;
}

/** What `evaluate` returns: nothing, one match or several. */
// biome-ignore lint/suspicious/noConfusingVoidType: lets evaluate end without a return statement
export type AuditResult = AuditMatch | readonly AuditMatch[] | undefined | void;

/** An audit rule: metadata plus behaviour. */
export interface AuditRule<S = unknown> extends AuditRuleMeta {
  /** For stateful rules: makes the rule's state (one per engine, so per scan or server). */
  createState?(limits: AuditLimits, params: Readonly<Record<string, JsonValue>>): S;
  evaluate(ctx: AuditRuleContext<S>): AuditResult;
}

// biome-ignore lint/suspicious/noExplicitAny: catalogues hold rules of every state type
export type AnyAuditRule = AuditRule<any>;

const ID_RE = /^[A-Z][A-Z0-9]*-[A-Z0-9][A-Z0-9-]*$/;
const NAME_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Declares an audit rule, validating its metadata at definition time.
 *
 * @example
 * export default defineAuditRule({
 *   id: 'ACME-A001', name: 'configmap-deleted-in-prod', title: 'ConfigMap deleted in prod',
 *   severity: 'low', category: 'change', frameworks: ['mitre:T1485'],
 *   docs: { description: '...', remediation: '...' },
 *   target: { kind: 'audit-event' }, match: { resources: ['configmaps'], verbs: ['delete'] },
 *   evaluate: ({ event }) => event.objectRef?.namespace === 'prod' ? { message: 'deleted' } : undefined,
 * });
 */
export function defineAuditRule<S>(rule: AuditRule<S>): AuditRule<S> {
  const problems: string[] = [];
  if (typeof rule.id !== 'string' || !ID_RE.test(rule.id)) problems.push(`id "${String(rule.id)}" must look like PAL-A001`);
  if (typeof rule.name !== 'string' || !NAME_RE.test(rule.name)) problems.push(`name "${String(rule.name)}" must be a kebab-case slug`);
  if (typeof rule.title !== 'string' || rule.title === '') problems.push('title is required');
  if (!isSeverity(rule.severity)) problems.push(`severity "${String(rule.severity)}" is not one of critical, high, medium, low, info`);
  if (typeof rule.category !== 'string' || rule.category === '') problems.push('category is required');
  if (!Array.isArray(rule.frameworks)) problems.push('frameworks must be an array');
  if (!rule.docs || typeof rule.docs.description !== 'string' || typeof rule.docs.remediation !== 'string')
    problems.push('docs.description and docs.remediation are required');
  if (rule.target?.kind !== 'audit-event') problems.push('target.kind must be audit-event');
  if (typeof rule.match !== 'object' || rule.match === null) problems.push('match is required ({} for every event)');
  else {
    if (rule.match.resources !== undefined && (!Array.isArray(rule.match.resources) || rule.match.resources.some((r) => typeof r !== 'string')))
      problems.push('match.resources must be a list of resource[/subresource] names');
    if (rule.match.verbs !== undefined && (!Array.isArray(rule.match.verbs) || rule.match.verbs.some((r) => typeof r !== 'string')))
      problems.push('match.verbs must be a list of verbs');
  }
  if (typeof rule.evaluate !== 'function') problems.push('evaluate must be a function');
  if (rule.stateful && typeof rule.createState !== 'function') problems.push('a stateful rule needs createState');
  if (problems.length > 0) throw new PalisadeError('check-invalid', `invalid audit rule ${String(rule.id)}: ${problems.join('; ')}`, { id: rule.id, problems });
  return Object.freeze(rule);
}

/** The serialisable metadata of a rule (docs, SARIF rules, `palisade audit rules -f json`). */
export function auditRuleMeta(rule: AuditRuleMeta): AuditRuleMeta {
  const { id, name, title, severity, category, frameworks, docs, target, match, stateful, paramsSchema, aliases, origin } = rule;
  return {
    id,
    name,
    title,
    severity,
    category,
    frameworks,
    docs,
    target,
    match,
    ...(stateful ? { stateful } : {}),
    ...(paramsSchema ? { paramsSchema } : {}),
    ...(aliases ? { aliases } : {}),
    ...(origin ? { origin } : {}),
  };
}
