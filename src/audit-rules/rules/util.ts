/** Small helpers shared by the built-in audit rules. */
import { isObject } from '../../core/object.js';
import type { JsonObject, JsonValue } from '../../core/types.js';
import { type AuditEvent, isPrivilegedIdentity, userGroups, userName } from '../event.js';

/** A number param, else the default. */
export function numParam(params: Readonly<Record<string, JsonValue>>, key: string, fallback: number): number {
  const v = params[key];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

/** A string-list param. */
export function listParam(params: Readonly<Record<string, JsonValue>>, key: string): string[] {
  const v = params[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Who acted, as messages name them: `mallory (as admin)` for impersonation. */
export function actor(e: AuditEvent): string {
  const name = userName(e) || '(unauthenticated)';
  const real = e.user?.username;
  return e.impersonatedUser?.username !== undefined && real ? `${name} (impersonated by ${real})` : name;
}

/** Identities that routinely read secrets and change RBAC: `system:masters` and the control plane. */
export function trusted(e: AuditEvent): boolean {
  return isPrivilegedIdentity(e);
}

/** The RBAC rules of a (Cluster)Role body. */
export function policyRules(obj: JsonObject | undefined): JsonObject[] {
  const rules = obj?.rules;
  return Array.isArray(rules) ? rules.filter(isObject) : [];
}

/** The strings of a list field. */
export function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Subjects of a binding body as `User:name`, `Group:name`, `ServiceAccount:ns/name`. */
export function subjectsOf(obj: JsonObject | undefined): { kind: string; name: string; namespace?: string }[] {
  const subs = obj?.subjects;
  if (!Array.isArray(subs)) return [];
  const out: { kind: string; name: string; namespace?: string }[] = [];
  for (const s of subs) {
    if (!isObject(s) || typeof s.kind !== 'string' || typeof s.name !== 'string') continue;
    out.push({ kind: s.kind, name: s.name, ...(typeof s.namespace === 'string' ? { namespace: s.namespace } : {}) });
  }
  return out;
}

/** The user name a binding subject authenticates as (`system:serviceaccount:ns:name` for ServiceAccounts). */
export function subjectUserName(s: { kind: string; name: string; namespace?: string }, bindingNamespace: string | undefined): string | undefined {
  if (s.kind === 'User') return s.name;
  if (s.kind === 'ServiceAccount') return `system:serviceaccount:${s.namespace ?? bindingNamespace ?? 'default'}:${s.name}`;
  return undefined;
}

/** Whether the event's effective identity is one of the subjects (by user name or group). */
export function identityInSubjects(e: AuditEvent, subjects: readonly { kind: string; name: string; namespace?: string }[], ns: string | undefined): boolean {
  const user = userName(e);
  const groups = userGroups(e);
  return subjects.some((s) => (s.kind === 'Group' ? groups.includes(s.name) : subjectUserName(s, ns) === user));
}

/** Decodes the repeated `command=` parameters of an exec URI (`sh -c id`). */
export function execCommand(uri: string | undefined): string {
  if (!uri) return '';
  const q = uri.indexOf('?');
  if (q === -1) return '';
  const parts: string[] = [];
  for (const kv of uri.slice(q + 1).split('&')) {
    if (!kv.startsWith('command=')) continue;
    try {
      parts.push(decodeURIComponent(kv.slice(8).replace(/\+/g, ' ')));
    } catch {
      parts.push(kv.slice(8));
    }
  }
  return parts.join(' ');
}

/** `ns/name` or `name`. */
export function objName(e: AuditEvent): string {
  const r = e.objectRef;
  return `${r?.namespace ? `${r.namespace}/` : ''}${r?.name ?? '?'}`;
}

export const KUBE_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

const PAST: Readonly<Record<string, string>> = { create: 'created', update: 'updated', patch: 'patched', delete: 'deleted', deletecollection: 'deleted' };
/** `created`, `patched`, ... for messages. */
export function past(verb: string | undefined): string {
  return PAST[verb ?? ''] ?? `${verb ?? 'touched'}`;
}
