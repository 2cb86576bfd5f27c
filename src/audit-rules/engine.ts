/**
 * The audit engine: hands each request to the rules whose filter it passes, once per request
 * (the first of its ResponseStarted/ResponseComplete/Panic stages), and turns matches into
 * alerts. Settings (enabled, severity, params), include/exclude and exceptions from the
 * configuration apply as they do to checks. Deduplication by `auditID` and throttling per rule
 * and identity are bounded like the rules' state. Pure: time is the events' own.
 */
import { ExceptionMatcher, type ExceptionRule, globMatch } from '../core/exceptions.js';
import type { Evidence, Exemption, JsonValue, Resource, Severity } from '../core/types.js';
import { severityRank } from '../core/types.js';
import { type AuditEvent, type AuditObjectRef, effectiveUser, eventTime, kindOf, resourceKey, statusCode, writtenObject } from './event.js';
import type { AnyAuditRule, AuditLimits, AuditMatch } from './rule.js';
import { LruMap } from './window.js';

/** One alert: a rule matched one request. The JSON shape is documented in docs/audit.md. */
export interface AuditAlert {
  readonly rule: string;
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly defaultSeverity: Severity;
  readonly category: string;
  readonly frameworks: readonly string[];
  readonly message: string;
  readonly auditID: string;
  readonly stage: string;
  /** ISO time of the event. */
  readonly time: string;
  /** The effective identity (the impersonated one when impersonation was used). */
  readonly user: string;
  readonly groups: readonly string[];
  /** The real caller when the request impersonated `user`. */
  readonly impersonatedBy?: string;
  readonly sourceIPs: readonly string[];
  readonly userAgent?: string;
  readonly verb: string;
  readonly objectRef: AuditObjectRef | null;
  readonly requestURI: string;
  readonly code: number;
  readonly evidence?: Evidence;
  readonly exemption?: Exemption;
  /** Alerts of the same rule and identity dropped by throttling since the previous one. */
  readonly suppressed?: number;
}

/** Per-rule settings from the configuration (`checks.<id or name>`). */
export interface AuditRuleSettings {
  readonly enabled?: boolean;
  readonly severity?: Severity;
  readonly params?: Readonly<Record<string, JsonValue>>;
}

export interface AuditEngineOptions {
  readonly settings?: Readonly<Record<string, AuditRuleSettings>>;
  /** Rule ids, names or globs to run (empty: all). */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly exceptions?: readonly ExceptionRule[];
  readonly nonWaivable?: readonly string[];
  /** ISO date (YYYY-MM-DD) for exception expiry. */
  readonly today?: string;
  readonly limits?: Partial<AuditLimits>;
  /** How many request ids are remembered to evaluate each request once (default 100,000). */
  readonly dedupCapacity?: number;
  /** At most `max` alerts per rule and identity within `windowMs`; the rest are counted as suppressed. */
  readonly throttle?: { readonly max: number; readonly windowMs: number };
  /** Report exempt alerts (with `exemption`) instead of dropping them. */
  readonly keepExempt?: boolean;
}

/** Counters of one engine. */
export interface AuditStats {
  events: number;
  requests: number;
  /** Events of a stage no rule reads (RequestReceived) or repeated stages of a request already evaluated. */
  skipped: number;
  alerts: number;
  exempt: number;
  suppressed: number;
  /** Rule evaluations that threw (the event is kept; the error is counted and reported once per rule). */
  ruleErrors: number;
}

export const DEFAULT_LIMITS: AuditLimits = { maxKeys: 10_000, maxPerKey: 1_000 };

interface Active {
  readonly rule: AnyAuditRule;
  readonly severity: Severity;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly ignoreUsers: readonly string[];
  readonly verbs: ReadonlySet<string> | undefined;
  readonly state: unknown;
}

const EVALUATED_STAGES = new Set(['ResponseStarted', 'ResponseComplete', 'Panic']);

function selected(rule: AnyAuditRule, patterns: readonly string[]): boolean {
  return patterns.some((p) => globMatch(p, rule.id) || globMatch(p, rule.name) || (rule.aliases ?? []).some((a) => globMatch(p, a)));
}

/**
 * Runs audit rules over a stream of events.
 *
 * @example
 * const engine = new AuditEngine(builtinAuditRules);
 * for (const event of events) for (const alert of engine.process(event)) console.log(alert.rule, alert.message);
 */
export class AuditEngine {
  readonly stats: AuditStats = { events: 0, requests: 0, skipped: 0, alerts: 0, exempt: 0, suppressed: 0, ruleErrors: 0 };
  /** The first error of each rule that threw, by rule id. */
  readonly ruleErrors = new Map<string, string>();
  readonly rules: readonly AnyAuditRule[];
  readonly #byResource = new Map<string, Active[]>();
  readonly #anyResource: Active[] = [];
  readonly #seen: LruMap<string, true>;
  readonly #exceptions: ExceptionMatcher;
  readonly #throttle: { readonly max: number; readonly windowMs: number } | undefined;
  readonly #throttled: LruMap<string, { start: number; count: number; dropped: number }>;
  readonly #keepExempt: boolean;
  #lastTime = 0;

  constructor(rules: readonly AnyAuditRule[], options: AuditEngineOptions = {}) {
    const limits: AuditLimits = { ...DEFAULT_LIMITS, ...options.limits };
    const settings = options.settings ?? {};
    const include = options.include ?? [];
    const exclude = options.exclude ?? [];
    const active: AnyAuditRule[] = [];
    for (const rule of rules) {
      const s = settings[rule.id] ?? settings[rule.name] ?? (rule.aliases ?? []).map((a) => settings[a]).find((x) => x !== undefined);
      if (s?.enabled === false) continue;
      if (include.length > 0 && !selected(rule, include)) continue;
      if (exclude.length > 0 && selected(rule, exclude)) continue;
      const params = s?.params ?? {};
      const ignore = params.ignoreUsers;
      const a: Active = {
        rule,
        severity: s?.severity ?? rule.severity,
        params,
        ignoreUsers: Array.isArray(ignore) ? ignore.filter((x): x is string => typeof x === 'string') : [],
        verbs: rule.match.verbs ? new Set(rule.match.verbs) : undefined,
        state: rule.createState ? rule.createState(limits, params) : undefined,
      };
      active.push(rule);
      if (rule.match.resources === undefined || rule.match.resources.includes('*')) this.#anyResource.push(a);
      else
        for (const r of rule.match.resources) {
          const list = this.#byResource.get(r) ?? [];
          list.push(a);
          this.#byResource.set(r, list);
        }
    }
    this.rules = active;
    this.#seen = new LruMap(options.dedupCapacity ?? 100_000);
    this.#exceptions = new ExceptionMatcher(options.exceptions ?? [], options.today ?? '1970-01-01', options.nonWaivable ?? []);
    this.#throttle = options.throttle && options.throttle.max > 0 ? options.throttle : undefined;
    this.#throttled = new LruMap(limits.maxKeys);
    this.#keepExempt = options.keepExempt ?? false;
  }

  /** Configuration exceptions that matched no alert so far. */
  get unusedExceptions(): readonly ExceptionRule[] {
    return this.#exceptions.unused;
  }

  /** Counts an event the reader did not parse because no rule reads its stage (RequestReceived). */
  countSkipped(n = 1): void {
    this.stats.events += n;
    this.stats.skipped += n;
  }

  /** Evaluates one event; returns its alerts (usually none). */
  process(event: AuditEvent): AuditAlert[] {
    this.stats.events++;
    const stage = event.stage ?? 'ResponseComplete';
    if (!EVALUATED_STAGES.has(stage)) {
      this.stats.skipped++;
      return [];
    }
    const id = event.auditID;
    if (typeof id === 'string' && id !== '') {
      if (this.#seen.has(id)) {
        this.stats.skipped++;
        return [];
      }
      this.#seen.add(id, true);
    }
    this.stats.requests++;
    const t = eventTime(event) ?? this.#lastTime;
    if (t > this.#lastTime) this.#lastTime = t;
    const key = resourceKey(event);
    const specific = this.#byResource.get(key);
    let out: AuditAlert[] | undefined;
    if (specific) out = this.#run(specific, event, t, out);
    if (this.#anyResource.length > 0) out = this.#run(this.#anyResource, event, t, out);
    return out ?? [];
  }

  #run(list: readonly Active[], event: AuditEvent, time: number, out: AuditAlert[] | undefined): AuditAlert[] | undefined {
    const verb = event.verb ?? '';
    for (const a of list) {
      if (a.verbs && !a.verbs.has(verb)) continue;
      let result: ReturnType<AnyAuditRule['evaluate']>;
      try {
        result = a.rule.evaluate({ event, time, params: a.params, state: a.state });
      } catch (err) {
        this.stats.ruleErrors++;
        if (!this.ruleErrors.has(a.rule.id)) this.ruleErrors.set(a.rule.id, err instanceof Error ? err.message : String(err));
        continue;
      }
      if (!result) continue;
      const matches: readonly AuditMatch[] = Array.isArray(result) ? result : [result as AuditMatch];
      for (const m of matches) {
        const alert = this.#alert(a, event, m, time);
        if (!alert) continue;
        out ??= [];
        out.push(alert);
      }
    }
    return out;
  }

  #alert(a: Active, event: AuditEvent, m: AuditMatch, time: number): AuditAlert | undefined {
    const eff = effectiveUser(event);
    const user = eff.username ?? '';
    if (a.ignoreUsers.some((g) => globMatch(g, user))) return undefined;
    const ref = event.objectRef;
    const resource: Resource = {
      index: 0,
      ref: {
        apiVersion: ref?.apiGroup ? `${ref.apiGroup}/${ref.apiVersion ?? ''}` : (ref?.apiVersion ?? ''),
        kind: kindOf(event),
        ...(ref?.namespace ? { namespace: ref.namespace } : {}),
        name: ref?.name ?? '',
      },
      object: writtenObject(event) ?? {},
    };
    const exemption = this.#exceptions.match({ checkId: a.rule.id, checkName: a.rule.name, ...(a.rule.aliases ? { aliases: a.rule.aliases } : {}), resource });
    if (exemption) {
      this.stats.exempt++;
      if (!this.#keepExempt) return undefined;
    }
    let suppressed = 0;
    if (this.#throttle && !exemption) {
      const key = `${a.rule.id}\u0000${user}`;
      const w = this.#throttled.get(key);
      if (!w || time - w.start >= this.#throttle.windowMs) {
        suppressed = w?.dropped ?? 0;
        this.#throttled.set(key, { start: time, count: 1, dropped: 0 });
      } else if (w.count >= this.#throttle.max) {
        w.dropped++;
        this.stats.suppressed++;
        return undefined;
      } else w.count++;
    }
    // A rule may raise a match's severity; the configured severity replaces the default only.
    const severity = m.severity !== undefined && a.severity === a.rule.severity ? m.severity : a.severity;
    if (!exemption) this.stats.alerts++;
    const impersonated = event.impersonatedUser?.username !== undefined;
    return {
      rule: a.rule.id,
      name: a.rule.name,
      title: a.rule.title,
      severity,
      defaultSeverity: a.rule.severity,
      category: a.rule.category,
      frameworks: a.rule.frameworks,
      message: m.message,
      auditID: event.auditID ?? '',
      stage: event.stage ?? '',
      time: new Date(time).toISOString(),
      user,
      groups: Array.isArray(eff.groups) ? eff.groups : [],
      ...(impersonated && event.user?.username ? { impersonatedBy: event.user.username } : {}),
      sourceIPs: Array.isArray(event.sourceIPs) ? event.sourceIPs : [],
      ...(typeof event.userAgent === 'string' ? { userAgent: event.userAgent } : {}),
      verb: event.verb ?? '',
      objectRef: ref ?? null,
      requestURI: event.requestURI ?? '',
      code: statusCode(event),
      ...(m.evidence ? { evidence: m.evidence } : {}),
      ...(exemption ? { exemption } : {}),
      ...(suppressed > 0 ? { suppressed } : {}),
    };
  }
}

/** Whether an alert is at or above a severity. */
export function atOrAbove(alert: Pick<AuditAlert, 'severity'>, threshold: Severity): boolean {
  return severityRank(alert.severity) >= severityRank(threshold);
}
