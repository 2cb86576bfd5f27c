/**
 * What checks may know about Secret values: their size and the kind of credential each looks
 * like, never the values themselves.
 */
import { decodeBase64, utf8Bytes, utf8Text } from '../core/bytes.js';
import { isObject as isPlainObject } from '../core/object.js';
import type { JsonObject } from '../core/types.js';
import { detectCredential } from './detect.js';

/** The value that replaces every Secret value once its facts are derived. */
export const REDACTED = '<redacted>';

/** The field of a redacted Secret that holds the facts derived from its values. */
export const SECRET_FACTS_FIELD = 'x-palisade-secret-facts';

/** What is kept about one Secret value: never the value itself. */
export interface SecretValueFacts {
  /** Length of the decoded value in bytes. */
  readonly bytes: number;
  /** The kind of credential the value looks like (`private-key`, `jwt`, `password`...), if any. */
  readonly credential?: string;
  readonly confidence?: 'high' | 'medium';
}

/** Facts about the values of one Secret, by key (`data` and `stringData` merged). */
export type SecretFacts = Readonly<Record<string, SecretValueFacts>>;

function factsOfValue(key: string, value: Uint8Array): SecretValueFacts {
  // Binary values (keystores, images) are not text a credential pattern can match.
  const text = value.includes(0) ? undefined : utf8Text(value);
  const found = text !== undefined && !text.includes('\uFFFD') ? detectCredential(key, text) : undefined;
  return { bytes: value.length, ...(found ? { credential: found.kind, confidence: found.confidence } : {}) };
}

/**
 * The facts a check may know about a Secret's values: size and what kind of credential each
 * value looks like. Works on redacted Secrets (cluster and snapshot scans) and on manifests
 * with clear values alike, so that checks give the same results on both; checks must read
 * Secret values through this function, never from `data`.
 *
 * @example
 * secretFacts(secret)['tls.key']; // { bytes: 1675, credential: 'private-key', confidence: 'high' }
 */
export function secretFacts(object: JsonObject): SecretFacts {
  const stored = object[SECRET_FACTS_FIELD];
  if (isPlainObject(stored)) return stored as unknown as SecretFacts;
  const out: Record<string, SecretValueFacts> = {};
  if (isPlainObject(object.data)) {
    for (const [k, v] of Object.entries(object.data)) if (typeof v === 'string') out[k] = factsOfValue(k, decodeBase64(v));
  }
  if (isPlainObject(object.stringData)) {
    for (const [k, v] of Object.entries(object.stringData)) if (typeof v === 'string') out[k] = factsOfValue(k, utf8Bytes(v));
  }
  return out;
}
