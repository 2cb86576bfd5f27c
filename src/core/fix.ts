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
