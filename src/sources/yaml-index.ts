/**
 * A fast line index for block-style YAML: maps the JSON pointer of every mapping key and
 * sequence item to its line and column in one pass over the lines, without parsing values.
 * Finding positions use it instead of a second full parse (ADR 0004). Documents it cannot
 * index exactly (flow-style JSON, complex keys, merge keys, multi-line flow collections)
 * return undefined and are located with js-yaml's node listener instead.
 */
import { escapeToken } from '../core/pointer.js';

/** 0-based line and column inside the indexed text. */
export interface LinePos {
  readonly line: number;
  readonly col: number;
}

// A plain or quoted mapping key followed by `:` and a space or the end of the line.
const KEY_RE = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{[\]}!&*?|>%@`,-][^#]*?|-[^\s#][^#]*?))[ \t]*:(?=[ \t]|$)/;

/** A mapping key at the start of a line: the key (unquoted) and where its `:` ends. */
interface KeyMatch {
  readonly key: string;
  readonly end: number;
}

/**
 * The common case without a regular expression: a plain key of name characters followed by
 * `:` and a space or the end of the line. Returns the key, or undefined to let KEY_RE decide.
 */
function plainKey(text: string): KeyMatch | undefined {
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // a-z A-Z 0-9 _ . / -
    const nameChar = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || (c === 45 && i > 0);
    if (!nameChar) break;
  }
  if (i === 0 || text.charCodeAt(i) !== 58) return undefined;
  const after = text.charCodeAt(i + 1);
  if (i + 1 < text.length && after !== 32 && after !== 9) return undefined;
  return { key: text.slice(0, i), end: i + 1 };
}

/** A mapping key at the start of `text`, plain or quoted; undefined when the line holds none. */
function matchKey(text: string): KeyMatch | undefined {
  const plain = plainKey(text);
  if (plain !== undefined) return plain;
  const m = KEY_RE.exec(text);
  if (!m) return undefined;
  const key = m[1] !== undefined ? unescapeDouble(m[1]) : m[2] !== undefined ? m[2].replace(/''/g, "'") : (m[3] ?? '').trimEnd();
  return { key, end: m[0].length };
}

/** {@link valueKind} of what follows `from`, without cutting the line in the common case. */
function valueKindAt(text: string, from: number): 'empty' | 'block-scalar' | 'flow-open' | 'value' {
  let i = from;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i === text.length) return 'empty';
  const c = text.charCodeAt(i);
  // Printable ASCII other than # & ! | > { [ starts a plain or quoted value.
  if (c > 32 && c < 127 && c !== 35 && c !== 38 && c !== 33 && c !== 124 && c !== 62 && c !== 123 && c !== 91) return 'value';
  return valueKind(text.slice(from));
}

function unescapeDouble(s: string): string {
  return s.includes('\\') ? (JSON.parse(`"${s}"`) as string) : s;
}

/** What follows a key's colon: empty (a nested block follows), a block scalar, or a value. */
function valueKind(rest: string): 'empty' | 'block-scalar' | 'flow-open' | 'value' {
  let v = rest.trim();
  // Anchors and tags may precede a nested block: `key: &anchor` or `key: !!map`.
  while (v.startsWith('&') || v.startsWith('!')) {
    const sp = v.search(/\s/);
    v = sp === -1 ? '' : v.slice(sp).trim();
  }
  if (v === '' || v.startsWith('#')) return 'empty';
  if (v.startsWith('|') || v.startsWith('>')) return 'block-scalar';
  if (v.startsWith('{') || v.startsWith('[')) return balanced(v) ? 'value' : 'flow-open';
  return 'value';
}

/** Whether a one-line flow collection closes on its line (quotes taken into account). */
function balanced(v: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '#' && depth === 0) break;
  }
  return depth <= 0;
}

/** How the walker names nodes and where it reports them. */
interface PathSink<P> {
  readonly root: P;
  child(parent: P, token: string): P;
  /**
   * Records a node's position; `blockCol` is the column its block is indented from (a key's
   * own column, an item's dash). Returns true to stop walking.
   */
  found(node: P, pos: LinePos, isItem: boolean, blockCol: number): boolean;
}

interface Frame<P> {
  readonly indent: number;
  readonly node: P;
  readonly kind: 'map' | 'seq';
  count: number;
}

/** Walks the lines of a block-style document; false when it cannot follow the syntax. */
function walkBlockYaml<P>(src: string, sink: PathSink<P>): boolean {
  const stack: Frame<P>[] = [{ indent: -1, node: sink.root, kind: 'map', count: 0 }];
  let pending: { node: P; indent: number } | undefined;
  // Lines more indented than this belong to a block scalar and are skipped.
  let scalarIndent = -1;
  let sawContent = false;
  let bareItem: { node: P; dash: number } | undefined;
  let stopped = false;

  const top = (): Frame<P> => stack[stack.length - 1] as Frame<P>;

  // Handles `key: value` at column `col`; returns false when the line cannot be followed.
  const onKey = (m: KeyMatch, text: string, col: number, line: number): boolean => {
    const key = m.key;
    if (key === '<<') return false;
    while (stack.length > 1 && (top().indent > col || (top().kind === 'seq' && top().indent >= col))) stack.pop();
    if (pending && col > pending.indent) {
      stack.push({ indent: col, node: pending.node, kind: 'map', count: 0 });
    } else if (top().kind !== 'map' || (top().indent !== col && !(stack.length === 1 && top().indent === -1))) {
      return false;
    }
    pending = undefined;
    if (stack.length === 1 && top().indent === -1) {
      stack.pop();
      stack.push({ indent: col, node: sink.root, kind: 'map', count: 0 });
    }
    const node = sink.child(top().node, key);
    // A bare `-` item starts where its first key does (as js-yaml reports it).
    if (bareItem !== undefined) {
      if (sink.found(bareItem.node, { line, col }, true, bareItem.dash)) stopped = true;
      bareItem = undefined;
    }
    if (sink.found(node, { line, col }, false, col)) stopped = true;
    const kind = valueKindAt(text, m.end);
    if (kind === 'empty') pending = { node, indent: col };
    else if (kind === 'block-scalar') scalarIndent = col;
    else if (kind === 'flow-open') return false;
    return true;
  };

  // Lines are cut one at a time (no split): a lookup usually stops early.
  let next = 0;
  for (let line = 0; next <= src.length && !stopped; line++) {
    const nl = src.indexOf('\n', next);
    const end = nl === -1 ? src.length : nl;
    let raw = src.slice(next, end);
    next = end + 1;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    let col = 0;
    while (col < raw.length && raw.charCodeAt(col) === 32) col++;
    if (col === raw.length || raw[col] === '#') continue;
    if (raw[col] === '\t') return false;
    if (scalarIndent >= 0) {
      if (col > scalarIndent) continue;
      scalarIndent = -1;
    }
    let text = raw.slice(col);
    if (!sawContent) {
      if (text.startsWith('%')) continue;
      if (text === '---' || text.startsWith('--- ')) {
        text = text.slice(3).trim();
        if (text === '' || text.startsWith('#')) continue;
        return false;
      }
      if (text.startsWith('{') || text.startsWith('[')) return false;
      sawContent = true;
    }
    if (text.startsWith('? ')) return false;

    // Sequence items, possibly several on one line (`- - a`), possibly starting a mapping.
    let handled = false;
    while (text === '-' || text.startsWith('- ')) {
      while (stack.length > 1 && top().indent > col) stack.pop();
      if (pending && col >= pending.indent && !(top().kind === 'seq' && top().indent === col && top().node !== pending.node)) {
        stack.push({ indent: col, node: pending.node, kind: 'seq', count: 0 });
        pending = undefined;
      }
      const seq = top();
      if (seq.kind !== 'seq' || seq.indent !== col) return false;
      const node = sink.child(seq.node, String(seq.count++));
      const after = text.slice(1);
      const pad = after.length - after.trimStart().length;
      if (bareItem !== undefined) {
        if (sink.found(bareItem.node, { line, col }, true, bareItem.dash)) stopped = true;
        bareItem = undefined;
      }
      const bare = text === '-' || after.trim() === '' || after.trim().startsWith('#');
      // A bare item's position moves to its first key: it cannot end the walk yet.
      if (sink.found(node, { line, col: text === '-' ? col : col + 1 + pad }, true, col) && !bare) stopped = true;
      if (bare) {
        pending = { node, indent: col };
        bareItem = { node, dash: col };
        handled = true;
        break;
      }
      col = col + 1 + pad;
      text = after.trimStart();
      if (text === '-' || text.startsWith('- ')) {
        pending = { node, indent: col - 1 };
        continue;
      }
      const km = matchKey(text);
      if (km !== undefined) {
        pending = { node, indent: col - 1 };
        if (!onKey(km, text, col, line)) return false;
      } else {
        const kind = valueKind(text);
        if (kind === 'block-scalar') scalarIndent = col - 1;
        else if (kind === 'flow-open') return false;
        pending = undefined;
      }
      handled = true;
      break;
    }
    if (handled) continue;
    const km = matchKey(text);
    if (km !== undefined) {
      if (!onKey(km, text, col, line)) return false;
      continue;
    }
    // A continuation line of a multi-line plain or quoted scalar: nothing to index.
    if (pending && col > pending.indent) return false;
  }
  return true;
}

/**
 * Indexes a block-style YAML document: every key and item pointer to its position. Returns
 * undefined when the document uses syntax this index does not follow exactly.
 *
 * @example
 * indexBlockYaml('a:\n  b: 1\n').get('/a/b'); // { line: 1, col: 2 }
 */
export function indexBlockYaml(src: string): Map<string, LinePos> | undefined {
  const out = new Map<string, LinePos>();
  const ok = walkBlockYaml<string>(src, {
    root: '',
    child: (parent, token) => `${parent}/${escapeToken(token)}`,
    found(node, pos) {
      out.set(node, pos);
      return false;
    },
  });
  return ok ? out : undefined;
}

/** A node of {@link indexBlockYamlTree}: its position and its children by unescaped token. */
export interface PositionNode {
  line: number;
  col: number;
  kids?: Map<string, PositionNode>;
}

/** The tree form of the index: the document's first key and the root's children. */
export interface PositionTree {
  /** Where the document's first key is (the position of the document as a whole). */
  readonly first?: LinePos;
  readonly root: PositionNode;
}

/**
 * The same index as {@link indexBlockYaml}, as a tree keyed by pointer tokens instead of a
 * map of whole pointers: no pointer string is built or hashed per key, which made indexing a
 * large CRD (20,000 keys, deep paths) cost most of its time in string building and GC.
 *
 * @example
 * const t = indexBlockYamlTree('a:\n  b: 1\n');
 * t?.root.kids?.get('a')?.kids?.get('b'); // { line: 1, col: 2 }
 */
export function indexBlockYamlTree(src: string): PositionTree | undefined {
  const root: PositionNode = { line: -1, col: -1 };
  let first: LinePos | undefined;
  const ok = walkBlockYaml<PositionNode>(src, {
    root,
    child(parent, token) {
      const node: PositionNode = { line: -1, col: -1 };
      if (parent.kids === undefined) parent.kids = new Map();
      // A repeated key replaces the earlier one, as in the parsed value.
      parent.kids.set(token, node);
      return node;
    },
    found(node, pos) {
      node.line = pos.line;
      node.col = pos.col;
      if (first === undefined) first = { line: pos.line, col: pos.col };
      return false;
    },
  });
  if (!ok) return undefined;
  return first === undefined ? { root } : { first, root };
}

/** A node of the paths asked for in {@link locateInBlockYaml}. */
interface WantedNode {
  line: number;
  col: number;
  /** Met in the document (a repeated key starts its subtree again, as the parsed value does). */
  seen: boolean;
  kids?: Map<string, WantedNode>;
}

function forget(node: WantedNode): void {
  node.line = -1;
  node.col = -1;
  node.seen = false;
  if (node.kids) for (const k of node.kids.values()) forget(k);
}

/** The tokens of a pointer, unescaped; undefined for a string that is not a pointer. */
function tokensOf(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (pointer.charCodeAt(0) !== 47) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => (t.includes('~') ? t.replace(/~1/g, '/').replace(/~0/g, '~') : t));
}

/**
 * Where each pointer is, as {@link indexBlockYamlTree} and a lookup of the deepest indexed
 * prefix would say, in one walk that keeps only the paths asked for: resolving the few
 * findings of a document does not build a node per key of it. Undefined when the document
 * uses syntax the index does not follow (as {@link indexBlockYamlTree}); an entry is undefined
 * for a string that is not a JSON pointer.
 *
 * @example
 * locateInBlockYaml('a:\n  b: 1\n', ['/a/b', '/a/c']); // [{ line: 1, col: 2 }, { line: 0, col: 0 }]
 */
export function locateInBlockYaml(src: string, pointers: readonly string[]): (LinePos | undefined)[] | undefined {
  const root: WantedNode = { line: -1, col: -1, seen: false };
  const paths = pointers.map(tokensOf);
  for (const tokens of paths) {
    if (tokens === undefined) continue;
    let node = root;
    for (const token of tokens) {
      if (node.kids === undefined) node.kids = new Map();
      let next = node.kids.get(token);
      if (next === undefined) {
        next = { line: -1, col: -1, seen: false };
        node.kids.set(token, next);
      }
      node = next;
    }
  }
  let first: LinePos | undefined;
  const ok = walkBlockYaml<WantedNode | undefined>(src, {
    root,
    child(parent, token) {
      const node = parent?.kids?.get(token);
      if (node === undefined) return undefined;
      if (node.seen) forget(node);
      node.seen = true;
      return node;
    },
    found(node, pos) {
      if (first === undefined) first = { line: pos.line, col: pos.col };
      if (node !== undefined) {
        node.line = pos.line;
        node.col = pos.col;
      }
      return false;
    },
  });
  if (!ok) return undefined;
  const start: LinePos = first ?? { line: 0, col: 0 };
  return paths.map((tokens) => {
    if (tokens === undefined) return undefined;
    if (tokens.length === 0) return start;
    let pos: LinePos = { line: start.line, col: 0 };
    let node = root;
    for (const token of tokens) {
      const next = node.kids?.get(token);
      if (next === undefined || next.line < 0) break;
      pos = { line: next.line, col: next.col };
      node = next;
    }
    return pos;
  });
}
