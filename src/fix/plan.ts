/**
 * From findings to edits: which fix operations a run applies (safe ones, or also the "review"
 * ones with `--unsafe-fixes`), rebased on the object as it is when they apply (two checks that
 * both create `securityContext` must not overwrite each other), and where each object sits in
 * its file.
 */
import type { FixOperation } from '../core/check.js';
import { applyFixes } from '../core/fix.js';
import { isObject } from '../core/object.js';
import { getAt, joinPointer, parsePointer } from '../core/pointer.js';
import type { Finding, JsonObject, JsonValue, ResourceRef, Severity } from '../core/types.js';
import { severityRank } from '../core/types.js';
import { parseYamlStream, splitDocuments } from '../sources/yaml-loader.js';
import type { ObjectPath } from './yaml-edit.js';

/** Whether a failing finding is fixed by `palisade fix` (`true`), only with `--unsafe-fixes`, or not at all. */
export type Fixable = boolean | 'unsafe';

/** Which findings a fix run applies. */
export interface FixSelection {
  /** Also apply fixes marked "review" (`--unsafe-fixes`). */
  readonly unsafe?: boolean;
  /** Only findings at or above this severity. */
  readonly minSeverity?: Severity;
}

/**
 * Whether a fix run with `selection` applies this finding's fix.
 *
 * @example
 * selectedForFix(finding, { unsafe: true, minSeverity: 'high' });
 */
export function selectedForFix(f: Finding, selection: FixSelection = {}): boolean {
  if (f.status !== 'fail' || !f.fix || f.fix.length === 0) return false;
  if (f.fixable === false) return false;
  if (f.fixable === 'unsafe' && selection.unsafe !== true) return false;
  if (selection.minSeverity && severityRank(f.severity) < severityRank(selection.minSeverity)) return false;
  return true;
}

function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Rebases fix operations on `object` and on each other, in order: an `add` of a mapping where a
 * mapping already is merges key by key instead of replacing it; an operation that would change
 * nothing (the value is there already, an item already in the list) is dropped. The result
 * applies as plain JSON Patch and applying it twice changes nothing.
 *
 * @example
 * rebaseOperations({ spec: { securityContext: { runAsNonRoot: true } } },
 *   [{ op: 'add', path: '/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } }]);
 * // [{ op: 'add', path: '/spec/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } }]
 */
export function rebaseOperations(object: JsonObject, ops: readonly FixOperation[]): FixOperation[] {
  let current = object;
  const out: FixOperation[] = [];
  const push = (op: FixOperation): void => {
    current = applyFixes(current, [op]);
    out.push(op);
  };
  const visit = (op: FixOperation): void => {
    const tokens = parsePointer(op.path);
    const parentPointer = joinPointer('', ...tokens.slice(0, -1));
    const parent = getAt(current, parentPointer);
    const last = tokens[tokens.length - 1] as string;
    if (op.op === 'remove') {
      if (getAt(current, op.path) !== undefined) push(op);
      return;
    }
    if (Array.isArray(parent) && last === '-') {
      if (!parent.some((v) => deepEqual(v, op.value))) push(op);
      return;
    }
    if (parent === undefined || parent === null || typeof parent !== 'object') {
      // The parent is missing (another operation of the run created a sibling path, or removed it): nest.
      const created = nestedAdd(current, op.path, op.value);
      if (created) visit(created);
      return;
    }
    const existing = getAt(current, op.path);
    if (deepEqual(existing, op.value)) return;
    if (isObject(existing) && isObject(op.value)) {
      for (const [k, v] of Object.entries(op.value)) visit({ op: 'add', path: joinPointer(op.path, k), value: v });
      return;
    }
    push(existing === undefined ? { op: 'add', path: op.path, value: op.value } : { op: 'replace', path: op.path, value: op.value });
  };
  // Copies: applyFixes puts an operation's value into the object as it is, and a later
  // operation of the same object writes inside it; the findings' own fixes (which the engine
  // shares between findings with equal fixes) must not change.
  for (const op of ops) visit(structuredClone(op));
  return out;
}

/** An `add` at the deepest existing ancestor of `pointer`, carrying the rest as nested mappings. */
function nestedAdd(root: JsonObject, pointer: string, value: JsonValue): FixOperation | undefined {
  const tokens = parsePointer(pointer);
  for (let i = tokens.length - 1; i > 0; i--) {
    const ancestor = getAt(root, joinPointer('', ...tokens.slice(0, i)));
    if (isObject(ancestor)) {
      let nested = value;
      for (let j = tokens.length - 1; j > i; j--) nested = { [tokens[j] as string]: nested };
      return { op: 'add', path: joinPointer('', ...tokens.slice(0, i + 1)), value: nested };
    }
    if (ancestor !== undefined) return undefined;
  }
  return undefined;
}

/** One object in a manifest file. */
export interface ObjectSite {
  /** Index of the document in the file's chunks. */
  readonly chunk: number;
  /** Character range of the document in the file. */
  readonly start: number;
  readonly end: number;
  /** 1-based lines of the document. */
  readonly firstLine: number;
  readonly lastLine: number;
  /** From the document root to the object (`[]`, or `['items', i]` in a List). */
  readonly path: ObjectPath;
  readonly ref: Pick<ResourceRef, 'kind' | 'name' | 'namespace'>;
  readonly object: JsonObject;
}

function refOf(o: JsonObject): ObjectSite['ref'] | undefined {
  const meta = isObject(o.metadata) ? o.metadata : undefined;
  if (typeof o.kind !== 'string') return undefined;
  const name = typeof meta?.name === 'string' ? meta.name : typeof meta?.generateName === 'string' ? `${meta.generateName}*` : '';
  const namespace = typeof meta?.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  return { kind: o.kind, name, ...(namespace !== undefined ? { namespace } : {}) };
}

/**
 * The Kubernetes objects of a YAML/JSON file with where they are (document and path), parsed
 * as the scan's loader parses them.
 *
 * @example
 * objectSites('kind: Pod\nmetadata: {name: a}\n')[0]?.ref; // { kind: 'Pod', name: 'a' }
 */
export function objectSites(text: string): ObjectSite[] {
  const out: ObjectSite[] = [];
  // js-yaml, as the loader: the objects are what the scan saw; the editor parses what it edits.
  const chunkIndex = new Map(splitDocuments(text).map((c, i) => [c.start, i]));
  for (const d of parseYamlStream(text).documents) {
    const value = d.value;
    const c = d.chunk;
    const i = chunkIndex.get(c.start);
    if (!isObject(value) || i === undefined) continue;
    const slice = text.slice(c.start, c.end);
    const lines = slice.split('\n').length - (slice.endsWith('\n') ? 1 : 0);
    const base = { chunk: i, start: c.start, end: c.end, firstLine: c.line + 1, lastLine: c.line + Math.max(1, lines) };
    const kind = value.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, j) => {
        const ref = isObject(item) ? refOf(item) : undefined;
        if (ref && isObject(item)) out.push({ ...base, path: ['items', j], ref, object: item });
      });
      continue;
    }
    const ref = refOf(value);
    if (ref) out.push({ ...base, path: [], ref, object: value });
  }
  return out;
}

/** The site of the object a finding is about, in the sites of its file. */
export function siteOf(sites: readonly ObjectSite[], ref: ResourceRef, lineOf: () => number | undefined): ObjectSite | undefined {
  const same = sites.filter((s) => s.ref.kind === ref.kind && s.ref.name === ref.name && s.ref.namespace === ref.namespace);
  // Only objects that share their identity in one file need the finding's line (which costs a position lookup).
  const line = same.length > 1 ? lineOf() : undefined;
  if (line === undefined) return same[0];
  return same.find((s) => line >= s.firstLine && line <= s.lastLine) ?? same[0];
}
