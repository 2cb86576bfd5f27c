import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { parseAlpineSecdb, parseDebianList, parseDebianTrackerJson, parseEpss, parseKev, parseOsv } from './feeds.js';

describe('OSV records', () => {
  it('keeps ECOSYSTEM/SEMVER ranges and versions, drops GIT ranges, normalises PyPI names and releases', () => {
    const yaml = `
id: PYSEC-2023-221
modified: 2023-11-08T18:38:34.170214Z
aliases: [CVE-2023-46136, GHSA-hrfv-mqp8-q5rw]
details: "Werkzeug DoS\\nmore"
severity:
- type: CVSS_V3
  score: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H
affected:
- package: {name: Werkzeug_Lib, ecosystem: PyPI}
  ranges:
  - type: GIT
    events: [{introduced: "0"}, {fixed: f3c803b3}]
  - type: ECOSYSTEM
    events: [{introduced: "0"}, {fixed: 2.3.8}]
  versions: ['2.0', '2.10']
- package: {name: curl, ecosystem: "Debian:12.4"}
  ecosystem_specific: {urgency: high}
  ranges: [{type: ECOSYSTEM, events: [{introduced: "0"}, {fixed: 7.88.1-10+deb12u4}]}]
`;
    const chunk = parseOsv(parseYaml(yaml, { schema: 'failsafe' }), 'x.yaml');
    const [record] = chunk.records;
    assert.equal(record?.modified, '2023-11-08T18:38:34.170214Z', 'an unquoted YAML timestamp stays a string');
    assert.equal(record?.summary, 'Werkzeug DoS');
    assert.deepEqual(record?.aliases, ['CVE-2023-46136', 'GHSA-hrfv-mqp8-q5rw']);
    assert.deepEqual(chunk.affected[0], {
      advisory: 'PYSEC-2023-221',
      ecosystem: 'PyPI',
      name: 'werkzeug-lib',
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.3.8' }] }],
      versions: ['2.0', '2.10'],
      source: 'osv',
    });
    assert.equal(chunk.affected[1]?.ecosystem, 'Debian:12');
    assert.equal(chunk.affected[1]?.severityLabel, 'high');
  });

  it('names the file of a record without an id', () => {
    assert.throws(() => parseOsv({ affected: [] }, 'bad.json'), /bad\.json: OSV record without an id/);
  });
});

describe('Debian DSA/DLA lists', () => {
  const list = `[29 Mar 2023] DSA-5380-1 xorg-server - security update
\t{CVE-2023-1393 CVE-2023-0001}
\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6
\t[buster] - xorg-server <not-affected> (Vulnerable code not present)
\tNOTE: some remark
[17 Mar 2023] DSA-5356-2 sox - regression update
\t[bullseye] - sox 14.4.2+git20190427-2+deb11u2
\t[stretch] - sox <end-of-life>
`;
  it('makes one entry per CVE and release, with not-affected and end-of-life', () => {
    const chunk = parseDebianList(list, 'DSA/list');
    assert.deepEqual(
      chunk.records.map((r) => [r.id, r.aliases, r.summary, r.published]),
      [
        ['CVE-2023-1393', ['DSA-5380-1'], 'DSA-5380-1 xorg-server: security update', '2023-03-29'],
        ['CVE-2023-0001', ['DSA-5380-1'], 'DSA-5380-1 xorg-server: security update', '2023-03-29'],
        ['DSA-5356-2', [], 'DSA-5356-2 sox: regression update', '2023-03-17'],
      ],
    );
    const byKey = new Map(chunk.affected.map((a) => [`${a.advisory} ${a.ecosystem}`, a]));
    assert.deepEqual(byKey.get('CVE-2023-1393 Debian:11')?.ranges, [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2:1.20.11-1+deb11u6' }] }]);
    assert.equal(byKey.get('CVE-2023-1393 Debian:10')?.status, 'not-affected');
    assert.equal(byKey.get('CVE-2023-1393 Debian:10')?.note, 'not affected: Vulnerable code not present');
    assert.deepEqual(byKey.get('DSA-5356-2 Debian:9')?.ranges, [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }]);
    assert.match(byKey.get('DSA-5356-2 Debian:9')?.note ?? '', /end-of-life/);
    assert.equal(chunk.affected.length, 6);
  });

  it('names the line it cannot read', () => {
    assert.throws(() => parseDebianList('[29 Mar 2023] DSA-1-1 x - y\n\tgarbage here\n', 'DSA/list'), /DSA\/list:2: cannot read 'garbage here'/);
  });
});

describe('Debian security tracker JSON', () => {
  it('reads resolved, not-affected (fixed version 0), open and skips undetermined', () => {
    const doc = {
      curl: {
        'CVE-2023-38545': {
          description: 'SOCKS5 heap buffer overflow',
          releases: {
            bookworm: { status: 'resolved', fixed_version: '7.88.1-10+deb12u4', urgency: 'high' },
            bullseye: { status: 'resolved', fixed_version: '0', urgency: 'not yet assigned' },
            trixie: { status: 'undetermined', urgency: 'not yet assigned' },
          },
        },
        'CVE-2024-0001': { releases: { bookworm: { status: 'open', urgency: 'unimportant', nodsa: 'Minor issue' } } },
      },
    };
    const chunk = parseDebianTrackerJson(doc, 'tracker.json');
    assert.deepEqual(
      chunk.affected.map((a) => [a.advisory, a.ecosystem, a.status ?? 'range', a.severityLabel, a.note]),
      [
        ['CVE-2023-38545', 'Debian:12', 'range', 'high', undefined],
        ['CVE-2023-38545', 'Debian:11', 'not-affected', 'not yet assigned', 'not affected (fixed version 0)'],
        ['CVE-2024-0001', 'Debian:12', 'range', 'unimportant', 'no DSA planned: Minor issue'],
      ],
    );
    assert.equal(chunk.records[0]?.summary, 'SOCKS5 heap buffer overflow');
  });
});

describe('Alpine secdb', () => {
  it('reads fixed versions and NAKs, splitting and repairing ids', () => {
    const yaml = `
distroversion: v3.11
reponame: main
packages:
  - pkg:
      name: ansible
      secfixes:
        2.9.3-r0:
          - CVE-2019-14904
          - "CVE-2019-5060 TALOS-2019-0844"
        0:
          - CVE 2018-16859
`;
    const chunk = parseAlpineSecdb(parseYaml(yaml, { schema: 'failsafe' }), 'main.yaml');
    assert.deepEqual(
      chunk.affected.map((a) => [a.advisory, a.ecosystem, a.name, a.status ?? a.ranges[0]?.events[1]?.fixed]),
      [
        ['CVE-2018-16859', 'Alpine:v3.11', 'ansible', 'not-affected'],
        ['CVE-2019-14904', 'Alpine:v3.11', 'ansible', '2.9.3-r0'],
        ['CVE-2019-5060', 'Alpine:v3.11', 'ansible', '2.9.3-r0'],
        ['TALOS-2019-0844', 'Alpine:v3.11', 'ansible', '2.9.3-r0'],
      ],
    );
  });

  it('rejects a file without distroversion', () => {
    assert.throws(() => parseAlpineSecdb({ packages: [] }, 'x.json'), /x\.json: Alpine secdb file without distroversion/);
  });
});

describe('KEV and EPSS', () => {
  it('reads the KEV catalogue', () => {
    const kev = parseKev(
      {
        catalogVersion: '2025.08.25',
        dateReleased: '2025-08-25T17:04:19Z',
        vulnerabilities: [{ cveID: 'CVE-2021-44228', dateAdded: '2021-12-10', knownRansomwareCampaignUse: 'Known' }],
      },
      'kev.json',
    );
    assert.deepEqual(kev, {
      rows: [{ cve: 'CVE-2021-44228', dateAdded: '2021-12-10', ransomware: true }],
      version: '2025.08.25',
      released: '2025-08-25T17:04:19Z',
    });
  });

  it('reads EPSS CSV with its comment line, and names a bad row', () => {
    const epss = parseEpss('#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-2021-44228,0.97565,0.99996\n', 'epss.csv');
    assert.deepEqual(epss, { rows: [{ cve: 'CVE-2021-44228', score: 0.97565, percentile: 0.99996 }], date: '2024-01-01T00:00:00+0000' });
    assert.throws(() => parseEpss('cve,epss,percentile\nCVE-1,7,0.1\n', 'e.csv'), /e\.csv:2: not an EPSS row/);
  });
});
