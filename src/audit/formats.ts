/**
 * Input formats of audit events, recognised per record: native `audit.k8s.io/v1` Events and
 * EventLists (log and webhook backends), and the exports of the managed platforms:
 *
 * - EKS: CloudWatch Logs (`aws logs filter-log-events` output, `{events: [{message}]}`; JSON
 *   lines with a `message` or `@message` field; S3 exports whose lines start with a timestamp);
 * - GKE: Cloud Logging entries (`gcloud logging read --format=json`, sinks to GCS/BigQuery),
 *   Google `AuditLog` protoPayloads converted back to Kubernetes events;
 * - AKS: diagnostic settings to a storage account or Event Hub (`{records: [{category:
 *   "kube-audit", properties: {log: "<event JSON>"}}]}`) and Log Analytics `AKSAudit` rows.
 */
import { isObject } from '../core/object.js';
import type { JsonObject, JsonValue } from '../core/types.js';
import { type AuditEvent, auditEventProblem } from '../audit-rules/event.js';

/** The events of one record, or why it holds none. */
export type Normalized = { readonly events: AuditEvent[]; readonly format: string } | { readonly problem: string };

function parseEmbedded(text: string, format: string): Normalized {
  const start = text.indexOf('{');
  if (start === -1) return { problem: `${format}: message is not JSON` };
  let v: unknown;
  try {
    v = JSON.parse(text.slice(start));
  } catch {
    return { problem: `${format}: message is not valid JSON` };
  }
  const n = normalizeRecord(v);
  return 'events' in n ? { events: n.events, format } : n;
}

/** gRPC status codes (google.rpc.Code) to the HTTP codes the API server would have sent. */
const GRPC_TO_HTTP: Readonly<Record<number, number>> = {
  0: 200,
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};

function stripType(v: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(v)) return v;
  const { '@type': _t, ...rest } = v;
  return rest;
}

/**
 * Converts a Cloud Logging entry with a Google AuditLog payload of the GKE API server into a
 * Kubernetes audit event. `methodName` is `io.k8s.<group>.<version>.<resource>[.<sub>].<verb>`;
 * `resourceName` is `<group>/<version>/[namespaces/<ns>/]<resource>[/<name>[/<sub>]]`.
 */
export function fromGkeEntry(entry: JsonObject): Normalized {
  const pp = entry.protoPayload;
  if (!isObject(pp)) return { problem: 'GKE entry without protoPayload' };
  const method = typeof pp.methodName === 'string' ? pp.methodName : '';
  if (!method.startsWith('io.k8s.')) return { problem: `GKE entry is not a Kubernetes API call (${method || 'no methodName'})` };
  const verb = method.slice(method.lastIndexOf('.') + 1);
  const segs = (typeof pp.resourceName === 'string' ? pp.resourceName : '').split('/').filter((s) => s !== '');
  const objectRef: Record<string, string> = {};
  if (segs.length >= 3) {
    const [group, version] = segs as [string, string];
    if (group !== 'core') objectRef.apiGroup = group;
    objectRef.apiVersion = version;
    let rest = segs.slice(2);
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      objectRef.namespace = rest[1] as string;
      rest = rest.slice(2);
    }
    if (rest[0] !== undefined) objectRef.resource = rest[0];
    if (rest[1] !== undefined) objectRef.name = rest[1];
    if (rest[2] !== undefined) objectRef.subresource = rest[2];
    if (objectRef.resource === 'namespaces' && objectRef.name !== undefined && objectRef.namespace === undefined) objectRef.namespace = objectRef.name;
  }
  const auth = isObject(pp.authenticationInfo) ? pp.authenticationInfo : {};
  const meta = isObject(pp.requestMetadata) ? pp.requestMetadata : {};
  const status = isObject(pp.status) ? pp.status : {};
  const grpc = typeof status.code === 'number' ? status.code : 0;
  const labels = isObject(entry.labels) ? entry.labels : {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string' && k.includes('/')) annotations[k] = v;
  const op = isObject(entry.operation) ? entry.operation : {};
  const time = typeof entry.timestamp === 'string' ? entry.timestamp : undefined;
  const request = stripType(pp.request);
  const response = stripType(pp.response);
  const event: AuditEvent = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: typeof op.id === 'string' ? op.id : typeof entry.insertId === 'string' ? entry.insertId : '',
    stage: 'ResponseComplete',
    verb,
    requestURI: `/${segs.join('/')}`,
    user: { username: typeof auth.principalEmail === 'string' ? auth.principalEmail : '' },
    sourceIPs: typeof meta.callerIp === 'string' ? [meta.callerIp] : [],
    ...(typeof meta.callerSuppliedUserAgent === 'string' ? { userAgent: meta.callerSuppliedUserAgent } : {}),
    objectRef,
    responseStatus: { code: GRPC_TO_HTTP[grpc] ?? 500, ...(typeof status.message === 'string' ? { message: status.message } : {}) },
    ...(request !== undefined ? { requestObject: request } : {}),
    ...(response !== undefined ? { responseObject: response } : {}),
    ...(time ? { requestReceivedTimestamp: time, stageTimestamp: time } : {}),
    annotations,
  };
  return { events: [event], format: 'gke' };
}

const AKS_RENAMES: Readonly<Record<string, string>> = {
  AuditId: 'auditID',
  RequestUri: 'requestURI',
  SourceIps: 'sourceIPs',
  RequestReceivedTime: 'requestReceivedTimestamp',
  StageReceivedTime: 'stageTimestamp',
};

/** A Log Analytics `AKSAudit`/`AKSAuditAdmin` row (PascalCase columns, dynamic columns maybe as JSON strings). */
export function fromAksRow(row: JsonObject): Normalized {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(row)) {
    if (['TenantId', 'TimeGenerated', 'SourceSystem', 'Type', '_ResourceId', 'PodName', 'Category'].includes(k)) continue;
    const key = AKS_RENAMES[k] ?? k.charAt(0).toLowerCase() + k.slice(1);
    let value = v;
    if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('['))) {
      try {
        value = JSON.parse(v) as JsonValue;
      } catch {
        // Keep the string: the field is then ignored by rules that need an object.
      }
    }
    out[key] = value;
  }
  const problem = auditEventProblem(out);
  return problem ? { problem: `AKSAudit row: ${problem}` } : { events: [out as AuditEvent], format: 'aks' };
}

/**
 * The audit events of one parsed record, whatever the format.
 *
 * @example
 * normalizeRecord({ kind: 'EventList', items: [{ kind: 'Event', auditID: 'a', verb: 'get' }] }); // { events: [...], format: 'native' }
 */
export function normalizeRecord(v: unknown): Normalized {
  if (Array.isArray(v)) {
    const events: AuditEvent[] = [];
    let format = 'native';
    for (const x of v) {
      const n = normalizeRecord(x);
      if ('events' in n) {
        events.push(...n.events);
        format = n.format;
      }
    }
    return { events, format };
  }
  if (!isObject(v)) return { problem: 'not a JSON object' };
  if (v.kind === 'EventList') {
    if (!Array.isArray(v.items)) return { problem: 'EventList without items' };
    const events: AuditEvent[] = [];
    for (const item of v.items) if (auditEventProblem(item) === undefined) events.push(item as AuditEvent);
    return { events, format: 'native' };
  }
  if (v.kind === 'Event' || typeof v.auditID === 'string') {
    const problem = auditEventProblem(v);
    return problem ? { problem } : { events: [v as AuditEvent], format: 'native' };
  }
  if (isObject(v.protoPayload)) return fromGkeEntry(v);
  if (Array.isArray(v.records)) {
    const events: AuditEvent[] = [];
    for (const r of v.records) {
      const n = normalizeRecord(r);
      if ('events' in n) events.push(...n.events);
    }
    return { events, format: 'aks' };
  }
  if (isObject(v.properties) && typeof v.properties.log === 'string') return parseEmbedded(v.properties.log, 'aks');
  if (Array.isArray(v.events)) {
    const events: AuditEvent[] = [];
    for (const e of v.events) {
      if (isObject(e) && typeof e.message === 'string') {
        const n = parseEmbedded(e.message, 'eks');
        if ('events' in n) events.push(...n.events);
      }
    }
    return { events, format: 'eks' };
  }
  const message = typeof v.message === 'string' ? v.message : typeof v['@message'] === 'string' ? v['@message'] : undefined;
  if (message !== undefined) return parseEmbedded(message, 'eks');
  if (typeof v.AuditId === 'string') return fromAksRow(v);
  return { problem: 'not an audit event (no auditID, verb or known export wrapper)' };
}
