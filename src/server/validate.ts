/**
 * Checks a scan pushed by an agent (`POST /api/v1/ingest`) before it reaches the store: an
 * agent is trusted to push scans, not to write any shape into the database. Every field of
 * `ScanInput` and `FindingInput` is checked for type and size; the first problem is a 400
 * naming the field.
 */
import { isSeverity, type JsonObject, type ResourceTypeCoverage } from '../core/types.js';
import type { FindingInput, ScanInput } from '../store/types.js';
import { HttpError } from './http.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(path: string, what: string): never {
  throw new HttpError('bad_request', `${path}: ${what}`);
}

function str(o: Obj, key: string, path: string, max = 1024): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length > max) bad(`${path}.${key}`, `expected a string of at most ${max} characters`);
  return v;
}

function strOrNull(o: Obj, key: string, path: string, max = 1024): string | null {
  return o[key] === null || o[key] === undefined ? null : str(o, key, path, max);
}

function count(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) bad(`${path}.${key}`, 'expected a whole number >= 0');
  return v;
}

function iso(o: Obj, key: string, path: string): string {
  const v = str(o, key, path, 64);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(Date.parse(v))) bad(`${path}.${key}`, 'expected an ISO 8601 time');
  return v;
}

function finding(v: unknown, path: string): FindingInput {
  if (!isObj(v)) bad(path, 'expected an object');
  const severity = v.severity;
  if (!isSeverity(severity)) bad(`${path}.severity`, 'expected critical, high, medium, low or info');
  const frameworks = v.frameworks ?? [];
  if (!Array.isArray(frameworks) || frameworks.some((f) => typeof f !== 'string')) bad(`${path}.frameworks`, 'expected a list of strings');
  const evidence = v.evidence ?? null;
  if (evidence !== null && !isObj(evidence)) bad(`${path}.evidence`, 'expected an object or null');
  const fix = v.fix ?? null;
  if (fix !== null && (!Array.isArray(fix) || fix.some((op) => !isObj(op) || typeof op.op !== 'string' || typeof op.path !== 'string')))
    bad(`${path}.fix`, 'expected a list of JSON Patch operations or null');
  const fixable = v.fixable ?? null;
  if (fixable !== null && fixable !== true && fixable !== false && fixable !== 'unsafe') bad(`${path}.fixable`, 'expected true, false, "unsafe" or null');
  const rank = v.rank ?? null;
  if (rank !== null && typeof rank !== 'number') bad(`${path}.rank`, 'expected a number or null');
  const fingerprint = str(v, 'fingerprint', path, 256);
  if (fingerprint === '') bad(`${path}.fingerprint`, 'must not be empty');
  return {
    fingerprint,
    check: str(v, 'check', path, 128),
    checkName: str(v, 'checkName', path, 256),
    title: str(v, 'title', path, 1024),
    severity,
    category: str(v, 'category', path, 256),
    apiVersion: str(v, 'apiVersion', path, 256),
    kind: str(v, 'kind', path, 256),
    namespace: strOrNull(v, 'namespace', path, 253),
    name: str(v, 'name', path, 253),
    container: strOrNull(v, 'container', path, 253),
    pointer: str(v, 'pointer', path, 1024),
    message: str(v, 'message', path, 8192),
    evidence: evidence as JsonObject | null,
    frameworks: frameworks as string[],
    fix: fix as FindingInput['fix'],
    fixable: fixable as FindingInput['fixable'],
    rank: rank as number | null,
    groupId: strOrNull(v, 'groupId', path, 256),
    exceptionId: strOrNull(v, 'exceptionId', path, 256),
  };
}

/**
 * The `ScanInput` of an ingest body (`scan`), for `cluster`; throws a 400 naming the first bad field.
 *
 * @example
 * validateScanInput(body.scan, 'prod');
 */
export function validateScanInput(v: unknown, cluster: string): Omit<ScanInput, 'idempotencyKey'> {
  if (!isObj(v)) bad('scan', 'expected an object');
  if (v.cluster !== undefined && v.cluster !== cluster) bad('scan.cluster', `"${String(v.cluster)}" differs from cluster "${cluster}"`);
  const kind = v.kind;
  if (kind !== 'full' && kind !== 'incremental') bad('scan.kind', 'expected full or incremental');
  if (!Array.isArray(v.findings)) bad('scan.findings', 'expected a list');
  const findings = v.findings.map((f, i) => finding(f, `scan.findings[${i}]`));
  let scope: string[] | undefined;
  if (v.scope !== undefined) {
    if (!Array.isArray(v.scope) || v.scope.some((s) => typeof s !== 'string')) bad('scan.scope', 'expected a list of object keys');
    scope = v.scope as string[];
  }
  if (kind === 'incremental' && scope === undefined) bad('scan.scope', 'an incremental scan names the objects it rescanned');
  const coverage = v.coverage ?? [];
  if (!Array.isArray(coverage) || coverage.some((c) => !isObj(c) || typeof c.kind !== 'string' || typeof c.status !== 'string'))
    bad('scan.coverage', 'expected a list of resource type coverage entries');
  return {
    cluster,
    kind,
    startedAt: iso(v, 'startedAt', 'scan'),
    finishedAt: iso(v, 'finishedAt', 'scan'),
    ...(scope ? { scope } : {}),
    findings,
    resources: count(v, 'resources', 'scan'),
    checksRun: count(v, 'checksRun', 'scan'),
    coverage: coverage as ResourceTypeCoverage[],
  };
}
