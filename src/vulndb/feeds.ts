/**
 * Feed parsers: each turns one source file's text or parsed document into advisory records
 * and affected-package entries (`src/vuln/advisory.ts`). No I/O here, so each is tested on
 * small inline samples; `build.ts` reads the files and writes the database.
 */
import { isObject } from '../core/object.js';
import type { AdvisoryRecord, AffectedPackage, AffectedRange, RangeEvent, SeverityScore } from '../vuln/advisory.js';
import { advisoryPackageName, DEBIAN_CODENAMES, ecosystemKey } from '../vuln/ecosystem.js';

/** What one file contributes. */
export interface FeedChunk {
  readonly records: AdvisoryRecord[];
  readonly affected: AffectedPackage[];
}

/** A feed file that cannot be read as its format: the message names the file and what is wrong. */
export class FeedError extends Error {}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

function rangesOf(v: unknown): AffectedRange[] {
  if (!Array.isArray(v)) return [];
  const out: AffectedRange[] = [];
  for (const r of v) {
    if (!isObject(r) || typeof r.type !== 'string' || !Array.isArray(r.events)) continue;
    // GIT ranges name commits, not versions: useless without the repository's history.
    if (r.type === 'GIT') continue;
    const events: RangeEvent[] = [];
    for (const e of r.events) {
      if (!isObject(e)) continue;
      for (const k of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
        const val = e[k];
        if (typeof val === 'string' && val !== '') events.push({ [k]: val });
        else if (typeof val === 'number') events.push({ [k]: String(val) });
      }
    }
    if (events.length > 0) out.push({ type: r.type, events });
  }
  return out;
}

/**
 * One OSV record (JSON, or YAML read with every scalar as a string).
 * https://ossf.github.io/osv-schema/
 *
 * @example
 * parseOsv(JSON.parse(text), 'GO-2023-0001.json').affected[0]?.ecosystem; // 'Go'
 */
export function parseOsv(doc: unknown, file: string): FeedChunk {
  if (!isObject(doc)) throw new FeedError(`${file}: not an OSV record (expected an object)`);
  const id = str(doc.id);
  if (id === undefined) throw new FeedError(`${file}: OSV record without an id`);
  const severity: SeverityScore[] = [];
  if (Array.isArray(doc.severity))
    for (const s of doc.severity) if (isObject(s) && typeof s.type === 'string' && typeof s.score === 'string') severity.push({ type: s.type, score: s.score });
  const dbSpecific = isObject(doc.database_specific) ? doc.database_specific : {};
  const severityLabel = str(dbSpecific.severity);
  const summary = str(doc.summary) ?? firstLine(str(doc.details));
  const record: AdvisoryRecord = {
    id,
    aliases: strings(doc.aliases).filter((a) => a !== id),
    ...(summary !== undefined ? { summary } : {}),
    ...(str(doc.published) !== undefined ? { published: str(doc.published) as string } : {}),
    ...(str(doc.modified) !== undefined ? { modified: str(doc.modified) as string } : {}),
    ...(str(doc.withdrawn) !== undefined ? { withdrawn: str(doc.withdrawn) as string } : {}),
    severity,
    ...(severityLabel !== undefined ? { severityLabel } : {}),
    source: 'osv',
  };
  const affected: AffectedPackage[] = [];
  if (Array.isArray(doc.affected))
    for (const a of doc.affected) {
      if (!isObject(a) || !isObject(a.package)) continue;
      const eco = str(a.package.ecosystem);
      const name = str(a.package.name);
      if (eco === undefined || name === undefined) continue;
      const ecosystem = ecosystemKey(eco);
      const eSpecific = isObject(a.ecosystem_specific) ? a.ecosystem_specific : {};
      // Debian's OSV conversion carries the tracker's urgency per package.
      const label = str(eSpecific.urgency) ?? str(eSpecific.severity);
      affected.push({
        advisory: id,
        ecosystem,
        name: advisoryPackageName(ecosystem, name),
        ranges: rangesOf(a.ranges),
        versions: strings(a.versions),
        ...(label !== undefined ? { severityLabel: label } : {}),
        source: 'osv',
      });
    }
  return { records: [record], affected };
}

function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.trim().split(/\n/)[0]?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line || undefined;
}

/** `bullseye` -> `Debian:11`; undefined for names the tracker uses that are not releases. */
function debianEcosystem(codename: string): string | undefined {
  const n = DEBIAN_CODENAMES[codename.toLowerCase()];
  return n !== undefined ? ecosystemKey(`Debian:${n}`) : undefined;
}

/**
 * The security tracker's DSA or DLA list (`data/DSA/list`, `data/DLA/list`): one advisory per
 * header, its CVEs, and one line per release with the fixed source version, `<not-affected>`,
 * `<unfixed>` or `<end-of-life>`. Each CVE becomes its own entry (the DSA id as an alias), so
 * findings are per CVE and meet the same CVE from other feeds.
 *
 * @example
 * parseDebianList('[29 Mar 2023] DSA-5380-1 xorg-server - security update\n\t{CVE-2023-1393}\n\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6\n', 'DSA/list');
 */
export function parseDebianList(text: string, file: string): FeedChunk {
  const records: AdvisoryRecord[] = [];
  const affected: AffectedPackage[] = [];
  let current: { id: string; pkg: string; title: string; date: string; cves: string[] } | undefined;
  const source = /DLA/i.test(file) ? 'debian-dla' : 'debian-dsa';
  const flush = (): void => {
    if (current === undefined) return;
    const c = current;
    const ids = c.cves.length > 0 ? c.cves : [c.id];
    for (const id of ids)
      records.push({ id, aliases: id === c.id ? [] : [c.id], summary: `${c.id} ${c.pkg}: ${c.title}`, published: c.date, severity: [], source });
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '' || /^\s*NOTE:/.test(line)) continue;
    const header = /^\[(\d{1,2} \w{3} \d{4})\] ((?:DSA|DLA|DTSA)-[\w-]+) (.*)$/.exec(line);
    if (header !== null) {
      flush();
      const rest = header[3] as string;
      const dash = rest.indexOf(' - ');
      current = {
        id: header[2] as string,
        pkg: dash >= 0 ? rest.slice(0, dash) : '',
        title: dash >= 0 ? rest.slice(dash + 3) : rest,
        date: toIsoDate(header[1] as string),
        cves: [],
      };
      continue;
    }
    if (current === undefined) throw new FeedError(`${file}:${i + 1}: expected an advisory header such as '[29 Mar 2023] DSA-5380-1 pkg - title'`);
    const cves = /^\s+\{(.*)\}\s*$/.exec(line);
    if (cves !== null) {
      current.cves.push(...(cves[1] as string).split(/\s+/).filter((x) => x !== ''));
      continue;
    }
    const rel = /^\s+\[([\w-]+)\]\s+-\s+(\S+)(?:\s+(.*))?$/.exec(line);
    if (rel === null) throw new FeedError(`${file}:${i + 1}: cannot read '${line.trim()}'`);
    const ecosystem = debianEcosystem(rel[1] as string);
    if (ecosystem === undefined) continue;
    const name = rel[2] as string;
    const what = (rel[3] ?? '').trim();
    const ids = current.cves.length > 0 ? current.cves : [current.id];
    for (const id of ids) affected.push(releaseEntry(id, ecosystem, name, what, source));
  }
  flush();
  return { records, affected };
}

function releaseEntry(id: string, ecosystem: string, name: string, what: string, source: string): AffectedPackage {
  const base = { advisory: id, ecosystem, name, versions: [] as string[], source };
  if (what.startsWith('<not-affected>')) {
    const reason = /\((.*)\)/.exec(what)?.[1];
    return { ...base, ranges: [], status: 'not-affected', note: reason !== undefined ? `not affected: ${reason}` : 'not affected' };
  }
  if (what.startsWith('<unfixed>') || what.startsWith('<end-of-life>') || what === '') {
    const note = what.startsWith('<end-of-life>') ? 'end-of-life: no fix for this release' : undefined;
    return { ...base, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }], ...(note !== undefined ? { note } : {}) };
  }
  const version = what.split(/\s+/)[0] as string;
  return { ...base, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: version }] }] };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function toIsoDate(d: string): string {
  const [day, mon, year] = d.split(' ');
  const m = MONTHS.indexOf(mon as string) + 1;
  return m > 0 ? `${year}-${String(m).padStart(2, '0')}-${(day as string).padStart(2, '0')}` : d;
}

/**
 * The security tracker's JSON export (https://security-tracker.debian.org/tracker/data/json):
 * source package -> CVE -> releases -> `{status, fixed_version, urgency}`. `resolved` with
 * fixed version `0` means the release was never affected; `open` means affected without a fix;
 * `undetermined` is skipped.
 *
 * @example
 * parseDebianTrackerJson({ curl: { 'CVE-2023-38545': { description: 'SOCKS5 heap overflow', releases: { bookworm: { status: 'resolved', fixed_version: '7.88.1-10+deb12u4', urgency: 'high' } } } } }, 'tracker.json');
 */
export function parseDebianTrackerJson(doc: unknown, file: string): FeedChunk {
  if (!isObject(doc)) throw new FeedError(`${file}: not the Debian security tracker JSON (expected an object of source packages)`);
  const records = new Map<string, AdvisoryRecord>();
  const affected: AffectedPackage[] = [];
  for (const [pkg, cves] of Object.entries(doc)) {
    if (!isObject(cves)) continue;
    for (const [cve, info] of Object.entries(cves)) {
      if (!isObject(info) || !isObject(info.releases)) continue;
      if (!records.has(cve)) {
        const summary = firstLine(str(info.description));
        records.set(cve, { id: cve, aliases: [], ...(summary !== undefined ? { summary } : {}), severity: [], source: 'debian-tracker' });
      }
      for (const [codename, rel] of Object.entries(info.releases)) {
        const ecosystem = debianEcosystem(codename);
        if (ecosystem === undefined || !isObject(rel)) continue;
        const status = str(rel.status);
        const fixed = str(rel.fixed_version);
        const urgency = str(rel.urgency)?.replace(/\*+$/, '');
        const base = {
          advisory: cve,
          ecosystem,
          name: pkg,
          versions: [] as string[],
          source: 'debian-tracker',
          ...(urgency !== undefined ? { severityLabel: urgency } : {}),
        };
        if (status === 'resolved' && fixed === '0') affected.push({ ...base, ranges: [], status: 'not-affected', note: 'not affected (fixed version 0)' });
        else if (status === 'resolved' && fixed !== undefined)
          affected.push({ ...base, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] });
        else if (status === 'open') {
          const note =
            urgency === 'end-of-life'
              ? 'end-of-life: no fix for this release'
              : rel.nodsa !== undefined
                ? `no DSA planned${typeof rel.nodsa === 'string' && rel.nodsa !== '' ? `: ${rel.nodsa}` : ''}`
                : undefined;
          affected.push({ ...base, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }], ...(note !== undefined ? { note } : {}) });
        }
      }
    }
  }
  return { records: [...records.values()], affected };
}

/**
 * One Alpine secdb file (`v3.19/main.json` or the older `main.yaml`): origin package ->
 * fixed version -> ids. A version `0` means the package was never affected (NAK). Ids may be
 * two per string or misspelt (`CVE 2018-16859`): split on blanks and repair the spelling.
 *
 * @example
 * parseAlpineSecdb({ distroversion: 'v3.11', packages: [{ pkg: { name: 'ansible', secfixes: { '2.9.3-r0': ['CVE-2019-14904'] } } }] }, 'main.yaml');
 */
export function parseAlpineSecdb(doc: unknown, file: string): FeedChunk {
  if (!isObject(doc) || !Array.isArray(doc.packages)) throw new FeedError(`${file}: not an Alpine secdb file (expected distroversion and packages)`);
  const release = str(doc.distroversion);
  if (release === undefined) throw new FeedError(`${file}: Alpine secdb file without distroversion`);
  const ecosystem = ecosystemKey(`Alpine:${release}`);
  const records = new Map<string, AdvisoryRecord>();
  const affected: AffectedPackage[] = [];
  for (const p of doc.packages) {
    const pkg = isObject(p) && isObject(p.pkg) ? p.pkg : undefined;
    const name = pkg !== undefined ? str(pkg.name) : undefined;
    if (pkg === undefined || name === undefined || !isObject(pkg.secfixes)) continue;
    for (const [version, ids] of Object.entries(pkg.secfixes)) {
      for (const id of secfixIds(ids)) {
        if (!records.has(id)) records.set(id, { id, aliases: [], severity: [], source: 'alpine-secdb' });
        const base = { advisory: id, ecosystem, name, versions: [] as string[], source: 'alpine-secdb' };
        affected.push(
          version === '0'
            ? { ...base, ranges: [], status: 'not-affected', note: 'not affected (secdb NAK)' }
            : { ...base, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: version }] }] },
        );
      }
    }
  }
  return { records: [...records.values()], affected };
}

function secfixIds(v: unknown): string[] {
  const out: string[] = [];
  for (const s of strings(Array.isArray(v) ? v : [v])) {
    const repaired = s.replace(/\b(CVE|XSA)[\s_]+(\d)/gi, (_m, p: string, d: string) => `${p.toUpperCase()}-${d}`);
    for (const t of repaired.split(/\s+/)) if (/^[A-Za-z]+-[\w.-]+$/.test(t)) out.push(t);
  }
  return out;
}

/** A CISA KEV entry as stored. */
export interface KevRow {
  readonly cve: string;
  readonly dateAdded?: string;
  readonly ransomware: boolean;
}

/**
 * CISA's Known Exploited Vulnerabilities catalogue (JSON).
 *
 * @example
 * parseKev({ catalogVersion: '2025.08.25', vulnerabilities: [{ cveID: 'CVE-2021-44228', dateAdded: '2021-12-10' }] }, 'kev.json').rows.length; // 1
 */
export function parseKev(doc: unknown, file: string): { rows: KevRow[]; version?: string; released?: string } {
  if (!isObject(doc) || !Array.isArray(doc.vulnerabilities)) throw new FeedError(`${file}: not the KEV catalogue (expected a vulnerabilities array)`);
  const rows: KevRow[] = [];
  for (const v of doc.vulnerabilities) {
    if (!isObject(v)) continue;
    const cve = str(v.cveID);
    if (cve === undefined) continue;
    const dateAdded = str(v.dateAdded);
    rows.push({ cve, ...(dateAdded !== undefined ? { dateAdded } : {}), ransomware: v.knownRansomwareCampaignUse === 'Known' });
  }
  const version = str(doc.catalogVersion);
  const released = str(doc.dateReleased);
  return { rows, ...(version !== undefined ? { version } : {}), ...(released !== undefined ? { released } : {}) };
}

/** An EPSS score row. */
export interface EpssRow {
  readonly cve: string;
  readonly score: number;
  readonly percentile?: number;
}

/**
 * FIRST's daily EPSS CSV: an optional `#model_version:...,score_date:...` comment, a
 * `cve,epss,percentile` header, then one row per CVE.
 *
 * @example
 * parseEpss('#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-2021-44228,0.97,0.99\n', 'epss.csv').rows[0]?.score; // 0.97
 */
export function parseEpss(text: string, file: string): { rows: EpssRow[]; date?: string } {
  const rows: EpssRow[] = [];
  let date: string | undefined;
  let header: string[] | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      date = /score_date:([^,]+)/.exec(line)?.[1] ?? date;
      continue;
    }
    const cells = line.split(',');
    if (header === undefined) {
      header = cells.map((c) => c.trim().toLowerCase());
      if (!header.includes('cve') || !header.includes('epss')) throw new FeedError(`${file}:${i + 1}: expected an EPSS header 'cve,epss,percentile'`);
      continue;
    }
    const cve = cells[header.indexOf('cve')]?.trim();
    const score = Number(cells[header.indexOf('epss')]);
    const p = header.includes('percentile') ? Number(cells[header.indexOf('percentile')]) : Number.NaN;
    if (cve === undefined || !cve.startsWith('CVE-') || !Number.isFinite(score) || score < 0 || score > 1)
      throw new FeedError(`${file}:${i + 1}: not an EPSS row (cve, probability 0..1)`);
    rows.push({ cve, score, ...(Number.isFinite(p) ? { percentile: p } : {}) });
  }
  if (header === undefined) throw new FeedError(`${file}: empty EPSS file`);
  return { rows, ...(date !== undefined ? { date } : {}) };
}
