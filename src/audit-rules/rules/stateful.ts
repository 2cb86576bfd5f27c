/**
 * Stateful rules: rates and sequences per identity, over event time. Their state is bounded:
 * at most `maxKeys` identities (least recently seen forgotten first) and `maxPerKey`
 * timestamps per window, so memory does not grow with the log.
 */
import { isObject } from '../../core/object.js';
import {
  type AuditEvent,
  isControlPlane,
  isPrivilegedIdentity,
  isWrite,
  requestPath,
  resourceKey,
  statusCode,
  succeeded,
  userGroups,
  userName,
  writtenObject,
} from '../event.js';
import { defineAuditRule } from '../rule.js';
import { LruMap, TimeWindow } from '../window.js';
import { actor, numParam, subjectsOf, subjectUserName } from './util.js';

const THRESHOLD_SCHEMA = {
  type: 'object',
  properties: {
    ignoreUsers: { type: 'array', items: { type: 'string' } },
    threshold: { type: 'number', minimum: 1 },
    windowSeconds: { type: 'number', minimum: 1 },
  },
} as const;

/** The key a rate is counted under: the identity, or the source IP for unauthenticated requests. */
function who(e: AuditEvent): string {
  const u = userName(e);
  if (u !== '' && u !== 'system:anonymous') return u;
  return `${u || '(unauthenticated)'}@${e.sourceIPs?.[0] ?? '?'}`;
}

interface DeniedState {
  readonly byIdentity: LruMap<string, Map<string, TimeWindow>>;
  readonly limits: { maxPerKey: number };
}

const MAX_RESOURCES_PER_IDENTITY = 64;

export const deniedThenAllowed = defineAuditRule<DeniedState>({
  id: 'PAL-A101',
  name: 'denied-then-allowed',
  title: 'Repeated refusals followed by success on the same resource',
  severity: 'high',
  category: 'privilege-escalation',
  frameworks: ['mitre:T1078', 'mitre:T1098'],
  docs: {
    description:
      'An identity was refused (403) `threshold` times (default 3) on one resource type within `windowSeconds` (default 900), then succeeded on it: it gained the right in between, by an RBAC change, a new credential or impersonation. Each identity tracks at most 64 resource types.',
    remediation: 'Find what granted the access (RBAC changes between the refusals and the success) and whether it was approved.',
  },
  target: { kind: 'audit-event' },
  match: {},
  stateful: true,
  paramsSchema: THRESHOLD_SCHEMA,
  createState: (limits) => ({ byIdentity: new LruMap(limits.maxKeys), limits }),
  evaluate: ({ event, time, params, state }) => {
    // Cheapest tests first: this rule sees every event.
    const code = statusCode(event);
    if (code !== 403 && (code < 200 || code >= 400)) return;
    if (code !== 403 && state.byIdentity.size === 0) return;
    const res = resourceKey(event);
    if (res === '' || res.startsWith('selfsubject')) return;
    if (isControlPlane(userName(event))) return;
    const id = who(event);
    const threshold = numParam(params, 'threshold', 3);
    const windowMs = numParam(params, 'windowSeconds', 900) * 1000;
    if (code === 403) {
      let m = state.byIdentity.get(id);
      if (!m) {
        m = new Map();
        state.byIdentity.set(id, m);
      }
      let w = m.get(res);
      if (!w) {
        if (m.size >= MAX_RESOURCES_PER_IDENTITY) m.delete(m.keys().next().value as string);
        w = new TimeWindow(windowMs, Math.min(state.limits.maxPerKey, threshold * 4));
        m.set(res, w);
      }
      w.add(time);
      return;
    }
    if (!succeeded(event)) return;
    const w = state.byIdentity.get(id)?.get(res);
    if (!w) return;
    const n = w.count(time);
    if (n < threshold) return;
    w.clear();
    return { message: `${actor(event)} was refused ${n} times on ${res}, then ${event.verb} succeeded`, evidence: { refusals: n, resource: res } };
  },
});

interface EnumState {
  readonly windows: LruMap<string, { w: TimeWindow; alerted: number }>;
  readonly firstSeen: LruMap<string, number>;
  readonly maxPerKey: number;
}

function secretsIn(e: AuditEvent): number {
  if (e.verb === 'get') return 1;
  const obj = isObject(e.responseObject) ? e.responseObject : undefined;
  if (Array.isArray(obj?.items)) return Math.max(1, obj.items.length);
  if (Array.isArray(obj?.rows)) return Math.max(1, obj.rows.length);
  return 1;
}

export const secretEnumeration = defineAuditRule<EnumState>({
  id: 'PAL-A102',
  name: 'secret-enumeration',
  title: 'Many secrets read by one identity in a short time',
  severity: 'high',
  category: 'credential-access',
  frameworks: ['mitre:T1552.007', 'mitre:T1613'],
  docs: {
    description:
      'An identity outside `system:masters` and the control plane read at least `threshold` secrets (default 10; a list counts the secrets it returned) within `windowSeconds` (default 600). An identity first seen less than `newIdentitySeconds` (default 3600) earlier in the stream is named as new. Reported once per identity and window.',
    remediation: 'Treat the listed secrets as exposed and rotate them; find how the identity got the right.',
  },
  target: { kind: 'audit-event' },
  match: {},
  stateful: true,
  paramsSchema: { ...THRESHOLD_SCHEMA, properties: { ...THRESHOLD_SCHEMA.properties, newIdentitySeconds: { type: 'number', minimum: 1 } } },
  createState: (limits) => ({ windows: new LruMap(limits.maxKeys), firstSeen: new LruMap(limits.maxKeys), maxPerKey: limits.maxPerKey }),
  evaluate: ({ event, time, params, state }) => {
    // Administrators and the control plane are neither counted nor remembered.
    if (isPrivilegedIdentity(event)) return;
    const id = who(event);
    if (!state.firstSeen.has(id)) state.firstSeen.add(id, time);
    if (event.objectRef?.resource !== 'secrets' || event.objectRef.subresource) return;
    if (!['get', 'list', 'watch'].includes(event.verb ?? '') || !succeeded(event)) return;
    const threshold = numParam(params, 'threshold', 10);
    const windowMs = numParam(params, 'windowSeconds', 600) * 1000;
    let s = state.windows.get(id);
    if (!s) {
      s = { w: new TimeWindow(windowMs, state.maxPerKey), alerted: Number.NEGATIVE_INFINITY };
      state.windows.set(id, s);
    }
    const n = Math.min(secretsIn(event), state.maxPerKey);
    for (let i = 0; i < n; i++) s.w.add(time);
    const count = s.w.count(time);
    if (count < threshold || time - s.alerted < windowMs) return;
    s.alerted = time;
    const first = state.firstSeen.get(id) ?? time;
    const isNew = time - first < numParam(params, 'newIdentitySeconds', 3600) * 1000;
    return {
      message: `${isNew ? 'new identity ' : ''}${actor(event)} read ${count} secrets within ${windowMs / 1000}s`,
      evidence: { secrets: count, newIdentity: isNew },
    };
  },
});

interface BurstState {
  readonly windows: LruMap<string, { w: TimeWindow; alerted: number }>;
  readonly maxPerKey: number;
}

export const forbiddenBurst = defineAuditRule<BurstState>({
  id: 'PAL-A103',
  name: 'forbidden-burst',
  title: 'Burst of refused requests from one identity or address',
  severity: 'medium',
  category: 'discovery',
  frameworks: ['mitre:T1613', 'mitre:T1110'],
  docs: {
    description:
      'At least `threshold` requests (default 20) from one identity (or, unauthenticated, one source address) were refused with 401 or 403 within `windowSeconds` (default 300): enumeration with a stolen or guessed credential, or a broken client. Reported once per identity and window.',
    remediation: 'Identify the client; revoke the credential if it is not expected to be used.',
  },
  target: { kind: 'audit-event' },
  match: {},
  stateful: true,
  paramsSchema: THRESHOLD_SCHEMA,
  createState: (limits) => ({ windows: new LruMap(limits.maxKeys), maxPerKey: limits.maxPerKey }),
  evaluate: ({ event, time, params, state }) => {
    const code = statusCode(event);
    if (code !== 401 && code !== 403) return;
    if (isControlPlane(userName(event))) return;
    const id = who(event);
    const threshold = numParam(params, 'threshold', 20);
    const windowMs = numParam(params, 'windowSeconds', 300) * 1000;
    let s = state.windows.get(id);
    if (!s) {
      s = { w: new TimeWindow(windowMs, Math.max(threshold, Math.min(state.maxPerKey, threshold * 2))), alerted: Number.NEGATIVE_INFINITY };
      state.windows.set(id, s);
    }
    s.w.add(time);
    const n = s.w.count(time);
    if (n < threshold || time - s.alerted < windowMs) return;
    s.alerted = time;
    return {
      message: `${id} was refused ${n} requests within ${windowMs / 1000}s (last: ${event.verb} ${resourceKey(event) || requestPath(event)})`,
      evidence: { refusals: n },
    };
  },
});

interface GrantState {
  /** Subject user name -> what granted it. */
  readonly grants: LruMap<string, { time: number; binding: string; by: string }>;
}

const SENSITIVE_USE = new Set([
  'secrets',
  'pods/exec',
  'pods/attach',
  'pods/ephemeralcontainers',
  'nodes/proxy',
  'serviceaccounts/token',
  'roles',
  'clusterroles',
  'rolebindings',
  'clusterrolebindings',
]);

export const newGrantUsed = defineAuditRule<GrantState>({
  id: 'PAL-A104',
  name: 'new-grant-used',
  title: 'Newly bound subject uses sensitive access soon after the binding',
  severity: 'high',
  category: 'privilege-escalation',
  frameworks: ['mitre:T1098.006', 'mitre:T1078'],
  docs: {
    description:
      'A RoleBinding or ClusterRoleBinding named a user or service account, and within `windowSeconds` (default 3600) that subject read secrets, exec-ed into pods, used nodes/proxy, minted tokens or wrote RBAC: the "RBAC change followed by use" sequence of a privilege escalation. Reported once per binding and subject.',
    remediation: 'Review the binding and what the subject did with it.',
  },
  target: { kind: 'audit-event' },
  match: {},
  stateful: true,
  paramsSchema: { type: 'object', properties: { ignoreUsers: { type: 'array', items: { type: 'string' } }, windowSeconds: { type: 'number', minimum: 1 } } },
  createState: (limits) => ({ grants: new LruMap(limits.maxKeys) }),
  evaluate: ({ event, time, params, state }) => {
    const res = resourceKey(event);
    if (!succeeded(event)) return;
    if ((res === 'rolebindings' || res === 'clusterrolebindings') && (event.verb === 'create' || event.verb === 'update' || event.verb === 'patch')) {
      if (isControlPlane(userName(event))) return;
      const obj = writtenObject(event);
      const ns = event.objectRef?.namespace;
      const binding = `${res === 'rolebindings' ? 'RoleBinding' : 'ClusterRoleBinding'} ${ns ? `${ns}/` : ''}${event.objectRef?.name ?? '?'}`;
      for (const s of subjectsOf(obj)) {
        const name = subjectUserName(s, ns) ?? `group:${s.name}`;
        state.grants.set(name, { time, binding, by: actor(event) });
      }
    }
    if (!SENSITIVE_USE.has(res)) return;
    if (res === 'secrets' || res === 'pods/exec' || res === 'pods/attach' || res === 'nodes/proxy' || res === 'serviceaccounts/token' || isWrite(event.verb)) {
      const user = userName(event);
      const keys = [user, ...userGroups(event).map((g) => `group:${g}`)];
      for (const k of keys) {
        const g = state.grants.get(k);
        if (!g) continue;
        if (time - g.time > numParam(params, 'windowSeconds', 3600) * 1000) {
          state.grants.delete(k);
          continue;
        }
        state.grants.delete(k);
        return {
          message: `${actor(event)} used ${res} (${event.verb}) ${Math.round((time - g.time) / 1000)}s after ${g.by} granted it ${g.binding}`,
          evidence: { binding: g.binding, grantedBy: g.by },
        };
      }
    }
    return;
  },
});

export const statefulRules = [deniedThenAllowed, secretEnumeration, forbiddenBurst, newGrantUsed] as const;
