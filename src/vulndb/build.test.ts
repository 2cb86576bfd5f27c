/**
 * Building the database: small fixtures written by the test (an OSV directory, an OSV
 * all.zip, tracker JSON, Alpine secdb, KEV, EPSS), then the real samples in ../shared/vulndata
 * with statuses checked by hand against the source files.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { InstalledPackage } from '../packages/packages.js';
import { matchPackages } from '../vuln/match.js';
import { buildVulnDb } from './build.js';
import { VulnDb } from './db.js';
import { writeFixtureFeeds } from './fixtures/feeds.js';
import { defaultDbPath } from './location.js';

const pkg = (ecosystem: string, name: string, version: string, purl: string, source?: { name: string; version: string }): InstalledPackage => ({
  ecosystem,
  name,
  version,
  purl,
  locations: [],
  ...(source !== undefined ? { source } : {}),
});

describe('buildVulnDb on fixture feeds', () => {
  let dir: string;
  let out: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-vulndb-'));
    out = join(dir, 'db', 'vuln.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds from every feed kind and matches through the database', async () => {
    const f = writeFixtureFeeds(dir);
    const summary = await buildVulnDb({
      osv: [f.osvDir, f.osvZip],
      debianTracker: [f.tracker],
      alpineSecdb: [f.alpine],
      kev: f.kev,
      epss: f.epss,
      out,
      now: new Date('2025-01-02T00:00:00Z'),
    });
    assert.equal(summary.kev, 2);
    assert.equal(summary.epss, 1);
    assert.equal(summary.skipped, 2, 'the non-record notes.yaml and the duplicate PYSEC id in the zip');
    assert.match(summary.warnings.join('\n'), /notes\.yaml: not an OSV record/);
    assert.match(summary.warnings.join('\n'), /PYSEC-2023-74 already read/);
    assert.deepEqual(readdirSync(join(dir, 'db')), ['vuln.db'], 'no temporary or journal files left');

    const db = VulnDb.open(out);
    try {
      const status = db.status(new Date('2025-01-12T00:00:00Z'));
      assert.equal(status.ageDays, 10);
      assert.equal(status.builtAt, '2025-01-02T00:00:00.000Z');
      assert.deepEqual(
        status.ecosystems.map((e) => e.ecosystem),
        ['Alpine:v3.19', 'Debian:12', 'Go', 'PyPI', 'npm'],
      );
      const result = matchPackages(
        [
          pkg('Debian:12', 'libcurl4', '7.88.1-10+deb12u3', 'pkg:deb/debian/libcurl4@7.88.1-10+deb12u3', { name: 'curl', version: '7.88.1-10+deb12u3' }),
          pkg('Debian:12', 'libtiff6', '4.5.0-6', 'pkg:deb/debian/libtiff6@4.5.0-6', { name: 'tiff', version: '4.5.0-6' }),
          pkg('Alpine:v3.19', 'libcrypto3', '3.1.4-r0', 'pkg:apk/alpine/libcrypto3@3.1.4-r0', { name: 'openssl', version: '3.1.4-r0' }),
          pkg('PyPI', 'requests', '2.28.0', 'pkg:pypi/requests@2.28.0'),
          pkg('Go', 'golang.org/x/net', 'v0.0.0-20220722155237-a158d28d115b', 'pkg:golang/golang.org/x/net@v0.0.0-20220722155237-a158d28d115b'),
          pkg('npm', 'lodash', '4.17.20', 'pkg:npm/lodash@4.17.20'),
        ],
        db,
        { includeNotAffected: true },
      );
      const got = result.vulnerabilities.map((v) => [v.id, v.packageName, v.status, v.fixedVersion ?? '-', v.severity, v.kev === true, v.epss ?? '-']).sort();
      assert.deepEqual(got, [
        ['CVE-2021-23337', 'lodash', 'fixed', '4.17.21', 'high', false, '-'],
        ['CVE-2022-1234', 'libcrypto3', 'not-affected', '-', 'info', false, '-'],
        ['CVE-2023-32681', 'requests', 'fixed', '2.31.0', 'medium', false, '-'],
        ['CVE-2023-38545', 'libcurl4', 'fixed', '7.88.1-10+deb12u4', 'high', true, 0.25],
        ['CVE-2023-38546', 'libcurl4', 'not-affected', '-', 'low', false, '-'],
        ['CVE-2023-39325', 'golang.org/x/net', 'fixed', '0.17.0', 'info', true, '-'],
        ['CVE-2023-5678', 'libcrypto3', 'fixed', '3.1.4-r1', 'info', false, '-'],
        ['CVE-2023-6277', 'libtiff6', 'affected', '-', 'low', false, '-'],
      ]);
    } finally {
      db.close();
    }
  });

  it('fails on an unreadable feed naming the file, and leaves the previous database in place', async () => {
    const bad = join(dir, 'bad-tracker.json');
    writeFileSync(bad, '{ not json');
    await assert.rejects(buildVulnDb({ osv: [], debianTracker: [bad], out }), /bad-tracker\.json: /);
    const db = VulnDb.open(out);
    assert.ok(db.status().advisories > 0);
    db.close();
    assert.deepEqual(readdirSync(join(dir, 'db')), ['vuln.db']);
  });

  it('refuses missing inputs and an empty source list as usage errors', async () => {
    await assert.rejects(
      buildVulnDb({ osv: [join(dir, 'nope')], out }),
      (e: Error & { exitCode?: number }) => /--osv .*nope: no such file/.test(e.message) && e.exitCode === 2,
    );
    await assert.rejects(buildVulnDb({ osv: [], out }), /nothing to build from/);
  });

  it('refuses a database of another schema version with a rebuild hint', () => {
    const other = join(dir, 'other.db');
    const d = new Database(other);
    d.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '999');");
    d.close();
    assert.throws(() => VulnDb.open(other), /schema 999, this palisade reads schema 2: rebuild it/);
    writeFileSync(join(dir, 'junk.db'), 'not sqlite at all, just text that is long enough to be read as a header');
    assert.throws(() => VulnDb.open(join(dir, 'junk.db')), /junk\.db: not a Palisade vulnerability database/);
    assert.throws(() => VulnDb.open(join(dir, 'absent.db')), /no vulnerability database at .*absent\.db: build one with palisade db build/);
  });

  it('defaults to the XDG data directory', () => {
    assert.equal(defaultDbPath({ XDG_DATA_HOME: '/data' }), '/data/palisade/vuln.db');
    assert.equal(defaultDbPath({ HOME: '/home/u' }), '/home/u/.local/share/palisade/vuln.db');
  });
});

const VULNDATA = fileURLToPath(new URL('../../../shared/vulndata', import.meta.url));

describe('buildVulnDb on the real samples in ../shared/vulndata', {
  skip: existsSync(VULNDATA) ? false : `${VULNDATA} is absent: sample-data test skipped`,
}, () => {
  let dir: string;
  let db: VulnDb;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-vulndata-'));
    const out = join(dir, 'vuln.db');
    const v = (p: string) => join(VULNDATA, p);
    const summary = await buildVulnDb({
      osv: [v('osv/go-vulndb/osv'), v('osv/pypi-pypa-advisory-database')],
      debianTracker: [v('debian-security-tracker/DSA-list.gz'), v('debian-security-tracker/DLA-list.gz')],
      alpineSecdb: [v('alpine-secdb')],
      kev: v('kev/known_exploited_vulnerabilities.json.gz'),
      out,
    });
    // SOURCES.md: 4,291 Go and 2,661 PyPI records, 1,404 KEV entries, 6 Alpine files.
    assert.equal(summary.kev, 1404);
    assert.equal(summary.sources.filter((s) => s.kind === 'alpine-secdb').length, 6);
    assert.deepEqual(
      summary.sources.filter((s) => s.kind === 'osv').map((s) => s.records),
      [4291, 2661],
    );
    db = VulnDb.open(out);
  });
  after(() => {
    db?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const find = (packages: InstalledPackage[], id: string, opts = {}) => matchPackages(packages, db, opts).vulnerabilities.find((v) => v.id === id);

  it('Debian DSA: xorg-server in bullseye before and at the fix of DSA-5380-1', () => {
    const at = (version: string) =>
      pkg('Debian:11', 'xserver-xorg-core', version, `pkg:deb/debian/xserver-xorg-core@${version}`, { name: 'xorg-server', version });
    const v = find([at('2:1.20.11-1+deb11u5')], 'CVE-2023-1393');
    assert.equal(v?.status, 'fixed');
    assert.equal(v?.fixedVersion, '2:1.20.11-1+deb11u6');
    assert.ok(v?.aliases.includes('DSA-5380-1'));
    assert.equal(find([at('2:1.20.11-1+deb11u6')], 'CVE-2023-1393'), undefined);
  });

  it('Debian DSA + KEV: log4j in bullseye (CVE-2021-44228) is KEV-listed; the ~deb11u1 fix orders after ~ versions', () => {
    const v = find(
      [pkg('Debian:11', 'liblog4j2-java', '2.13.3-1', 'pkg:deb/debian/liblog4j2-java@2.13.3-1', { name: 'apache-log4j2', version: '2.13.3-1' })],
      'CVE-2021-44228',
    );
    assert.equal(v?.status, 'fixed');
    assert.equal(v?.fixedVersion, '2.15.0-1~deb11u1');
    assert.equal(v?.kev, true);
  });

  it('Debian DSA <not-affected>: openoffice.org in lenny', () => {
    const p = [
      pkg('Debian:5', 'openoffice.org-core', '1:3.0.0-1', 'pkg:deb/debian/openoffice.org-core@1:3.0.0-1', { name: 'openoffice.org', version: '1:3.0.0-1' }),
    ];
    const all = matchPackages(p, db, { includeNotAffected: true }).vulnerabilities.filter((v) => v.status === 'not-affected');
    assert.ok(all.length > 0);
    assert.match(all[0]?.note ?? '', /Vulnerable code not present/);
    assert.equal(matchPackages(p, db).vulnerabilities.filter((v) => all.some((n) => n.id === v.id)).length, 0);
  });

  it('Alpine secdb: ansible (origin) in v3.11', () => {
    const v = find([pkg('Alpine:v3.11', 'ansible', '2.9.2-r0', 'pkg:apk/alpine/ansible@2.9.2-r0', { name: 'ansible', version: '2.9.2-r0' })], 'CVE-2019-14904');
    assert.equal(v?.fixedVersion, '2.9.3-r0');
    assert.deepEqual(v?.sources, ['alpine-secdb']);
  });

  it('PyPI OSV: werkzeug 3.0.0 has CVE-2023-46136 (CVSS 7.5) fixed in 3.0.1; 3.0.1 does not', () => {
    const v = find([pkg('PyPI', 'Werkzeug', '3.0.0', 'pkg:pypi/werkzeug@3.0.0')], 'CVE-2023-46136');
    assert.equal(v?.fixedVersion, '3.0.1');
    assert.equal(v?.cvss?.score, 7.5);
    assert.equal(v?.severity, 'high');
    assert.ok(v?.aliases.includes('PYSEC-2023-221'));
    assert.equal(find([pkg('PyPI', 'werkzeug', '3.0.1', 'pkg:pypi/werkzeug@3.0.1')], 'CVE-2023-46136'), undefined);
  });

  it('PyPI OSV withdrawn: redis CVE-2023-31655 is not reported', () => {
    const p = [pkg('PyPI', 'redis', '4.5.0', 'pkg:pypi/redis@4.5.0')];
    assert.equal(find(p, 'CVE-2023-31655'), undefined);
    assert.equal(find(p, 'CVE-2023-31655', { includeNotAffected: true })?.status, 'withdrawn');
  });

  it('the stored ceilings and the batched lookup change no verdict: every package at old, mid and current versions', () => {
    // The reference: one lookup per package, every entry read and judged (no ceiling, no batch).
    const plain = { affected: (e: string, n: string) => db.affected(e, n), advisory: (id: string) => db.advisory(id) };
    const raw = new Database(join(dir, 'vuln.db'), { readonly: true });
    const rows = raw.prepare('SELECT ecosystem, package, ceiling FROM packages').all() as { ecosystem: string; package: string; ceiling: string | null }[];
    raw.close();
    const low: Record<string, string> = { Debian: '0.1-1', Alpine: '0.1-r0', PyPI: '0.1', Go: 'v0.0.1' };
    const high: Record<string, string> = { Debian: '999:1.0-1', Alpine: '9999.0-r0', PyPI: '9999.0', Go: 'v9999.0.0' };
    const packages: InstalledPackage[] = [];
    for (const r of rows) {
      const base = r.ecosystem.split(':')[0] as string;
      const versions = [low[base], high[base], ...(r.ceiling !== null && r.ceiling !== '0' ? [r.ceiling] : [])].filter((v): v is string => v !== undefined);
      for (const version of versions)
        packages.push(
          pkg(
            r.ecosystem,
            r.package,
            version,
            `pkg:generic/${r.package}@${version}`,
            base === 'Debian' || base === 'Alpine' ? { name: r.package, version } : undefined,
          ),
        );
    }
    const key = (v: { id: string; purl: string; status: string; fixedVersion?: string }) => `${v.purl} ${v.id} ${v.status} ${v.fixedVersion ?? '-'}`;
    const want = matchPackages(packages, plain, { includeNotAffected: true }).vulnerabilities.map(key);
    const got = matchPackages(packages, db, { includeNotAffected: true }).vulnerabilities.map(key);
    assert.ok(want.length > 10_000, `${want.length} verdicts compared`);
    assert.deepEqual(got, want);
    assert.ok(rows.filter((r) => r.ceiling !== null).length > rows.length / 2, 'most packages have a ceiling');
  });

  it('Go vulndb: stdlib go1.20.1 and a golang.org/x/net pseudo-version', () => {
    assert.equal(find([pkg('Go', 'stdlib', 'go1.20.1', 'pkg:golang/stdlib@go1.20.1')], 'CVE-2023-24532')?.fixedVersion, '1.20.2');
    assert.equal(find([pkg('Go', 'stdlib', 'go1.20.2', 'pkg:golang/stdlib@go1.20.2')], 'CVE-2023-24532'), undefined);
    const net = (version: string) => [pkg('Go', 'golang.org/x/net', version, `pkg:golang/golang.org/x/net@${version}`)];
    assert.equal(find(net('v0.0.0-20220722155237-a158d28d115b'), 'CVE-2022-27664')?.fixedVersion, '0.0.0-20220906165146-f3363e06e74c');
    assert.equal(find(net('v0.0.0-20220906165146-f3363e06e74c'), 'CVE-2022-27664'), undefined);
  });
});
