/**
 * The engine's findings: compact records. What is the same for every finding of a check (id,
 * name, title, default severity, category, frameworks) lives once, in the check's
 * {@link FindingCheck}; each finding keeps only what is its own. Source positions are resolved
 * when a location is first read, for every finding of the same document at once (see
 * {@link Locator}), and not at all for documents whose findings nobody reads a location of.
 *
 * A finding is read like the plain {@link Finding} interface; `JSON.stringify` gives the shape of
 * docs/json-report.md (through `toJSON`). Copy one with {@link plainFinding}, not with a spread:
 * a spread copies own fields only and would drop the check's shared fields and the location.
 */
import type { FixOperation } from './check.js';
import type { Evidence, Exemption, Finding, PositionResolver, RelatedFinding, ResourceRef, Severity, SourceLocation, Status } from './types.js';

/** The fields every finding of one check shares. */
export interface FindingCheck {
  readonly check: string;
  readonly name: string;
  readonly title: string;
  readonly defaultSeverity: Severity;
  readonly category: string;
  readonly frameworks: readonly string[];
  /** The check's {@link CheckMeta.fixSafety}. */
  readonly fixSafety?: 'safe' | 'review' | undefined;
}

/** Where a finding's location comes from until it is resolved. */
export interface FindingSource {
  readonly positions?: PositionResolver;
  readonly location?: SourceLocation;
}

/**
 * The own fields of one finding. A finding has a `fix` (failing) or an `exemption` (exempt),
 * never both: they share one slot.
 */
export interface FindingFields {
  readonly severity: Severity;
  readonly status: Status;
  readonly resource: ResourceRef;
  readonly container: string | undefined;
  readonly pointer: string;
  /** The message; with {@link messageTail}, the part before the resource's name. */
  readonly message: string;
  /**
   * Given when the message names the finding's object: the part after `resource.name`, so
   * that the message is `message + resource.name + messageTail`. Both parts repeat across
   * objects and are kept once (see `SharedStrings.pieces` in engine.ts), where the whole
   * message, naming its object, would cost its full length in every finding.
   */
  readonly messageTail?: string | undefined;
  readonly evidence: Evidence | undefined;
  readonly fix: readonly FixOperation[] | undefined;
  readonly exemption: Exemption | undefined;
  readonly affectedPods: number | undefined;
  /** For a multi-line string at the pointer: the 1-based line inside it (`Violation.line`). */
  readonly line: number | undefined;
}

/** The findings of one source document whose locations are not resolved yet (see {@link Locator}). */
class Pending {
  readonly findings: EngineFinding[] = [];
  constructor(
    readonly positions: PositionResolver,
    /** The object's start: where a finding is shown when its pointer cannot be placed. */
    readonly fallback: SourceLocation | undefined,
    readonly locator: Locator,
  ) {}
}

/**
 * Resolves the locations of the findings of one run on demand, one source document at a time:
 * reading one finding's location resolves every finding in the same document, so the document's
 * position index is built once whatever order the findings are read in (reports sort them by
 * severity and check, not by document), and documents no finding is read from are never indexed.
 * A resolved finding no longer holds its source, and a resolved document's list is dropped.
 */
export class Locator {
  readonly #pending = new Map<PositionResolver, Pending>();

  /**
   * The pending list of the document `positions` resolves, for a finding whose object starts
   * at `fallback`; undefined when the document's list was opened with another start (a caller
   * that mixes them): that finding is resolved at once instead.
   */
  pendingFor(positions: PositionResolver, fallback: SourceLocation | undefined): Pending | undefined {
    const open = this.#pending.get(positions);
    if (open === undefined) {
      const fresh = new Pending(positions, fallback, this);
      this.#pending.set(positions, fresh);
      return fresh;
    }
    return open.fallback === fallback ? open : undefined;
  }

  /** Resolves every finding of one pending document. */
  resolve(pending: Pending): void {
    const positions = pending.positions;
    if (this.#pending.get(positions) === pending) this.#pending.delete(positions);
    const list = pending.findings.splice(0);
    // Every pointer of the document in one request, where the resolver can take them so.
    const many = positions.locateMany;
    if (many !== undefined && list.length > 0) {
      let located: readonly (SourceLocation | undefined)[] | undefined;
      try {
        located = many.call(
          positions,
          list.map((f) => f.pointer),
        );
      } catch {
        located = undefined;
      }
      if (located !== undefined) for (let i = 0; i < list.length; i++) (list[i] as EngineFinding).resolveLocation(located[i]);
    }
    for (const f of list) f.resolveLocation();
  }
}

// A resolved location kept as one small integer (no object per finding): line * 2^11 + column,
// for lines below 2^20 and columns below 2^11, which fits a V8 small integer (31 bits). Other
// locations keep their object.
const COLUMN_BITS = 11;
const COLUMN_MASK = (1 << COLUMN_BITS) - 1;
const MAX_PACKED_LINE = 1 << 20;
const LOCATION_KEYS = ['file', 'line', 'column'];

/** `line` and `column` of a `{file, line, column}` location as one integer, or undefined when it does not fit or has other keys. */
function packLocation(location: SourceLocation): number | undefined {
  const { file, line, column } = location;
  if (typeof file !== 'string' || !Number.isInteger(line) || !Number.isInteger(column)) return undefined;
  if (line < 0 || line >= MAX_PACKED_LINE || column < 0 || column > COLUMN_MASK) return undefined;
  // Exactly these three keys in this order (a resolver of the library's users may add more).
  let n = 0;
  for (const key in location) if (key !== LOCATION_KEYS[n++]) return undefined;
  if (n !== 3) return undefined;
  return line * (COLUMN_MASK + 1) + column;
}

// Statuses and the primary flag kept in one small integer with the rank (see EngineFinding.#rank).
const NOT_RANKED = -1;

/** The group of a primary with related findings: its id and the related list. */
interface GroupHead {
  readonly id: string;
  readonly related: readonly RelatedFinding[];
}

/**
 * One finding as the engine makes it. Implements {@link Finding}; see the module comment.
 *
 * Every finding of a large scan is alive until the report is written (hundreds of thousands),
 * so each field here is a slot in every one of them: what is derivable is derived on read, and
 * fields that are never set together share a slot.
 *
 * @example
 * const f = new EngineFinding(info, fields, resource, locator);
 * f.title; // the check's title, shared
 * JSON.stringify(f); // the documented JSON shape
 */
export class EngineFinding implements Finding {
  readonly #check: FindingCheck;
  readonly severity: Severity;
  readonly status: Status;
  readonly resource: ResourceRef;
  readonly pointer: string;
  /** The message, or with {@link #messageTail} its part before the resource's name. */
  readonly #message: string;
  readonly #messageTail: string | undefined;
  /**
   * The location: the document's {@link Pending} list until resolved; then the file (with
   * line and column packed in {@link #at}), the location object when it does not pack, or
   * undefined (no source).
   */
  #where: Pending | string | SourceLocation | undefined;
  /** Until resolved: `Violation.line` (or undefined); once resolved to a file: the packed line and column. */
  #at: number | undefined;
  // Declared as `T | undefined` (one hidden class for every finding); `toJSON` and the getters
  // below leave out the undefined ones, as the interface's optional fields.
  readonly #container: string | undefined;
  readonly #evidence: Evidence | undefined;
  /** The fix of a failing finding or the exemption of an exempt one (never both; see {@link FindingFields}). */
  readonly #fixOrExemption: readonly FixOperation[] | Exemption | undefined;
  readonly #affectedPods: number | undefined;
  // Written by the report step (`core/grouping.ts`, through `setGroup`).
  /** The group id, or for a primary with related findings its {@link GroupHead}. */
  #group: string | GroupHead | undefined = undefined;
  /** rank * 2 + (primary ? 1 : 0), or NOT_RANKED. */
  #rank = NOT_RANKED;

  /**
   * `source` is where the finding's object came from (a resource: only its `positions` and
   * `location` are kept, not the object). Without a `locator`, the location is resolved now.
   */
  constructor(check: FindingCheck, fields: FindingFields, source: FindingSource | undefined, locator: Locator | undefined) {
    this.#check = check;
    this.severity = fields.severity;
    this.status = fields.status;
    this.resource = fields.resource;
    this.pointer = fields.pointer;
    // The engine hands it in flat and shared with the equal messages of the run, or in two
    // pieces shared with every message of the same shape (see SharedStrings in engine.ts).
    this.#message = fields.message;
    this.#messageTail = fields.messageTail;
    this.#container = fields.container;
    this.#evidence = fields.evidence;
    if (fields.fix !== undefined && fields.exemption !== undefined) throw new TypeError('a finding has a fix or an exemption, not both');
    this.#fixOrExemption = fields.status === 'exempt' ? fields.exemption : fields.fix;
    if (fields.status === 'exempt' ? fields.fix !== undefined : fields.exemption !== undefined)
      throw new TypeError('only an exempt finding has an exemption, and an exempt finding has no fix');
    this.#affectedPods = fields.affectedPods;
    this.#where = undefined;
    this.#at = undefined;
    const positions = source?.positions;
    const pending = positions !== undefined && locator !== undefined ? locator.pendingFor(positions, source?.location) : undefined;
    if (pending !== undefined) {
      this.#where = pending;
      this.#at = fields.line;
      pending.findings.push(this);
    } else EngineFinding.#place(this, source === undefined ? undefined : locateIn(source, fields.pointer, fields.line));
  }

  get message(): string {
    const tail = this.#messageTail;
    return tail === undefined ? this.#message : this.#message + this.resource.name + tail;
  }
  get check(): string {
    return this.#check.check;
  }
  get name(): string {
    return this.#check.name;
  }
  get title(): string {
    return this.#check.title;
  }
  get defaultSeverity(): Severity {
    return this.#check.defaultSeverity;
  }
  get category(): string {
    return this.#check.category;
  }
  get frameworks(): readonly string[] {
    return this.#check.frameworks;
  }
  get container(): string | undefined {
    return this.#container;
  }
  get evidence(): Evidence | undefined {
    return this.#evidence;
  }
  get fix(): readonly FixOperation[] | undefined {
    return this.status === 'exempt' ? undefined : (this.#fixOrExemption as readonly FixOperation[] | undefined);
  }
  /** On failing findings: whether `palisade fix` applies its fix (see {@link Finding.fixable}). */
  get fixable(): boolean | 'unsafe' | undefined {
    if (this.status !== 'fail') return undefined;
    const fix = this.#fixOrExemption as readonly FixOperation[] | undefined;
    if (fix === undefined || fix.length === 0) return false;
    return this.#check.fixSafety === 'review' ? 'unsafe' : true;
  }
  get exemption(): Exemption | undefined {
    return this.status === 'exempt' ? (this.#fixOrExemption as Exemption | undefined) : undefined;
  }
  get affectedPods(): number | undefined {
    return this.#affectedPods;
  }
  get groupId(): string | undefined {
    const g = this.#group;
    return typeof g === 'object' ? g.id : g;
  }
  get rank(): number | undefined {
    return this.#rank === NOT_RANKED ? undefined : Math.floor(this.#rank / 2);
  }
  get primary(): boolean | undefined {
    return this.#rank === NOT_RANKED ? undefined : this.#rank % 2 === 1;
  }
  get related(): readonly RelatedFinding[] | undefined {
    const g = this.#group;
    return typeof g === 'object' ? g.related : undefined;
  }

  /**
   * Writes the grouping fields (for `core/grouping.ts`): the problem's id, its 1-based rank,
   * whether this finding is the primary, and on a primary the other findings of the problem.
   */
  setGroup(groupId: string, rank: number, primary: boolean, related: readonly RelatedFinding[] | undefined): void {
    if (!Number.isSafeInteger(rank) || rank < 1 || rank > 2 ** 51) throw new RangeError(`a problem's rank is a positive integer, not ${rank}`);
    this.#group = related !== undefined ? { id: groupId, related } : groupId;
    this.#rank = rank * 2 + (primary ? 1 : 0);
  }

  /** The file of the finding's object, without resolving the position inside it. */
  get sourceFile(): string | undefined {
    const w = this.#where;
    if (typeof w === 'string' || w === undefined) return w;
    return w instanceof Pending ? w.fallback?.file : w.file;
  }

  /** The file of the finding's location, resolved (and so indexed) like {@link location}, without building the location. */
  get locatedFile(): string | undefined {
    const w = EngineFinding.#resolved(this);
    return typeof w === 'string' || w === undefined ? w : w.file;
  }

  /** Where the finding sits in its source file; resolved on first read (see {@link Locator}), built on each read. */
  get location(): SourceLocation | undefined {
    const w = EngineFinding.#resolved(this);
    if (typeof w !== 'string') return w;
    const at = this.#at as number;
    return { file: w, line: Math.floor(at / (COLUMN_MASK + 1)), column: at & COLUMN_MASK };
  }

  // The two helpers below are static: an instance private method would give every finding a
  // hidden brand slot (8 bytes each).

  /** The resolved `#where` of `f`: the file (with `#at`), the location object, or undefined. */
  static #resolved(f: EngineFinding): string | SourceLocation | undefined {
    const w = f.#where;
    if (!(w instanceof Pending)) return w;
    w.locator.resolve(w);
    // Resolved by the call above, unless its list no longer held this finding.
    if (f.#where instanceof Pending) f.resolveLocation();
    return f.#where as string | SourceLocation | undefined;
  }

  /** Keeps a resolved location: as the file and a packed integer when it packs, else the object. */
  static #place(f: EngineFinding, location: SourceLocation | undefined): void {
    const packed = location === undefined ? undefined : packLocation(location);
    if (packed === undefined) {
      f.#where = location;
      f.#at = undefined;
    } else {
      f.#where = (location as SourceLocation).file;
      f.#at = packed;
    }
  }

  /**
   * Resolves this finding's location now (called by its {@link Locator}), to `located` when the
   * document's resolver placed the pointer already (not for a line inside a string: that one
   * asks the resolver itself).
   */
  resolveLocation(located?: SourceLocation): void {
    const pending = this.#where;
    if (!(pending instanceof Pending)) return;
    const line = this.#at;
    if (located !== undefined && line === undefined) {
      EngineFinding.#place(this, located);
      return;
    }
    let location = pending.fallback;
    try {
      const positions = pending.positions;
      location = line !== undefined && positions.locateLine ? positions.locateLine(this.pointer, line) : positions.locate(this.pointer);
    } catch {
      // A pointer the resolver cannot follow: the object's start is the best place to show.
    }
    EngineFinding.#place(this, location);
  }

  /**
   * `JSON.stringify(this)`, character for character, without building the intermediate object
   * of {@link toJSON}: the check's fields and the object's ref are written once per report by
   * `writer`, not once per finding (see {@link FindingWriter}).
   */
  jsonText(writer: FindingWriter): string {
    const c = writer.checkText(this.#check);
    let out = `${c.head}${quoted(this.severity)}${c.mid}${quoted(this.status)},"resource":${writer.refText(this.resource)}`;
    if (this.#container !== undefined) out += `,"container":${plainText(this.#container)}`;
    out += `,"pointer":${writer.pointerText(this.pointer)},"message":${JSON.stringify(this.message)}`;
    const where = EngineFinding.#resolved(this);
    if (typeof where === 'string') {
      const at = this.#at as number;
      out += `,"location":${writer.fileText(where)}${Math.floor(at / (COLUMN_MASK + 1))},"column":${at & COLUMN_MASK}}`;
    } else if (where !== undefined) out += `,"location":${writer.locationText(where)}`;
    if (this.#evidence !== undefined) out += `,"evidence":${JSON.stringify(this.#evidence)}`;
    const fix = this.fix;
    if (fix !== undefined) out += `,"fix":${JSON.stringify(fix)}`;
    const fixable = this.fixable;
    if (fixable !== undefined) out += `,"fixable":${JSON.stringify(fixable)}`;
    const exemption = this.exemption;
    if (exemption !== undefined) out += `,"exemption":${JSON.stringify(exemption)}`;
    out += c.frameworks;
    if (this.#affectedPods !== undefined) out += `,"affectedPods":${JSON.stringify(this.#affectedPods)}`;
    const group = this.#group;
    if (group !== undefined) out += `,"groupId":${plainText(typeof group === 'object' ? group.id : group)}`;
    // Integers and booleans are written by JSON.stringify as by a template literal.
    if (this.#rank !== NOT_RANKED) out += `,"rank":${Math.floor(this.#rank / 2)}${this.#rank % 2 === 1 ? ',"primary":true' : ',"primary":false'}`;
    if (typeof group === 'object') out += `,"related":${JSON.stringify(group.related)}`;
    return `${out}}`;
  }

  /** The documented JSON shape (docs/json-report.md); `JSON.stringify` leaves out the undefined fields. */
  toJSON(): Finding {
    const c = this.#check;
    return {
      check: c.check,
      name: c.name,
      title: c.title,
      severity: this.severity,
      defaultSeverity: c.defaultSeverity,
      category: c.category,
      status: this.status,
      resource: this.resource,
      container: this.#container,
      pointer: this.pointer,
      message: this.message,
      location: this.location,
      evidence: this.#evidence,
      fix: this.fix,
      fixable: this.fixable,
      exemption: this.exemption,
      frameworks: c.frameworks,
      affectedPods: this.#affectedPods,
      groupId: this.groupId,
      rank: this.rank,
      primary: this.primary,
      related: this.related,
    } as Finding;
  }
}

/**
 * The same string, in one piece. Messages are built by concatenation (template
 * literals), which V8 keeps as a tree of the pieces (a "cons string", 32 bytes per piece) for
 * as long as the string lives; a finding lives until the report is written. A copy is one
 * flat string: about half the memory for a typical message. A regular expression replacement
 * that changes nothing builds that copy without interpreting the text (unlike `normalize`).
 *
 * @example
 * flat(`g${a}${b}`); // the same text, one 32-byte string instead of three pieces (112 bytes)
 */
export function flat(s: string): string {
  return s.replace(END, '');
}

/**
 * The same text in a string of its own: neither a view into a larger string (V8 keeps a
 * substring of 13 characters or more as a view that holds its parent alive) nor a tree of
 * pieces. JSON.parse makes its strings afresh, where String methods may return a view.
 *
 * @example
 * detached(fileText.slice(10, 40)); // 30 characters, without fileText kept alive
 */
export function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
const END = /$/;

// Severities and statuses, quoted once: every finding writes one of each.
const QUOTED = new Map<string, string>(['critical', 'high', 'medium', 'low', 'info', 'fail', 'pass', 'exempt', 'error'].map((s) => [s, JSON.stringify(s)]));

function quoted(s: string): string {
  return QUOTED.get(s) ?? JSON.stringify(s);
}

/** Characters JSON.stringify never escapes; ids and container names are made of them. */
const PLAIN = /^[\w.-]*$/;

/** `JSON.stringify(s)` for a string: without the call when nothing in it needs escaping. */
function plainText(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

/** The JSON text of a check's shared fields, around the finding's own severity and status. */
interface CheckText {
  /** `{"check":…,"name":…,"title":…,"severity":` */
  readonly head: string;
  /** `,"defaultSeverity":…,"category":…,"status":` */
  readonly mid: string;
  /** `,"frameworks":[…]` (empty when the check has none to write). */
  readonly frameworks: string;
}

/**
 * Writes findings as JSON text, one line each, exactly as `JSON.stringify(finding)` does. A
 * report of hundreds of thousands of findings repeats the same few hundred checks and one ref
 * per object: each is serialised once here (one writer per report), and the engine's findings
 * are written without an intermediate object each (see {@link EngineFinding.jsonText}).
 * Other findings (hand-built, merged or copied ones) go through `JSON.stringify`.
 *
 * @example
 * const writer = new FindingWriter();
 * const lines = report.findings.map((f) => writer.write(f));
 */
export class FindingWriter {
  readonly #checks = new Map<FindingCheck, CheckText>();
  readonly #refs = new Map<ResourceRef, string>();
  readonly #pointers = new Map<string, string>();
  readonly #files = new Map<string, string>();

  /** One finding as JSON text. */
  write(f: Finding): string {
    return f instanceof EngineFinding ? f.jsonText(this) : JSON.stringify(f);
  }

  /** The shared fields of a check, serialised on first use. */
  checkText(c: FindingCheck): CheckText {
    let t = this.#checks.get(c);
    if (t === undefined) {
      t = {
        head: `{"check":${JSON.stringify(c.check)},"name":${JSON.stringify(c.name)},"title":${JSON.stringify(c.title)},"severity":`,
        mid: `,"defaultSeverity":${JSON.stringify(c.defaultSeverity)},"category":${JSON.stringify(c.category)},"status":`,
        frameworks: c.frameworks === undefined ? '' : `,"frameworks":${JSON.stringify(c.frameworks)}`,
      };
      this.#checks.set(c, t);
    }
    return t;
  }

  /** A pointer, quoted once per distinct pointer (the engine shares pointer strings between findings). */
  pointerText(pointer: string): string {
    let t = this.#pointers.get(pointer);
    if (t === undefined) {
      t = JSON.stringify(pointer);
      this.#pointers.set(pointer, t);
    }
    return t;
  }

  /** `JSON.stringify(location)`, with the file quoted once per file. */
  locationText(location: SourceLocation): string {
    const { file, line, column } = location;
    if (typeof file !== 'string' || !Number.isSafeInteger(line) || !Number.isSafeInteger(column)) return JSON.stringify(location);
    // Exactly these three keys in this order (a resolver of the library's users may add more).
    let n = 0;
    for (const key in location) if (key !== LOCATION_KEYS[n++]) return JSON.stringify(location);
    if (n !== 3) return JSON.stringify(location);
    return `${this.fileText(file)}${line},"column":${column}}`;
  }

  /** The start of a location's JSON text up to its line, `{"file":…,"line":`, quoted once per file. */
  fileText(file: string): string {
    let f = this.#files.get(file);
    if (f === undefined) {
      f = `{"file":${JSON.stringify(file)},"line":`;
      this.#files.set(file, f);
    }
    return f;
  }

  /** An object's ref, serialised once per object (the engine shares one ref per object). */
  refText(ref: ResourceRef): string {
    let t = this.#refs.get(ref);
    if (t === undefined) {
      t = JSON.stringify(ref);
      this.#refs.set(ref, t);
    }
    return t;
  }
}

/** Resolves a pointer to a source position; falls back to the object's start. */
export function locateIn(source: FindingSource, pointer: string, line?: number): SourceLocation | undefined {
  const positions = source.positions;
  if (positions) {
    try {
      return line !== undefined && positions.locateLine ? positions.locateLine(pointer, line) : positions.locate(pointer);
    } catch {
      return source.location;
    }
  }
  return source.location;
}

/**
 * A plain-object copy of a finding, with the documented fields in the documented order and the
 * absent optional ones left out. Use it (and spread the result) to derive a changed finding.
 *
 * @example
 * const moved = { ...plainFinding(f), message: 'reworded' };
 */
export function plainFinding(f: Finding): Finding {
  const out: Record<string, unknown> = {};
  // In the documented order: JSON key order is part of the report's readability.
  for (const key of ORDER) {
    const v = f[key];
    if (v !== undefined) out[key] = v;
  }
  return out as unknown as Finding;
}

const ORDER: readonly (keyof Finding)[] = [
  'check',
  'name',
  'title',
  'severity',
  'defaultSeverity',
  'category',
  'status',
  'resource',
  'container',
  'pointer',
  'message',
  'location',
  'evidence',
  'fix',
  'fixable',
  'exemption',
  'frameworks',
  'affectedPods',
  'groupId',
  'rank',
  'primary',
  'related',
];

/**
 * The file a finding's object comes from, without resolving the finding's position (which
 * indexes the document): for grouping findings by file.
 *
 * @example
 * sourceFileOf(finding); // 'deploy/web.yaml'
 */
export function sourceFileOf(f: Finding): string | undefined {
  return f instanceof EngineFinding ? f.sourceFile : f.location?.file;
}
