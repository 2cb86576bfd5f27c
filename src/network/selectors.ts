/**
 * Label selectors as NetworkPolicies use them (`metav1.LabelSelector`: `matchLabels` and
 * `matchExpressions`, every requirement ANDed; an empty selector matches everything).
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
import { isObject } from '../core/object.js';
import type { JsonValue } from '../core/types.js';

interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** A parsed label selector. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly expressions: readonly Requirement[];
  /** The selector as written, for explanations: `app=web, tier in (a,b)`; `{}` when empty. */
  readonly text: string;
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * Reads a LabelSelector; throws a message naming the problem when it is malformed, so that
 * the model reports the policy rather than guessing what it selects.
 *
 * @example
 * parseLabelSelector({ matchLabels: { app: 'web' } }).text; // 'app=web'
 */
export function parseLabelSelector(value: JsonValue | undefined): LabelSelector {
  if (value === undefined || value === null) return { matchLabels: {}, expressions: [], text: '{}' };
  if (!isObject(value)) throw new Error('a label selector is not an object');
  const matchLabels: Record<string, string> = {};
  const labels = value.matchLabels;
  if (labels !== undefined && labels !== null) {
    if (!isObject(labels)) throw new Error('matchLabels is not a map');
    for (const [k, v] of Object.entries(labels)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new Error(`matchLabels.${k} is not a scalar`);
      matchLabels[k] = String(v);
    }
  }
  const expressions: Requirement[] = [];
  const exprs = value.matchExpressions;
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs)) throw new Error('matchExpressions is not a list');
    for (const e of exprs) {
      if (!isObject(e) || typeof e.key !== 'string' || typeof e.operator !== 'string' || !OPERATORS.has(e.operator))
        throw new Error('a matchExpressions entry has no key or an unknown operator');
      const values = Array.isArray(e.values) ? e.values.map((v) => String(v)) : [];
      expressions.push({ key: e.key, operator: e.operator as Requirement['operator'], values });
    }
  }
  const parts = [
    ...Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`),
    ...expressions.map((r) =>
      r.operator === 'Exists'
        ? r.key
        : r.operator === 'DoesNotExist'
          ? `!${r.key}`
          : `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`,
    ),
  ];
  return { matchLabels, expressions, text: parts.length === 0 ? '{}' : parts.join(', ') };
}

/** True when the selector has no requirement (it matches everything). */
export function selectsAll(s: LabelSelector): boolean {
  return s.expressions.length === 0 && Object.keys(s.matchLabels).length === 0;
}

/**
 * Whether a label set satisfies the selector.
 *
 * @example
 * labelsMatch(parseLabelSelector({ matchLabels: { app: 'web' } }), { app: 'web', tier: 'fe' }); // true
 */
export function labelsMatch(s: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const k in s.matchLabels) if (labels[k] !== s.matchLabels[k]) return false;
  for (const r of s.expressions) {
    const has = Object.hasOwn(labels, r.key);
    const value = labels[r.key] as string;
    if (r.operator === 'Exists' && !has) return false;
    if (r.operator === 'DoesNotExist' && has) return false;
    if (r.operator === 'In' && (!has || !r.values.includes(value))) return false;
    if (r.operator === 'NotIn' && has && r.values.includes(value)) return false;
  }
  return true;
}
