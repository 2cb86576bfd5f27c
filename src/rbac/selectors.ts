/**
 * Kubernetes label selectors (`matchLabels` and `matchExpressions`), as
 * `metav1.LabelSelectorAsSelector` interprets them for ClusterRole aggregation.
 */
import type { JsonObject, JsonValue } from '../core/types.js';
import { isObject } from '../core/object.js';

/**
 * Whether a label selector matches a set of labels. An empty selector (`{}`) matches
 * everything; a missing or malformed one (and an unknown operator, which the API server
 * rejects) matches nothing. `NotIn` and `DoesNotExist` match objects without the label.
 *
 * @example
 * selectorMatches({ matchLabels: { tier: 'web' } }, { tier: 'web', app: 'x' }); // true
 * selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, {}); // true
 */
export function selectorMatches(selector: JsonValue | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isObject(matchLabels)) return false;
    for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return false;
    for (const e of matchExpressions) if (!expressionMatches(e, labels)) return false;
  }
  return true;
}

function expressionMatches(e: JsonValue, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(e) || typeof e.key !== 'string' || typeof e.operator !== 'string') return false;
  const values = Array.isArray(e.values) ? e.values.filter((v): v is string => typeof v === 'string') : [];
  const has = Object.hasOwn(labels, e.key);
  const value = labels[e.key];
  switch (e.operator) {
    case 'In':
      return has && values.includes(value as string);
    case 'NotIn':
      return !has || !values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/**
 * The string labels of an object's metadata.
 *
 * @example
 * labelsOf({ metadata: { labels: { a: 'b', n: 3 } } }); // { a: 'b' }
 */
export function labelsOf(object: JsonObject): Readonly<Record<string, string>> {
  const meta = isObject(object.metadata) ? object.metadata : {};
  const labels = isObject(meta.labels) ? meta.labels : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}
