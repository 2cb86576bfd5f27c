/**
 * The engine's findings: compact records. What is the same for every finding of a check (id,
 * name, title, default severity, category, frameworks) lives once, in the check's
 * {@link FindingCheck}; each finding keeps only what is its own. Source positions are resolved
 * on first read of any finding's `location`, for all findings of a run at once and in the order
 * they were made (object by object), so that each document's position index is built once, and
 * not at all when nothing reads a location.
 *
 * A finding is read like the plain {@link Finding} interface; `JSON.stringify` gives the shape of
 * docs/json-report.md (through `toJSON`). Copy one with {@link plainFinding}, not with a spread:
 * a spread copies own fields only and would drop the check's shared fields and the location.
 */
import type { FixOperation } from './check.js';
import type { Evidence, Exemption, Finding, PositionResolver, ResourceRef, Severity, SourceLocation, Status } from './types.js';

/** The fields every finding of one check shares. */
export interface FindingCheck {
  readonly check: string;
  readonly name: string;
  readonly title: string;
  readonly defaultSeverity: Severity;
  readonly category: string;
  readonly frameworks: readonly string[];
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
}

const UNRESOLVED = 0;

/**
 * Resolves the locations of the findings of one run, all at once, on first demand. After that
 * the findings no longer hold their source, so the inventory can be collected.
 */
export class Locator {
  #pending: EngineFinding[] = [];

  /** Registers a finding whose location is resolved with the others. */
  add(finding: EngineFinding): void {
    this.#pending.push(finding);
  }

  /** Resolves every pending finding, in the order they were made. */
  resolveAll(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const f of pending) f.resolveLocation();
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
  #source: FindingSource | undefined;
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

  constructor(check: FindingCheck, fields: FindingFields, source: FindingSource | undefined, locator: Locator | undefined) {
    this.#check = check;
    this.severity = fields.severity;
    this.status = fields.status;
    this.resource = fields.resource;
    this.pointer = fields.pointer;
    this.message = fields.message;
    this.#container = fields.container;
    this.#evidence = fields.evidence;
    this.#fix = fields.fix;
    this.#exemption = fields.exemption;
    this.#affectedPods = fields.affectedPods;
    this.#locator = locator;
    if (source === undefined || (source.positions === undefined && source.location === undefined)) {
      this.#source = undefined;
      this.#location = undefined;
    } else if (source.positions === undefined || locator === undefined) {
      this.#source = undefined;
      this.#location = locateIn(source, fields.pointer);
    } else {
      this.#source = source;
      this.#location = UNRESOLVED;
      locator.add(this);
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
  get exemption(): Exemption | undefined {
    return this.#exemption;
  }
  get affectedPods(): number | undefined {
    return this.#affectedPods;
  }

  /** Where the finding sits in its source file; resolved on first read (see {@link Locator}). */
  get location(): SourceLocation | undefined {
    if (this.#location === UNRESOLVED) this.#locator?.resolveAll();
    return this.#location === UNRESOLVED ? undefined : this.#location;
  }

  /** Resolves this finding's location now (called by its {@link Locator}). */
  resolveLocation(): void {
    if (this.#location !== UNRESOLVED) return;
    this.#location = this.#source ? locateIn(this.#source, this.pointer) : undefined;
    this.#source = undefined;
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
      exemption: this.#exemption,
      frameworks: c.frameworks,
      affectedPods: this.#affectedPods,
    } as Finding;
  }
}

/** Resolves a pointer to a source position; falls back to the object's start. */
export function locateIn(source: FindingSource, pointer: string): SourceLocation | undefined {
  if (source.positions) {
    try {
      return source.positions.locate(pointer);
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
  'exemption',
  'frameworks',
  'affectedPods',
];
