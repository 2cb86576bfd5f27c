/**
 * Cuts fields that normalisation drops (`metadata.managedFields`, `status`) out of a list
 * page's JSON bytes before `JSON.parse`, so they never reach the heap. Parsing is the largest
 * cost of listing a cluster, and the collector then copies whatever was parsed: on real
 * clusters managed fields and status are a third to a half of a list's bytes.
 *
 * The cut is textual, so it applies only where the JSON's shape is known: kube-apiserver
 * encodes built-in types from Go structs, with `managedFields` the last field of ObjectMeta and
 * `status` the last field of the object. A field is cut only when it is a key preceded by a
 * comma, its value is an array (managedFields) or object (status) whose end is found by a
 * string-aware bracket match, and a closing brace follows it (it was the last key). Anything
 * else stays in the text and normalisation drops it after parsing, as before: the pruning
 * changes the cost, never the objects kept.
 */
import type { ResourceType } from './discovery.js';

/** What {@link pruneListBody} may cut. */
export interface PruneFields {
  /** `"managedFields":[...]` as the last key of an object (ObjectMeta). */
  readonly managedFields: boolean;
  /** `"status":{...}` as the last key of an object (the top level of a built-in type's object). */
  readonly status: boolean;
  /**
   * The `kubectl.kubernetes.io/last-applied-configuration` annotation (a JSON object in a
   * string), with `annotations` itself when it was the only one. Not on Secrets: there the
   * annotation is kept, redacted, because its presence is a finding.
   */
  readonly lastApplied: boolean;
}

/**
 * Kubernetes' own API groups, served from Go types (custom resources are served as unstructured
 * maps, in another key order and with any field names their authors chose).
 */
const BUILTIN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'rbac.authorization.k8s.io',
  'networking.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'scheduling.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
  'storagemigration.k8s.io',
  'internal.apiserver.k8s.io',
]);

/**
 * Built-in types whose only object-valued `status` key is the object's own: no embedded object
 * carries one (a StatefulSet's volumeClaimTemplates do, a CRD's schema may name one, a
 * ControllerRevision embeds raw data, so they are not in this list).
 */
const TOP_LEVEL_STATUS_ONLY: ReadonlySet<string> = new Set([
  '/pods',
  '/nodes',
  '/services',
  '/namespaces',
  '/persistentvolumeclaims',
  '/persistentvolumes',
  '/replicationcontrollers',
  'apps/deployments',
  'apps/replicasets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
]);

/**
 * What may be cut from list pages of type `t`; undefined when nothing may (custom resources,
 * and built-in types that embed raw data).
 *
 * @example
 * pruneFieldsFor({ group: '', resource: 'pods', ... }); // { managedFields: true, status: true, lastApplied: true }
 */
export function pruneFieldsFor(t: Pick<ResourceType, 'group' | 'resource'>): PruneFields | undefined {
  if (!BUILTIN_GROUPS.has(t.group) || (t.group === 'apps' && t.resource === 'controllerrevisions')) return undefined;
  return {
    managedFields: true,
    status: TOP_LEVEL_STATUS_ONLY.has(`${t.group}/${t.resource}`),
    lastApplied: !(t.group === '' && t.resource === 'secrets'),
  };
}

// Needles start with a byte that is rarer in Kubernetes JSON than `"` (`F`, `u`), which lets
// Buffer.indexOf skip ahead; the bytes before them are checked separately.
const MANAGED_NEEDLE = Buffer.from('Fields":[');
const MANAGED_BEFORE = Buffer.from('"managed');
const STATUS_NEEDLE = Buffer.from('us":{');
const STATUS_BEFORE = Buffer.from('"stat');
// A long needle lets the search skip the most; this one also starts with a rare byte.
const APPLIED_NEEDLE = Buffer.from('kubectl.kubernetes.io/last-applied-configuration":"{');
const APPLIED_BEFORE = Buffer.from('"');
const ANNOTATIONS_KEY = Buffer.from(',"annotations":');
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The index just past the JSON array or object starting at `i`, or -1 when it does not end. */
function skipValue(b: Buffer, i: number): number {
  const n = b.length;
  let depth = 0;
  while (i < n) {
    const c = b[i] as number;
    if (c === QUOTE) {
      i++;
      for (;;) {
        if (i >= n) return -1;
        const d = b[i] as number;
        if (d === QUOTE) break;
        i += d === BACKSLASH ? 2 : 1;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** The index just past the JSON string whose opening quote is at `i`, or -1 when it does not end. */
function skipString(b: Buffer, i: number): number {
  const n = b.length;
  for (i++; i < n; i++) {
    const d = b[i] as number;
    if (d === QUOTE) return i + 1;
    if (d === BACKSLASH) i++;
  }
  return -1;
}

/**
 * The range to cut for the last-applied annotation whose key's opening quote is at `key` and
 * whose string value ends just before `end`, or undefined to leave it: the pair with the comma
 * before it; the pair with the comma after it when it is the first annotation; the whole
 * `,"annotations":{...}` when it is the only one (normalisation leaves no empty map).
 */
function appliedCut(b: Buffer, key: number, end: number): [number, number] | undefined {
  const prev = b[key - 1];
  if (prev === COMMA) return [key - 1, end];
  if (prev !== OPEN_BRACE) return undefined;
  if (b[end] === COMMA) return [key, end + 1];
  if (b[end] === CLOSE_BRACE && endsWith(b, key - 1, ANNOTATIONS_KEY)) return [key - 1 - ANNOTATIONS_KEY.length, end + 1];
  return undefined;
}

function endsWith(b: Buffer, at: number, before: Buffer): boolean {
  const s = at - before.length;
  if (s < 0) return false;
  for (let i = 0; i < before.length; i++) if (b[s + i] !== before[i]) return false;
  return true;
}

/**
 * Removes `,"managedFields":[...]` and (with `fields.status`) `,"status":{...}` where each is
 * the last key of its object, and (with `fields.lastApplied`) the last-applied annotation,
 * compacting `body` in place; returns the part of `body` that holds the result (`body` itself
 * when nothing was cut). The caller must own `body`.
 *
 * @example
 * pruneListBody(Buffer.from('{"items":[{"metadata":{"name":"a","managedFields":[{}]},"status":{}}]}'), { managedFields: true, status: true, lastApplied: true }).toString();
 * // '{"items":[{"metadata":{"name":"a"}}]}'
 */
export function pruneListBody(body: Buffer, fields: PruneFields): Buffer {
  let write = 0;
  let from = 0;
  const cut = (start: number, end: number): void => {
    if (write !== from) body.copyWithin(write, from, start);
    write += start - from;
    from = end;
  };
  let managed = fields.managedFields ? body.indexOf(MANAGED_NEEDLE, 0) : -1;
  let status = fields.status ? body.indexOf(STATUS_NEEDLE, 0) : -1;
  let applied = fields.lastApplied ? body.indexOf(APPLIED_NEEDLE, 0) : -1;
  while (managed >= 0 || status >= 0 || applied >= 0) {
    let at = managed;
    if (at < 0 || (status >= 0 && status < at)) at = status;
    if (at < 0 || (applied >= 0 && applied < at)) at = applied;
    let next: number;
    if (at === applied) {
      // A key of that name whose value is a string holding a JSON object (a label of that
      // name cannot hold `{`).
      const key = at - APPLIED_BEFORE.length;
      const end = endsWith(body, at, APPLIED_BEFORE) ? skipString(body, at + APPLIED_NEEDLE.length - 2) : -1;
      let range = end > 0 ? appliedCut(body, key, end) : undefined;
      // Never into what an earlier cut removed (cannot happen in kube-apiserver's key order).
      if (range && range[0] < from) range = undefined;
      if (range) cut(range[0], range[1]);
      next = range ? range[1] : end > 0 ? end : at + APPLIED_NEEDLE.length;
    } else {
      const needle = at === managed ? MANAGED_NEEDLE : STATUS_NEEDLE;
      const before = at === managed ? MANAGED_BEFORE : STATUS_BEFORE;
      // The value starts at the needle's last byte (`[` or `{`).
      const end = endsWith(body, at, before) ? skipValue(body, at + needle.length - 1) : -1;
      // The comma before the key goes with it.
      const start = at - before.length - 1;
      if (end > 0 && body[start] === COMMA && body[end] === CLOSE_BRACE) cut(start, end);
      // A value that stays is skipped whole: nothing inside one that stays is cut.
      next = end > 0 ? end : at + needle.length;
    }
    if (managed >= 0 && managed < next) managed = body.indexOf(MANAGED_NEEDLE, next);
    if (status >= 0 && status < next) status = body.indexOf(STATUS_NEEDLE, next);
    if (applied >= 0 && applied < next) applied = body.indexOf(APPLIED_NEEDLE, next);
  }
  if (from === 0) return body;
  if (write !== from) body.copyWithin(write, from);
  return body.subarray(0, write + body.length - from);
}
