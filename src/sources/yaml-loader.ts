/**
 * Fast YAML/JSON stream loading with source positions.
 *
 * Objects are parsed with js-yaml (the fastest YAML parser on npm that is YAML 1.2 and
 * JSON compatible, see docs/decisions/0004-yaml-loading.md). Positions are computed lazily:
 * a document keeps only its file and the character range of its text, and is indexed (or
 * parsed again with js-yaml's node listener) only when a finding asks where a pointer is.
 * Clean documents (most CRDs, ConfigMaps) never pay. File texts are not retained beyond a
 * bounded cache ({@link SourceTexts}): a file whose text was dropped is read again when one of
 * its documents needs a position.
 *
 * The stream is split into documents at `---` / `...` markers before parsing, so that one
 * broken document yields a diagnostic and the rest of the file still loads.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { escapeToken, parsePointer } from '../core/pointer.js';
import type { PositionResolver, SourceLocation } from '../core/types.js';
import { type LinePos, type PositionTree, indexBlockYamlTree, locateInBlockYaml } from './yaml-index.js';

/** One document of a stream. */
export interface LoadedDocument {
  /** Parsed value; undefined for an empty document. */
  readonly value: unknown;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /** Index of the document in its file (0-based). */
  readonly index: number;
  /** Maps pointers into `value` to file positions. */
  readonly positions: PositionResolver;
}

/** A document that failed to parse. */
export interface DocumentError {
  readonly line: number;
  readonly column: number;
  readonly index: number;
  readonly reason: string;
}

export interface LoadedStream {
  readonly documents: LoadedDocument[];
  readonly errors: DocumentError[];
}

const MARKER_RE = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/** A document's place in its stream. */
export interface Chunk {
  readonly start: number;
  readonly end: number;
  /** 0-based line of `start`. */
  readonly line: number;
}

/** Splits a YAML stream into document chunks at document markers. */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 0;
  let lineCursor = 0;
  let lineAt = 0;
  const lineOf = (offset: number): number => {
    // Counts newlines incrementally; offsets only grow.
    let i = text.indexOf('\n', lineCursor);
    while (i !== -1 && i < offset) {
      lineAt++;
      lineCursor = i + 1;
      i = text.indexOf('\n', lineCursor);
    }
    return lineAt;
  };
  MARKER_RE.lastIndex = 0;
  for (let m = MARKER_RE.exec(text); m !== null; m = MARKER_RE.exec(text)) {
    const at = m.index;
    const line = lineOf(at);
    if (m[0] === '---') {
      if (at > start) chunks.push({ start, end: at, line: startLine });
      start = at;
      startLine = line;
    } else {
      // `...` ends the document; what follows starts a new one on the next line.
      chunks.push({ start, end: at, line: startLine });
      const nl = text.indexOf('\n', at);
      start = nl === -1 ? text.length : nl + 1;
      startLine = line + 1;
    }
  }
  if (start < text.length) chunks.push({ start, end: text.length, line: startLine });
  return chunks;
}

/**
 * YAML 1.2 core types plus merge keys (`<<`), which manifests use. No timestamps: Kubernetes
 * reads dates as strings.
 */
// `types` is exported at runtime but missing from @types/js-yaml.
const SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [(yaml as unknown as { types: { merge: yaml.Type } }).types.merge] });
const LOAD_OPTIONS: yaml.LoadOptions = { schema: SCHEMA, json: true };

/**
 * Parses a YAML (or JSON) stream into documents, keeping going after broken documents.
 *
 * @example
 * const { documents, errors } = loadYamlStream('a: 1\n---\nb: [\n', 'x.yaml');
 * // documents.length === 1, errors[0].line === 3
 */
export function loadYamlStream(text: string, file: string | StreamSource): LoadedStream {
  return withPositions(parseYamlStream(text), text, file);
}

/** One parsed document without positions: plain data, so that it can cross threads. */
export interface ParsedDocument {
  readonly value: unknown;
  readonly line: number;
  readonly index: number;
  /** The document's character range in its stream and the line it starts on. */
  readonly chunk: Chunk;
}

/** A parsed stream without positions ({@link withPositions} adds them). */
export interface ParsedStream {
  readonly documents: ParsedDocument[];
  readonly errors: DocumentError[];
}

/**
 * Parses a stream into plain data (values, document ranges, errors): the part of
 * {@link loadYamlStream} that worker threads run.
 *
 * @example
 * parseYamlStream('a: 1\n---\nb: 2\n').documents.length; // 2
 */
export function parseYamlStream(text: string): ParsedStream {
  const documents: ParsedDocument[] = [];
  const errors: DocumentError[] = [];
  const chunks = splitDocuments(text);
  let index = 0;
  for (const chunk of chunks) {
    const src = text.slice(chunk.start, chunk.end);
    let value: unknown;
    try {
      value = yaml.load(src, LOAD_OPTIONS);
    } catch (err) {
      const e = err as { mark?: { line?: number; column?: number }; reason?: string; message?: string };
      errors.push({
        line: chunk.line + (e.mark?.line ?? 0) + 1,
        column: (e.mark?.column ?? 0) + 1,
        index,
        reason: e.reason ?? e.message ?? String(err),
      });
      index++;
      continue;
    }
    if (value === undefined || value === null) {
      // Empty document (only comments or whitespace): not counted.
      continue;
    }
    documents.push({ value, line: firstContentLine(src, chunk.line), index, chunk });
    index++;
  }
  return { documents, errors };
}

/**
 * Gives the documents of a parsed stream their position resolvers. `length` is the length of
 * the stream's text; `text` may be left out when `source.path` can be read again.
 *
 * @example
 * const loaded = withPositions(parseYamlStream(text), text, 'a.yaml');
 */
export function withPositions(parsed: ParsedStream, text: string | { readonly length: number }, file: string | StreamSource): LoadedStream {
  const source = typeof file === 'string' ? { file } : file;
  const texts = source.texts ?? new SourceTexts();
  let origin: Origin;
  if (source.path !== undefined) {
    origin = { file: source.file, length: text.length, path: source.path, texts };
    if (typeof text === 'string') texts.keep(origin, text);
  } else if (typeof text === 'string') {
    origin = { file: source.file, length: text.length, text, texts };
  } else {
    throw new Error(`${source.file}: positions need the text or a path to read it from`);
  }
  return {
    documents: parsed.documents.map((d) => ({ value: d.value, line: d.line, index: d.index, positions: new LazyPositions(origin, d.chunk) })),
    errors: parsed.errors,
  };
}

function firstContentLine(src: string, baseLine: number): number {
  let line = baseLine;
  let pos = 0;
  while (pos < src.length) {
    const nl = src.indexOf('\n', pos);
    const raw = src.slice(pos, nl === -1 ? src.length : nl).trim();
    if (raw !== '' && !raw.startsWith('#') && raw !== '---' && !raw.startsWith('%')) {
      return line + 1;
    }
    if (nl === -1) break;
    pos = nl + 1;
    line++;
  }
  return baseLine + 1;
}

/** Position of a node: 0-based line and column inside the chunk. */
interface NodePos {
  line: number;
  col: number;
}

/**
 * Per collection: its own position, and for mappings the key positions, for sequences the
 * item positions.
 */
interface CollectionPos {
  readonly self: NodePos;
  readonly keys?: Map<string, NodePos>;
  readonly items?: NodePos[];
}

interface PositionTable {
  readonly root: unknown;
  readonly table: Map<object, CollectionPos>;
}

interface Frame {
  pos: NodePos;
  /** Children in order: [pos, result] pairs. */
  kids: { pos: NodePos; result: unknown; kind: string | null }[];
}

function buildPositionTable(src: string): PositionTable {
  const table = new Map<object, CollectionPos>();
  const stack: Frame[] = [];
  const root = yaml.load(src, {
    ...LOAD_OPTIONS,
    listener(event, state) {
      const s = state as unknown as { line: number; position: number; lineStart: number; result: unknown; kind: string | null };
      if (event === 'open') {
        stack.push({ pos: { line: s.line, col: s.position - s.lineStart }, kids: [] });
        return;
      }
      const frame = stack.pop();
      if (!frame) return;
      const result = s.result;
      if (result !== null && typeof result === 'object' && !table.has(result)) {
        if (s.kind === 'mapping' && !Array.isArray(result)) {
          const keys = new Map<string, NodePos>();
          const kids = frame.kids;
          // Children alternate key, value; keys are scalars.
          for (let i = 0; i + 1 < kids.length; i += 2) {
            const k = kids[i];
            if (k && (typeof k.result === 'string' || typeof k.result === 'number' || typeof k.result === 'boolean')) {
              const key = String(k.result);
              if (!keys.has(key)) keys.set(key, k.pos);
            }
          }
          table.set(result, { self: frame.pos, keys });
        } else if (s.kind === 'sequence' && Array.isArray(result)) {
          table.set(result, { self: frame.pos, items: frame.kids.map((k) => k.pos) });
        }
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.kids.push({ pos: frame.pos, result, kind: s.kind });
    },
  });
  return { root, table };
}

type CachedPositions = { readonly tree: PositionTree } | PositionTable;

/** Where a stream's text comes from, for {@link loadYamlStream}. */
export interface StreamSource {
  /** The name shown in positions. */
  readonly file: string;
  /**
   * The file to read the text from again when a position is needed. Without it the text is
   * kept in memory for as long as its documents live (stdin, strings).
   */
  readonly path?: string;
  /** The text cache shared by the streams of one load; a stream gets its own without it. */
  readonly texts?: SourceTexts;
}

/** The text a document's positions are resolved in (one per loaded stream). */
export interface Origin {
  readonly file: string;
  /** Length of the text as loaded: a reread text of another length is not the same file any more. */
  readonly length: number;
  readonly path?: string;
  /** Kept when the text cannot be read again. */
  readonly text?: string;
  readonly texts: SourceTexts;
}

/** Characters of file text kept for positions by default (about 32 MB). */
export const DEFAULT_TEXT_BUDGET = 16 * 1024 * 1024;
// Position indexes kept: findings of one object come together, and cluster-wide checks
// revisit a few objects; keeping every index would cost memory on large scans.
const INDEX_CACHE_SIZE = 64;

/**
 * The file texts and position indexes of one load, both bounded: the texts of recent files
 * up to a character budget (small inputs are never read twice), the indexes of the last 64
 * documents asked for. What was dropped is rebuilt on demand: the text by reading the file
 * again, the index from the text. Lives as long as the inventory's documents.
 *
 * @example
 * const texts = new SourceTexts();
 * loadYamlStream(text, { file: 'a.yaml', path: '/abs/a.yaml', texts });
 */
export class SourceTexts {
  readonly #budget: number;
  readonly #texts = new Map<Origin, string>();
  #chars = 0;
  readonly #indexes = new Map<Chunk, CachedPositions>();

  constructor(budget: number = DEFAULT_TEXT_BUDGET) {
    this.#budget = budget;
  }

  /** Keeps a text just read, dropping the least recently used ones over the budget. */
  keep(origin: Origin, text: string): void {
    if (text.length > this.#budget) return;
    this.#texts.set(origin, text);
    this.#chars += text.length;
    for (const [o, t] of this.#texts) {
      if (this.#chars <= this.#budget) break;
      this.#texts.delete(o);
      this.#chars -= t.length;
    }
  }

  /** The text of a stream: in memory, cached, or read again from its file. */
  textOf(origin: Origin): string {
    if (origin.text !== undefined) return origin.text;
    const hit = this.#texts.get(origin);
    if (hit !== undefined) {
      this.#texts.delete(origin);
      this.#texts.set(origin, hit);
      return hit;
    }
    let text = readFileSync(origin.path as string, 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length !== origin.length) throw new Error(`${origin.file} changed after it was read`);
    positionStats.rereads++;
    this.keep(origin, text);
    return text;
  }

  /** The position index of one document, from the cache or built from its text. */
  positionsOf(origin: Origin, chunk: Chunk): CachedPositions {
    const hit = this.#indexes.get(chunk);
    if (hit !== undefined) {
      this.#indexes.delete(chunk);
      this.#indexes.set(chunk, hit);
      return hit;
    }
    const src = this.textOf(origin).slice(chunk.start, chunk.end);
    // Documents the line index cannot follow (flow-style JSON, complex keys) get js-yaml's
    // listener table instead.
    const tree = indexBlockYamlTree(src);
    const built = tree !== undefined ? { tree } : buildPositionTable(src);
    positionStats.documents++;
    this.#indexes.set(chunk, built);
    if (this.#indexes.size > INDEX_CACHE_SIZE) this.#indexes.delete(this.#indexes.keys().next().value as Chunk);
    return built;
  }
}

/**
 * What resolving positions cost in this process, for the benchmark's phase table: time
 * spent, lookups, documents indexed, files read again. `reset()` before a measured run.
 */
export const positionStats = {
  ms: 0,
  lookups: 0,
  documents: 0,
  rereads: 0,
  reset(): void {
    positionStats.ms = 0;
    positionStats.lookups = 0;
    positionStats.documents = 0;
    positionStats.rereads = 0;
  },
};

/** Resolves pointers of one document by indexing its text on first use. */
class LazyPositions implements PositionResolver {
  readonly #origin: Origin;
  readonly #chunk: Chunk;
  #base?: string;

  constructor(origin: Origin, chunk: Chunk) {
    this.#origin = origin;
    this.#chunk = chunk;
  }

  /** Narrows this resolver to a sub-tree (List items): pointers are prefixed with `base`. */
  withBase(base: string): PositionResolver {
    const child = new LazyPositions(this.#origin, this.#chunk);
    child.#base = (this.#base ?? '') + base;
    return child;
  }

  locate(pointer: string): SourceLocation {
    const t0 = performance.now();
    try {
      const t = this.#origin.texts.positionsOf(this.#origin, this.#chunk);
      const full = (this.#base ?? '') + pointer;
      const pos = 'tree' in t ? fromTree(t.tree, full) : fromTable(t, full);
      return { file: this.#origin.file, line: this.#chunk.line + pos.line + 1, column: pos.col + 1 };
    } finally {
      positionStats.lookups++;
      positionStats.ms += performance.now() - t0;
    }
  }

  /**
   * Many pointers of this document in one walk over its text, keeping only their paths
   * (see {@link locateInBlockYaml}); what the walk cannot follow is left to {@link locate}.
   */
  locateMany(pointers: readonly string[]): readonly (SourceLocation | undefined)[] {
    const t0 = performance.now();
    try {
      const src = this.#origin.texts.textOf(this.#origin).slice(this.#chunk.start, this.#chunk.end);
      const base = this.#base ?? '';
      const found = locateInBlockYaml(src, base === '' ? pointers : pointers.map((p) => base + p));
      if (found === undefined) return pointers.map(() => undefined);
      positionStats.documents++;
      const file = this.#origin.file;
      const line = this.#chunk.line + 1;
      return found.map((pos) => (pos === undefined ? undefined : { file, line: line + pos.line, column: pos.col + 1 }));
    } finally {
      positionStats.lookups += pointers.length;
      positionStats.ms += performance.now() - t0;
    }
  }

  locateLine(pointer: string, line: number): SourceLocation {
    const at = this.locate(pointer);
    // Only a literal block scalar maps its lines one to one onto source lines: its content
    // starts on the line after the `key: |` header. Folded, quoted and plain multi-line
    // strings are located at the key.
    const header = this.#lineText(at.line);
    if (header === undefined || !Number.isInteger(line) || line < 1 || !LITERAL_HEADER_RE.test(header)) return at;
    const target = this.#lineText(at.line + line);
    if (target === undefined) return at;
    return { file: this.#origin.file, line: at.line + line, column: target.length - target.trimStart().length + 1 };
  }

  /** The text of a 1-based file line inside this document, undefined outside it. */
  #lineText(fileLine: number): string | undefined {
    const text = this.#origin.texts.textOf(this.#origin);
    let offset = this.#chunk.start;
    for (let l = this.#chunk.line + 1; l < fileLine; l++) {
      const nl = text.indexOf('\n', offset);
      if (nl === -1 || nl >= this.#chunk.end) return undefined;
      offset = nl + 1;
    }
    if (offset >= this.#chunk.end) return undefined;
    const nl = text.indexOf('\n', offset);
    return text.slice(offset, nl === -1 || nl > this.#chunk.end ? this.#chunk.end : nl).replace(/\r$/, '');
  }
}

/** A mapping key or sequence item whose value is a literal block scalar: `key: |-  # note`. */
const LITERAL_HEADER_RE = /(?::|^\s*-)[ \t]+(?:[&!][^\s]*[ \t]+)*\|[-+1-9]*[ \t]*(?:#.*)?$/;

/** Deepest indexed prefix of the pointer (absent fields point at their nearest parent). */
function fromTree(t: PositionTree, pointer: string): LinePos {
  let pos: LinePos = t.first ?? { line: 0, col: 0 };
  if (pointer === '') return pos;
  if (pointer.charCodeAt(0) !== 47) throw new Error(`invalid JSON pointer: ${pointer}`);
  pos = { line: pos.line, col: 0 };
  let node = t.root;
  // Tokens are cut one at a time (no split): most lookups stop before the end.
  let at = 1;
  while (at <= pointer.length) {
    const slash = pointer.indexOf('/', at);
    const end = slash === -1 ? pointer.length : slash;
    let token = pointer.slice(at, end);
    if (token.includes('~')) token = token.replace(/~1/g, '/').replace(/~0/g, '~');
    const next = node.kids?.get(token);
    if (next === undefined || next.line < 0) break;
    pos = next;
    node = next;
    at = end + 1;
  }
  return pos;
}

function fromTable(t: PositionTable, pointer: string): NodePos {
  let cur: unknown = t.root;
  let pos: NodePos = t.table.get(cur as object)?.self ?? { line: 0, col: 0 };
  for (const token of parsePointer(pointer)) {
    if (cur === null || typeof cur !== 'object') break;
    const entry = t.table.get(cur);
    if (Array.isArray(cur)) {
      const i = Number(token);
      const p = entry?.items?.[i];
      if (!Number.isInteger(i) || p === undefined) break;
      pos = p;
      cur = cur[i];
    } else {
      const p = entry?.keys?.get(token);
      if (p === undefined) break;
      pos = p;
      cur = (cur as Record<string, unknown>)[token];
    }
  }
  return pos;
}

/** Returns a resolver for a sub-tree of a document (used for List items). */
export function subResolver(parent: PositionResolver, base: string): PositionResolver {
  if (parent instanceof LazyPositions) return parent.withBase(base);
  const locateLine = parent.locateLine?.bind(parent);
  return { locate: (p) => parent.locate(base + p), ...(locateLine ? { locateLine: (p: string, l: number) => locateLine(base + p, l) } : {}) };
}

/**
 * Every key and item position of a document as js-yaml's listener reports it, keyed by
 * pointer. The reference the fast line index is tested against.
 */
export function listenerPositions(src: string): Map<string, LinePos> {
  const t = buildPositionTable(src);
  const out = new Map<string, LinePos>();
  const walk = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object') return;
    const entry = t.table.get(node);
    if (!entry) return;
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        const p = entry.items?.[i];
        if (p) out.set(`${pointer}/${i}`, p);
        walk(child, `${pointer}/${i}`);
      });
    } else {
      for (const [k, child] of Object.entries(node as Record<string, unknown>)) {
        const p = entry.keys?.get(k);
        const ptr = `${pointer}/${escapeToken(k)}`;
        if (p) out.set(ptr, p);
        walk(child, ptr);
      }
    }
  };
  walk(t.root, '');
  return out;
}
