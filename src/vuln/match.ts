/**
 * The matcher: installed packages in, advisories that concern them out, with a status each.
 * Pure: the advisories come through an {@link AdvisoryLookup} (the SQLite database of
 * `src/vulndb/`, or an in-memory one in tests). Distro packages are matched only against their
 * distro's advisories under their source package (no CPE matching: the main source of false
 * positives in peer tools), so a backported fix counts.
 */
import type { Severity } from '../core/types.js';
import type { InstalledPackage, PackageVulnerability, VulnerabilityStatus } from '../packages/packages.js';
import { type AdvisoryRecord, type AffectedPackage, type SeverityScore, severityFromLabel } from './advisory.js';
import { parseCvss, severityFromScore } from './cvss.js';
import { type LookupKey, lookupKeyOf } from './ecosystem.js';
import { evaluateAffected } from './ranges.js';
import { comparatorFor } from './versions.js';

/** A KEV catalogue entry, joined by CVE id. */
export interface KevEntry {
  readonly cve: string;
  readonly dateAdded?: string;
  readonly ransomware?: boolean;
}

/**
 * What is known about a vulnerability beyond one feed's record, keyed by its identity (its CVE
 * when it has one): severities other feeds state for it, KEV listing, EPSS probability.
 */
export interface Enrichment {
  readonly severity?: readonly SeverityScore[];
  readonly severityLabel?: string;
  readonly kev?: KevEntry;
  readonly epss?: number;
}

/** Where the matcher reads advisories: implemented by the vulnerability database. */
export interface AdvisoryLookup {
  /**
   * What advisories say about a package (ecosystem key as stored, advisory package name). Given
   * the installed `version`, a lookup may leave out entries that cannot affect it.
   */
  affected(ecosystem: string, name: string, version?: string): readonly AffectedPackage[];
  /** Optional batched form of {@link affected}: the answers in the order of the keys. */
  affectedMany?(keys: readonly LookupKey[]): readonly (readonly AffectedPackage[])[];
  /** Advisory records by id. */
  advisory(id: string): AdvisoryRecord | undefined;
  /**
   * Severity, KEV and EPSS known for vulnerability ids (a CVE, or the advisory id when it has
   * none), asked once per match for every finding: one batched query, not one per finding.
   */
  enrichment?(ids: readonly string[]): ReadonlyMap<string, Enrichment>;
}

export interface MatchOptions {
  /** Drop vulnerabilities without a published fix (`--ignore-unfixed`). */
  readonly ignoreUnfixed?: boolean;
  /** Also return `not-affected` and `withdrawn` verdicts (to explain why nothing was reported). */
  readonly includeNotAffected?: boolean;
}

/** A package the matcher could not judge, and why. */
export interface Unmatched {
  readonly purl: string;
  readonly reason: string;
}

export interface MatchResult {
  readonly vulnerabilities: readonly PackageVulnerability[];
  readonly unmatched: readonly Unmatched[];
}

interface Verdict {
  status: VulnerabilityStatus;
  fixed?: string;
  note?: string;
}

/** The identity of a vulnerability across feeds: its CVE when any id names one, else its id. */
function identityOf(record: AdvisoryRecord | undefined, fallback: string): string {
  if (record === undefined) return fallback;
  if (record.id.startsWith('CVE-')) return record.id;
  return record.aliases.find((a) => a.startsWith('CVE-')) ?? record.id;
}

function bestCvss(scores: readonly SeverityScore[]): { vector: string; score: number; version: string } | undefined {
  let best: { vector: string; score: number; version: string } | undefined;
  for (const s of scores) {
    if (!s.type.startsWith('CVSS')) continue;
    const parsed = parseCvss(s.score);
    if (parsed?.score === undefined) continue;
    // The newest CVSS version the records state wins; within one, the highest score.
    if (best === undefined || parsed.version > best.version || (parsed.version === best.version && parsed.score > best.score))
      best = { vector: parsed.vector, score: parsed.score, version: parsed.version };
  }
  return best;
}

const RANK: Readonly<Record<VulnerabilityStatus, number>> = { fixed: 3, affected: 3, 'not-affected': 1, withdrawn: 0 };

/**
 * Matches installed packages against the advisories of a lookup.
 *
 * @example
 * const { vulnerabilities } = matchPackages(inventory.packages, openVulnDb(path), { ignoreUnfixed: true });
 */
export function matchPackages(packages: readonly InstalledPackage[], lookup: AdvisoryLookup, options: MatchOptions = {}): MatchResult {
  const found: Found[] = [];
  const unmatched: Unmatched[] = [];
  const records = new Map<string, AdvisoryRecord | undefined>();
  const recordOf = (id: string): AdvisoryRecord | undefined => {
    if (!records.has(id)) records.set(id, lookup.advisory(id));
    return records.get(id);
  };
  const keys = packages.map(lookupKeyOf);
  const batched = lookup.affectedMany?.(keys);
  for (let i = 0; i < packages.length; i++) {
    const pkg = packages[i] as InstalledPackage;
    const key = keys[i] as LookupKey;
    const compare = comparatorFor(key.ecosystem);
    const entries = batched?.[i] ?? lookup.affected(key.ecosystem, key.name, key.version);
    if (compare === undefined && entries.some((e) => e.ranges.length > 0)) {
      unmatched.push({ purl: pkg.purl, reason: `no version ordering for ecosystem ${key.ecosystem}: only exact version lists were checked` });
    }
    // Feeds describe one vulnerability under several ids (DSA + CVE, PYSEC + GHSA + CVE): group them.
    // The database precomputes each entry's identity and withdrawal, so records are read only for findings.
    const groups = new Map<string, AffectedPackage[]>();
    for (const e of entries) {
      const id = e.identity ?? identityOf(recordOf(e.advisory), e.advisory);
      const g = groups.get(id);
      if (g === undefined) groups.set(id, [e]);
      else g.push(e);
    }
    const withdrawn = (e: AffectedPackage): boolean => e.withdrawn ?? recordOf(e.advisory)?.withdrawn !== undefined;
    for (const [id, g] of groups) {
      const verdict = judge(g, withdrawn, key.version, compare);
      if (verdict === undefined) continue;
      if (verdict.status === 'not-affected' || verdict.status === 'withdrawn') {
        if (!options.includeNotAffected) continue;
      } else if (options.ignoreUnfixed && verdict.status === 'affected') continue;
      const records: AdvisoryRecord[] = [];
      for (const e of g) {
        const r = recordOf(e.advisory);
        if (r !== undefined && !records.includes(r)) records.push(r);
      }
      found.push({ id, pkg, version: key.version, verdict, entries: g, records });
    }
  }
  const extra = lookup.enrichment?.([...new Set(found.map((f) => f.id))]) ?? new Map<string, Enrichment>();
  return { vulnerabilities: found.map((f) => describe(f, extra.get(f.id))), unmatched };
}

interface Found {
  readonly id: string;
  readonly pkg: InstalledPackage;
  readonly version: string;
  readonly verdict: Verdict;
  readonly entries: readonly AffectedPackage[];
  readonly records: readonly AdvisoryRecord[];
}

/** The status of one vulnerability for one version, from every entry the feeds give. */
function judge(
  entries: readonly AffectedPackage[],
  withdrawn: (e: AffectedPackage) => boolean,
  version: string,
  compare: ((a: string, b: string) => number) | undefined,
): Verdict | undefined {
  // An explicit "not affected" from the distro overrides ranges from other feeds.
  const nak = entries.find((e) => e.status === 'not-affected');
  if (nak !== undefined) return { status: 'not-affected', ...(nak.note !== undefined ? { note: nak.note } : {}) };
  const live = entries.filter((e) => !withdrawn(e));
  // A withdrawn record is worth mentioning only for a version it claimed was affected: listing
  // every withdrawn record of a package whatever its version is noise.
  if (live.length === 0) return entries.some((e) => evaluateAffected(e, version, compare).affected === true) ? { status: 'withdrawn' } : undefined;
  let verdict: Verdict | undefined;
  for (const e of live) {
    const v = evaluateAffected(e, version, compare);
    if (v.affected !== true) continue;
    const next: Verdict = v.fixed !== undefined ? { status: 'fixed', fixed: v.fixed } : { status: 'affected' };
    if (e.note !== undefined) next.note = e.note;
    if (verdict === undefined) verdict = next;
    else if (next.fixed !== undefined && compare !== undefined) {
      // Several feeds fix it: the installed version must reach the highest of their fixes.
      if (verdict.fixed === undefined || compare(next.fixed, verdict.fixed) > 0) verdict = { ...verdict, status: 'fixed', fixed: next.fixed };
    }
  }
  return verdict !== undefined && RANK[verdict.status] > 0 ? verdict : undefined;
}

function describe(found: Found, extra: Enrichment | undefined): PackageVulnerability {
  const { id, pkg, version, verdict, entries, records } = found;
  const ids = new Set<string>([id]);
  for (const r of records) {
    ids.add(r.id);
    for (const a of r.aliases) ids.add(a);
  }
  for (const e of entries) ids.add(e.advisory);
  const all = [...ids];
  const cvss = bestCvss(records.flatMap((r) => r.severity)) ?? bestCvss(extra?.severity ?? []);
  const vendor = entries.map((e) => severityFromLabel(e.severityLabel)).find((s) => s !== undefined);
  const stated = [...records.map((r) => r.severityLabel), extra?.severityLabel].map(severityFromLabel).find((s) => s !== undefined);
  let severity: Severity = 'info';
  let severitySource: PackageVulnerability['severitySource'] = 'none';
  if (vendor !== undefined) [severity, severitySource] = [vendor, 'vendor'];
  else if (cvss !== undefined) [severity, severitySource] = [severityFromScore(cvss.score), 'cvss'];
  else if (stated !== undefined) [severity, severitySource] = [stated, 'advisory'];
  const kev = extra?.kev;
  const epss = extra?.epss;
  const summary = records.map((r) => r.summary).find((s) => s !== undefined && s !== '');
  const sources = [...new Set(entries.map((e) => e.source))];
  return {
    id,
    aliases: all.filter((a) => a !== id).sort(),
    purl: pkg.purl,
    packageName: pkg.name,
    installedVersion: version,
    status: verdict.status,
    ...(verdict.fixed !== undefined ? { fixedVersion: verdict.fixed } : {}),
    severity,
    severitySource,
    ...(cvss !== undefined ? { cvss } : {}),
    ...(kev !== undefined ? { kev: true } : {}),
    ...(epss !== undefined ? { epss } : {}),
    ...(summary !== undefined ? { summary } : {}),
    sources,
    ...(verdict.note !== undefined ? { note: verdict.note } : {}),
  };
}
