/**
 * TEST UTILITY: what the sample feeds of `../shared/vulndata` say about an installed package,
 * read straight from the sample files (not from Palisade's database), so that end-to-end tests
 * derive the statuses they expect from the records themselves. The rules are those
 * docs/vulnerabilities.md states: distro packages by release and source package; a distro's
 * "not affected" wins for its CVE; records of one CVE are grouped; withdrawn records report
 * `withdrawn`; the fix reported is the highest any affected record needs.
 *
 * Debian versions are ordered by the real `dpkg --compare-versions` when dpkg is installed (an
 * oracle independent of Palisade); other ecosystems use the library's comparators, which have
 * their own unit tests against each ecosystem's reference vectors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import YAML from 'yaml';
import { compareVersions } from '../../src/vuln/versions.js';

/** `../shared/vulndata` beside the repository. */
export const VULNDATA = resolve(fileURLToPath(new URL('../../../shared/vulndata', import.meta.url)));

/** Why tests on the sample data cannot run here, or undefined when they can. */
export function vulndataMissing(): string | undefined {
  return existsSync(join(VULNDATA, 'SOURCES.md')) ? undefined : `${VULNDATA} is absent: tests on the real vulnerability samples skipped`;
}

/** One expected finding: the vulnerability's identity, status and reported fix. */
export interface Expected {
  readonly id: string;
  readonly status: 'fixed' | 'affected' | 'not-affected' | 'withdrawn';
  readonly fixed?: string;
}

/** What a feed says about one vulnerability id for one package. */
interface Entry {
  readonly id: string;
  readonly withdrawn: boolean;
  readonly notAffected?: boolean;
  /** ECOSYSTEM/SEMVER ranges as event lists, and explicit versions. */
  readonly ranges: readonly { introduced?: string; fixed?: string; last_affected?: string }[][];
  readonly versions: readonly string[];
}

let dpkg: boolean | undefined;
function dpkgLess(a: string, b: string): boolean {
  if (dpkg === undefined) {
    try {
      execFileSync('dpkg', ['--version'], { stdio: 'ignore' });
      dpkg = true;
    } catch {
      dpkg = false;
    }
  }
  if (!dpkg) return compareVersions('Debian', a, b) < 0;
  try {
    execFileSync('dpkg', ['--compare-versions', a, 'lt', b], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function comparator(ecosystem: string): (a: string, b: string) => number {
  if (ecosystem.startsWith('Debian')) return (a, b) => (a === b ? 0 : dpkgLess(a, b) ? -1 : 1);
  return (a, b) => compareVersions(ecosystem, a, b);
}

/** OSV's evaluation of one range: events in version order, introduced opens, fixed/last_affected close. */
function inRange(events: readonly { introduced?: string; fixed?: string; last_affected?: string }[], v: string, cmp: (a: string, b: string) => number) {
  const key = (e: (typeof events)[number]): string => e.introduced ?? e.fixed ?? e.last_affected ?? '0';
  const sorted = [...events].sort((x, y) => (key(x) === '0' ? -1 : key(y) === '0' ? 1 : cmp(key(x), key(y))));
  let affected = false;
  let fixed: string | undefined;
  for (const e of sorted) {
    if (e.introduced !== undefined && (e.introduced === '0' || cmp(v, e.introduced) >= 0)) affected = true;
    else if (e.fixed !== undefined) {
      if (cmp(v, e.fixed) >= 0) affected = false;
      else if (affected && fixed === undefined) fixed = e.fixed;
    } else if (e.last_affected !== undefined && cmp(v, e.last_affected) > 0) affected = false;
  }
  return { affected, fixed: affected ? fixed : undefined };
}

function judge(ecosystem: string, entries: readonly Entry[], version: string): Expected[] {
  const cmp = comparator(ecosystem);
  const byId = new Map<string, Entry[]>();
  for (const e of entries) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
  const out: Expected[] = [];
  for (const [id, group] of byId) {
    if (group.some((e) => e.notAffected)) {
      out.push({ id, status: 'not-affected' });
      continue;
    }
    const verdicts = group.map((e) => {
      for (const r of e.ranges) {
        const v = inRange(r, version, cmp);
        if (v.affected) return { e, ...v };
      }
      // A listed version is affected whatever the ranges say (a fix is then whatever they name).
      return { e, affected: e.versions.includes(version), fixed: undefined as string | undefined };
    });
    const live = verdicts.filter((v) => !v.e.withdrawn);
    if (live.length === 0) {
      if (verdicts.some((v) => v.affected)) out.push({ id, status: 'withdrawn' });
      continue;
    }
    const hits = live.filter((v) => v.affected);
    if (hits.length === 0) continue;
    const fixes = hits.map((h) => h.fixed).filter((f): f is string => f !== undefined);
    const fixed = fixes.sort(cmp).at(-1);
    out.push(fixed !== undefined ? { id, status: 'fixed', fixed } : { id, status: 'affected' });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

// --- Debian DSA/DLA lists -------------------------------------------------------------------

const CODENAMES: Record<string, string> = { lenny: '5', squeeze: '6', wheezy: '7', jessie: '8', stretch: '9', buster: '10', bullseye: '11' };
let debianLines: string[] | undefined;

/** What the DSA and DLA lists say for a source package at a source version on a Debian release (`11`). */
export function expectDebian(release: string, source: string, version: string): Expected[] {
  debianLines ??= ['DSA-list.gz', 'DLA-list.gz'].flatMap((f) =>
    gunzipSync(readFileSync(join(VULNDATA, 'debian-security-tracker', f)))
      .toString('utf8')
      .split('\n'),
  );
  const codename = Object.keys(CODENAMES).find((c) => CODENAMES[c] === release);
  const entries: Entry[] = [];
  let advisory = '';
  let cves: string[] = [];
  for (const line of debianLines) {
    const h = /^\[[^\]]+\] ((?:DSA|DLA)-\S+) /.exec(line);
    if (h) {
      advisory = h[1] as string;
      cves = [];
      continue;
    }
    const c = /^\s+\{(.*)\}/.exec(line);
    if (c) {
      cves = (c[1] as string).split(/\s+/).filter(Boolean);
      continue;
    }
    const r = /^\s+\[(\w+)\] - (\S+)\s*(.*)$/.exec(line);
    if (!r || r[1] !== codename || r[2] !== source) continue;
    const what = (r[3] as string).trim();
    for (const id of cves.length > 0 ? cves : [advisory]) {
      if (what.startsWith('<not-affected>')) entries.push({ id, withdrawn: false, notAffected: true, ranges: [], versions: [] });
      else if (what.startsWith('<')) entries.push({ id, withdrawn: false, ranges: [[{ introduced: '0' }]], versions: [] });
      else entries.push({ id, withdrawn: false, ranges: [[{ introduced: '0' }, { fixed: what.split(/\s+/)[0] as string }]], versions: [] });
    }
  }
  return judge('Debian', entries, version);
}

// --- Alpine secdb --------------------------------------------------------------------------

/** What the secdb files of an Alpine branch (`v3.11`) say for an origin package at a version. */
export function expectAlpine(branch: string, origin: string, version: string): Expected[] {
  const entries: Entry[] = [];
  const dir = join(VULNDATA, 'alpine-secdb', branch);
  for (const f of readdirSync(dir)) {
    const doc = YAML.parse(readFileSync(join(dir, f), 'utf8'), { schema: 'failsafe' }) as {
      packages: { pkg: { name: string; secfixes?: Record<string, string[]> } }[];
    };
    for (const { pkg } of doc.packages) {
      if (pkg.name !== origin) continue;
      for (const [fixed, ids] of Object.entries(pkg.secfixes ?? {}))
        for (const raw of ids ?? [])
          for (const id of raw.replace(/\b(CVE|XSA)[\s_]+(\d)/gi, '$1-$2').split(/\s+/))
            if (/^[A-Za-z]+-[\w.-]+$/.test(id))
              entries.push(
                fixed === '0'
                  ? { id, withdrawn: false, notAffected: true, ranges: [], versions: [] }
                  : { id, withdrawn: false, ranges: [[{ introduced: '0' }, { fixed }]], versions: [] },
              );
    }
  }
  return judge('Alpine', entries, version);
}

// --- OSV (PyPI YAML, Go JSON) ------------------------------------------------------------------

interface OsvDoc {
  id: string;
  aliases?: string[];
  withdrawn?: string;
  affected?: { package?: { ecosystem?: string; name?: string }; ranges?: { type: string; events: Record<string, string>[] }[]; versions?: string[] }[];
}

function osvEntries(docs: readonly OsvDoc[], ecosystem: string, name: string, normalise: (n: string) => string): Entry[] {
  const entries: Entry[] = [];
  for (const d of docs) {
    const id = d.id.startsWith('CVE-') ? d.id : ((d.aliases ?? []).find((a) => a.startsWith('CVE-')) ?? d.id);
    for (const a of d.affected ?? []) {
      if (a.package?.ecosystem !== ecosystem || normalise(a.package.name ?? '') !== normalise(name)) continue;
      const ranges = (a.ranges ?? []).filter((r) => r.type !== 'GIT').map((r) => r.events);
      entries.push({ id, withdrawn: d.withdrawn !== undefined, ranges, versions: a.versions ?? [] });
    }
  }
  return entries;
}

const pep503 = (n: string): string => n.toLowerCase().replace(/[-_.]+/g, '-');

/** What the PyPI advisory database says for a distribution at a version. */
export function expectPypi(name: string, version: string): Expected[] {
  const dir = join(VULNDATA, 'osv', 'pypi-pypa-advisory-database', 'vulns', pep503(name));
  const docs = existsSync(dir) ? readdirSync(dir).map((f) => YAML.parse(readFileSync(join(dir, f), 'utf8'), { schema: 'failsafe' }) as OsvDoc) : [];
  return judge('PyPI', osvEntries(docs, 'PyPI', name, pep503), version);
}

let goDocs: OsvDoc[] | undefined;

/** What the Go vulnerability database says for a module (or `stdlib`) at a version. */
export function expectGo(module: string, version: string): Expected[] {
  const dir = join(VULNDATA, 'osv', 'go-vulndb', 'osv');
  goDocs ??= readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as OsvDoc);
  return judge(
    'Go',
    osvEntries(goDocs, 'Go', module, (n) => n),
    version,
  );
}

/** The CVE ids of the KEV catalogue. */
export function kevIds(): Set<string> {
  const doc = JSON.parse(gunzipSync(readFileSync(join(VULNDATA, 'kev', 'known_exploited_vulnerabilities.json.gz'))).toString('utf8')) as {
    vulnerabilities: { cveID: string }[];
  };
  return new Set(doc.vulnerabilities.map((v) => v.cveID));
}
