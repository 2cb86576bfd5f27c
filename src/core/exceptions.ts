/**
 * Exceptions (waivers): annotations on objects and rules from configuration. Pure: the
 * current date is passed in.
 */
import type { Exemption, JsonObject, Resource } from './types.js';

/** Annotation prefix: `palisade.dev/ignore.<check id or name>: "<reason>"`. */
export const IGNORE_ANNOTATION_PREFIX = 'palisade.dev/ignore.';

/** One exception rule from configuration. String fields are globs (`*`, `?`). */
export interface ExceptionRule {
  readonly check: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly container?: string;
  readonly reason: string;
  /** ISO date (`2026-12-31`); the rule stops applying after that day. */
  readonly expires?: string;
}

/** An annotation waiver that gives no reason, and so waives nothing. */
export interface UnexplainedWaiver {
  readonly resource: Resource['ref'];
  /** The annotation key, `palisade.dev/ignore.PAL-0100`. */
  readonly annotation: string;
}

/** What the matcher needs to know about a candidate finding. */
export interface ExceptionSubject {
  readonly checkId: string;
  readonly checkName: string;
  readonly aliases?: readonly string[];
  readonly resource: Resource;
  readonly container?: string;
}

const globCache = new Map<string, RegExp>();
/** Matches `*` and `?` globs, case-sensitively, over the whole string. */
export function globMatch(glob: string, value: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    const src = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${src}$`);
    globCache.set(glob, re);
  }
  return re.test(value);
}

function annotationsOf(obj: JsonObject | undefined): JsonObject | undefined {
  const meta = obj?.metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return undefined;
  const ann = meta.annotations;
  return typeof ann === 'object' && ann !== null && !Array.isArray(ann) ? ann : undefined;
}

/**
 * Decides exemptions for findings. Expired rules never apply; they are listed by
 * {@link ExceptionMatcher.expired} so that reports can show them.
 *
 * @example
 * const m = new ExceptionMatcher([{ check: 'PAL-0001', namespace: 'kube-system', reason: 'CNI' }], '2026-11-23');
 */
export class ExceptionMatcher {
  readonly #active: readonly ExceptionRule[];
  readonly #expired: readonly ExceptionRule[];
  readonly #nonWaivable: ReadonlySet<string>;
  readonly #used = new Set<ExceptionRule>();
  readonly #unexplained = new Map<string, UnexplainedWaiver & { readonly index: number }>();
  readonly #matchOther: ((pattern: string, checkId: string) => boolean) | undefined;

  /**
   * @param rules configuration rules
   * @param today ISO date (YYYY-MM-DD) used to decide expiry
   * @param nonWaivable check ids or names that no exception may waive
   * @param matchOther matches a rule's `check` patterns the core does not know itself (framework
   *   controls such as `cis:5.2.*`, which the catalogue resolves) against a check id
   */
  constructor(rules: readonly ExceptionRule[], today: string, nonWaivable: readonly string[] = [], matchOther?: (pattern: string, checkId: string) => boolean) {
    this.#matchOther = matchOther;
    this.#active = rules.filter((r) => r.expires === undefined || r.expires >= today);
    this.#expired = rules.filter((r) => r.expires !== undefined && r.expires < today);
    this.#nonWaivable = new Set(nonWaivable);
  }

  /** Rules whose `expires` date has passed. */
  get expired(): readonly ExceptionRule[] {
    return this.#expired;
  }

  /**
   * Annotation waivers without a reason: ignored (the finding keeps failing), as a configuration
   * exception without a reason is rejected. One entry per object and annotation.
   */
  get unexplained(): readonly UnexplainedWaiver[] {
    // In inventory order, whatever order the checks ran in (the library runs them in passes).
    return [...this.#unexplained.values()].sort((a, b) => a.index - b.index).map(({ resource, annotation }) => ({ resource, annotation }));
  }

  /** Active rules that matched no finding (candidates for clean-up). */
  get unused(): readonly ExceptionRule[] {
    return this.#active.filter((r) => !this.#used.has(r));
  }

  isNonWaivable(s: Pick<ExceptionSubject, 'checkId' | 'checkName' | 'aliases'>): boolean {
    return this.#nonWaivable.has(s.checkId) || this.#nonWaivable.has(s.checkName) || (s.aliases ?? []).some((a) => this.#nonWaivable.has(a));
  }

  /** The exemption for a failing finding, if any applies. */
  match(s: ExceptionSubject): Exemption | undefined {
    if (this.isNonWaivable(s)) return undefined;
    const ann = annotationsOf(s.resource.object);
    if (ann) {
      for (const key of [s.checkId, s.checkName, ...(s.aliases ?? [])]) {
        const reason = ann[IGNORE_ANNOTATION_PREFIX + key];
        if (typeof reason !== 'string') continue;
        if (reason.trim() !== '') return { reason, source: 'annotation' };
        const annotation = IGNORE_ANNOTATION_PREFIX + key;
        const ref = s.resource.ref;
        const id = `${ref.cluster ?? ''}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}\u0000${annotation}`;
        if (!this.#unexplained.has(id)) this.#unexplained.set(id, { resource: ref, annotation, index: s.resource.index });
      }
    }
    const ref = s.resource.ref;
    for (const rule of this.#active) {
      const checkMatches =
        globMatch(rule.check, s.checkId) ||
        globMatch(rule.check, s.checkName) ||
        (s.aliases ?? []).some((a) => globMatch(rule.check, a)) ||
        this.#matchOther?.(rule.check, s.checkId) === true;
      if (!checkMatches) continue;
      if (rule.kind !== undefined && !globMatch(rule.kind, ref.kind)) continue;
      if (rule.namespace !== undefined && !globMatch(rule.namespace, ref.namespace ?? '')) continue;
      if (rule.name !== undefined && !globMatch(rule.name, ref.name)) continue;
      if (rule.container !== undefined && (s.container === undefined || !globMatch(rule.container, s.container))) continue;
      this.#used.add(rule);
      return { reason: rule.reason, source: 'config', ...(rule.expires ? { expires: rule.expires } : {}) };
    }
    return undefined;
  }
}
