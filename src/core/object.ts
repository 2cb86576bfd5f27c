/**
 * Small helpers over parsed Kubernetes objects, shared by every layer.
 */
import type { JsonObject } from './types.js';

/**
 * Whether a parsed JSON/YAML value is a plain object (not null, not an array).
 *
 * @example
 * isObject({ a: 1 }); // true
 * isObject([1]); // false
 */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Names an object the way messages do: kind, then namespace/name.
 *
 * @example
 * describeObject({ kind: 'Deployment', namespace: 'shop', name: 'web' }); // 'Deployment shop/web'
 * describeObject({ kind: 'ClusterRole', name: 'ops' }); // 'ClusterRole ops'
 */
export function describeObject(ref: { readonly kind: string; readonly namespace?: string | undefined; readonly name: string }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
