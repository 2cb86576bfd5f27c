/**
 * From the engine's findings to the store's: stable fingerprints, object keys, and stored
 * exceptions applied as waivers.
 */
import { createHash } from 'node:crypto';
import { globMatch } from '../../core/exceptions.js';
import { isObject } from '../../core/object.js';
import type { Finding, JsonObject } from '../../core/types.js';
import type { ExceptionRecord, FindingInput } from '../../store/types.js';

/**
 * The key of an object in `ScanInput.scope`: `apiVersion/kind/namespace/name`, the namespace
 * empty for cluster-scoped objects.
 *
 * @example
 * objectKey({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'web', name: 'api' } }); // 'apps/v1/Deployment/web/api'
 */
export function objectKey(o: JsonObject): string {
  const m = isObject(o.metadata) ? o.metadata : {};
  return `${String(o.apiVersion)}/${String(o.kind)}/${typeof m.namespace === 'string' ? m.namespace : ''}/${typeof m.name === 'string' ? m.name : ''}`;
}

/** The scope key of a finding's resource. */
export function findingKey(f: Pick<FindingInput, 'apiVersion' | 'kind' | 'namespace' | 'name'>): string {
  return `${f.apiVersion}/${f.kind}/${f.namespace ?? ''}/${f.name}`;
}

/**
 * The fingerprint of a finding: the first 32 hex digits (128 bits) of the SHA-256 of the JSON
 * array `[cluster, check id, apiVersion, kind, namespace or "", name, container or "", pointer]`.
 * Neither the message, the severity nor the evidence is hashed: a problem whose wording or
 * severity changes keeps its identity (the store records a `severity-changed` event). When one
 * scan reports the same check at the same place twice (two violations at one pointer), the
 * second and later ones add their message as a ninth element, so they stay apart and stable.
 *
 * @example
 * fingerprint('prod', 'PAL-0001', 'v1', 'Pod', 'web', 'api', 'app', '/spec/containers/0/securityContext/privileged');
 */
export function fingerprint(
  cluster: string,
  check: string,
  apiVersion: string,
  kind: string,
  namespace: string | null,
  name: string,
  container: string | null,
  pointer: string,
  message?: string,
): string {
  const parts = [cluster, check, apiVersion, kind, namespace ?? '', name, container ?? '', pointer];
  if (message !== undefined) parts.push(message);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** Whether a stored exception applies (active, not expired, matching) to a finding of `cluster`. */
function applies(e: ExceptionRecord, cluster: string, f: FindingInput, now: string): boolean {
  if (e.revokedAt !== null) return false;
  // `expires` is a date (or a time): the exception holds through that day.
  if (e.expires !== null && e.expires.slice(0, 10) < now.slice(0, 10)) return false;
  if (e.cluster !== null && e.cluster !== cluster) return false;
  if (e.check !== '*' && !globMatch(e.check, f.check) && !globMatch(e.check, f.checkName)) return false;
  if (e.namespace !== null && !globMatch(e.namespace, f.namespace ?? '')) return false;
  if (e.kind !== null && !globMatch(e.kind, f.kind)) return false;
  if (e.name !== null && !globMatch(e.name, f.name)) return false;
  return true;
}

/**
 * The store's findings of a scan: the failing findings (exempt ones were waived in the
 * cluster by annotation and are not problems to track), fingerprinted, with the first
 * matching stored exception's id.
 *
 * @example
 * const inputs = toFindingInputs('prod', report.findings, await store.listExceptions());
 */
export function toFindingInputs(
  cluster: string,
  findings: readonly Finding[],
  exceptions: readonly ExceptionRecord[],
  now = new Date().toISOString(),
): FindingInput[] {
  const out: FindingInput[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    const r = f.resource;
    const namespace = r.namespace ?? null;
    const container = f.container ?? null;
    let id = fingerprint(cluster, f.check, r.apiVersion, r.kind, namespace, r.name, container, f.pointer);
    if (seen.has(id)) id = fingerprint(cluster, f.check, r.apiVersion, r.kind, namespace, r.name, container, f.pointer, f.message);
    if (seen.has(id)) continue;
    seen.add(id);
    const input: FindingInput = {
      fingerprint: id,
      check: f.check,
      checkName: f.name,
      title: f.title,
      severity: f.severity,
      category: f.category,
      apiVersion: r.apiVersion,
      kind: r.kind,
      namespace,
      name: r.name,
      container,
      pointer: f.pointer,
      message: f.message,
      evidence: f.evidence ? { ...f.evidence } : null,
      frameworks: [...f.frameworks],
      fix: f.fix ? [...f.fix] : null,
      fixable: f.fixable ?? null,
      rank: f.rank ?? null,
      groupId: f.groupId ?? null,
      exceptionId: null,
    };
    const waiver = exceptions.find((e) => applies(e, cluster, input, now));
    out.push(waiver ? { ...input, exceptionId: waiver.id } : input);
  }
  return out;
}

/** Applies the current exceptions again to findings carried over from an earlier scan. */
export function rewaive(
  cluster: string,
  findings: readonly FindingInput[],
  exceptions: readonly ExceptionRecord[],
  now = new Date().toISOString(),
): FindingInput[] {
  return findings.map((f) => {
    const waiver = exceptions.find((e) => applies(e, cluster, f, now));
    const exceptionId = waiver ? waiver.id : null;
    return exceptionId === f.exceptionId ? f : { ...f, exceptionId };
  });
}
