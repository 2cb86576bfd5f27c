/**
 * The contract between the image analysers (`images/`: what is installed in an image) and the
 * vulnerability matcher (`vuln/`: which advisories affect it). Pure data, no behaviour, so both
 * sides can be built and tested apart and joined by `scan --images`.
 */
import type { Severity } from '../core/types.js';

/** One installed package, as the package manager (or the language's metadata) records it. */
export interface InstalledPackage {
  /**
   * OSV ecosystem name, with the release where OSV keys advisories by it: `Debian:12`,
   * `Ubuntu:22.04`, `Alpine:v3.19`, `Red Hat`, `npm`, `PyPI`, `Maven`, `Go`, `RubyGems`, `crates.io`.
   */
  readonly ecosystem: string;
  /** Binary package name (`libcurl4`), or the language package name (`lodash`, `org.apache:commons-text`). */
  readonly name: string;
  /** Installed version, exactly as recorded (`7.88.1-10+deb12u5`, `1:2.39.2-1`). */
  readonly version: string;
  /** Source package for distro packages: Debian/Ubuntu `Source:`, Alpine origin, rpm source rpm. */
  readonly source?: { readonly name: string; readonly version: string };
  /** Package URL (https://github.com/package-url/purl-spec), e.g. `pkg:deb/debian/libcurl4@7.88.1-10?arch=amd64&distro=debian-12&upstream=curl`. */
  readonly purl: string;
  /** Where the package was found: a path inside the image and the layer (diff-id) that added it. */
  readonly locations: readonly PackageLocation[];
  /** SPDX licence expressions or names as recorded, when the metadata has them. */
  readonly licenses?: readonly string[];
}

/** A place inside an image where a package's metadata was read. */
export interface PackageLocation {
  readonly path: string;
  /** Uncompressed layer digest (`sha256:...`), when known. */
  readonly layer?: string;
}

/** The distribution an image is built on, from `/etc/os-release` (or `/usr/lib/os-release`). */
export interface OsRelease {
  /** `ID=`: `debian`, `ubuntu`, `alpine`, `rhel`, ... */
  readonly id: string;
  /** `VERSION_ID=`: `12`, `22.04`, `3.19.1`. */
  readonly versionId?: string;
  readonly versionCodename?: string;
  readonly prettyName?: string;
}

/** What the image analysers found in one image. */
export interface ImageInventory {
  /** The reference as the user or the workload wrote it. */
  readonly ref: string;
  /** Manifest digest (`sha256:...`) of the image analysed, when known. */
  readonly digest?: string;
  /** `os/arch[/variant]` of the image analysed. */
  readonly platform?: string;
  /** Image creation time from its config (RFC 3339), when recorded. */
  readonly created?: string;
  readonly os?: OsRelease;
  readonly packages: readonly InstalledPackage[];
}

/** Where a vulnerability stands for one installed package. */
export type VulnerabilityStatus = 'fixed' | 'affected' | 'not-affected' | 'withdrawn';

/** One advisory matched against one installed package. */
export interface PackageVulnerability {
  /** Advisory id (`CVE-2024-1234`, `GHSA-...`, `DSA-...`). */
  readonly id: string;
  readonly aliases: readonly string[];
  /** The package URL of the affected installed package. */
  readonly purl: string;
  readonly packageName: string;
  readonly installedVersion: string;
  /** `fixed`: a fixed version exists (`fixedVersion`); `affected`: no fix published yet. */
  readonly status: VulnerabilityStatus;
  readonly fixedVersion?: string;
  readonly severity: Severity;
  /**
   * Where `severity` comes from: `vendor` (the distro's rating of this package, e.g. Debian
   * urgency), `cvss` (the base score of the advisory's vector), `advisory` (a rating the advisory
   * states without a vector, e.g. GHSA's), or `none` (no rating anywhere: `severity` is then `info`).
   */
  readonly severitySource?: 'vendor' | 'cvss' | 'advisory' | 'none';
  /** The feeds whose advisories matched: `osv`, `debian-tracker`, `debian-dsa`, `alpine-secdb`. */
  readonly sources?: readonly string[];
  /** A source's remark on the status: `end-of-life`, the reason a release is not affected. */
  readonly note?: string;
  /** CVSS vector and base score when the advisory has one. */
  readonly cvss?: { readonly vector: string; readonly score: number; readonly version: string };
  /** Listed in CISA's Known Exploited Vulnerabilities catalogue. */
  readonly kev?: boolean;
  /** EPSS probability (0..1) when the database has it. */
  readonly epss?: number;
  readonly summary?: string;
  /** Set when a VEX statement applies; the finding is then suppressed and the statement shown. */
  readonly vex?: { readonly status: string; readonly justification?: string; readonly statement?: string; readonly source: string };
}
