/**
 * Applies fix operations (the JSON-Patch subset checks emit: add, replace, remove; `-`
 * appends to arrays) to a copy of an object. Pure. The comment-preserving file writer
 * builds on the same operations.
 */
import type { FixOperation } from './check.js';
import { parsePointer } from './pointer.js';
import type { JsonObject, JsonValue } from './types.js';

/**
 * Returns a patched deep copy of `root`. Throws when a path's parent does not exist, as
 * JSON Patch does.
 *
 * @example
 * applyFixes({ spec: {} }, [{ op: 'add', path: '/spec/hostPID', value: false }]); // { spec: { hostPID: false } }
 */
export function applyFixes(root: JsonObject, ops: readonly FixOperation[]): JsonObject {
  const out = structuredClone(root);
  for (const op of ops) {
    const tokens = parsePointer(op.path);
    const last = tokens.pop();
    if (last === undefined) throw new Error(`cannot ${op.op} the document root`);
    let parent: JsonValue | undefined = out;
    for (const t of tokens) {
      parent = parent !== null && typeof parent === 'object' ? (Array.isArray(parent) ? parent[Number(t)] : parent[t]) : undefined;
    }
    if (parent === null || typeof parent !== 'object' || parent === undefined) throw new Error(`${op.op} ${op.path}: parent does not exist`);
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new Error(`${op.op} ${op.path}: bad array index`);
      if (op.op === 'remove') parent.splice(i, 1);
      else parent.splice(i, op.op === 'add' ? 0 : 1, op.value);
    } else if (op.op === 'remove') {
      delete parent[last];
    } else {
      parent[last] = op.value;
    }
  }
  return out;
}

/**
 * The values fixes write where the right value depends on the workload: resource requests and
 * limits, the non-root UID and GID, emptyDir size limits. Each fixing check takes a `fixValue`
 * parameter (`checks.<id>.params.fixValue`) and the `fix` section of the configuration sets
 * them by kind (see docs/fix.md).
 */
export const FIX_DEFAULTS = {
  runAsUser: 10001,
  runAsGroup: 10001,
  cpuLimit: '500m',
  memoryLimit: '512Mi',
  ephemeralStorageLimit: '1Gi',
  cpuRequest: '100m',
  memoryRequest: '128Mi',
  emptyDirSizeLimit: '1Gi',
} as const;

/**
 * A check's `fixValue` parameter when it has the type of the default, else the default.
 *
 * @example
 * fixParam({ fixValue: '1' }, '500m'); // '1'
 * fixParam({}, 10001); // 10001
 */
export function fixParam<T extends string | number>(params: Readonly<Record<string, JsonValue>>, fallback: T): T {
  const v = params.fixValue;
  return (typeof v === typeof fallback ? v : fallback) as T;
}

/** The `paramsSchema` of a check whose only parameter is its fix value. */
export function fixValueSchema(type: 'string' | 'integer', description: string): JsonObject {
  return {
    type: 'object',
    additionalProperties: false,
    properties: { fixValue: { type, description, ...(type === 'integer' ? { minimum: 1 } : {}) } },
  };
}

const QUANTITY_RE = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const SUFFIX: Readonly<Record<string, number>> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * The value of a Kubernetes quantity (`500m`, `1Gi`, `2`), or undefined for one it does not read.
 *
 * @example
 * quantityValue('512Mi'); // 536870912
 */
export function quantityValue(q: JsonValue | undefined): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY_RE.exec(q.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? (SUFFIX[m[2]] as number) : 1);
}

/**
 * The limit a fix sets: the default, or the container's request when that is larger (a limit
 * below the request is rejected by the API server).
 *
 * @example
 * limitAtLeastRequest('2Gi', '512Mi'); // '2Gi'
 */
export function limitAtLeastRequest(request: JsonValue | undefined, fallback: string): string {
  const r = quantityValue(request);
  const f = quantityValue(fallback);
  return r !== undefined && f !== undefined && r > f && (typeof request === 'string' || typeof request === 'number') ? String(request) : fallback;
}

/** A container's `resources.requests[name]`, if any. */
export function requestOf(container: JsonObject, name: string): JsonValue | undefined {
  const resources = container.resources;
  const requests = resources !== null && typeof resources === 'object' && !Array.isArray(resources) ? resources.requests : undefined;
  return requests !== null && typeof requests === 'object' && !Array.isArray(requests) ? requests[name] : undefined;
}
