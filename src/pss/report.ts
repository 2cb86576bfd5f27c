/**
 * The `palisade pss` report: every object that carries a pod spec, evaluated against one
 * level and version, with source locations; Pure: the CLI loads the manifests,
 * `reporters/pss.ts` renders.
 */
import type { Resource, ResourceRef, SourceLocation } from '../core/types.js';
import { podSpecsOf } from '../core/workloads.js';
import { evaluatePodSecurity } from './evaluate.js';
import { effectiveMinor } from './registry.js';
import type { ControlId, PssLevel } from './types.js';
import { formatPolicyVersion, type PolicyVersion } from './version.js';

/** A file and line. */
export interface PssLocation {
  readonly file: string;
  readonly line: number;
}

/** One violation of one object, located in its source file. */
export interface PssReportViolation {
  readonly control: ControlId;
  readonly title: string;
  readonly reason: string;
  readonly pointers: readonly string[];
  readonly location?: PssLocation;
}

/** The verdict on one object. */
export interface PssObjectResult {
  readonly resource: ResourceRef;
  readonly location?: PssLocation;
  readonly allowed: boolean;
  readonly violations: readonly PssReportViolation[];
}

/** The whole report, as printed by `palisade pss -f json`. */
export interface PssReport {
  readonly level: PssLevel;
  /** As requested: `latest` or `v1.N`. */
  readonly version: string;
  /** After clamping: `v1.37`. */
  readonly effectiveVersion: string;
  readonly summary: { readonly objects: number; readonly allowed: number; readonly denied: number };
  readonly results: readonly PssObjectResult[];
}

function short(loc: SourceLocation | undefined): PssLocation | undefined {
  return loc ? { file: loc.file, line: loc.line } : undefined;
}

function locate(resource: Resource, pointer: string | undefined): PssLocation | undefined {
  if (pointer === undefined || !resource.positions) return short(resource.location);
  try {
    return short(resource.positions.locate(pointer));
  } catch {
    return short(resource.location);
  }
}

/**
 * Evaluates every pod-bearing object. Objects without a pod spec are left out.
 *
 * @example
 * const { inventory } = await loadManifests(['deploy/']);
 * const report = pssReport(inventory.all, 'restricted', { kind: 'latest' });
 * report.summary.denied; // 2
 */
export function pssReport(resources: Iterable<Resource>, level: PssLevel, version: PolicyVersion): PssReport {
  const results: PssObjectResult[] = [];
  for (const resource of resources) {
    for (const pod of podSpecsOf(resource)) {
      const r = evaluatePodSecurity(pod, { level, version });
      const location = short(resource.location);
      results.push({
        resource: resource.ref,
        ...(location ? { location } : {}),
        allowed: r.allowed,
        violations: r.violations.map((v) => {
          const at = locate(resource, v.pointers[0]);
          return { control: v.control, title: v.controlTitle, reason: v.reason, pointers: v.pointers, ...(at ? { location: at } : {}) };
        }),
      });
    }
  }
  const denied = results.filter((r) => !r.allowed).length;
  return {
    level,
    version: formatPolicyVersion(version),
    effectiveVersion: formatPolicyVersion(effectiveMinor(version)),
    summary: { objects: results.length, allowed: results.length - denied, denied },
    results,
  };
}
