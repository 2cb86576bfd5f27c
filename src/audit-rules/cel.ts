/**
 * Custom audit rules written in YAML with a CEL condition, as custom checks are
 * (docs/custom-checks.md, docs/audit.md#custom-rules). The condition sees the event and the
 * facts rules use; a missing field makes it false (as in ValidatingAdmissionPolicy) instead of
 * failing the rule.
 */
import { parse } from '@marcbachmann/cel-js';
import { PalisadeError } from '../core/errors.js';
import { isObject } from '../core/object.js';
import { isSeverity } from '../core/types.js';
import { type AuditEvent, requestPath, resourceKey, statusCode, succeeded, userGroups, userName, writtenObject } from './event.js';
import { type AnyAuditRule, defineAuditRule } from './rule.js';

type Compiled = ReturnType<typeof parse>;

function toCel(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toCel);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = toCel(x);
  return out;
}

function compile(expr: string, where: string): Compiled {
  try {
    return parse(expr);
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new PalisadeError('check-invalid', `${where}: CEL expression does not parse: ${first}`);
  }
}

/** The variables a CEL condition sees. */
function variables(e: AuditEvent): Record<string, unknown> {
  return {
    event: toCel(e),
    user: { name: userName(e), groups: [...userGroups(e)], impersonatedBy: e.impersonatedUser?.username !== undefined ? (e.user?.username ?? '') : '' },
    object: toCel(writtenObject(e) ?? null),
    resource: resourceKey(e),
    verb: e.verb ?? '',
    code: BigInt(statusCode(e)),
    success: succeeded(e),
    path: requestPath(e),
  };
}

const strList = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/**
 * Builds an audit rule from a YAML definition.
 *
 * @example
 * celAuditRule({ id: 'ACME-A001', name: 'prod-configmap-deleted', title: 'ConfigMap deleted in prod', severity: 'medium',
 *   match: { resources: ['configmaps'], verbs: ['delete'] },
 *   condition: "success && event.objectRef.namespace == 'prod'", message: 'ConfigMap deleted in prod' }, 'rules.yaml');
 */
export function celAuditRule(def: unknown, where: string): AnyAuditRule {
  if (!isObject(def)) throw new PalisadeError('check-invalid', `${where}: a rule must be a mapping`);
  if (typeof def.condition !== 'string' || def.condition.trim() === '')
    throw new PalisadeError('check-invalid', `${where}: condition (a CEL expression) is required`);
  const condition = compile(def.condition, `${where}: condition`);
  const messageExpression = typeof def.messageExpression === 'string' ? compile(def.messageExpression, `${where}: messageExpression`) : undefined;
  const match = isObject(def.match) ? def.match : {};
  const resources = match.resources === undefined ? undefined : strList(match.resources);
  const verbs = match.verbs === undefined ? undefined : strList(match.verbs);
  if (match.resources !== undefined && !resources)
    throw new PalisadeError('check-invalid', `${where}: match.resources must be a list of resource[/subresource] names`);
  if (match.verbs !== undefined && !verbs) throw new PalisadeError('check-invalid', `${where}: match.verbs must be a list of verbs`);
  const severity = def.severity ?? 'medium';
  if (!isSeverity(severity)) throw new PalisadeError('check-invalid', `${where}: severity must be critical, high, medium, low or info`);
  const docs = isObject(def.docs) ? def.docs : {};
  const staticMessage = typeof def.message === 'string' ? def.message : undefined;
  const expr = def.condition;
  return defineAuditRule({
    id: String(def.id ?? ''),
    name: String(def.name ?? ''),
    title: String(def.title ?? ''),
    severity,
    category: String(def.category ?? 'custom'),
    frameworks: Array.isArray(def.frameworks) ? def.frameworks.map(String) : [],
    docs: {
      description: String(docs.description ?? def.title ?? ''),
      remediation: String(docs.remediation ?? ''),
      ...(Array.isArray(docs.references) ? { references: docs.references.map(String) } : {}),
    },
    target: { kind: 'audit-event' },
    match: { ...(resources ? { resources } : {}), ...(verbs ? { verbs } : {}) },
    origin: where,
    evaluate: ({ event }) => {
      const vars = variables(event);
      let ok: unknown;
      try {
        ok = condition(vars);
      } catch (err) {
        const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
        if (/no such key|not found|no such field/i.test(msg)) return;
        throw new Error(`CEL "${expr}": ${msg}`);
      }
      if (ok === false) return;
      if (ok !== true) throw new Error(`CEL "${expr}" returned ${typeof ok}, not a bool`);
      let message =
        staticMessage ??
        `${String(def.title ?? def.id)}: ${userName(event) || '(unauthenticated)'} ${event.verb ?? ''} ${resourceKey(event) || requestPath(event)}`;
      if (messageExpression) {
        try {
          const m = messageExpression(vars);
          if (typeof m === 'string' && m !== '') message = m;
        } catch {
          // Keep the static message, as the API server does for messageExpression.
        }
      }
      return { message };
    },
  });
}
