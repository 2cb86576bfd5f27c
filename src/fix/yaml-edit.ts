/**
 * The comment-preserving YAML/JSON editor: applies fix operations (the JSON-Patch subset of
 * `FixOperation`) to the text of one document by splicing only the characters that must change.
 * Positions come from the `yaml` package's parsed nodes (`range`); nothing is re-rendered but the
 * new values, so comments, key order, quoting, flow vs block style, blank lines, indentation,
 * line endings, document markers and anchors elsewhere stay byte for byte.
 *
 * New values follow the style around them: inside a flow collection (or a JSON file) they are
 * written in flow style (JSON in JSON files); inside a block collection, in block style with the
 * document's indentation width and sequence indentation; a replaced string keeps its quotes.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, parseDocument, type Scalar, stringify, type YAMLMap, type YAMLSeq } from 'yaml';
import type { FixOperation } from '../core/check.js';
import jsYaml from 'js-yaml';
import { applyFixes } from '../core/fix.js';
import { parsePointer } from '../core/pointer.js';
import type { JsonValue } from '../core/types.js';
import { splitDocuments } from '../sources/yaml-loader.js';

/** Why an operation cannot be applied to the text: the fix is then reported as not automatic. */
export class EditError extends Error {
  override readonly name = 'EditError';
}

/** How new text is written in one document. */
export interface EditStyle {
  /** `\n` or `\r\n`, as the file uses. */
  readonly newline: string;
  /** Indentation width of nested block mappings (2 when the document has none). */
  readonly indent: number;
  /** Whether block sequences under a key are indented (`key:\n  - a`) or not (`key:\n- a`). */
  readonly indentSeq: boolean;
  /** JSON document: new values are JSON. */
  readonly json: boolean;
  /** Minified JSON (`{"a":1,"b":2}`): new values carry no spaces either. */
  readonly compact?: boolean;
}

type ParsedNode = Node;

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Offset of the end of the line holding `offset` (before `\r\n` or `\n`). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** Backs off whitespace and newlines before `end` (but not before `start`). */
function trimEnd(text: string, start: number, end: number): number {
  let p = end;
  while (p > start && /[ \t\r\n]/.test(text[p - 1] as string)) p--;
  return p;
}

function rangeOf(node: ParsedNode | null | undefined): [number, number] {
  const r = node?.range;
  if (!r) throw new EditError('a node without a source position');
  return [r[0], r[1]];
}

/**
 * Detects how a document is written, for new text to match it.
 *
 * @example
 * detectStyle('a:\r\n    b: 1\r\n'); // { newline: '\r\n', indent: 4, indentSeq: true, json: false }
 */
export function detectStyle(text: string, parsed?: ReturnType<typeof parseDocument>): EditStyle {
  const newline = /\r\n/.test(text) ? '\r\n' : '\n';
  const json = /^\s*[[{]/.test(text.replace(/^(?:\s*(?:#[^\n]*)?\n)*\s*(?:---[^\n]*\n)?/, ''));
  let indent = 0;
  let indentSeq: boolean | undefined;
  const doc = parsed ?? parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  const visit = (node: unknown, depth: number): void => {
    if (depth > 50 || (indent > 0 && indentSeq !== undefined)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as ParsedNode | null;
        const value = pair.value as ParsedNode | null;
        if (!key?.range || !value?.range) continue;
        if (isMap(value) && !value.flow && indent === 0) {
          const w = column(text, value.range[0]) - column(text, key.range[0]);
          if (w > 0) indent = w;
        }
        if (isSeq(value) && !value.flow && indentSeq === undefined) {
          const dash = text.lastIndexOf('-', value.range[0]);
          if (dash >= 0) indentSeq = column(text, dash) > column(text, key.range[0]);
        }
        visit(value, depth + 1);
      }
    } else if (isSeq(node)) for (const item of node.items) visit(item, depth + 1);
  };
  visit(doc.contents, 0);
  const compact = json && /":/.test(text) && !/[:,]\s/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
  return { newline, indent: indent || 2, indentSeq: indentSeq ?? true, json, ...(compact ? { compact } : {}) };
}

// ---------------------------------------------------------------------------------------
// Rendering new values

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

function scalarText(value: JsonValue, style: EditStyle, like?: Scalar): string {
  if (style.json) return JSON.stringify(value);
  if (typeof value === 'string') {
    if (like?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
    if (like?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  }
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

function keyText(key: string, style: EditStyle): string {
  if (style.json) return JSON.stringify(key);
  return PLAIN_KEY.test(key) ? key : scalarText(key, style);
}

function isCollection(v: JsonValue): v is JsonValue[] | { [k: string]: JsonValue } {
  return v !== null && typeof v === 'object';
}

function isEmptyCollection(v: JsonValue): boolean {
  return isCollection(v) && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
}

/** A value in flow style: `{a: 1, b: [x]}` (JSON in JSON documents). */
function flowText(value: JsonValue, style: EditStyle): string {
  if (style.compact) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => flowText(v, style)).join(', ')}]`;
  if (isCollection(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${keyText(k, style)}: ${flowText(v, style)}`)
      .join(', ')}}`;
  return scalarText(value, style);
}

/** The lines of a non-empty collection in block style, relative to column 0. */
function blockLines(value: JsonValue[] | { [k: string]: JsonValue }, style: EditStyle): string[] {
  const out: string[] = [];
  const nested = (v: JsonValue, pad: number): string[] => blockLines(v as JsonValue[] | { [k: string]: JsonValue }, style).map((l) => `${' '.repeat(pad)}${l}`);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isCollection(item) || isEmptyCollection(item)) {
        out.push(`- ${flowText(item, style)}`);
        continue;
      }
      const [first = '', ...rest] = nested(item, 2);
      out.push(`- ${first.slice(2)}`, ...rest);
    }
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (!isCollection(v) || isEmptyCollection(v)) out.push(`${keyText(k, style)}: ${flowText(v, style)}`);
    else out.push(`${keyText(k, style)}:`, ...nested(v, Array.isArray(v) && !style.indentSeq ? 0 : style.indent));
  }
  return out;
}

/** A value in block style; its first line is not indented, the others start at `col`. */
function blockText(value: JsonValue, col: number, style: EditStyle): string {
  if (!isCollection(value) || isEmptyCollection(value)) return flowText(value, style);
  const lines = blockLines(value, style);
  const pad = ' '.repeat(col);
  return lines.map((l, i) => (i === 0 ? l : `${pad}${l}`)).join(style.newline);
}

/** A JSON value laid out over lines as in a pretty-printed JSON file; continuation lines start at `col`. */
function jsonMultiline(value: JsonValue, col: number, style: EditStyle): string {
  const lines = JSON.stringify(value, null, style.indent).split('\n');
  const pad = ' '.repeat(col);
  return lines.map((l, i) => (i === 0 ? l : `${pad}${l}`)).join(style.newline);
}

/** What follows `key:` for a new pair in a block mapping whose keys start at `col`. */
function blockPairValue(value: JsonValue, col: number, style: EditStyle): string {
  if (!isCollection(value) || isEmptyCollection(value)) return ` ${flowText(value, style)}`;
  const child = Array.isArray(value) && !style.indentSeq ? col : col + style.indent;
  return `${style.newline}${' '.repeat(child)}${blockText(value, child, style)}`;
}

// ---------------------------------------------------------------------------------------
// Locating nodes

interface Located {
  /** The collection holding the target. */
  readonly parent: YAMLMap | YAMLSeq;
  /** The key (mapping) or index (sequence); `-` for the end of a sequence. */
  readonly token: string;
  /** The pair for a mapping key, when it exists. */
  readonly pair?: Pair;
  /** The existing node (pair value or sequence item), when it exists. */
  readonly node?: ParsedNode | null;
  readonly index: number;
}

function keyString(pair: Pair): string | undefined {
  const k = pair.key as ParsedNode | null;
  if (isScalar(k)) return String(k.value);
  return undefined;
}

function childOf(node: unknown, token: string, path: string): unknown {
  if (isAlias(node)) throw new EditError(`${path} goes through an alias (*${node.source}); edit the anchor by hand`);
  if (isMap(node)) {
    const pair = node.items.find((p) => keyString(p) === token);
    if (!pair) throw new EditError(`${path}: no key "${token}"`);
    return pair.value;
  }
  if (isSeq(node)) {
    const i = Number(token);
    if (!Number.isInteger(i) || i < 0 || i >= node.items.length) throw new EditError(`${path}: no item ${token}`);
    return node.items[i];
  }
  throw new EditError(`${path}: not a mapping or a sequence`);
}

function locate(root: ParsedNode, pointer: string): Located {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) throw new EditError('cannot edit the object root');
  let cur: unknown = root;
  for (const t of tokens) cur = childOf(cur, t, pointer);
  if (isAlias(cur)) throw new EditError(`${pointer} goes through an alias (*${cur.source}); edit the anchor by hand`);
  if (isMap(cur)) {
    const index = cur.items.findIndex((p) => keyString(p) === last);
    const pair = index >= 0 ? cur.items[index] : undefined;
    return pair ? { parent: cur, token: last, pair, node: pair.value as ParsedNode | null, index } : { parent: cur, token: last, index: -1 };
  }
  if (isSeq(cur)) {
    if (last === '-') return { parent: cur, token: last, index: cur.items.length };
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i > cur.items.length) throw new EditError(`${pointer}: bad index`);
    return { parent: cur, token: last, index: i, ...(i < cur.items.length ? { node: cur.items[i] as ParsedNode } : {}) };
  }
  throw new EditError(`${pointer}: the parent is not a mapping or a sequence`);
}

// ---------------------------------------------------------------------------------------
// Splicing

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function splice(text: string, s: Splice): string {
  return text.slice(0, s.start) + s.text + text.slice(s.end);
}

function itemEnd(item: unknown): number {
  if (isPair(item)) {
    const v = item.value as ParsedNode | null;
    if (v?.range) return v.range[1];
    return rangeOf(item.key as ParsedNode).at(1) as number;
  }
  return rangeOf(item as ParsedNode)[1];
}

function itemStart(item: unknown): number {
  if (isPair(item)) return rangeOf(item.key as ParsedNode)[0];
  return rangeOf(item as ParsedNode)[0];
}

/** Where the text of a block collection's item ends: end of its last line, past an inline comment. */
function blockItemLineEnd(text: string, item: unknown): number {
  const start = itemStart(item);
  return lineEnd(text, trimEnd(text, start, itemEnd(item)));
}

/** The offset of the `-` of a block sequence item. */
function dashOf(text: string, item: unknown): number {
  const start = itemStart(item);
  let p = start - 1;
  while (p >= 0 && text[p] !== '-') {
    if (!/[ \t]/.test(text[p] as string)) throw new EditError('a sequence item without a dash');
    p--;
  }
  if (p < 0) throw new EditError('a sequence item without a dash');
  return p;
}

function isMultiline(text: string, node: ParsedNode): boolean {
  const [s, e] = rangeOf(node);
  return text.slice(s, e).includes('\n');
}

/** Inserts a new entry into a flow collection (or a JSON object/array). */
function flowInsert(text: string, coll: YAMLMap | YAMLSeq, index: number, entry: (col: number) => string, style: EditStyle): Splice {
  const [start, end] = rangeOf(coll);
  const items = coll.items as unknown[];
  const close = text.lastIndexOf(isMap(coll) ? '}' : ']', end);
  if (items.length === 0) {
    if (isMultiline(text, coll)) {
      const col = column(text, start) + style.indent;
      return { start: start + 1, end: close, text: `${style.newline}${' '.repeat(col)}${entry(col)}${style.newline}${' '.repeat(column(text, start))}` };
    }
    return { start: start + 1, end: close, text: entry(column(text, start) + 1) };
  }
  const multiline = isMultiline(text, coll);
  const sep = style.compact ? ',' : ', ';
  const first = items[0];
  const col = column(text, itemStart(first));
  if (index >= items.length) {
    const at = trimEnd(text, start, itemEnd(items[items.length - 1]));
    return { start: at, end: at, text: multiline ? `,${style.newline}${' '.repeat(col)}${entry(col)}` : `${sep}${entry(col)}` };
  }
  const at = itemStart(items[index]);
  return { start: at, end: at, text: multiline ? `${entry(col)},${style.newline}${' '.repeat(col)}` : `${entry(col)}${sep}` };
}

function flowRemove(text: string, coll: YAMLMap | YAMLSeq, index: number): Splice {
  const items = coll.items as unknown[];
  const item = items[index];
  const end = itemEnd(item);
  if (index > 0) {
    const prevEnd = trimEnd(text, 0, itemEnd(items[index - 1]));
    return { start: prevEnd, end: trimEnd(text, prevEnd, end), text: '' };
  }
  if (items.length > 1) return { start: itemStart(item), end: itemStart(items[1]), text: '' };
  const [start, collEnd] = rangeOf(coll);
  return { start: start + 1, end: text.lastIndexOf(isMap(coll) ? '}' : ']', collEnd), text: '' };
}

function flowValueText(value: JsonValue, col: number, style: EditStyle, multiline: boolean): string {
  return style.json && multiline && isCollection(value) && !isEmptyCollection(value) ? jsonMultiline(value, col, style) : flowText(value, style);
}

/** Replaces an existing node with a new value, keeping the node's style where it can. */
function replaceNode(text: string, node: ParsedNode | null | undefined, value: JsonValue, style: EditStyle, keyCol: number, keyEnd: number): Splice {
  if (node == null || (isScalar(node) && rangeOf(node)[0] === rangeOf(node)[1])) {
    // `key:` with nothing after it: the value goes after the colon.
    const colon = text.indexOf(':', keyEnd);
    const at = colon >= 0 ? colon + 1 : keyEnd;
    return { start: at, end: at, text: style.json ? ` ${flowText(value, style)}` : blockPairValue(value, keyCol, style) };
  }
  const [start, end] = rangeOf(node);
  if (isScalar(node) || ((isMap(node) || isSeq(node)) && node.flow)) {
    if (!isCollection(value) || style.json || !isScalar(node)) {
      const text2 = isCollection(value)
        ? flowValueText(value, column(text, start), style, isMultiline(text, node))
        : scalarText(value, style, isScalar(node) ? node : undefined);
      return { start, end: isScalar(node) ? end : trimEnd(text, start, end), text: text2 };
    }
    // A scalar (`null`, `~`) becomes a block collection on the following lines.
    const after = lineEnd(text, end);
    const removeFrom = trimEnd(text, 0, start);
    return { start: removeFrom, end: after, text: text.slice(end, after) + blockPairValue(value, keyCol, style) };
  }
  // A block collection: its lines are replaced by the new block.
  const stop = lineEnd(text, trimEnd(text, start, end));
  const col = column(text, start);
  if (!isCollection(value) || isEmptyCollection(value)) {
    const from = trimEnd(text, 0, lineStart(text, start));
    return { start: from, end: stop, text: ` ${flowText(value, style)}` };
  }
  return { start, end: stop, text: blockText(value, col, style) };
}

/**
 * The splice that applies one operation to the text of the document whose parsed object is
 * `root`. Throws {@link EditError} when the operation cannot be written safely.
 */
function spliceFor(text: string, root: ParsedNode, op: FixOperation, style: EditStyle): Splice {
  const at = locate(root, op.path);
  const { parent } = at;
  if (op.op === 'remove') {
    if (at.node === undefined && !at.pair) throw new EditError(`${op.path}: nothing to remove`);
    const items = parent.items as unknown[];
    const item = items[at.index];
    if (parent.flow || style.json) return flowRemove(text, parent, at.index);
    if (items.length === 1) {
      // The last entry of a block collection: the collection becomes empty (`{}` / `[]`).
      const from = trimEnd(text, 0, lineStart(text, itemStart(item)));
      const stop = blockItemLineEnd(text, item);
      return { start: from, end: stop, text: isMap(parent) ? ' {}' : ' []' };
    }
    const keyAt = itemStart(item);
    if (isMap(parent) && text.slice(lineStart(text, keyAt), keyAt).trim() !== '') {
      // The first pair of a sequence item (`- hostPort: 80`): the dash stays with the next pair.
      const next = items[at.index + 1];
      if (at.index !== 0 || next === undefined) throw new EditError(`${op.path}: a pair that shares its line`);
      return { start: keyAt, end: itemStart(next), text: '' };
    }
    const from = lineStart(text, isSeq(parent) ? dashOf(text, item) : keyAt);
    const stop = blockItemLineEnd(text, item);
    const next = text.indexOf('\n', stop);
    return { start: from, end: next === -1 ? stop : next + 1, text: '' };
  }
  const value = op.value;
  if (isMap(parent)) {
    if (at.pair) {
      const key = at.pair.key as ParsedNode;
      const [ks, ke] = rangeOf(key);
      return replaceNode(text, at.node, value, style, column(text, ks), ke);
    }
    if (op.op === 'replace') throw new EditError(`${op.path}: nothing to replace`);
    if (parent.flow || style.json) {
      const multiline = isMultiline(text, parent);
      return flowInsert(
        text,
        parent,
        parent.items.length,
        (col) => `${keyText(at.token, style)}${style.compact ? ':' : ': '}${flowValueText(value, col, style, multiline)}`,
        style,
      );
    }
    const items = parent.items;
    if (items.length === 0) throw new EditError(`${op.path}: an empty block mapping`);
    const col = column(text, itemStart(items[0]));
    const after = blockItemLineEnd(text, items[items.length - 1]);
    return {
      start: after,
      end: after,
      text: `${style.newline}${' '.repeat(col)}${keyText(at.token, style)}:${blockPairValue(value, col, style)}`,
    };
  }
  // Sequence.
  const seq = parent as YAMLSeq;
  if (op.op === 'replace' || (at.node !== undefined && op.op !== 'add')) {
    if (at.node === undefined) throw new EditError(`${op.path}: nothing to replace`);
    const [s] = rangeOf(at.node);
    return replaceNode(text, at.node, value, style, column(text, s), s);
  }
  if (seq.flow || style.json) {
    const multiline = isMultiline(text, seq);
    const like = seq.items.find((i) => isScalar(i)) as Scalar | undefined;
    return flowInsert(
      text,
      seq,
      at.index,
      (col) => (isCollection(value) ? flowValueText(value, col, style, multiline) : scalarText(value, style, like)),
      style,
    );
  }
  const items = seq.items;
  if (items.length === 0) throw new EditError(`${op.path}: an empty block sequence`);
  const like = items.find((i) => isScalar(i)) as Scalar | undefined;
  const dashCol = column(text, dashOf(text, items[0]));
  const entry = `${' '.repeat(dashCol)}- ${isCollection(value) ? blockText(value, dashCol + 2, style) : scalarText(value, style, like)}`;
  if (at.index >= items.length) {
    const after = blockItemLineEnd(text, items[items.length - 1]);
    return { start: after, end: after, text: `${style.newline}${entry}` };
  }
  const before = lineStart(text, dashOf(text, items[at.index]));
  return { start: before, end: before, text: `${entry}${style.newline}` };
}

/** Where in a document the object to edit is: the root, or an item of a `List`. */
export type ObjectPath = readonly (string | number)[];

/**
 * Applies fix operations, in order, to one object in the text of one YAML (or JSON) document,
 * touching only the characters that must change. `objectPath` leads from the document root to
 * the object (`['items', 2]` for a List item; `[]` for the root). Throws {@link EditError} when
 * an operation cannot be written safely (a path through an alias, a document that does not
 * parse); the caller then leaves the object as it was.
 *
 * @example
 * editDocument('kind: Pod # web\nspec:\n  hostPID: true\n', [], [{ op: 'replace', path: '/spec/hostPID', value: false }]);
 * // 'kind: Pod # web\nspec:\n  hostPID: false\n'
 */
export function editDocument(text: string, objectPath: ObjectPath, ops: readonly FixOperation[], style?: EditStyle): string {
  let out = text;
  let pending = foldOperations(ops);
  let doc = parseChecked(out, 'the document does not parse');
  const used = style ?? detectStyle(text, doc);
  // Operations on unrelated parts of the object are spliced from one parse, in batches: an
  // operation waits for the next batch when its parent or path is related (one a prefix of the
  // other) to one already in the batch, so that every splice of a batch is computed on the text
  // it applies to and no two splices touch the same place.
  while (pending.length > 0) {
    let root: unknown = doc.contents;
    for (const t of objectPath) root = childOf(root, String(t), '/');
    if (!isMap(root)) throw new EditError('the object is not a mapping');
    const batch: (Splice & { readonly order: number })[] = [];
    const takenPaths: string[] = [];
    const takenParents: string[] = [];
    const exclusive = new Set<string>();
    const deferred: FixOperation[] = [];
    pending.forEach((op, order) => {
      const parent = op.path.slice(0, op.path.lastIndexOf('/'));
      const last = op.path.slice(op.path.lastIndexOf('/') + 1);
      // Several keys may be added to (or replaced in) one mapping, and items appended to one
      // sequence, from one parse: their splices are at distinct places or, appended at the same
      // place, kept in order. A removal or an indexed insertion shifts what follows, so it is
      // alone on its parent; edits in nested collections wait (their text may end where the
      // parent's next key goes).
      const shifts = op.op === 'remove' || (last !== '-' && /^\d+$/.test(last) && op.op === 'add');
      const conflict =
        takenPaths.some((t) => isPrefix(t, op.path) || isPrefix(op.path, t)) ||
        takenParents.some((p) => p !== parent && (isPrefix(p, parent) || isPrefix(parent, p))) ||
        exclusive.has(parent) ||
        (shifts && takenParents.includes(parent)) ||
        deferred.some((d) => isPrefix(d.path.slice(0, d.path.lastIndexOf('/')), op.path) || isPrefix(op.path, d.path) || d.path.startsWith(`${parent}/`));
      if (conflict) {
        deferred.push(op);
        return;
      }
      const sp = spliceFor(out, root as YAMLMap, op, used);
      // A replacement that overlaps another splice waits too (an empty flow collection filled twice).
      if (
        batch.some(
          (b) =>
            (sp.start < b.end && b.start < sp.end) ||
            (b.start === b.end && sp.start < b.start && b.start < sp.end) ||
            (sp.start === sp.end && b.start < sp.start && sp.start < b.end) ||
            (sp.start === b.start && (sp.end !== sp.start || b.end !== b.start)),
        )
      ) {
        deferred.push(op);
        return;
      }
      batch.push({ ...sp, order });
      takenPaths.push(op.path);
      takenParents.push(parent);
      if (shifts) exclusive.add(parent);
    });
    // Last place first, so that earlier offsets stay valid; at one place, the later operation
    // first, so that the texts end up in the operations' order.
    batch.sort((a, b) => b.start - a.start || b.order - a.order);
    for (const sp of batch) out = splice(out, sp);
    pending = deferred;
    if (pending.length > 0) doc = parseChecked(out, 'the document does not parse');
  }
  // A key written twice (a new key where a merge or a duplicate hid the old one) parses, but is
  // not what was meant: refuse it unless the original had the same problem.
  // Checked with the loader's parser (js-yaml, several times faster): the edited text must load
  // as the scan will load it.
  const problem = loadProblem(out);
  if (problem !== undefined) {
    if (/duplicated mapping key/.test(problem) && loadProblem(text) !== undefined) return out;
    throw new EditError(/duplicated mapping key/.test(problem) ? 'the edit would write a key twice' : `the edited document would not parse: ${problem}`);
  }
  return out;
}

/**
 * Folds each operation that edits inside a value an earlier operation adds into that value
 * (`add /sc {a: 1}` then `add /sc/b 2` becomes `add /sc {a: 1, b: 2}`): the same result in fewer
 * splices, and fewer parses.
 */
function foldOperations(ops: readonly FixOperation[]): FixOperation[] {
  const out: FixOperation[] = [];
  for (const op of ops) {
    // The latest earlier operation at or above this path decides: folding past a later one would reorder them.
    let host = -1;
    for (let i = out.length - 1; i >= 0 && host < 0; i--) {
      const p = (out[i] as FixOperation).path;
      if (op.path === p || op.path.startsWith(`${p}/`) || p.startsWith(`${op.path}/`)) host = i;
    }
    const h = out[host];
    if (h === undefined || h.op === 'remove' || !isCollection(h.value) || !op.path.startsWith(`${h.path}/`)) {
      out.push(op);
      continue;
    }
    try {
      const value = applyFixes({ v: h.value }, [{ ...op, path: `/v${op.path.slice(h.path.length)}` }]).v as JsonValue;
      out[host] = { op: h.op, path: h.path, value };
    } catch {
      out.push(op);
    }
  }
  return out;
}

/** Why a document does not load strictly (duplicate keys included), or undefined. */
function loadProblem(text: string): string | undefined {
  try {
    jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
    return undefined;
  } catch (err) {
    return (err as { reason?: string }).reason ?? String(err);
  }
}

function isPrefix(prefix: string, pointer: string): boolean {
  return pointer === prefix || pointer.startsWith(`${prefix}/`);
}

function parseChecked(text: string, what: string): ReturnType<typeof parseDocument> {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length > 0) throw new EditError(`${what}: ${doc.errors[0]?.message ?? ''}`);
  return doc;
}

/** Edits of one object in a YAML stream: the document (0-based) and the path to the object in it. */
export interface StreamEdit {
  readonly document: number;
  readonly object?: ObjectPath;
  readonly ops: readonly FixOperation[];
}

/**
 * Applies edits to the documents of a YAML stream (`---`-separated; a JSON file is one
 * document), each document written in its own style; the text between documents is untouched.
 * Throws {@link EditError} as {@link editDocument} does.
 *
 * @example
 * editStream('a: 1\n---\nkind: Pod\nspec: {}\n', [{ document: 1, ops: [{ op: 'add', path: '/spec/hostPID', value: false }] }]);
 * // 'a: 1\n---\nkind: Pod\nspec: {hostPID: false}\n'
 */
export function editStream(text: string, edits: readonly StreamEdit[]): string {
  const chunks = splitDocuments(text);
  let out = text;
  const docs = [...new Set(edits.map((e) => e.document))].sort((a, b) => b - a);
  for (const d of docs) {
    const chunk = chunks[d];
    if (!chunk) throw new EditError(`no document ${d + 1} (the file has ${chunks.length})`);
    let doc = out.slice(chunk.start, chunk.end);
    const style = detectStyle(doc);
    for (const e of edits) if (e.document === d) doc = editDocument(doc, e.object ?? [], e.ops, style);
    out = out.slice(0, chunk.start) + doc + out.slice(chunk.end);
  }
  return out;
}
