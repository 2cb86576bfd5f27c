import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstalledPackage } from '../packages/packages.js';
import type { AdvisoryRecord, AffectedPackage } from './advisory.js';
import { parseOsv } from '../vulndb/feeds.js';
import { ecosystemKey, packageFromPurl } from './ecosystem.js';
import { type AdvisoryLookup, matchPackages } from './match.js';
import { parsePurl } from './purl.js';

/** An in-memory lookup with the same contract as the SQLite database. */
function memoryLookup(records: AdvisoryRecord[], affected: AffectedPackage[], kev: string[] = [], epss: Record<string, number> = {}): AdvisoryLookup {
  return {
    affected: (ecosystem, name) => affected.filter((a) => a.ecosystem === ecosystem && a.name === name),
    advisory: (id) => records.find((r) => r.id === id),
    enrichment: (ids) =>
      new Map(
        ids.map((id) => {
          const named = records.filter((r) => r.id === id || r.aliases.includes(id));
          const severityLabel = named.map((r) => r.severityLabel).find((l) => l !== undefined);
          return [
            id,
            {
              severity: named.flatMap((r) => r.severity),
              ...(severityLabel !== undefined ? { severityLabel } : {}),
              ...(kev.includes(id) ? { kev: { cve: id, ransomware: false } } : {}),
              ...(epss[id] !== undefined ? { epss: epss[id] } : {}),
            },
          ];
        }),
      ),
  };
}

const rec = (id: string, over: Partial<AdvisoryRecord> = {}): AdvisoryRecord => ({ id, aliases: [], severity: [], source: 'osv', ...over });
const fixedAt = (advisory: string, ecosystem: string, name: string, fixed: string, over: Partial<AffectedPackage> = {}): AffectedPackage => ({
  advisory,
  ecosystem,
  name,
  ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
  versions: [],
  source: 'osv',
  ...over,
});
const deb = (name: string, version: string, source: string, sourceVersion = version): InstalledPackage => ({
  ecosystem: 'Debian:12',
  name,
  version,
  source: { name: source, version: sourceVersion },
  purl: `pkg:deb/debian/${name}@${version}?distro=debian-12&upstream=${source}`,
  locations: [],
});

describe('matchPackages', () => {
  it('matches Debian binaries by source package and source version (a binNMU keeps the source version)', () => {
    const lookup = memoryLookup([rec('CVE-2023-38545')], [fixedAt('CVE-2023-38545', 'Debian:12', 'curl', '7.88.1-10+deb12u4')]);
    const { vulnerabilities } = matchPackages(
      [
        deb('libcurl4', '7.88.1-10+deb12u3', 'curl'),
        deb('curl', '7.88.1-10+deb12u4', 'curl'),
        deb('libfoo', '7.88.1-10+deb12u3+b1', 'curl', '7.88.1-10+deb12u4'),
      ],
      lookup,
    );
    assert.deepEqual(
      vulnerabilities.map((v) => [v.packageName, v.status, v.fixedVersion]),
      [['libcurl4', 'fixed', '7.88.1-10+deb12u4']],
    );
  });

  it('does not match across releases (no backport false positives from another release)', () => {
    const lookup = memoryLookup([rec('CVE-1')], [fixedAt('CVE-1', 'Debian:11', 'curl', '7.74.0-1.3+deb11u9')]);
    assert.equal(matchPackages([deb('curl', '7.0-1', 'curl')], lookup).vulnerabilities.length, 0);
  });

  it('an explicit not-affected from the distro overrides another feed’s range', () => {
    const lookup = memoryLookup(
      [rec('DEBIAN-CVE-2024-1', { aliases: ['CVE-2024-1'] }), rec('CVE-2024-1', { source: 'debian-tracker' })],
      [
        fixedAt('DEBIAN-CVE-2024-1', 'Debian:12', 'openssl', '3.0.99'),
        {
          advisory: 'CVE-2024-1',
          ecosystem: 'Debian:12',
          name: 'openssl',
          ranges: [],
          versions: [],
          status: 'not-affected',
          note: 'not affected: code not built',
          source: 'debian-tracker',
        },
      ],
    );
    const pkgs = [deb('libssl3', '3.0.11-1', 'openssl')];
    assert.equal(matchPackages(pkgs, lookup).vulnerabilities.length, 0);
    const all = matchPackages(pkgs, lookup, { includeNotAffected: true }).vulnerabilities;
    assert.deepEqual(
      all.map((v) => [v.id, v.status, v.note]),
      [['CVE-2024-1', 'not-affected', 'not affected: code not built']],
    );
  });

  it('groups one vulnerability described by several feeds and requires the highest fix', () => {
    const lookup = memoryLookup(
      [rec('CVE-2023-5'), rec('DSA-1-1'), rec('GHSA-x', { aliases: ['CVE-2023-5'] })],
      [
        fixedAt('CVE-2023-5', 'Debian:12', 'curl', '7.88.1-10+deb12u4', { source: 'debian-tracker' }),
        fixedAt('GHSA-x', 'Debian:12', 'curl', '7.88.1-10+deb12u5'),
        fixedAt('DSA-1-1', 'Debian:12', 'curl', '7.88.1-10+deb12u1', { source: 'debian-dsa' }),
      ],
    );
    const v = matchPackages([deb('curl', '7.88.1-10+deb12u3', 'curl')], lookup).vulnerabilities;
    assert.deepEqual(
      v.map((x) => [x.id, x.status, x.fixedVersion, x.aliases, x.sources]),
      [['CVE-2023-5', 'fixed', '7.88.1-10+deb12u5', ['GHSA-x'], ['debian-tracker', 'osv']]],
    );
  });

  it('reports affected without a fix, and drops it with ignoreUnfixed', () => {
    const lookup = memoryLookup(
      [rec('CVE-9', { source: 'debian-tracker' })],
      [
        {
          advisory: 'CVE-9',
          ecosystem: 'Debian:12',
          name: 'tiff',
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
          versions: [],
          source: 'debian-tracker',
          severityLabel: 'unimportant',
        },
      ],
    );
    const pkgs = [deb('libtiff6', '4.5.0-6', 'tiff')];
    const [v] = matchPackages(pkgs, lookup).vulnerabilities;
    assert.equal(v?.status, 'affected');
    assert.equal(v?.fixedVersion, undefined);
    assert.equal(v?.severity, 'low');
    assert.equal(v?.severitySource, 'vendor');
    assert.equal(matchPackages(pkgs, lookup, { ignoreUnfixed: true }).vulnerabilities.length, 0);
  });

  it('skips withdrawn advisories, and shows them only when asked', () => {
    const lookup = memoryLookup([rec('PYSEC-1', { withdrawn: '2024-01-01T00:00:00Z' })], [fixedAt('PYSEC-1', 'PyPI', 'requests', '2.0')]);
    const pkgs: InstalledPackage[] = [{ ecosystem: 'PyPI', name: 'Requests', version: '1.0', purl: 'pkg:pypi/requests@1.0', locations: [] }];
    assert.equal(matchPackages(pkgs, lookup).vulnerabilities.length, 0);
    assert.equal(matchPackages(pkgs, lookup, { includeNotAffected: true }).vulnerabilities[0]?.status, 'withdrawn');
    // A version the withdrawn record never claimed is not worth a mention.
    const fixed: InstalledPackage[] = [{ ecosystem: 'PyPI', name: 'requests', version: '2.0', purl: 'pkg:pypi/requests@2.0', locations: [] }];
    assert.deepEqual(matchPackages(fixed, lookup, { includeNotAffected: true }).vulnerabilities, []);
  });

  it('takes severity from the vendor, else CVSS (also from a related record), else the stated label', () => {
    const lookup = memoryLookup(
      [
        rec('PYSEC-2', { aliases: ['CVE-2023-46136'] }),
        rec('GHSA-hrfv', { aliases: ['CVE-2023-46136'], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }] }),
        rec('PYSEC-3', { severityLabel: 'MODERATE' }),
        rec('PYSEC-4'),
      ],
      [fixedAt('PYSEC-2', 'PyPI', 'werkzeug', '3.0.1'), fixedAt('PYSEC-3', 'PyPI', 'werkzeug', '3.0.1'), fixedAt('PYSEC-4', 'PyPI', 'werkzeug', '3.0.1')],
      ['CVE-2023-46136'],
      { 'CVE-2023-46136': 0.42 },
    );
    const v = matchPackages(
      [{ ecosystem: 'PyPI', name: 'Werkzeug', version: '3.0.0', purl: 'pkg:pypi/werkzeug@3.0.0', locations: [] }],
      lookup,
    ).vulnerabilities;
    const by = new Map(v.map((x) => [x.id, x]));
    assert.deepEqual(by.get('CVE-2023-46136')?.cvss, { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5, version: '3.1' });
    assert.equal(by.get('CVE-2023-46136')?.severity, 'high');
    assert.equal(by.get('CVE-2023-46136')?.kev, true);
    assert.equal(by.get('CVE-2023-46136')?.epss, 0.42);
    assert.deepEqual([by.get('PYSEC-3')?.severity, by.get('PYSEC-3')?.severitySource], ['medium', 'advisory']);
    assert.deepEqual([by.get('PYSEC-4')?.severity, by.get('PYSEC-4')?.severitySource], ['info', 'none']);
  });

  it('matches Alpine packages by origin and the release key of any point release', () => {
    const lookup = memoryLookup(
      [rec('CVE-2019-14904', { source: 'alpine-secdb' })],
      [fixedAt('CVE-2019-14904', 'Alpine:v3.11', 'ansible', '2.9.3-r0', { source: 'alpine-secdb' })],
    );
    const pkg: InstalledPackage = {
      ecosystem: 'Alpine:3.11.6',
      name: 'ansible-doc',
      version: '2.9.2-r0',
      source: { name: 'ansible', version: '2.9.2-r0' },
      purl: 'pkg:apk/alpine/ansible-doc@2.9.2-r0',
      locations: [],
    };
    assert.deepEqual(
      matchPackages([pkg], lookup).vulnerabilities.map((v) => [v.id, v.fixedVersion]),
      [['CVE-2019-14904', '2.9.3-r0']],
    );
  });

  it('names packages whose ecosystem has no version ordering instead of passing them silently', () => {
    const lookup = memoryLookup([rec('RSEC-1')], [fixedAt('RSEC-1', 'CRAN', 'readr', '2.0')]);
    const r = matchPackages([{ ecosystem: 'CRAN', name: 'readr', version: '1.0', purl: 'pkg:cran/readr@1.0', locations: [] }], lookup);
    assert.equal(r.vulnerabilities.length, 0);
    assert.match(r.unmatched[0]?.reason ?? '', /no version ordering for ecosystem CRAN/);
  });

  it('Red Hat: OSV records keyed by product stream CPE meet RHEL packages of that major release, by binary rpm name', () => {
    // The shape of https://security.access.redhat.com/data/osv/RHSA-*.json (fixed versions epoch:version-release).
    const rhsa = parseOsv(
      {
        id: 'RHSA-2024:0310',
        aliases: ['CVE-2023-5678'],
        affected: [
          {
            package: { ecosystem: 'Red Hat:enterprise_linux:9::baseos', name: 'openssl-libs', purl: 'pkg:rpm/redhat/openssl-libs' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-25.el9_3' }] }],
          },
          {
            package: { ecosystem: 'Red Hat:rhel_eus:9.2::baseos', name: 'openssl-libs' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-20.el9_2.1' }] }],
          },
          {
            package: { ecosystem: 'Red Hat:enterprise_linux:8::baseos', name: 'openssl-libs' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:1.1.1k-12.el8_9' }] }],
          },
          {
            package: { ecosystem: 'Red Hat:openshift:4.14::el9', name: 'openssl-libs' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:9-1' }] }],
          },
        ],
      },
      'RHSA-2024:0310.json',
    );
    assert.deepEqual(
      rhsa.affected.map((a) => a.ecosystem),
      ['Red Hat:9', 'Red Hat:9', 'Red Hat:8', 'Red Hat:openshift:4.14::el9'],
    );
    assert.equal(ecosystemKey('Red Hat:9.3'), 'Red Hat:9');
    assert.equal(ecosystemKey('AlmaLinux:9.3'), 'AlmaLinux:9');
    const lookup = memoryLookup(rhsa.records, rhsa.affected);
    const rhel = (version: string, ecosystem = 'Red Hat:9'): InstalledPackage => ({
      ecosystem,
      name: 'openssl-libs',
      version,
      source: { name: 'openssl', version },
      purl: `pkg:rpm/redhat/openssl-libs@${version}`,
      locations: [],
    });
    const [v] = matchPackages([rhel('1:3.0.7-24.el9')], lookup).vulnerabilities;
    // The RHEL 9 streams' highest fix; the RHEL 8 and OpenShift entries are not for this package.
    assert.deepEqual([v?.id, v?.status, v?.fixedVersion], ['CVE-2023-5678', 'fixed', '1:3.0.7-25.el9_3']);
    assert.equal(matchPackages([rhel('1:3.0.7-25.el9_3')], lookup).vulnerabilities.length, 0);
    assert.equal(matchPackages([rhel('1:1.1.1k-9.el8', 'Red Hat:8')], lookup).vulnerabilities[0]?.fixedVersion, '1:1.1.1k-12.el8_9');
    // From an SBOM: the purl's distro qualifier gives the release.
    const purl = 'pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rhel-9.3&epoch=1';
    const fromSbom = packageFromPurl(parsePurl(purl) as NonNullable<ReturnType<typeof parsePurl>>, purl);
    assert.deepEqual([fromSbom?.ecosystem, fromSbom?.version], ['Red Hat:9', '1:3.0.7-24.el9']);
    assert.equal(matchPackages(fromSbom ? [fromSbom] : [], lookup).vulnerabilities[0]?.id, 'CVE-2023-5678');
  });
});
