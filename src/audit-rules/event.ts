/**
 * The `audit.k8s.io/v1` Event as rules read it, and the facts every rule needs (who really
 * acted, did it succeed, on what object). Pure: timestamps are parsed from the event, never
 * read from a clock. Field reference:
 * https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Event
 */
import { isObject } from '../core/object.js';
import type { JsonObject, JsonValue } from '../core/types.js';

/** The object reference of an audit event. */
export interface AuditObjectRef {
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  readonly subresource?: string;
}

/** A user as the audit log records it. */
export interface AuditUser {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/**
 * One audit event. Only the fields rules read are typed; unknown fields are kept (a newer API
 * server may add some) and ignored.
 */
export interface AuditEvent {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly level?: string;
  readonly auditID?: string;
  readonly stage?: string;
  readonly requestURI?: string;
  readonly verb?: string;
  readonly user?: AuditUser;
  readonly impersonatedUser?: AuditUser;
  readonly sourceIPs?: readonly string[];
  readonly userAgent?: string;
  readonly objectRef?: AuditObjectRef;
  readonly responseStatus?: { readonly code?: number; readonly reason?: string; readonly message?: string };
  readonly requestObject?: JsonValue;
  readonly responseObject?: JsonValue;
  readonly requestReceivedTimestamp?: string;
  readonly stageTimestamp?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Paths anonymous users may read on every cluster (`system:public-info-viewer`, probes, OIDC discovery). */
export const PUBLIC_PATHS: readonly string[] = ['/healthz', '/livez', '/readyz', '/version', '/.well-known/openid-configuration', '/openid/v1/jwks'];

/**
 * Checks the minimal shape of a parsed value: an object with a string `auditID` or `verb`
 * (a `kind: Event` is not required: some exporters drop it). Returns a reason when it is not one.
 *
 * @example
 * auditEventProblem({ auditID: 'a', verb: 'get' }); // undefined
 * auditEventProblem([1]); // 'not a JSON object'
 */
export function auditEventProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'not a JSON object';
  if (v.kind !== undefined && v.kind !== 'Event') return `kind is ${JSON.stringify(v.kind)}, not Event`;
  if (typeof v.verb !== 'string' && typeof v.auditID !== 'string') return 'neither auditID nor verb: not an audit event';
  if (v.user !== undefined && !isObject(v.user)) return 'user is not an object';
  if (v.objectRef !== undefined && !isObject(v.objectRef)) return 'objectRef is not an object';
  if (v.responseStatus !== undefined && !isObject(v.responseStatus)) return 'responseStatus is not an object';
  return undefined;
}

/** The identity a request acted as: the impersonated one when impersonation was used. */
export function effectiveUser(e: AuditEvent): AuditUser {
  return e.impersonatedUser?.username !== undefined ? e.impersonatedUser : (e.user ?? {});
}

/** The effective user name (`''` when the request was not authenticated, as on a 401). */
export function userName(e: AuditEvent): string {
  return effectiveUser(e).username ?? '';
}

/** The effective groups. */
export function userGroups(e: AuditEvent): readonly string[] {
  const g = effectiveUser(e).groups;
  return Array.isArray(g) ? g : [];
}

/** The HTTP status code of the response, 0 when the stage has none (RequestReceived). */
export function statusCode(e: AuditEvent): number {
  const c = e.responseStatus?.code;
  return typeof c === 'number' ? c : 0;
}

/** Whether the request succeeded (2xx/3xx). */
export function succeeded(e: AuditEvent): boolean {
  const c = statusCode(e);
  return c >= 200 && c < 400;
}

/** Whether the request was refused by authorization (403) or authentication (401). */
export function denied(e: AuditEvent): boolean {
  const c = statusCode(e);
  return c === 401 || c === 403;
}

/** The object the request wrote: the response (what was stored) when present, else the request body. */
export function writtenObject(e: AuditEvent): JsonObject | undefined {
  if (isObject(e.responseObject) && e.responseObject.kind !== 'Status') return e.responseObject;
  return isObject(e.requestObject) ? e.requestObject : undefined;
}

/** The request body only (a patch for `patch`). */
export function requestBody(e: AuditEvent): JsonObject | undefined {
  return isObject(e.requestObject) ? e.requestObject : undefined;
}

/** Whether the verb writes. */
export function isWrite(verb: string | undefined): boolean {
  return verb === 'create' || verb === 'update' || verb === 'patch' || verb === 'delete' || verb === 'deletecollection';
}

/** Whether the verb creates or changes (not delete). */
export function isCreateOrChange(verb: string | undefined): boolean {
  return verb === 'create' || verb === 'update' || verb === 'patch';
}

/** Whether a name is a node, a kube-system controller, the API server or another control-plane identity. */
export function isControlPlane(name: string): boolean {
  return (
    name.startsWith('system:node:') ||
    name.startsWith('system:serviceaccount:kube-system:') ||
    name === 'system:apiserver' ||
    name === 'system:kube-controller-manager' ||
    name === 'system:kube-scheduler' ||
    name === 'system:kube-proxy' ||
    name.startsWith('eks:') ||
    name.startsWith('aksService') ||
    name === 'masterclient' ||
    name.startsWith('system:gke-') ||
    name === 'kubernetes-admin-via-cert-manager'
  );
}

/** Whether the effective identity is a cluster administrator by group (`system:masters`) or a control-plane identity. */
export function isPrivilegedIdentity(e: AuditEvent): boolean {
  return userGroups(e).includes('system:masters') || isControlPlane(userName(e));
}

/**
 * Milliseconds since the epoch of the event (its stage timestamp, else the request's), or
 * `undefined` when neither parses. Stateful windows run on event time, so replaying an old
 * log gives the same alerts as watching it live.
 */
export function eventTime(e: AuditEvent): number | undefined {
  const t = e.stageTimestamp ?? e.requestReceivedTimestamp;
  if (typeof t !== 'string') return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The request path without its query string. */
export function requestPath(e: AuditEvent): string {
  const uri = e.requestURI ?? '';
  const q = uri.indexOf('?');
  return q === -1 ? uri : uri.slice(0, q);
}

/** `resource/subresource`, e.g. `pods/exec`; `''` for non-resource requests. */
export function resourceKey(e: AuditEvent): string {
  const r = e.objectRef?.resource;
  if (r === undefined) return '';
  return e.objectRef?.subresource ? `${r}/${e.objectRef.subresource}` : r;
}

/**
 * A short description of the object: `pods/exec samples/web`, or the path of a non-resource request.
 *
 * @example
 * describeTarget({ objectRef: { resource: 'pods', namespace: 'a', name: 'web' } }); // 'pods a/web'
 */
export function describeTarget(e: AuditEvent): string {
  const ref = e.objectRef;
  if (!ref?.resource) return requestPath(e) || '(no object)';
  const where = `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name ?? (ref.namespace ? '*' : '(all namespaces)')}`;
  return `${resourceKey(e)} ${where}`;
}

/** Pod specs inside a written object: a Pod, a workload template or a CronJob's job template. */
export function podSpecsOf(obj: JsonObject | undefined): JsonObject[] {
  if (!obj) return [];
  const spec = obj.spec;
  if (!isObject(spec)) return [];
  if (obj.kind === 'Pod' || Array.isArray(spec.containers)) return [spec];
  const tpl = isObject(spec.template) ? spec.template.spec : undefined;
  if (isObject(tpl)) return [tpl];
  const job = isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
  const jobTpl = job && isObject(job.template) ? job.template.spec : undefined;
  return isObject(jobTpl) ? [jobTpl] : [];
}

/** Every container (init, regular, ephemeral) of a pod spec. */
export function containersOf(spec: JsonObject): JsonObject[] {
  const out: JsonObject[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const cs = spec[list];
    if (Array.isArray(cs)) for (const c of cs) if (isObject(c)) out.push(c);
  }
  return out;
}

/** Resources whose objects carry a pod spec. */
export const POD_BEARING = new Set(['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers']);

const KIND_OF: Readonly<Record<string, string>> = {
  pods: 'Pod',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  replicationcontrollers: 'ReplicationController',
  services: 'Service',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  serviceaccounts: 'ServiceAccount',
  namespaces: 'Namespace',
  nodes: 'Node',
  events: 'Event',
  ingresses: 'Ingress',
  roles: 'Role',
  clusterroles: 'ClusterRole',
  rolebindings: 'RoleBinding',
  clusterrolebindings: 'ClusterRoleBinding',
  certificatesigningrequests: 'CertificateSigningRequest',
  validatingwebhookconfigurations: 'ValidatingWebhookConfiguration',
  mutatingwebhookconfigurations: 'MutatingWebhookConfiguration',
  validatingadmissionpolicies: 'ValidatingAdmissionPolicy',
  validatingadmissionpolicybindings: 'ValidatingAdmissionPolicyBinding',
};

/**
 * The kind of the object a request is about, for exception rules (`kind: Pod`): the kind
 * of its body when it has one, else the usual kind of its resource, else the resource name.
 */
export function kindOf(e: AuditEvent): string {
  const obj = writtenObject(e);
  if (obj && typeof obj.kind === 'string' && !obj.kind.endsWith('List') && obj.kind !== 'Status') return obj.kind;
  const r = e.objectRef?.resource;
  return r === undefined ? 'NonResourceURL' : (KIND_OF[r] ?? r);
}
