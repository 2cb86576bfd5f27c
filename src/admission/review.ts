/**
 * The `AdmissionReview` v1 wire format (admission.k8s.io/v1), validated at the boundary: a body
 * that is not a v1 AdmissionReview with a request is rejected with a one-line reason before
 * anything is evaluated. Reference:
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request
 */
import { isObject } from '../core/object.js';
import type { JsonObject, JsonValue } from '../core/types.js';

/** Group, version and kind (or resource) as the API server sends them. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** Group, version and plural resource. */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** Who sent the request. */
export interface UserInfo {
  readonly username: string;
  readonly groups: readonly string[];
}

/** Operations an admission request can carry. */
export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** The `request` of an AdmissionReview. */
export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: GroupVersionKind;
  readonly resource: GroupVersionResource;
  /** `ephemeralcontainers` for `pods/ephemeralcontainers`, `scale`, `status`, `exec`... */
  readonly subResource?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly operation: AdmissionOperation;
  readonly userInfo: UserInfo;
  /** The new object (CREATE, UPDATE, CONNECT options); null for DELETE. */
  readonly object: JsonObject | null;
  /** The existing object (UPDATE, DELETE); null otherwise. */
  readonly oldObject: JsonObject | null;
  /** True for `--dry-run=server` requests: the object is never persisted. */
  readonly dryRun: boolean;
}

/** The `response` of an AdmissionReview. */
export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status?: { readonly code: number; readonly reason?: string; readonly message: string };
  /** Shown by kubectl as `Warning: ...`; the API server truncates each to 256 characters. */
  readonly warnings?: readonly string[];
  /** Recorded in the audit log as `<webhook name>/<key>`. */
  readonly auditAnnotations?: Readonly<Record<string, string>>;
  readonly patchType?: 'JSONPatch';
  /** Base64 of the JSON Patch (RFC 6902) document. */
  readonly patch?: string;
}

/** A whole review, as answered. */
export interface AdmissionReviewResponse {
  readonly apiVersion: 'admission.k8s.io/v1';
  readonly kind: 'AdmissionReview';
  readonly response: AdmissionResponse;
}

const OPERATIONS: ReadonlySet<string> = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

/** A review body that cannot be answered, with why. */
export class InvalidReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReviewError';
  }
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function gvk(v: JsonValue | undefined, field: string, key: 'kind' | 'resource'): { group: string; version: string; name: string } {
  if (!isObject(v)) throw new InvalidReviewError(`request.${field} must be an object`);
  const name = str(v[key]);
  if (name === undefined || name === '') throw new InvalidReviewError(`request.${field}.${key} must be a non-empty string`);
  return { group: str(v.group) ?? '', version: str(v.version) ?? '', name };
}

function objectOrNull(v: JsonValue | undefined, field: string): JsonObject | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw new InvalidReviewError(`request.${field} must be an object or null`);
  return v;
}

/**
 * Validates a parsed body as an `admission.k8s.io/v1` AdmissionReview and returns its request.
 * Throws {@link InvalidReviewError} naming the first bad field.
 *
 * @example
 * const req = parseAdmissionReview(JSON.parse(body));
 * req.operation; // 'CREATE'
 */
export function parseAdmissionReview(body: unknown): AdmissionRequest {
  if (!isObject(body)) throw new InvalidReviewError('the body must be a JSON object (an AdmissionReview)');
  if (body.kind !== 'AdmissionReview') throw new InvalidReviewError(`kind must be AdmissionReview, not ${JSON.stringify(body.kind ?? null)}`);
  // v1beta1 has a different response contract (no warnings before 1.19); registrations ask for v1 only.
  if (body.apiVersion !== 'admission.k8s.io/v1')
    throw new InvalidReviewError(
      `apiVersion must be admission.k8s.io/v1, not ${JSON.stringify(body.apiVersion ?? null)} (set admissionReviewVersions: ["v1"])`,
    );
  const r = body.request;
  if (!isObject(r)) throw new InvalidReviewError('request must be an object');
  const uid = str(r.uid);
  if (uid === undefined || uid === '') throw new InvalidReviewError('request.uid must be a non-empty string');
  const operation = str(r.operation);
  if (operation === undefined || !OPERATIONS.has(operation))
    throw new InvalidReviewError(`request.operation must be one of CREATE, UPDATE, DELETE, CONNECT, not ${JSON.stringify(r.operation ?? null)}`);
  const kind = gvk(r.kind, 'kind', 'kind');
  const resource = gvk(r.resource, 'resource', 'resource');
  const u = isObject(r.userInfo) ? r.userInfo : {};
  const groups = Array.isArray(u.groups) ? u.groups.filter((g): g is string => typeof g === 'string') : [];
  const subResource = str(r.subResource);
  const name = str(r.name);
  const namespace = str(r.namespace);
  return {
    uid,
    kind: { group: kind.group, version: kind.version, kind: kind.name },
    resource: { group: resource.group, version: resource.version, resource: resource.name },
    ...(subResource !== undefined && subResource !== '' ? { subResource } : {}),
    ...(name !== undefined && name !== '' ? { name } : {}),
    ...(namespace !== undefined && namespace !== '' ? { namespace } : {}),
    operation: operation as AdmissionOperation,
    userInfo: { username: str(u.username) ?? '', groups },
    object: objectOrNull(r.object, 'object'),
    oldObject: objectOrNull(r.oldObject, 'oldObject'),
    dryRun: r.dryRun === true,
  };
}

/**
 * Wraps a response in an AdmissionReview, as the API server expects it back.
 *
 * @example
 * JSON.stringify(reviewResponse({ uid, allowed: true }));
 */
export function reviewResponse(response: AdmissionResponse): AdmissionReviewResponse {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}
