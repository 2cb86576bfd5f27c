/**
 * The advisory model the matcher reads: OSV's shape (https://ossf.github.io/osv-schema/),
 * reduced to what matching needs, and the form distro feeds (Debian tracker, Alpine secdb)
 * are converted into, so one evaluator serves them all.
 */
import type { Severity } from '../core/types.js';

/** One OSV range event: exactly one key is set. */
export interface RangeEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface AffectedRange {
  /** `ECOSYSTEM` and `SEMVER` are evaluated; `GIT` needs a commit graph and is ignored. */
  readonly type: string;
  readonly events: readonly RangeEvent[];
}

/** A CVSS (or other) severity score as an advisory states it. */
export interface SeverityScore {
  /** `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, or a vendor's own (`Ubuntu`, `Debian`). */
  readonly type: string;
  readonly score: string;
}

/** The vulnerability itself, shared by every package it affects. */
export interface AdvisoryRecord {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary?: string;
  readonly published?: string;
  readonly modified?: string;
  /** RFC 3339 time the advisory was withdrawn: it no longer stands. */
  readonly withdrawn?: string;
  readonly severity: readonly SeverityScore[];
  /** A qualitative severity the source states (GHSA `database_specific.severity`, Debian urgency). */
  readonly severityLabel?: string;
  /** The feed that first described it: `osv`, `debian-tracker`, `debian-dsa`, `debian-dla`, `alpine-secdb`. */
  readonly source: string;
}

/**
 * What an advisory says about one package in one ecosystem.
 * `status: 'not-affected'` is an explicit statement (Debian `<not-affected>` or fixed version `0`,
 * Alpine secdb key `0`) that overrides any range another source gives for the same vulnerability.
 */
export interface AffectedPackage {
  readonly advisory: string;
  /** OSV ecosystem as stored, release included: `Debian:12`, `Alpine:v3.19`, `PyPI`. */
  readonly ecosystem: string;
  /** Package name as matched: Debian source package, Alpine origin, PEP 503 name for PyPI. */
  readonly name: string;
  readonly ranges: readonly AffectedRange[];
  readonly versions: readonly string[];
  readonly status?: 'not-affected';
  /** Why the source marks it so (`end-of-life`, the `<not-affected>` reason, `NAK`). */
  readonly note?: string;
  /** A severity specific to this package (Debian urgency per release). */
  readonly severityLabel?: string;
  /** The feed the entry came from (`osv`, `debian-tracker`, `debian-dsa`, `debian-dla`, `alpine-secdb`). */
  readonly source: string;
  /**
   * Precomputed by the database from the entry's record, so that matching needs the record only
   * for findings: the vulnerability the entry is about (the CVE when the record names one)...
   */
  readonly identity?: string;
  /** ...and whether the record is withdrawn. */
  readonly withdrawn?: boolean;
}

/** Normalised qualitative severity from a label such as `HIGH`, `moderate`, `unimportant`. */
export function severityFromLabel(label: string | undefined): Severity | undefined {
  switch (label?.trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
    case 'important':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    case 'low':
    case 'unimportant':
    case 'negligible':
      return 'low';
    default:
      return undefined;
  }
}
