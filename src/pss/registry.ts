/**
 * The control registry, mirroring pod-security-admission's `registry.go`: for a level and
 * version it yields the active entry of every control.
 *
 * - A control uses its highest entry whose minimum version is <= the requested version;
 *   a control with no such entry is skipped (`inflateVersions`).
 * - Versions above the newest minimum version of any entry are clamped to it, so `latest`
 *   means that newest version, not the newest Kubernetes release.
 * - Restricted = Baseline minus the Baseline controls that an active Restricted entry
 *   overrides, plus the Restricted controls.
 */
import { BASELINE_CONTROLS } from './controls/baseline.js';
import { RESTRICTED_CONTROLS } from './controls/restricted.js';
import type { PssControl, VersionedCheck } from './controls/shared.js';
import type { ControlId, ControlLevel, PssLevel } from './types.js';
import { formatPolicyVersion, type PolicyVersion } from './version.js';

export type { ControlFinding, ControlFn, PssControl, VersionedCheck } from './controls/shared.js';

/** Every control: the twelve Baseline ones, then the seven Restricted ones. */
export const PSS_CONTROLS: readonly PssControl[] = validate([...BASELINE_CONTROLS, ...RESTRICTED_CONTROLS]);

/** Minor of the newest policy version with a rule of its own (37: `v1.37`). */
export const NEWEST_MINOR: number = Math.max(...PSS_CONTROLS.flatMap((c) => c.versions.map((v) => v.minimumVersion)));

/** The newest policy version, which `latest` stands for: `v1.37`. */
export const NEWEST_VERSION: string = formatPolicyVersion(NEWEST_MINOR);

// The registry is data, so its invariants are checked once at load, as PSA's NewEvaluator does.
function validate(controls: readonly PssControl[]): readonly PssControl[] {
  const ids = new Set<string>();
  for (const c of controls) {
    if (ids.has(c.id)) throw new Error(`pss registry: duplicate control ${c.id}`);
    ids.add(c.id);
    if (c.versions.length === 0) throw new Error(`pss registry: control ${c.id} has no versions`);
    c.versions.forEach((v, i) => {
      const prev = c.versions[i - 1];
      if (prev && prev.minimumVersion >= v.minimumVersion) throw new Error(`pss registry: versions of ${c.id} must be strictly increasing`);
    });
  }
  for (const c of controls) {
    for (const v of c.versions) {
      for (const o of v.overrides ?? []) {
        const target = controls.find((x) => x.id === o);
        if (c.level !== 'restricted' || target?.level !== 'baseline') throw new Error(`pss registry: ${c.id} may only override Baseline controls (got ${o})`);
      }
    }
  }
  return controls;
}

/**
 * Clamps a version to the newest registered one.
 *
 * @example
 * effectiveMinor({ kind: 'latest' }); // 37
 * effectiveMinor({ kind: 'minor', minor: 99 }); // 37
 */
export function effectiveMinor(version: PolicyVersion): number {
  return version.kind === 'latest' ? NEWEST_MINOR : Math.min(version.minor, NEWEST_MINOR);
}

/** The entry of a control in force at a (clamped) minor version, if any. */
export function entryAt(control: PssControl, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of control.versions) if (v.minimumVersion <= minor) found = v;
  return found;
}

/** A control with the entry that applies. */
export interface ActiveCheck {
  readonly control: PssControl;
  readonly entry: VersionedCheck;
}

/**
 * The checks a level applies at a version, in registry order.
 *
 * @example
 * activeChecks('restricted', 18).map((a) => a.control.id); // baseline ids, then restrictedVolumes, ...
 */
export function activeChecks(level: PssLevel, minor: number): ActiveCheck[] {
  if (level === 'privileged') return [];
  const atLevel = (l: ControlLevel): ActiveCheck[] =>
    PSS_CONTROLS.filter((c) => c.level === l).flatMap((control) => {
      const entry = entryAt(control, minor);
      return entry ? [{ control, entry }] : [];
    });
  const baseline = atLevel('baseline');
  if (level === 'baseline') return baseline;
  const restricted = atLevel('restricted');
  const overridden = new Set<ControlId>(restricted.flatMap((a) => a.entry.overrides ?? []));
  return [...baseline.filter((a) => !overridden.has(a.control.id)), ...restricted];
}

/**
 * Looks a control up by its PSA id.
 *
 * @example
 * controlById('privileged')?.title; // 'Privileged Containers'
 */
export function controlById(id: ControlId): PssControl | undefined {
  return PSS_CONTROLS.find((c) => c.id === id);
}

/** The serialisable description of a control, for docs and `--help`. */
export interface ControlInfo {
  readonly id: ControlId;
  readonly title: string;
  readonly level: ControlLevel;
  readonly framework: string;
  readonly versions: readonly { readonly version: string; readonly change: string; readonly overrides?: readonly ControlId[] }[];
}

/**
 * Lists the controls with their versions, for documentation.
 *
 * @example
 * listControls().find((c) => c.id === 'sysctls')?.versions.map((v) => v.version); // ['v1.0', 'v1.27', 'v1.29', 'v1.32', 'v1.37']
 */
export function listControls(): ControlInfo[] {
  return PSS_CONTROLS.map((c) => ({
    id: c.id,
    title: c.title,
    level: c.level,
    framework: c.framework,
    versions: c.versions.map((v) => ({
      version: formatPolicyVersion(v.minimumVersion),
      change: v.change,
      ...(v.overrides ? { overrides: v.overrides } : {}),
    })),
  }));
}
