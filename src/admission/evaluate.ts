/**
 * The admission verdict. The object under admission is evaluated exactly as `palisade scan`
 * evaluates a manifest holding that one object: an inventory of one object through
 * `scanInventory` (same catalogue, configuration, custom checks and exceptions), and the gate
 * of `gateVerdict` with the namespace's threshold. This module only decides what the mode
 * does with that verdict (deny, warn, annotate) and words the response.
 */
import type { AdmissionMode, PalisadeConfig } from '../config/config.js';
import type { AnyCheck } from '../core/check.js';
import { globMatch } from '../core/exceptions.js';
import { Inventory, isKubernetesObject } from '../core/inventory.js';
import { describeObject, isObject } from '../core/object.js';
import type { ScanReport } from '../core/report.js';
import { type Finding, type JsonObject, type Severity, severityRank } from '../core/types.js';
import { gateVerdict, type ScanOptions, scanInventory } from '../scan.js';
import { proposeFixes } from './fixes.js';
import type { JsonPatchOperation } from './patch.js';
import type { AdmissionRequest, AdmissionResponse } from './review.js';

/** Namespace label choosing the mode: `enforce`, `warn` or `audit`. */
export const ENFORCE_LABEL = 'palisade.dev/enforce';
/** Namespace label choosing the severity threshold of `enforce`. */
export const SEVERITY_LABEL = 'palisade.dev/enforce-severity';
/** The modes, in the order of the label's documentation. */
export const ADMISSION_MODES: readonly AdmissionMode[] = ['enforce', 'warn', 'audit'];

/** The API server truncates longer warnings; kubectl shows each on one line. */
const MAX_WARNING_LENGTH = 256;
/** Warnings past this many are summed up in one line (the API server drops past 4096 characters). */
const MAX_WARNINGS = 12;
/** Findings named in a denial message before "and N more". */
const MAX_DENIAL_FINDINGS = 10;
/** Audit annotation values are kept short: audit logs are read by tools with line limits. */
const MAX_ANNOTATION_LENGTH = 4000;

/** What the server knows before evaluating: the engine settings and the policy. */
export interface AdmissionEngine {
  /** The options `palisade scan` would get (config, include/exclude, custom checks, k8s version). */
  readonly scanOptions: ScanOptions & { readonly config: PalisadeConfig };
  /** Threshold of `enforce` where the namespace has no `palisade.dev/enforce-severity` label. */
  readonly failOn: Severity;
  /** Mode of namespaces without a valid `palisade.dev/enforce` label (and of cluster-scoped objects). */
  readonly defaultMode: AdmissionMode;
  /** Let errors of checks (a check that threw) not deny, as `--allow-incomplete`. */
  readonly allowIncomplete: boolean;
  readonly exemptNamespaces: readonly string[];
  readonly exemptUsers: readonly string[];
  readonly exemptGroups: readonly string[];
  /** Checks whose fixes `/mutate` applies (ids, names or globs). */
  readonly mutateChecks: readonly string[];
  /** All checks (built-in and custom), to resolve `mutateChecks`. */
  readonly checks: readonly AnyCheck[];
}

/** Which webhook path asked. */
export type AdmissionPath = 'validate' | 'mutate';

/** How a request was decided, for metrics and logs. */
export type Outcome = 'allowed' | 'denied' | 'warned' | 'audited' | 'patched' | 'exempt' | 'skipped';

/** A decision: the response and what led to it. */
export interface AdmissionDecision {
  readonly response: AdmissionResponse;
  readonly outcome: Outcome;
  readonly mode: AdmissionMode | undefined;
  /** The threshold used (enforce). */
  readonly failOn: Severity | undefined;
  /** Failing findings of the object (empty when not evaluated). */
  readonly failing: readonly Finding[];
  /** Findings that decided a denial. */
  readonly blocking: readonly Finding[];
  /** Why the request was not evaluated (exempt or skipped). */
  readonly reason?: string;
  /** The JSON Patch sent (mutate). */
  readonly patch?: readonly JsonPatchOperation[];
}

/** The mode and threshold of a namespace, from its labels. */
export interface NamespacePolicy {
  readonly mode: AdmissionMode;
  readonly failOn: Severity;
  /** Problems with the labels (an unknown mode), returned as warnings. */
  readonly problems: readonly string[];
}

/**
 * The policy of a namespace from its labels: `palisade.dev/enforce` (enforce, warn, audit) and
 * `palisade.dev/enforce-severity`; a missing or invalid label falls back to the server's default.
 *
 * @example
 * namespacePolicy({ 'palisade.dev/enforce': 'enforce' }, 'warn', 'high'); // { mode: 'enforce', failOn: 'high', problems: [] }
 */
export function namespacePolicy(labels: Readonly<Record<string, string>> | undefined, defaultMode: AdmissionMode, failOn: Severity): NamespacePolicy {
  const problems: string[] = [];
  let mode = defaultMode;
  const m = labels?.[ENFORCE_LABEL];
  if (m !== undefined) {
    if ((ADMISSION_MODES as readonly string[]).includes(m)) mode = m as AdmissionMode;
    else problems.push(`namespace label ${ENFORCE_LABEL}=${m} is not enforce, warn or audit; using ${defaultMode}`);
  }
  let threshold = failOn;
  const s = labels?.[SEVERITY_LABEL];
  if (s !== undefined) {
    if (['critical', 'high', 'medium', 'low', 'info'].includes(s)) threshold = s as Severity;
    else problems.push(`namespace label ${SEVERITY_LABEL}=${s} is not a severity; using ${failOn}`);
  }
  return { mode, failOn: threshold, problems };
}

/**
 * The object to evaluate, or why there is none: CREATE and UPDATE of whole objects, and
 * `pods/ephemeralcontainers` (whose object is the whole Pod). Other subresources (`scale`,
 * `status`, `exec`...), DELETE and CONNECT carry no object to judge.
 */
export function objectUnderAdmission(req: AdmissionRequest): { object: JsonObject } | { skip: string } {
  if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return { skip: `${req.operation} is not evaluated` };
  if (req.subResource !== undefined && req.subResource !== 'ephemeralcontainers') return { skip: `subresource ${req.subResource} is not evaluated` };
  if (!isKubernetesObject(req.object)) return { skip: 'the request has no Kubernetes object' };
  return { object: withNamespace(req.object, req.namespace) };
}

/**
 * The API server sends objects of namespaced requests without `metadata.namespace` when the
 * client left it out (a Pod created by a controller, `kubectl create -n`): the request's
 * namespace is where it lands, so the object is evaluated there, as a scan of the stored object.
 */
function withNamespace(object: JsonObject, namespace: string | undefined): JsonObject {
  if (namespace === undefined) return object;
  const meta = isObject(object.metadata) ? object.metadata : {};
  if (typeof meta.namespace === 'string' && meta.namespace !== '') return object;
  return { ...object, metadata: { ...meta, namespace } };
}

/**
 * Evaluates one object as `palisade scan` evaluates a manifest of that object alone.
 *
 * @example
 * const report = evaluateObject(deployment, { config }, '2026-12-03');
 */
export function evaluateObject(object: JsonObject, scanOptions: ScanOptions, today: string): ScanReport {
  const inventory = new Inventory();
  inventory.add({ object });
  return scanInventory(inventory, { ...scanOptions, today, sources: ['<admission>'], topRisks: 0 });
}

/** Identity of a finding across the old and new object of an UPDATE. */
const keyOf = (f: Finding): string => `${f.check}\u0000${f.pointer}`;

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function describeFinding(f: Finding): string {
  return `[${f.severity}] ${f.check} ${f.name}: ${f.message} (at ${f.pointer || '/'})`;
}

function warningsFor(findings: readonly Finding[], prefix: string, extra: readonly string[] = []): string[] {
  const lines = [...extra, ...findings.map((f) => `${prefix}${describeFinding(f)}`)];
  const out = lines.slice(0, MAX_WARNINGS).map((l) => truncate(l, MAX_WARNING_LENGTH));
  if (lines.length > MAX_WARNINGS) out.push(`palisade: and ${lines.length - MAX_WARNINGS} more findings (palisade scan shows all)`);
  return out;
}

function bySeverity(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.check.localeCompare(b.check) || a.pointer.localeCompare(b.pointer);
}

function annotationOf(findings: readonly Finding[]): string {
  const items = findings.map((f) => ({ check: f.check, name: f.name, severity: f.severity, pointer: f.pointer }));
  let text = JSON.stringify(items);
  // Whole entries only, so that the value stays JSON.
  while (text.length > MAX_ANNOTATION_LENGTH && items.length > 0) {
    items.pop();
    text = JSON.stringify([...items, { truncated: findings.length - items.length }]);
  }
  return text;
}

function exemption(engine: AdmissionEngine, req: AdmissionRequest): string | undefined {
  if (req.namespace !== undefined && engine.exemptNamespaces.some((g) => globMatch(g, req.namespace as string))) return `namespace ${req.namespace} is exempt`;
  if (engine.exemptUsers.some((g) => globMatch(g, req.userInfo.username))) return `user ${req.userInfo.username} is exempt`;
  const group = req.userInfo.groups.find((g) => engine.exemptGroups.includes(g));
  if (group !== undefined) return `group ${group} is exempt`;
  return undefined;
}

/** Today's date in UTC, for exception expiry (as `palisade scan`). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Decides one admission request. `/validate` denies (enforce), warns (warn) or annotates
 * (audit); `/mutate` never denies and returns the fixes of the failing findings of the
 * `mutateChecks` as a JSON Patch, except in audit mode, where the patch is only recorded.
 *
 * For UPDATE, findings the old object already had (same check, same field) do not deny: they
 * are returned as warnings, so that relabelling or scaling an object admitted before a policy
 * was tightened still works, while anything the update introduces is judged in full.
 *
 * @example
 * const d = decide(engine, 'validate', request, labels);
 * d.response.allowed; // false when enforce finds a high finding
 */
export function decide(
  engine: AdmissionEngine,
  path: AdmissionPath,
  req: AdmissionRequest,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
  today: string = todayUtc(),
): AdmissionDecision {
  const base = { uid: req.uid };
  const target = objectUnderAdmission(req);
  if ('skip' in target)
    return { response: { ...base, allowed: true }, outcome: 'skipped', mode: undefined, failOn: undefined, failing: [], blocking: [], reason: target.skip };
  const exempt = exemption(engine, req);
  if (exempt !== undefined)
    return {
      response: { ...base, allowed: true, auditAnnotations: { exempt: exempt } },
      outcome: 'exempt',
      mode: undefined,
      failOn: undefined,
      failing: [],
      blocking: [],
      reason: exempt,
    };
  const policy = namespacePolicy(namespaceLabels, engine.defaultMode, engine.failOn);
  const report = evaluateObject(target.object, engine.scanOptions, today);
  const failing = report.findings.filter((f) => f.status === 'fail').sort(bySeverity);
  if (path === 'mutate') return mutate(engine, req, target.object, policy, { mode: policy.mode, failOn: policy.failOn, failing }, today);
  const errors = report.findings.filter((f) => f.status === 'error');
  const verdict = gateVerdict(report, { failOn: policy.failOn, allowIncomplete: engine.allowIncomplete });
  const old =
    req.operation === 'UPDATE' && isKubernetesObject(req.oldObject)
      ? new Set(
          evaluateObject(withNamespace(req.oldObject, req.namespace), engine.scanOptions, today)
            .findings.filter((f) => f.status === 'fail')
            .map(keyOf),
        )
      : undefined;
  const min = severityRank(policy.failOn);
  const atThreshold = failing.filter((f) => severityRank(f.severity) >= min);
  const blocking = old ? atThreshold.filter((f) => !old.has(keyOf(f))) : atThreshold;
  const preexisting = old ? atThreshold.filter((f) => old.has(keyOf(f))) : [];
  const below = failing.filter((f) => severityRank(f.severity) < min);
  const countErrors = errors.length > 0 && !engine.allowIncomplete;
  // The gate's verdict, with UPDATE's allowance for what the old object already had.
  const denies = verdict.exitCode !== 0 && (blocking.length > 0 || countErrors);
  const who = describeObject({ kind: String(target.object.kind), ...refName(target.object) });
  const annotations = (decision: string): Record<string, string> => ({
    mode: policy.mode,
    decision,
    ...(failing.length > 0 ? { findings: annotationOf(failing) } : {}),
    ...(errors.length > 0 ? { errors: annotationOf(errors) } : {}),
  });
  const common = { mode: policy.mode, failOn: policy.failOn, failing } as const;

  if (policy.mode === 'enforce') {
    if (denies) {
      const shown = blocking.slice(0, MAX_DENIAL_FINDINGS).map((f) => `${f.check} ${f.name} at ${f.pointer || '/'}: ${f.message}`);
      if (blocking.length > MAX_DENIAL_FINDINGS) shown.push(`and ${blocking.length - MAX_DENIAL_FINDINGS} more`);
      if (countErrors) shown.push(...verdict.reasons.filter((r) => r.includes('could not be fully evaluated')));
      const message = `palisade (enforce, fail-on ${policy.failOn}) denied ${who}: ${shown.join('; ')}`;
      const warnings = warningsFor(below, '', policy.problems);
      return {
        ...common,
        response: {
          ...base,
          allowed: false,
          status: { code: 403, reason: 'Forbidden', message },
          ...(warnings.length > 0 ? { warnings } : {}),
          auditAnnotations: annotations('denied'),
        },
        outcome: 'denied',
        blocking,
      };
    }
    const warnings = [...warningsFor(preexisting, 'already there before this update: ', policy.problems), ...(below.length > 0 ? warningsFor(below, '') : [])];
    return {
      ...common,
      response: { ...base, allowed: true, ...(warnings.length > 0 ? { warnings } : {}), auditAnnotations: annotations('allowed') },
      outcome: warnings.length > 0 ? 'warned' : 'allowed',
      blocking: [],
    };
  }
  if (policy.mode === 'warn') {
    const warnings = warningsFor(failing, '', policy.problems);
    return {
      ...common,
      response: {
        ...base,
        allowed: true,
        ...(warnings.length > 0 ? { warnings } : {}),
        auditAnnotations: annotations(denies ? 'would-deny' : 'allowed'),
      },
      outcome: warnings.length > 0 ? 'warned' : 'allowed',
      blocking: [],
    };
  }
  return {
    ...common,
    response: {
      ...base,
      allowed: true,
      ...(policy.problems.length > 0 ? { warnings: warningsFor([], '', policy.problems) } : {}),
      auditAnnotations: annotations(denies ? 'would-deny' : 'allowed'),
    },
    outcome: failing.length > 0 || errors.length > 0 ? 'audited' : 'allowed',
    blocking: [],
  };
}

function refName(object: JsonObject): { name: string; namespace?: string } {
  const meta = isObject(object.metadata) ? object.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '';
  return { name, ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}) };
}

function matchesCheck(patterns: readonly string[], f: Finding, checks: readonly AnyCheck[]): boolean {
  const check = checks.find((c) => c.id === f.check);
  const names = [f.check, f.name, ...(check?.aliases ?? [])];
  return patterns.some((p) => names.some((n) => globMatch(p, n)));
}

function mutate(
  engine: AdmissionEngine,
  req: AdmissionRequest,
  object: JsonObject,
  policy: NamespacePolicy,
  common: { mode: AdmissionMode; failOn: Severity; failing: readonly Finding[] },
  today: string,
): AdmissionDecision {
  const base = { uid: req.uid };
  const fixable = common.failing.filter((f) => f.fix !== undefined && f.fix.length > 0 && matchesCheck(engine.mutateChecks, f, engine.checks));
  if (fixable.length === 0) return { ...common, response: { ...base, allowed: true }, outcome: 'allowed', blocking: [] };
  const { patch, fixed, notFixed } = proposeFixes(object, fixable, common.failing, (patched) =>
    evaluateObject(patched, engine.scanOptions, today).findings.filter((f) => f.status === 'fail'),
  );
  if (patch.length === 0)
    return {
      ...common,
      response: {
        ...base,
        allowed: true,
        warnings: warningsFor([], '', [`palisade: no fix applied: patching did not resolve ${[...new Set(fixable.map((f) => f.check))].join(', ')} cleanly`]),
      },
      outcome: 'allowed',
      blocking: [],
    };
  const still = notFixed;
  const names = [...new Set(fixed.map((f) => `${f.check} ${f.name}`))];
  if (policy.mode === 'audit')
    return {
      ...common,
      response: { ...base, allowed: true, auditAnnotations: { mode: 'audit', 'would-patch': truncate(JSON.stringify(patch), MAX_ANNOTATION_LENGTH) } },
      outcome: 'audited',
      blocking: [],
      patch,
    };
  return {
    ...common,
    response: {
      ...base,
      allowed: true,
      patchType: 'JSONPatch',
      patch: toBase64(JSON.stringify(patch)),
      warnings: warningsFor([], '', [
        `palisade: fixed ${names.join(', ')}`,
        ...(still.length > 0 ? [`palisade: not fixed (the fix did not resolve it): ${[...new Set(still.map((f) => f.check))].join(', ')}`] : []),
      ]),
      auditAnnotations: { mode: policy.mode, patched: truncate(names.join(', '), MAX_ANNOTATION_LENGTH) },
    },
    outcome: 'patched',
    blocking: [],
    patch,
  };
}

function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
