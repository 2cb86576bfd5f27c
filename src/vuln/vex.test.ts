import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PackageVulnerability } from '../packages/packages.js';
import { parsePurl, purlCovers } from './purl.js';
import { applyVex, parseVex } from './vex.js';

const vuln = (id: string, purl: string, aliases: string[] = []): PackageVulnerability => ({
  id,
  aliases,
  purl,
  packageName: parsePurl(purl)?.name ?? '',
  installedVersion: parsePurl(purl)?.version ?? '',
  status: 'fixed',
  fixedVersion: '9',
  severity: 'high',
});

describe('package URLs', () => {
  it('parses type, namespace, version, qualifiers and subpath', () => {
    assert.deepEqual(parsePurl('pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12&upstream=curl#x'), {
      type: 'deb',
      namespace: 'debian',
      name: 'libcurl4',
      version: '7.88.1-10+deb12u5',
      qualifiers: { arch: 'amd64', distro: 'debian-12', upstream: 'curl' },
      subpath: 'x',
    });
    assert.equal(parsePurl('pkg:npm/%40babel/core@7.0.0')?.namespace, '@babel');
    assert.equal(parsePurl('pkg:golang/golang.org/x/net@v0.1.0')?.namespace, 'golang.org/x');
    assert.equal(parsePurl('npm/lodash@1'), undefined);
  });

  it('a scope without version covers every version; qualifiers must agree', () => {
    assert.ok(purlCovers('pkg:deb/debian/curl', 'pkg:deb/debian/curl@7.88.1-10?arch=amd64'));
    assert.ok(purlCovers('pkg:deb/debian/curl@7.88.1-10', 'pkg:deb/debian/curl@7.88.1-10?arch=amd64'));
    assert.ok(!purlCovers('pkg:deb/debian/curl@7.88.1-11', 'pkg:deb/debian/curl@7.88.1-10'));
    assert.ok(!purlCovers('pkg:deb/debian/curl?arch=arm64', 'pkg:deb/debian/curl@7.88.1-10?arch=amd64'));
    assert.ok(!purlCovers('pkg:deb/ubuntu/curl', 'pkg:deb/debian/curl@1'));
    assert.ok(purlCovers('pkg:pypi/Django', 'pkg:pypi/django@4.0'));
  });
});

describe('VEX', () => {
  const openvex = {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/1',
    timestamp: '2024-01-01T00:00:00Z',
    statements: [
      {
        vulnerability: { name: 'CVE-2023-0001', aliases: ['GHSA-aaaa-bbbb-cccc'] },
        products: [{ '@id': 'pkg:oci/app@sha256:abc', subcomponents: [{ '@id': 'pkg:deb/debian/curl' }] }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impact_statement: 'curl is only used for health checks',
      },
      { vulnerability: { name: 'CVE-2023-0002' }, products: [{ '@id': 'pkg:pypi/django' }], status: 'affected', action_statement: 'upgrade' },
    ],
  };

  it('reads OpenVEX statements scoped to the subcomponents', () => {
    const s = parseVex(openvex, 'vex.json');
    assert.equal(s.length, 2);
    assert.deepEqual(s[0]?.products, ['pkg:deb/debian/curl']);
    assert.deepEqual(s[0]?.vulnerabilities, ['CVE-2023-0001', 'GHSA-aaaa-bbbb-cccc']);
    assert.equal(s[0]?.suppresses, true);
    assert.equal(s[1]?.suppresses, false);
  });

  it('suppresses only the named vulnerability in the named package, keeping the statement', () => {
    const out = applyVex(
      [
        vuln('CVE-2023-0001', 'pkg:deb/debian/curl@7.88.1-10?distro=debian-12'),
        vuln('CVE-2023-0001', 'pkg:deb/debian/wget@1.21'),
        vuln('CVE-2023-0009', 'pkg:deb/debian/curl@7.88.1-10'),
        vuln('PYSEC-1', 'pkg:deb/debian/curl@7.88.1-10', ['GHSA-aaaa-bbbb-cccc']),
        vuln('CVE-2023-0002', 'pkg:pypi/django@4.0'),
      ],
      parseVex(openvex, 'vex.json'),
    );
    assert.deepEqual(out[0]?.vex, {
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      statement: 'curl is only used for health checks',
      source: 'vex.json',
    });
    assert.equal(out[1]?.vex, undefined, 'another package');
    assert.equal(out[2]?.vex, undefined, 'another vulnerability');
    assert.equal(out[3]?.vex?.status, 'not_affected', 'matched through an alias');
    assert.equal(out[4]?.vex, undefined, 'affected does not suppress');
  });

  it('lets the latest statement win', () => {
    const later = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      statements: [
        { vulnerability: { name: 'CVE-2023-0001' }, products: [{ '@id': 'pkg:deb/debian/curl' }], status: 'affected', timestamp: '2024-06-01T00:00:00Z' },
      ],
    };
    const out = applyVex([vuln('CVE-2023-0001', 'pkg:deb/debian/curl@1')], [...parseVex(openvex, 'a.json'), ...parseVex(later, 'b.json')]);
    assert.equal(out[0]?.vex, undefined);
  });

  it('reads CycloneDX VEX, resolving bom-refs to package URLs', () => {
    const cdx = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [{ 'bom-ref': 'curl-1', type: 'library', name: 'curl', purl: 'pkg:deb/debian/curl@7.88.1-10' }],
      vulnerabilities: [
        { id: 'CVE-2023-0001', analysis: { state: 'false_positive', detail: 'not our curl' }, affects: [{ ref: 'curl-1' }] },
        { id: 'CVE-2023-0003', analysis: { state: 'in_triage' }, affects: [{ ref: 'pkg:deb/debian/curl@7.88.1-10' }] },
        { id: 'CVE-2023-0004', affects: [{ ref: 'curl-1' }] },
      ],
    };
    const s = parseVex(cdx, 'bom.vex.json');
    assert.equal(s.length, 2, 'a vulnerability without analysis is no statement');
    const out = applyVex([vuln('CVE-2023-0001', 'pkg:deb/debian/curl@7.88.1-10?arch=amd64'), vuln('CVE-2023-0003', 'pkg:deb/debian/curl@7.88.1-10')], s);
    assert.deepEqual(out[0]?.vex, { status: 'false_positive', statement: 'not our curl', source: 'bom.vex.json' });
    assert.equal(out[1]?.vex, undefined);
  });

  it('rejects documents that are not VEX, naming the file', () => {
    assert.throws(() => parseVex({ hello: 1 }, 'x.json'), /x\.json: neither an OpenVEX document/);
    assert.throws(
      () => parseVex({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ products: [] }] }, 'y.json'),
      /y\.json: statements\[0\] has no status/,
    );
  });
});
