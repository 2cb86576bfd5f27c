/**
 * Fix operations (the JSON-Patch subset checks emit, `FixOperation` in core/check.ts) as an
 * RFC 6902 JSON Patch the API server applies to the object under admission. The API server
 * rejects the whole request when one operation of a patch does not apply, so every operation
 * is checked against the object here, with RFC 6902's own rules (a `replace` or `remove`
 * target must exist, an `add` parent must exist), before it is sent.
 * https://www.rfc-editor.org/rfc/rfc6902
 */
import type { FixOperation } from '../core/check.js';
import { parsePointer } from '../core/pointer.js';
import type { JsonObject, JsonValue } from '../core/types.js';

/** One RFC 6902 operation (the subset fixes produce). */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'test'; readonly path: string; readonly value: JsonValue };

/** An operation that does not apply to the document, with why. */
export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchError';
  }
}

function child(parent: JsonValue, token: string): JsonValue | undefined {
  if (Array.isArray(parent)) return /^(0|[1-9]\d*)$/.test(token) ? parent[Number(token)] : undefined;
  if (parent !== null && typeof parent === 'object') return Object.hasOwn(parent, token) ? parent[token] : undefined;
  return undefined;
}

/**
 * Applies an RFC 6902 patch to a deep copy of `doc`, strictly: a missing parent, a missing
 * `replace`/`remove` target, a bad array index or a failed `test` throws {@link PatchError}.
 *
 * @example
 * applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/-', value: 2 }]); // { a: [1, 2] }
 */
export function applyJsonPatch(doc: JsonObject, patch: readonly JsonPatchOperation[]): JsonObject {
  const out = structuredClone(doc);
  for (const op of patch) {
    const tokens = parsePointer(op.path);
    const last = tokens.pop();
    if (last === undefined) throw new PatchError(`${op.op} ${op.path || '""'}: the document root is not patched`);
    let parent: JsonValue | undefined = out;
    for (const t of tokens) {
      parent = parent === undefined ? undefined : child(parent, t);
      if (parent === undefined) throw new PatchError(`${op.op} ${op.path}: parent does not exist`);
    }
    if (parent === null || typeof parent !== 'object') throw new PatchError(`${op.op} ${op.path}: parent is not an object or array`);
    if (op.op === 'test') {
      if (JSON.stringify(child(parent, last)) !== JSON.stringify(op.value)) throw new PatchError(`test ${op.path}: value differs`);
      continue;
    }
    if (Array.isArray(parent)) {
      const end = op.op === 'add' ? parent.length : parent.length - 1;
      const i = last === '-' && op.op === 'add' ? parent.length : /^(0|[1-9]\d*)$/.test(last) ? Number(last) : Number.NaN;
      if (!Number.isInteger(i) || i < 0 || i > end) throw new PatchError(`${op.op} ${op.path}: array index out of range`);
      if (op.op === 'remove') parent.splice(i, 1);
      else parent.splice(i, op.op === 'add' ? 0 : 1, structuredClone(op.value));
      continue;
    }
    const exists = Object.hasOwn(parent, last);
    if ((op.op === 'replace' || op.op === 'remove') && !exists) throw new PatchError(`${op.op} ${op.path}: no such member`);
    if (op.op === 'remove') delete parent[last];
    else parent[last] = structuredClone(op.value);
  }
  return out;
}

/** Pointers the API server does not let admission change, or that a fix must not change there. */
export const FROZEN_POINTER = /^\/(apiVersion|kind|metadata\/(name|namespace|uid|generateName|resourceVersion))(\/|$)/;

/** The patch made of fix operations, and what was left out. */
export interface FixPatch {
  readonly patch: readonly JsonPatchOperation[];
  /** The object with the patch applied. */
  readonly patched: JsonObject;
  /** Operations that could not be sent, with why (already applied by an earlier fix, frozen field...). */
  readonly skipped: readonly { readonly op: FixOperation; readonly reason: string }[];
}

/**
 * Turns fix operations into an RFC 6902 patch that applies to `object`, in order: a `replace`
 * of a member that does not exist becomes an `add` (the fix means "set"), a `remove` of a
 * member that is already gone is dropped, an operation that would repeat what an earlier one
 * did (two findings fixed by the same edit) is dropped, and operations on `apiVersion`, `kind`
 * or the object's identity are never sent (admission cannot change them).
 *
 * @example
 * fixesToJsonPatch(pod, [{ op: 'add', path: '/spec/containers/0/securityContext', value: { readOnlyRootFilesystem: true } }]).patch;
 */
export function fixesToJsonPatch(object: JsonObject, ops: readonly FixOperation[]): FixPatch {
  let current = object;
  const patch: JsonPatchOperation[] = [];
  const skipped: { op: FixOperation; reason: string }[] = [];
  const seen = new Set<string>();
  for (const op of ops) {
    const key = JSON.stringify(op);
    if (seen.has(key)) continue;
    seen.add(key);
    if (FROZEN_POINTER.test(op.path)) {
      skipped.push({ op, reason: `${op.path} cannot be changed by admission` });
      continue;
    }
    let candidate: JsonPatchOperation = op;
    if (op.op === 'replace' || op.op === 'remove') {
      const tokens = parsePointer(op.path);
      let v: JsonValue | undefined = current;
      for (const t of tokens) v = v === undefined ? undefined : child(v, t);
      if (v === undefined && op.op === 'remove') {
        skipped.push({ op, reason: `${op.path} is already absent` });
        continue;
      }
      if (v === undefined && op.op === 'replace') candidate = { op: 'add', path: op.path, value: op.value };
    }
    // An append of a value the array already holds (NET_RAW into drop twice) changes nothing useful.
    if (candidate.op === 'add' && candidate.path.endsWith('/-')) {
      let arr: JsonValue | undefined = current;
      for (const t of parsePointer(candidate.path.slice(0, -2))) arr = arr === undefined ? undefined : child(arr, t);
      const value = candidate.value;
      if (Array.isArray(arr) && arr.some((x) => JSON.stringify(x) === JSON.stringify(value))) {
        skipped.push({ op, reason: `${candidate.path.slice(0, -2)} already holds ${JSON.stringify(value)}` });
        continue;
      }
    }
    try {
      current = applyJsonPatch(current, [candidate]);
      patch.push(candidate);
    } catch (err) {
      skipped.push({ op, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { patch, patched: current, skipped };
}
