/**
 * Rules on credentials and identities: secrets read by identities outside the administrators
 * and the control plane, TokenRequests, certificate signing requests, impersonation,
 * anonymous access, credentials in ConfigMaps, service accounts in system namespaces and
 * permission enumeration.
 */
import { detectCredential } from '../../credentials/detect.js';
import { isObject } from '../../core/object.js';
import type { JsonValue } from '../../core/types.js';
import { globMatch } from '../../core/exceptions.js';
import {
  type AuditEvent,
  isControlPlane,
  isPrivilegedIdentity,
  PUBLIC_PATHS,
  requestPath,
  statusCode,
  succeeded,
  userGroups,
  userName,
  writtenObject,
} from '../event.js';
import { defineAuditRule } from '../rule.js';
import { LruMap } from '../window.js';
import { actor, KUBE_NAMESPACES, listParam, numParam, objName, past } from './util.js';

const ALLOWED_USERS_SCHEMA = {
  type: 'object',
  properties: {
    ignoreUsers: { type: 'array', items: { type: 'string' } },
    allowedUsers: { type: 'array', items: { type: 'string' }, description: 'identities (globs) expected to read secrets' },
    allowedGroups: { type: 'array', items: { type: 'string' } },
  },
} as const;

function allowedReader(e: AuditEvent, params: Readonly<Record<string, JsonValue>>): boolean {
  if (isPrivilegedIdentity(e)) return true;
  const user = userName(e);
  if (listParam(params, 'allowedUsers').some((g) => globMatch(g, user))) return true;
  const groups = userGroups(e);
  return listParam(params, 'allowedGroups').some((g) => groups.some((x) => globMatch(g, x)));
}

export const secretRead = defineAuditRule({
  id: 'PAL-A030',
  name: 'secret-read-by-unexpected-identity',
  title: 'Secret read by an identity outside the administrators and the control plane',
  severity: 'medium',
  category: 'credential-access',
  frameworks: ['mitre:T1552.007', 'mitre:T1528'],
  docs: {
    description:
      'A `get`, `list` or `watch` of Secrets succeeded for an identity that is neither in `system:masters` nor a control-plane component. A list or watch across all namespaces or in a system namespace is high severity. Expected readers (an operator, External Secrets, a CI deployer) go in `checks.PAL-A030.params.allowedUsers` / `allowedGroups`.',
    remediation: 'Confirm the reader; narrow RBAC to named secrets with `resourceNames`.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
  paramsSchema: ALLOWED_USERS_SCHEMA,
  evaluate: ({ event, params }) => {
    if (!succeeded(event) || allowedReader(event, params)) return;
    const ns = event.objectRef?.namespace;
    const wide = event.verb !== 'get' && (ns === undefined || KUBE_NAMESPACES.has(ns));
    const what = event.verb === 'get' ? `secret ${objName(event)}` : `secrets in ${ns ?? 'all namespaces'}`;
    return {
      message: `${actor(event)} ${event.verb === 'get' ? 'read' : event.verb === 'list' ? 'listed' : 'watched'} ${what}`,
      ...(wide ? { severity: 'high' as const } : {}),
    };
  },
});

export const secretReadDenied = defineAuditRule({
  id: 'PAL-A031',
  name: 'secret-read-denied',
  title: 'Attempt to read secrets refused',
  severity: 'low',
  category: 'credential-access',
  frameworks: ['mitre:T1552.007'],
  docs: {
    description:
      'A read of Secrets was refused (401 or 403): a probe for credentials, or a misconfigured client. The stateful rules PAL-A101 and PAL-A103 raise the alarm when it repeats or is followed by success.',
    remediation: 'Identify the client; remove stale credentials or fix its RBAC.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
  evaluate: ({ event }) => {
    const c = statusCode(event);
    if (c !== 403 && c !== 401) return;
    return {
      message: `${actor(event)} was refused (${c}) ${event.verb} of ${event.verb === 'get' ? `secret ${objName(event)}` : `secrets in ${event.objectRef?.namespace ?? 'all namespaces'}`}`,
    };
  },
});

export const tokenRequest = defineAuditRule({
  id: 'PAL-A032',
  name: 'service-account-token-requested',
  title: 'Token requested for a service account (TokenRequest)',
  severity: 'medium',
  category: 'credential-access',
  frameworks: ['mitre:T1528', 'mitre:T1550.001'],
  docs: {
    description:
      'A `create` on `serviceaccounts/token` mints a bearer token for the service account. Kubelets do it for their pods; anyone else gets a credential of another identity, which outlives the request (`kubectl create token --duration`). A service account minting a token for another service account is high severity.',
    remediation: 'Confirm who needed the token and why; restrict `serviceaccounts/token` create.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['serviceaccounts/token'], verbs: ['create'] },
  evaluate: ({ event }) => {
    const user = userName(event);
    if (!succeeded(event) || isControlPlane(user)) return;
    const target = `system:serviceaccount:${event.objectRef?.namespace ?? '?'}:${event.objectRef?.name ?? '?'}`;
    const body = isObject(event.requestObject) && isObject(event.requestObject.spec) ? event.requestObject.spec : {};
    const audiences = Array.isArray(body.audiences) ? body.audiences.map(String) : [];
    const seconds = typeof body.expirationSeconds === 'number' ? body.expirationSeconds : undefined;
    const otherSa = user.startsWith('system:serviceaccount:') && user !== target;
    return {
      message: `${actor(event)} obtained a token for service account ${objName(event)}${seconds ? ` valid ${seconds}s` : ''}${audiences.length ? ` for ${audiences.join(', ')}` : ''}`,
      ...(otherSa ? { severity: 'high' as const } : {}),
      evidence: { audiences, ...(seconds ? { expirationSeconds: seconds } : {}) },
    };
  },
});

function isNodeBootstrap(user: string): boolean {
  return user.startsWith('system:node:') || user.startsWith('system:bootstrap:') || isControlPlane(user);
}

export const csrCreated = defineAuditRule({
  id: 'PAL-A033',
  name: 'csr-created',
  title: 'Certificate signing request created by a non-node identity',
  severity: 'medium',
  category: 'credential-access',
  frameworks: ['mitre:T1649'],
  docs: {
    description:
      'A CertificateSigningRequest asks a cluster signer for a client certificate: once approved it is a credential that cannot be revoked before it expires. Nodes and bootstrap tokens create them routinely; others rarely. A refused CSR (for example one for `system:masters`, stopped by admission) is reported too.',
    remediation: 'Deny unexpected CSRs (`kubectl certificate deny`); restrict who may create them.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['certificatesigningrequests'], verbs: ['create'] },
  evaluate: ({ event }) => {
    const user = userName(event);
    if (isNodeBootstrap(user)) return;
    const c = statusCode(event);
    if (!succeeded(event) && c !== 403) return;
    const obj = isObject(event.requestObject) ? event.requestObject : undefined;
    const spec = isObject(obj?.spec) ? obj.spec : {};
    const signer = typeof spec.signerName === 'string' ? spec.signerName : '?';
    const name = event.objectRef?.name ?? (isObject(obj?.metadata) ? String(obj.metadata.name ?? '?') : '?');
    return {
      message: `${actor(event)} ${succeeded(event) ? 'created' : `was refused (${c}) creating`} CSR ${name} for signer ${signer}`,
      ...(signer === 'kubernetes.io/kube-apiserver-client' && succeeded(event) ? { severity: 'high' as const } : {}),
      evidence: { signer },
    };
  },
});

export const csrApproved = defineAuditRule({
  id: 'PAL-A034',
  name: 'csr-approved',
  title: 'Certificate signing request approved by a person',
  severity: 'high',
  category: 'credential-access',
  frameworks: ['mitre:T1649'],
  docs: {
    description:
      'An update of `certificatesigningrequests/approval` outside the control plane approves a certificate, usually a client certificate that will authenticate as the name in its subject.',
    remediation: 'Confirm the subject of the approved certificate; rotate the signer if it was not legitimate.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['certificatesigningrequests/approval'], verbs: ['update', 'patch'] },
  evaluate: ({ event }) => {
    if (!succeeded(event) || isControlPlane(userName(event))) return;
    const text = JSON.stringify(event.requestObject ?? {});
    if (!/"type":"Approved"/.test(text) && event.requestObject !== undefined) return;
    return { message: `${actor(event)} approved CSR ${event.objectRef?.name ?? '?'}` };
  },
});

const PRIVILEGED_TARGET = /^(system:admin|system:kube-controller-manager|system:apiserver|system:serviceaccount:kube-system:.*|system:node:.*)$/;

interface ImpersonationState {
  seen: LruMap<string, number>;
}

export const impersonation = defineAuditRule<ImpersonationState>({
  id: 'PAL-A035',
  name: 'impersonation',
  title: 'Request made while impersonating another identity',
  severity: 'medium',
  category: 'privilege-escalation',
  frameworks: ['mitre:T1134', 'mitre:T1078'],
  docs: {
    description:
      'The caller used `Impersonate-User`/`--as` to act as another identity. Reported once per caller and impersonated identity per hour (`params.windowSeconds`). Impersonating a control-plane identity or the `system:masters` group is high severity.',
    remediation: 'Confirm the reason; restrict the `impersonate` verb to administrators.',
  },
  target: { kind: 'audit-event' },
  match: {},
  stateful: true,
  paramsSchema: { type: 'object', properties: { ignoreUsers: { type: 'array', items: { type: 'string' } }, windowSeconds: { type: 'number', minimum: 1 } } },
  createState: (limits) => ({ seen: new LruMap(limits.maxKeys) }),
  evaluate: ({ event, time, params, state }) => {
    const imp = event.impersonatedUser;
    if (imp?.username === undefined) return;
    const caller = event.user?.username ?? '';
    if (isControlPlane(caller)) return;
    const key = `${caller}\u0000${imp.username}\u0000${(imp.groups ?? []).join(',')}`;
    const last = state.seen.get(key);
    const windowMs = numParam(params, 'windowSeconds', 3600) * 1000;
    if (last !== undefined && time - last < windowMs) return;
    state.seen.set(key, time);
    const groups = Array.isArray(imp.groups) ? imp.groups : [];
    const high = PRIVILEGED_TARGET.test(imp.username) || groups.includes('system:masters');
    return {
      message: `${caller} impersonated ${imp.username}${groups.length ? ` (groups ${groups.join(', ')})` : ''}: first request ${event.verb} ${event.objectRef?.resource ?? requestPath(event)}`,
      ...(high ? { severity: 'high' as const } : {}),
      evidence: { impersonated: imp.username, groups },
    };
  },
});

export const anonymousAllowed = defineAuditRule({
  id: 'PAL-A036',
  name: 'anonymous-request-allowed',
  title: 'Anonymous request allowed',
  severity: 'high',
  category: 'initial-access',
  frameworks: ['mitre:T1078.001', 'mitre:T1190'],
  docs: {
    description:
      'A request by `system:anonymous` (no credentials) succeeded on something other than the public health, version and discovery endpoints: some role is bound to anonymous or unauthenticated users.',
    remediation: 'Remove bindings to `system:anonymous` and `system:unauthenticated`; consider `--anonymous-auth=false`.',
  },
  target: { kind: 'audit-event' },
  match: {},
  evaluate: ({ event }) => {
    if (event.user?.username !== 'system:anonymous' || !succeeded(event)) return;
    const path = requestPath(event);
    if (PUBLIC_PATHS.includes(path)) return;
    return { message: `anonymous ${event.verb} of ${path} allowed (${statusCode(event)})${event.sourceIPs?.[0] ? ` from ${event.sourceIPs[0]}` : ''}` };
  },
});

const CLOUD_KEY_NAME = /^(aws_access_key_id|aws_secret_access_key|aws_session_token|azure_client_secret|google_application_credentials_json)$/i;
const CLOUD_KEY_ASSIGNMENT = /\b(aws_access_key_id|aws_secret_access_key|aws_session_token)\s*[=:]\s*\S+/i;

export const configMapCredentials = defineAuditRule({
  id: 'PAL-A037',
  name: 'configmap-with-credentials',
  title: 'ConfigMap holding credentials written',
  severity: 'medium',
  category: 'credential-access',
  frameworks: ['mitre:T1552.001'],
  docs: {
    description:
      'A ConfigMap was written with a value that is a credential (cloud keys, tokens, private keys, passwords). ConfigMaps are readable by many roles and are not encrypted at rest. Values are never printed: the alert names the key and a redacted prefix.',
    remediation:
      'Move the value to a Secret (or an external secret store) and rotate it: it has been exposed to every reader of the ConfigMap and of the audit log.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['configmaps'], verbs: ['create', 'update', 'patch'] },
  evaluate: ({ event }) => {
    if (!succeeded(event)) return;
    const obj = writtenObject(event);
    const data = isObject(obj?.data) ? obj.data : undefined;
    if (!data) return;
    const found: string[] = [];
    let high = false;
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string') continue;
      const m = detectCredential(key, value);
      if (m) {
        if (m.confidence === 'high') high = true;
        found.push(`${key} (${m.kind})`);
      } else if ((CLOUD_KEY_NAME.test(key) && value.trim() !== '') || CLOUD_KEY_ASSIGNMENT.test(value)) {
        // Falco's rule matches the names of cloud credentials whatever the value: writing one
        // to a ConfigMap is the finding even when the value is a documentation example.
        found.push(`${key} (cloud credential by name)`);
      }
    }
    if (found.length === 0) return;
    return {
      message: `ConfigMap ${objName(event)} ${past(event.verb)} by ${actor(event)} holds credentials in ${found.join(', ')}`,
      ...(high ? { severity: 'high' as const } : {}),
      evidence: { keys: found },
    };
  },
});

export const saInKubeNamespace = defineAuditRule({
  id: 'PAL-A038',
  name: 'service-account-in-kube-namespace',
  title: 'Service account created in a system namespace by a non-system identity',
  severity: 'medium',
  category: 'persistence',
  frameworks: ['mitre:T1136', 'mitre:T1098'],
  docs: {
    description:
      'Service accounts in `kube-system` and `kube-public` look like control-plane identities. One created by a person or an application is a way to hide a persistent credential.',
    remediation: 'Confirm the installer; delete the service account and its bindings if unexpected.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['serviceaccounts'], verbs: ['create'] },
  evaluate: ({ event }) => {
    const ns = event.objectRef?.namespace;
    if (!ns || !KUBE_NAMESPACES.has(ns) || !succeeded(event) || isControlPlane(userName(event))) return;
    return { message: `service account ${objName(event)} created by ${actor(event)}` };
  },
});

export const permissionEnumeration = defineAuditRule({
  id: 'PAL-A039',
  name: 'permission-enumeration',
  title: 'Own permissions enumerated (auth can-i) by a non-admin identity',
  severity: 'low',
  category: 'discovery',
  frameworks: ['mitre:T1069', 'mitre:T1613'],
  docs: {
    description:
      '`kubectl auth can-i` creates SelfSubjectAccessReviews and SelfSubjectRulesReviews (`--list`). It is the first thing a stolen credential is used for.',
    remediation: 'Confirm who holds the credential.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['selfsubjectrulesreviews', 'selfsubjectaccessreviews'], verbs: ['create'] },
  evaluate: ({ event }) => {
    if (isPrivilegedIdentity(event) || !succeeded(event)) return;
    const spec = isObject(event.requestObject) && isObject(event.requestObject.spec) ? event.requestObject.spec : {};
    const ra = isObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
    const asked = ra
      ? ` (${String(ra.verb ?? '?')} ${String(ra.resource ?? '?')})`
      : event.objectRef?.resource === 'selfsubjectrulesreviews'
        ? ' (--list)'
        : '';
    return { message: `${actor(event)} enumerated its permissions${asked}` };
  },
});

export const credentialRules = [
  secretRead,
  secretReadDenied,
  tokenRequest,
  csrCreated,
  csrApproved,
  impersonation,
  anonymousAllowed,
  configMapCredentials,
  saInKubeNamespace,
  permissionEnumeration,
] as const;
