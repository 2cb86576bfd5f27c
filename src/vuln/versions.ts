/**
 * One entry point for version ordering by OSV ecosystem name
 * (https://ossf.github.io/osv-schema/#affectedpackage-field): the part before the first `:`
 * picks the comparator, so `Debian:12`, `Ubuntu:22.04:LTS` and `Alpine:v3.19` work as given.
 */
import { compareApk } from './apk.js';
import { compareDpkg } from './dpkg.js';
import { compareMaven } from './maven.js';
import { comparePep440 } from './pep440.js';
import { compareRpm } from './rpm.js';
import { compareRubyGems } from './rubygems.js';
import { compareGo, compareSemver } from './semver.js';

export type Comparator = (a: string, b: string) => number;

const BY_BASE: Readonly<Record<string, Comparator>> = {
  Debian: compareDpkg,
  Ubuntu: compareDpkg,
  Alpine: compareApk,
  Wolfi: compareApk,
  Chainguard: compareApk,
  'Red Hat': compareRpm,
  Rocky: compareRpm,
  'Rocky Linux': compareRpm,
  AlmaLinux: compareRpm,
  openSUSE: compareRpm,
  SUSE: compareRpm,
  Mageia: compareRpm,
  openEuler: compareRpm,
  npm: compareSemver,
  'crates.io': compareSemver,
  Hex: compareSemver,
  Pub: compareSemver,
  SwiftURL: compareSemver,
  Go: compareGo,
  PyPI: comparePep440,
  Maven: compareMaven,
  RubyGems: compareRubyGems,
};

/** The ecosystem name without its release suffix: `Debian:12` -> `Debian`. */
export function ecosystemBase(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}

/**
 * The comparator of an OSV ecosystem, or undefined when Palisade has none for it.
 *
 * @example
 * comparatorFor('Debian:12')?.('1.0-1', '1.0-2'); // -1
 */
export function comparatorFor(ecosystem: string): Comparator | undefined {
  return BY_BASE[ecosystemBase(ecosystem)];
}

/** Ecosystems {@link compareVersions} knows, by their OSV base name. */
export const SUPPORTED_ECOSYSTEMS: readonly string[] = Object.keys(BY_BASE);

/**
 * Compares two versions by the rules of an OSV ecosystem; returns -1, 0 or 1.
 * Throws a RangeError for an ecosystem without a comparator.
 *
 * @example
 * compareVersions('Debian', '1:1.0~rc1-1', '1:1.0-1'); // -1
 * compareVersions('PyPI', '1.0.post1', '1.0'); // 1
 * compareVersions('Go', 'v0.0.0-20230101120000-abcdef123456', 'v0.1.0'); // -1
 */
export function compareVersions(ecosystem: string, a: string, b: string): -1 | 0 | 1 {
  const compare = comparatorFor(ecosystem);
  if (compare === undefined) throw new RangeError(`no version ordering for ecosystem '${ecosystem}' (known: ${SUPPORTED_ECOSYSTEMS.join(', ')})`);
  return Math.sign(compare(a, b)) as -1 | 0 | 1;
}
