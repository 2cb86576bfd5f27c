/**
 * A compliance report is a view of one scan's findings through a framework: each control gets
 * a status from the checks that cover it, never from a second evaluation. The statuses, the
 * score and the counts are defined in docs/compliance.md; every format renders this object.
 */
import type { CheckMeta } from '../core/check.js';
import type { StatusCounts } from '../core/engine.js';
import type { Finding, ResourceRef, Severity } from '../core/types.js';
import { checksFor } from './index.js';
import type { Platform } from './platform.js';
import type { Control, ControlMethod, Framework } from './types.js';

/** The status of one control. */
export type ControlStatus = 'pass' | 'fail' | 'manual' | 'not-applicable' | 'error';

/** The order statuses are listed in. */
export const CONTROL_STATUSES: readonly ControlStatus[] = ['fail', 'error', 'pass', 'manual', 'not-applicable'];

/** One resource given as evidence for a control. */
export interface ControlEvidence {
  readonly resource: ResourceRef;
  readonly check: string;
  readonly checkName: string;
  readonly severity: Severity;
  readonly status: 'fail' | 'exempt' | 'error';
  readonly message: string;
  readonly pointer?: string;
  /** For exempt findings: why. */
  readonly exemption?: string;
}

/** A check's part in a control: its id, name and counts in the scan. */
export interface ControlCheck {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly counts: StatusCounts;
}

/** The result of one control. */
export interface ControlResult {
  /** The framework's own numbering: `5.2.3`. */
  readonly id: string;
  readonly title: string;
  readonly section?: string;
  readonly method?: ControlMethod;
  readonly automated?: boolean;
  readonly status: ControlStatus;
  /** Why the control has its status, in one sentence. */
  readonly reason: string;
  readonly checks: readonly ControlCheck[];
  /** The failing (and exempted, and errored) resources: the evidence. */
  readonly resources: readonly ControlEvidence[];
}

/** Counts of controls per status, and the score. */
export interface ComplianceSummary {
  readonly total: number;
  readonly pass: number;
  readonly fail: number;
  readonly error: number;
  readonly manual: number;
  readonly notApplicable: number;
  /** pass / (pass + fail + error) x 100, one decimal; null when no control was assessed. */
  readonly score: number | null;
}

/** A compliance report for one framework. */
export interface ComplianceReport {
  readonly framework: { readonly id: string; readonly title: string; readonly version: string; readonly url?: string; readonly origin?: string };
  readonly generatedAt: string;
  readonly sources: readonly string[];
  /** The managed platform detected, when the control plane belongs to a provider. */
  readonly platform?: Platform;
  readonly summary: ComplianceSummary;
  readonly controls: readonly ControlResult[];
}

/** The parts of one or more scan reports a compliance view reads. */
export interface ComplianceInput {
  /** The checks that ran. */
  readonly checks: readonly CheckMeta[];
  readonly perCheck: Readonly<Record<string, StatusCounts>>;
  readonly findings: readonly Finding[];
  readonly sources: readonly string[];
  readonly generatedAt: string;
  readonly platform?: Platform | undefined;
}

const ZERO: StatusCounts = { pass: 0, fail: 0, exempt: 0, error: 0 };

/** What was not seen, per way of checking: the reason a control could not be assessed. */
function notAssessed(method: ControlMethod | undefined, checks: readonly CheckMeta[]): string {
  const names = checks.map((c) => c.name).join(', ');
  switch (method) {
    case 'api-cp':
      return `not assessed: the input has no control-plane component Pod (${names}); run palisade node on the control-plane nodes and merge it with --node-results`;
    case 'api-node':
      return `not assessed: the input has no KubeletConfiguration (a cluster scan reads it from nodes/<name>/proxy/configz when allowed); run palisade node on the nodes and merge it with --node-results`;
    case 'node':
      return `not assessed: needs the node's files and processes; run palisade node on the nodes and merge it with --node-results`;
    default:
      return `not applicable: the input has nothing the checks judge (${names})`;
  }
}

function evaluateControl(framework: Framework, control: Control, input: ComplianceInput, byCheck: ReadonlyMap<string, Finding[]>): ControlResult {
  const ran = checksFor(framework, control, input.checks);
  const checks: ControlCheck[] = ran.map((c) => ({ id: c.id, name: c.name, title: c.title, counts: input.perCheck[c.id] ?? ZERO }));
  const resources: ControlEvidence[] = [];
  for (const c of ran)
    for (const f of byCheck.get(c.id) ?? []) {
      if (f.status === 'pass') continue;
      if (control.pointerSuffix !== undefined && !f.pointer.endsWith(control.pointerSuffix)) continue;
      resources.push({
        resource: f.resource,
        check: f.check,
        checkName: f.name,
        severity: f.severity,
        status: f.status,
        message: f.message,
        ...(f.pointer !== '' ? { pointer: f.pointer } : {}),
        ...(f.exemption ? { exemption: f.exemption.reason } : {}),
      });
    }
  const base = {
    id: control.id,
    title: control.title,
    ...(control.section !== undefined ? { section: control.section } : {}),
    ...(control.method !== undefined ? { method: control.method } : {}),
    ...(control.automated !== undefined ? { automated: control.automated } : {}),
    checks,
    resources,
  };
  const result = (status: ControlStatus, reason: string): ControlResult => ({ ...base, status, reason });

  if (control.provider === true && input.platform?.managed === true)
    return result('not-applicable', `not applicable: managed by provider (${input.platform.name}); the control plane is not visible to the cluster's users`);
  if (ran.length === 0) return result('manual', control.manual ?? 'not assessed: no check covering this control ran');

  const sum = checks.reduce(
    (a, c) => ({ pass: a.pass + c.counts.pass, fail: a.fail + c.counts.fail, exempt: a.exempt + c.counts.exempt, error: a.error + c.counts.error }),
    ZERO,
  );
  const failing = resources.filter((r) => r.status === 'fail');
  // A check shared with other controls fails this one only through the findings about its field.
  const fails = control.pointerSuffix !== undefined ? failing.length : Math.max(sum.fail, failing.length);
  if (fails > 0) {
    const n = fails;
    const by = [...new Set(failing.map((r) => r.checkName))].join(', ');
    return result('fail', `${n} failing finding${n === 1 ? '' : 's'} (${by})`);
  }
  if (control.pointerSuffix !== undefined ? resources.some((r) => r.status === 'error') : sum.error > 0) {
    const first = resources.find((r) => r.status === 'error');
    return result('error', `could not be assessed: ${first?.message ?? `${sum.error} check error(s)`}`);
  }
  // A cluster-wide check counts no passes: having run without a violation is its pass.
  const assessed = sum.pass + sum.exempt + sum.fail > 0 || ran.some((c) => c.target.kind === 'cluster');
  const exempted = sum.exempt > 0 ? `; ${sum.exempt} exempted finding${sum.exempt === 1 ? '' : 's'}` : '';
  if (!assessed)
    return result(
      control.manual ? 'manual' : control.method === 'api' || control.method === undefined ? 'not-applicable' : 'manual',
      control.manual ?? notAssessed(control.method, ran),
    );
  if (control.manual) return result('manual', `the checks found no problem${exempted}, but a person must still judge it: ${control.manual}`);
  return result('pass', `${sum.pass > 0 ? `${sum.pass} passing result${sum.pass === 1 ? '' : 's'}` : 'no violation'}${exempted}`);
}

/**
 * The score and counts of a list of control results (docs/compliance.md).
 *
 * @example
 * summarize(report.controls).score; // 87.5
 */
export function summarize(controls: readonly ControlResult[]): ComplianceSummary {
  const count = (s: ControlStatus) => controls.filter((c) => c.status === s).length;
  const pass = count('pass');
  const fail = count('fail');
  const error = count('error');
  const assessed = pass + fail + error;
  return {
    total: controls.length,
    pass,
    fail,
    error,
    manual: count('manual'),
    notApplicable: count('not-applicable'),
    score: assessed === 0 ? null : Math.round((pass / assessed) * 1000) / 10,
  };
}

/**
 * Builds the compliance report of one framework from a scan's checks, counts and findings.
 *
 * @example
 * const view = complianceReport(FRAMEWORKS['cis-1.12'], { checks: report.checks, perCheck: report.perCheck,
 *   findings: report.findings, sources: report.sources, generatedAt: report.generatedAt });
 * view.controls.find((c) => c.id === '5.2.2')?.status; // 'fail'
 */
export function complianceReport(framework: Framework, input: ComplianceInput): ComplianceReport {
  const byCheck = new Map<string, Finding[]>();
  for (const f of input.findings) {
    const list = byCheck.get(f.check);
    if (list) list.push(f);
    else byCheck.set(f.check, [f]);
  }
  const controls = framework.controls.map((c) => evaluateControl(framework, c, input, byCheck));
  return {
    framework: {
      id: framework.id,
      title: framework.title,
      version: framework.version,
      ...(framework.url !== undefined ? { url: framework.url } : {}),
      ...(framework.origin !== undefined ? { origin: framework.origin } : {}),
    },
    generatedAt: input.generatedAt,
    sources: input.sources,
    ...(input.platform ? { platform: input.platform } : {}),
    summary: summarize(controls),
    controls,
  };
}
