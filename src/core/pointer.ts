/**
 * JSON Pointer helpers (RFC 6901).
 */
import type { JsonValue } from './types.js';

/** Escapes one reference token. */
export function escapeToken(token: string | number): string {
  const s = String(token);
  if (!s.includes('~') && !s.includes('/')) return s;
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a pointer from tokens: `join('/spec', 'containers', 0)` -> `/spec/containers/0`. */
export function joinPointer(base: string, ...tokens: readonly (string | number)[]): string {
  let out = base;
  for (const t of tokens) out += `/${escapeToken(t)}`;
  return out;
}

/** Splits a pointer into unescaped tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`invalid JSON pointer: ${pointer}`);
  const tokens = pointer.slice(1).split('/');
  // Escapes are rare (keys with `/` or `~`); checks parse pointers in every evaluation.
  if (!pointer.includes('~')) return tokens;
  return tokens.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Reads the value a pointer names, or undefined. */
export function getAt(root: JsonValue | undefined, pointer: string): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const token of parsePointer(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      const i = Number(token);
      if (!Number.isInteger(i)) return undefined;
      cur = cur[i];
    } else {
      cur = Object.hasOwn(cur, token) ? cur[token] : undefined;
    }
  }
  return cur;
}
