/**
 * Normalisation of objects read from a cluster or a snapshot before they are kept: volatile
 * fields dropped, Secrets redacted with their facts kept.
 */
import { isObject as isPlainObject } from '../core/object.js';
import type { JsonObject, JsonValue } from '../core/types.js';
import { REDACTED, SECRET_FACTS_FIELD, secretFacts } from '../credentials/secret-facts.js';

/** The annotation `kubectl apply` writes: a full copy of the applied object (Secret data included). */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The last-applied JSON of a Secret with every `data`/`stringData` value replaced by {@link REDACTED}. */
function redactLastApplied(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return REDACTED;
  }
  if (!isPlainObject(parsed as JsonValue)) return REDACTED;
  const o = parsed as JsonObject;
  for (const field of ['data', 'stringData']) {
    const entries = o[field];
    if (isPlainObject(entries)) o[field] = Object.fromEntries(Object.keys(entries).map((k) => [k, REDACTED]));
  }
  return JSON.stringify(o);
}

/**
 * Normalises an object read from a cluster before it is kept: drops `status`,
 * `metadata.managedFields` and the last-applied annotation (volatile or duplicated data that
 * no check reads; on Secrets the annotation is kept with its values redacted, since its mere
 * presence leaks), and redacts Secrets (values replaced by {@link REDACTED}, their facts kept
 * in {@link SECRET_FACTS_FIELD}). Returns a new object; the input is not changed. `typeMeta`
 * supplies apiVersion and kind for list items, which the API server sends without them.
 *
 * @example
 * normalizeObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'aHVudGVyMg==' } });
 * // { ..., data: { password: '<redacted>' }, 'x-palisade-secret-facts': { password: { bytes: 7, ... } } }
 */
export function normalizeObject(object: JsonObject, typeMeta?: { readonly apiVersion: string; readonly kind: string }): JsonObject {
  // One pass and one copy: clusters are read object by object, tens of thousands of them.
  const out: JsonObject = typeMeta ? { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind } : {};
  for (const key in object) {
    if (key !== 'status') out[key] = object[key] as JsonValue;
  }
  const isSecret = out.kind === 'Secret' && out.apiVersion === 'v1';
  const metadata = out.metadata;
  // Metadata is copied only when something in it goes: list pages pruned before parsing
  // (sources/cluster/prune.ts) arrive without managed fields, and most objects have no
  // last-applied annotation, so their metadata is kept as parsed.
  if (
    isPlainObject(metadata) &&
    (metadata.managedFields !== undefined || (isPlainObject(metadata.annotations) && LAST_APPLIED_ANNOTATION in metadata.annotations))
  ) {
    const meta: JsonObject = {};
    for (const key in metadata) if (key !== 'managedFields') meta[key] = metadata[key] as JsonValue;
    const annotations = meta.annotations;
    if (isPlainObject(annotations) && LAST_APPLIED_ANNOTATION in annotations) {
      const { [LAST_APPLIED_ANNOTATION]: applied, ...rest } = annotations;
      // On a Secret the annotation is itself a finding (it repeats the data): keep its shape, not its values.
      if (isSecret && typeof applied === 'string') rest[LAST_APPLIED_ANNOTATION] = redactLastApplied(applied);
      if (Object.keys(rest).length > 0) meta.annotations = rest;
      else delete meta.annotations;
    }
    out.metadata = meta;
  }
  if (isSecret && !isPlainObject(object[SECRET_FACTS_FIELD])) {
    const facts = secretFacts(object);
    delete out.stringData;
    if (isPlainObject(object.data)) out.data = Object.fromEntries(Object.keys(object.data).map((k) => [k, REDACTED]));
    out[SECRET_FACTS_FIELD] = facts as unknown as JsonObject;
  }
  return out;
}
