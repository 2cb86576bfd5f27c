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
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
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
const debianLinesOf = new Map<string, string[]>();

/** What the DSA and DLA lists say for a source package at a source version on a Debian release (`11`). */
export function expectDebian(release: string, source: string, version: string, root = VULNDATA): Expected[] {
  let debianLines = debianLinesOf.get(root);
  if (debianLines === undefined) {
    debianLines = ['DSA-list.gz', 'DLA-list.gz'].flatMap((f) =>
      gunzipSync(readFileSync(join(root, 'debian-security-tracker', f)))
        .toString('utf8')
        .split('\n'),
    );
    debianLinesOf.set(root, debianLines);
  }
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
export function expectAlpine(branch: string, origin: string, version: string, root = VULNDATA): Expected[] {
  const entries: Entry[] = [];
  const dir = join(root, 'alpine-secdb', branch);
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
export function expectPypi(name: string, version: string, root = VULNDATA): Expected[] {
  const dir = join(root, 'osv', 'pypi-pypa-advisory-database', 'vulns', pep503(name));
  const docs = existsSync(dir) ? readdirSync(dir).map((f) => YAML.parse(readFileSync(join(dir, f), 'utf8'), { schema: 'failsafe' }) as OsvDoc) : [];
  return judge('PyPI', osvEntries(docs, 'PyPI', name, pep503), version);
}

const goDocsOf = new Map<string, OsvDoc[]>();

/** What the Go vulnerability database says for a module (or `stdlib`) at a version. */
export function expectGo(module: string, version: string, root = VULNDATA): Expected[] {
  const dir = join(root, 'osv', 'go-vulndb', 'osv');
  let goDocs = goDocsOf.get(root);
  if (goDocs === undefined) {
    goDocs = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as OsvDoc);
    goDocsOf.set(root, goDocs);
  }
  return judge(
    'Go',
    osvEntries(goDocs, 'Go', module, (n) => n),
    version,
  );
}

/** The CVE ids of the KEV catalogue. */
export function kevIds(root = VULNDATA): Set<string> {
  const doc = JSON.parse(gunzipSync(readFileSync(join(root, 'kev', 'known_exploited_vulnerabilities.json.gz'))).toString('utf8')) as {
    vulnerabilities: { cveID: string }[];
  };
  return new Set(doc.vulnerabilities.map((v) => v.cveID));
}

/**
 * Writes a small feed tree in the layout of `../shared/vulndata` (DSA/DLA lists, an Alpine
 * secdb file, PyPI OSV YAML, Go OSV JSON, KEV), with hand-written records for the packages the
 * end-to-end test plants, so that the whole chain also runs where the samples are absent. It
 * holds every status: fixed, affected (end-of-life), not affected, withdrawn; a KEV CVE; a
 * critical CVSS vector.
 */
export function writeMiniVulndata(root: string): void {
  const put = (rel: string, data: string | Buffer): void => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), data);
  };
  put('SOURCES.md', 'Hand-written feeds of test/support/vulndata-expect.ts.\n');
  put(
    'debian-security-tracker/DSA-list.gz',
    gzipSync(
      [
        '[25 Jan 2022] DSA-5059-1 policykit-1 - security update',
        '\t{CVE-2021-4034}',
        '\t[bullseye] - policykit-1 0.105-31+deb11u1',
        '[27 Feb 2022] DSA-5081-1 redis - security update',
        '\t{CVE-2022-0543}',
        '\t[bullseye] - redis 5:6.0.16-1+deb11u2',
        '\t[buster] - redis 5:5.0.14-1+deb10u2',
        '[12 Dec 2021] DSA-5020-1 apache-log4j2 - security update',
        '\t{CVE-2021-44228}',
        '\t[bullseye] - apache-log4j2 2.15.0-1~deb11u1',
        '[01 Jan 2021] DSA-9999-1 openssl - security update',
        '\t{CVE-2099-0001 CVE-2099-0002}',
        '\t[bullseye] - openssl 1.1.1n-0+deb11u2',
        '[01 Nov 2015] DSA-3389-1 elasticsearch - end of life',
        '\t[jessie] - elasticsearch <end-of-life>',
        '[29 Apr 2015] DSA-3241-1 elasticsearch - security update',
        '\t{CVE-2015-3337}',
        '\t[jessie] - elasticsearch 1.0.3+dfsg-5+deb8u1',
        '[12 Apr 2011] DSA-2218-1 vlc - heap-based buffer overflow',
        '\t{CVE-2011-1684}',
        '\t[lenny] - vlc <not-affected> (Vulnerable code not present)',
        '[10 Jan 2011] DSA-2153-1 vlc - several vulnerabilities',
        '\t{CVE-2010-3907}',
        '\t[lenny] - vlc 0.8.6.h-4+lenny3',
        '',
      ].join('\n'),
    ),
  );
  put('debian-security-tracker/DLA-list.gz', gzipSync('[01 Jun 2018] DLA-1393-1 wheezy-lts - end-of-life\n'));
  put(
    'alpine-secdb/v3.11/main.yaml',
    [
      'distroversion: v3.11',
      'reponame: main',
      'packages:',
      '  - pkg:',
      '      name: openssl',
      '      secfixes:',
      '        1.1.1d-r3:',
      '          - CVE-2019-1551',
      '        1.1.1d-r1:',
      '          - CVE-2019-1547',
      '  - pkg:',
      '      name: curl',
      '      secfixes:',
      '        7.66.0-r0:',
      '          - CVE-2019-5481 CVE-2019-5482',
      '        7.36.0:',
      '          - CVE 2014-0138',
      '',
    ].join('\n'),
  );
  const pysec = (pkg: string, id: string, body: string): void => put(`osv/pypi-pypa-advisory-database/vulns/${pkg}/${id}.yaml`, `id: ${id}\n${body}`);
  pysec(
    'aiohttp',
    'PYSEC-2023-120',
    [
      'aliases:',
      '- CVE-2023-37276',
      'severity:',
      '- type: CVSS_V3',
      '  score: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'affected:',
      '- package:',
      '    ecosystem: PyPI',
      '    name: aiohttp',
      '  ranges:',
      '  - type: ECOSYSTEM',
      '    events:',
      '    - introduced: "0"',
      '    - fixed: 3.8.5',
      '',
    ].join('\n'),
  );
  pysec(
    'flask-caching',
    'PYSEC-2021-13',
    [
      'aliases:',
      '- CVE-2021-33026',
      "withdrawn: '2023-07-25T12:32:00Z'",
      'affected:',
      '- package:',
      '    ecosystem: PyPI',
      '    name: flask-caching',
      '  ranges:',
      '  - type: ECOSYSTEM',
      '    events:',
      '    - introduced: 1.0.0',
      '  versions:',
      '  - 1.7.0',
      '',
    ].join('\n'),
  );
  pysec(
    'urllib3',
    'PYSEC-2023-192',
    [
      'aliases:',
      '- CVE-2023-43804',
      'affected:',
      '- package:',
      '    ecosystem: PyPI',
      '    name: urllib3',
      '  ranges:',
      '  - type: ECOSYSTEM',
      '    events:',
      '    - introduced: 2.0.0',
      '    - fixed: 2.0.6',
      '    - introduced: "0"',
      '    - fixed: 1.26.17',
      '',
    ].join('\n'),
  );
  const go = (id: string, doc: Record<string, unknown>): void => put(`osv/go-vulndb/osv/${id}.json`, JSON.stringify({ schema_version: '1.3.1', id, ...doc }));
  go('GO-2023-1878', {
    aliases: ['CVE-2023-29406'],
    affected: [
      {
        package: { name: 'stdlib', ecosystem: 'Go' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.19.11' }, { introduced: '1.20.0-0' }, { fixed: '1.20.6' }] }],
      },
    ],
  });
  go('GO-2023-2102', {
    aliases: ['CVE-2023-39325'],
    affected: [{ package: { name: 'golang.org/x/net', ecosystem: 'Go' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.17.0' }] }] }],
  });
  go('GO-2022-0617', {
    aliases: ['CVE-2020-8562'],
    withdrawn: '2024-08-21T16:25:56Z',
    affected: [{ package: { name: 'k8s.io/kubernetes', ecosystem: 'Go' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }],
  });
  put(
    'kev/known_exploited_vulnerabilities.json.gz',
    gzipSync(
      JSON.stringify({
        catalogVersion: '2026.01.01',
        vulnerabilities: [
          { cveID: 'CVE-2021-4034', dateAdded: '2022-06-27' },
          { cveID: 'CVE-2021-44228', dateAdded: '2021-12-10' },
        ],
      }),
    ),
  );
}
