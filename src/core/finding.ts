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

/** The own fields of one finding. */
export interface FindingFields {
  readonly severity: Severity;
  readonly status: Status;
  readonly resource: ResourceRef;
  readonly container: string | undefined;
  readonly pointer: string;
  readonly message: string;
  readonly evidence: Evidence | undefined;
  readonly fix: readonly FixOperation[] | undefined;
  readonly exemption: Exemption | undefined;
  readonly affectedPods: number | undefined;
  /** For a multi-line string at the pointer: the 1-based line inside it (`Violation.line`). */
  readonly line: number | undefined;
}

const UNRESOLVED = 0;

/**
 * Resolves the locations of the findings of one run on demand, one source document at a time:
 * reading one finding's location resolves every finding in the same document, so the document's
 * position index is built once whatever order the findings are read in (reports sort them by
 * severity and check, not by document), and documents no finding is read from are never indexed.
 * A resolved finding no longer holds its source.
 */
export class Locator {
  readonly #pending = new Map<PositionResolver, EngineFinding[]>();

  /** Registers a finding whose location comes from `positions`. */
  add(finding: EngineFinding, positions: PositionResolver): void {
    const list = this.#pending.get(positions);
    if (list) list.push(finding);
    else this.#pending.set(positions, [finding]);
  }

  /** Resolves every pending finding of one document. */
  resolve(positions: PositionResolver): void {
    const list = this.#pending.get(positions);
    if (!list) return;
    this.#pending.delete(positions);
    // Every pointer of the document in one request, where the resolver can take them so.
    const many = positions.locateMany;
    if (many !== undefined) {
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

/**
 * One finding as the engine makes it. Implements {@link Finding}; see the module comment.
 *
 * @example
 * const f = new EngineFinding(info, fields, resource, locator);
 * f.title; // the check's title, shared
 * JSON.stringify(f); // the documented JSON shape
 */
export class EngineFinding implements Finding {
  readonly #check: FindingCheck;
  /** Until resolved: the document's resolver and the object's start (the fallback). */
  #positions: PositionResolver | undefined;
  #fallback: SourceLocation | undefined;
  #location: SourceLocation | undefined | typeof UNRESOLVED;
  readonly #locator: Locator | undefined;
  readonly severity: Severity;
  readonly status: Status;
  readonly resource: ResourceRef;
  readonly pointer: string;
  readonly message: string;
  // Declared as `T | undefined` (one hidden class for every finding); `toJSON` and the getters
  // below leave out the undefined ones, as the interface's optional fields.
  readonly #container: string | undefined;
  readonly #evidence: Evidence | undefined;
  readonly #fix: readonly FixOperation[] | undefined;
  readonly #exemption: Exemption | undefined;
  readonly #affectedPods: number | undefined;
  readonly #line: number | undefined;
  // Written by the report step (`core/grouping.ts`); declared here so that every finding keeps one shape.
  groupId: string | undefined = undefined;
  rank: number | undefined = undefined;
  primary: boolean | undefined = undefined;
  related: readonly RelatedFinding[] | undefined = undefined;

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
    this.message = flat(fields.message);
    this.#container = fields.container;
    this.#evidence = fields.evidence;
    this.#fix = fields.fix;
    this.#exemption = fields.exemption;
    this.#affectedPods = fields.affectedPods;
    this.#line = fields.line;
    this.#locator = locator;
    this.#positions = undefined;
    this.#fallback = undefined;
    const positions = source?.positions;
    if (positions === undefined || locator === undefined) {
      this.#location = source === undefined ? undefined : locateIn(source, fields.pointer, fields.line);
    } else {
      this.#positions = positions;
      this.#fallback = source?.location;
      this.#location = UNRESOLVED;
      locator.add(this, positions);
    }
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
    return this.#fix;
  }
  /** On failing findings: whether `palisade fix` applies its fix (see {@link Finding.fixable}). */
  get fixable(): boolean | 'unsafe' | undefined {
    if (this.status !== 'fail') return undefined;
    if (this.#fix === undefined || this.#fix.length === 0) return false;
    return this.#check.fixSafety === 'review' ? 'unsafe' : true;
  }
  get exemption(): Exemption | undefined {
    return this.#exemption;
  }
  get affectedPods(): number | undefined {
    return this.#affectedPods;
  }

  /** The file of the finding's object, without resolving the position inside it. */
  get sourceFile(): string | undefined {
    return this.#location === UNRESOLVED ? this.#fallback?.file : this.#location?.file;
  }

  /** Where the finding sits in its source file; resolved on first read (see {@link Locator}). */
  get location(): SourceLocation | undefined {
    if (this.#location === UNRESOLVED && this.#positions) this.#locator?.resolve(this.#positions);
    if (this.#location === UNRESOLVED) this.resolveLocation();
    return this.#location === UNRESOLVED ? undefined : this.#location;
  }

  /**
   * Resolves this finding's location now (called by its {@link Locator}), to `located` when the
   * document's resolver placed the pointer already (not for a line inside a string: that one
   * asks the resolver itself).
   */
  resolveLocation(located?: SourceLocation): void {
    if (this.#location !== UNRESOLVED) return;
    if (located !== undefined && this.#line === undefined) {
      this.#location = located;
      this.#positions = undefined;
      this.#fallback = undefined;
      return;
    }
    let location = this.#fallback;
    if (this.#positions) {
      try {
        const positions = this.#positions;
        location = this.#line !== undefined && positions.locateLine ? positions.locateLine(this.pointer, this.#line) : positions.locate(this.pointer);
      } catch {
        // A pointer the resolver cannot follow: the object's start is the best place to show.
      }
    }
    this.#location = location;
    this.#positions = undefined;
    this.#fallback = undefined;
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
    const location = this.location;
    if (location !== undefined) out += `,"location":${writer.locationText(location)}`;
    if (this.#evidence !== undefined) out += `,"evidence":${JSON.stringify(this.#evidence)}`;
    if (this.#fix !== undefined) out += `,"fix":${JSON.stringify(this.#fix)}`;
    const fixable = this.fixable;
    if (fixable !== undefined) out += `,"fixable":${JSON.stringify(fixable)}`;
    if (this.#exemption !== undefined) out += `,"exemption":${JSON.stringify(this.#exemption)}`;
    out += c.frameworks;
    if (this.#affectedPods !== undefined) out += `,"affectedPods":${JSON.stringify(this.#affectedPods)}`;
    if (this.groupId !== undefined) out += `,"groupId":${plainText(this.groupId)}`;
    // Integers and booleans are written by JSON.stringify as by a template literal.
    if (this.rank !== undefined) out += `,"rank":${Number.isSafeInteger(this.rank) ? this.rank : JSON.stringify(this.rank)}`;
    if (this.primary !== undefined) out += this.primary === true ? ',"primary":true' : ',"primary":false';
    if (this.related !== undefined) out += `,"related":${JSON.stringify(this.related)}`;
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
      fix: this.#fix,
      fixable: this.fixable,
      exemption: this.#exemption,
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
const END = /$/;

// Severities and statuses, quoted once: every finding writes one of each.
const QUOTED = new Map<string, string>(['critical', 'high', 'medium', 'low', 'info', 'fail', 'pass', 'exempt', 'error'].map((s) => [s, JSON.stringify(s)]));

function quoted(s: string): string {
  return QUOTED.get(s) ?? JSON.stringify(s);
}

const LOCATION_KEYS = ['file', 'line', 'column'];

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
    let f = this.#files.get(file);
    if (f === undefined) {
      f = `{"file":${JSON.stringify(file)},"line":`;
      this.#files.set(file, f);
    }
    return `${f}${line},"column":${column}}`;
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
