import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { goBinary, rpmHeader, rustBinary, zipOf } from '../../../test/support/binaries.js';
import { parseApkInstalled } from './apk.js';
import { elfSection, parseCargoAuditable, parseExecutable, parseGoBinary } from './binaries.js';
import { isDpkgDb, parseDpkgStatus } from './dpkg.js';
import { claimFile } from './index.js';
import { parseJavaArchive } from './java.js';
import { isNpmPackageJson, isPythonMetadata, parseGemspec, parseNpmPackageJson, parsePythonMetadata } from './languages.js';
import { parseOsRelease } from './os-release.js';
import { parseRpmHeader, parseRpmSqlite, splitSourceRpm } from './rpm.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('os-release', () => {
  it('reads quoted and unquoted fields', () => {
    assert.deepEqual(parseOsRelease('# c\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n'), {
      id: 'debian',
      versionId: '12',
      versionCodename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    });
    assert.equal(parseOsRelease("ID='alpine'\nVERSION_ID=3.19.1")?.versionId, '3.19.1');
    assert.equal(parseOsRelease('NAME=nothing\n'), undefined);
  });
});

describe('dpkg', () => {
  it('keeps installed packages with their source package and version', () => {
    const pkgs = parseDpkgStatus(fixture('status'), 'var/lib/dpkg/status');
    assert.deepEqual(
      pkgs.map((p) => [p.name, p.version, p.source?.name, p.source?.version, p.arch]),
      [
        ['libcurl4', '7.88.1-10+deb12u5', 'curl', '7.88.1-10+deb12u5', 'amd64'],
        ['libssl3', '3.0.11-1~deb12u2', 'openssl', '3.0.11-1~deb12u2', 'amd64'],
        ['bash', '5.2.15-2+b2', 'bash', '5.2.15-2', 'amd64'],
        ['libgcc-s1', '1:12.2.0-14', 'gcc-12', '12.2.0-14', 'amd64'],
      ],
    );
  });
  it('reads distroless status.d files (no Status field) and skips md5sums', () => {
    assert.equal(isDpkgDb('var/lib/dpkg/status.d/base'), true);
    assert.equal(isDpkgDb('var/lib/dpkg/status.d/base.md5sums'), false);
    assert.equal(isDpkgDb('var/lib/dpkg/status-old'), false);
    const p = parseDpkgStatus('Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n', 'var/lib/dpkg/status.d/tzdata');
    assert.deepEqual(p[0]?.source, { name: 'tzdata', version: '2024a-0+deb12u1' });
  });
});

describe('apk', () => {
  it('reads records with origin as source', () => {
    const pkgs = parseApkInstalled(fixture('installed'), 'lib/apk/db/installed');
    assert.deepEqual(
      pkgs.map((p) => [p.name, p.version, p.source?.name, p.arch, p.licenses?.[0]]),
      [
        ['musl', '1.2.4_git20230717-r4', 'musl', 'x86_64', 'MIT'],
        ['libcrypto3', '3.1.4-r5', 'openssl', 'x86_64', 'Apache-2.0'],
        ['zlib', '1.3.1-r0', 'zlib', 'x86_64', 'Zlib'],
      ],
    );
  });
});

describe('rpm', () => {
  const header = (name: string, version: string, release: string, src: string, epoch?: number) =>
    rpmHeader({ 1000: name, 1001: version, 1002: release, 1022: 'x86_64', 1014: 'Apache-2.0', 1044: src }, epoch);

  it('parses header tags', () => {
    assert.deepEqual(parseRpmHeader(header('openssl-libs', '3.0.7', '27.el9', 'openssl-3.0.7-27.el9.src.rpm', 1)), {
      epoch: 1,
      name: 'openssl-libs',
      version: '3.0.7',
      release: '27.el9',
      arch: 'x86_64',
      license: 'Apache-2.0',
      sourceRpm: 'openssl-3.0.7-27.el9.src.rpm',
    });
    assert.deepEqual(splitSourceRpm('glibc-2.34-100.el9_4.2.src.rpm'), { name: 'glibc', version: '2.34-100.el9_4.2' });
    assert.throws(() => parseRpmHeader(Buffer.from([0, 0, 0, 9, 0, 0, 0, 9])), /do not fit/);
  });

  it('reads an rpmdb.sqlite (gpg-pubkey left out)', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    const ins = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
    ins.run(header('openssl-libs', '3.0.7', '27.el9', 'openssl-3.0.7-27.el9.src.rpm', 1));
    ins.run(header('bash', '5.1.8', '9.el9', 'bash-5.1.8-9.el9.src.rpm'));
    ins.run(rpmHeader({ 1000: 'gpg-pubkey', 1001: 'fd431d51', 1002: '4ae0493b' }));
    const file = db.serialize();
    db.close();
    const pkgs = parseRpmSqlite(file, 'var/lib/rpm/rpmdb.sqlite');
    assert.deepEqual(
      pkgs.map((p) => [p.name, p.version, p.epoch, p.source?.name, p.source?.version]),
      [
        ['openssl-libs', '3.0.7-27.el9', 1, 'openssl', '3.0.7-27.el9'],
        ['bash', '5.1.8-9.el9', undefined, 'bash', '5.1.8-9.el9'],
      ],
    );
  });
});

describe('language metadata', () => {
  it('npm: node_modules package.json only, with scopes', () => {
    assert.equal(isNpmPackageJson('app/node_modules/lodash/package.json'), true);
    assert.equal(isNpmPackageJson('app/node_modules/@babel/core/package.json'), true);
    assert.equal(isNpmPackageJson('app/package.json'), false);
    assert.equal(isNpmPackageJson('app/node_modules/lodash/fp/package.json'), false);
    assert.deepEqual(parseNpmPackageJson('{"name":"@babel/core","version":"7.24.0","license":"MIT"}', 'p')[0]?.licenses, ['MIT']);
    assert.deepEqual(parseNpmPackageJson('{"name":"x"}', 'p'), []);
    assert.deepEqual(parseNpmPackageJson('not json', 'p'), []);
  });
  it('python: dist-info METADATA and egg-info', () => {
    assert.equal(isPythonMetadata('usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA'), true);
    assert.equal(isPythonMetadata('usr/lib/python3.11/site-packages/six-1.16.0-py3.11.egg-info'), true);
    assert.equal(isPythonMetadata('usr/lib/python3.11/site-packages/x.egg-info/PKG-INFO'), true);
    const p = parsePythonMetadata('Metadata-Version: 2.1\nName: Requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\nRequests is a library. Name: fake\n', 'm');
    assert.deepEqual([p[0]?.name, p[0]?.version, p[0]?.licenses], ['Requests', '2.31.0', ['Apache 2.0']]);
  });
  it('ruby: gemspec fields', () => {
    const p = parseGemspec(
      'Gem::Specification.new do |s|\n  s.name = "rake".freeze\n  s.version = "13.0.6"\n  s.licenses = ["MIT".freeze]\nend\n',
      'x/specifications/rake-13.0.6.gemspec',
    );
    assert.deepEqual([p[0]?.name, p[0]?.version, p[0]?.licenses], ['rake', '13.0.6', ['MIT']]);
  });
});

describe('binaries', () => {
  it('Go build info: main module, deps with replacements, stdlib', () => {
    const bin = goBinary(
      'go1.21.5',
      'path\texample.com/app\nmod\texample.com/app\tv1.4.0\th1:abc=\ndep\tgolang.org/x/net\tv0.17.0\th1:x=\ndep\tgithub.com/old/lib\tv1.0.0\th1:y=\n=>\tgithub.com/new/lib\tv1.2.0\th1:z=\nbuild\t-compiler=gc\n',
    );
    assert.deepEqual(
      parseGoBinary(bin, 'usr/bin/app').map((p) => `${p.name}@${p.version}`),
      ['stdlib@v1.21.5', 'example.com/app@v1.4.0', 'golang.org/x/net@v0.17.0', 'github.com/new/lib@v1.2.0'],
    );
    assert.equal(elfSection(bin, '.go.buildinfo')?.subarray(0, 14).toString('latin1'), '\xff Go buildinf:');
  });
  it('a (devel) main module is left out', () => {
    const bin = goBinary('go1.22.0', 'path\tcmd\nmod\tcmd\t(devel)\t\n');
    assert.deepEqual(
      parseGoBinary(bin, 'b').map((p) => p.name),
      ['stdlib'],
    );
  });
  it('cargo-auditable data, build deps and local crates left out', () => {
    const bin = rustBinary([
      { name: 'myapp', version: '0.1.0', source: 'local', root: true },
      { name: 'serde', version: '1.0.190', source: 'crates.io' },
      { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' },
    ]);
    assert.deepEqual(
      parseCargoAuditable(bin, 'usr/bin/myapp').map((p) => `${p.name}@${p.version}`),
      ['serde@1.0.190'],
    );
    assert.equal(parseExecutable(bin, 'x').length, 1);
    assert.deepEqual(parseExecutable(Buffer.from('#!/bin/sh\necho hi\n'), 'x'), []);
  });
});

describe('java', () => {
  const pom = (g: string, a: string, v: string) => `#Generated by Maven\ngroupId=${g}\nartifactId=${a}\nversion=${v}\n`;
  it('pom.properties, MANIFEST.MF fallback and nested jars', () => {
    const inner = zipOf([{ name: 'META-INF/maven/org.apache.commons/commons-text/pom.properties', data: pom('org.apache.commons', 'commons-text', '1.9') }]);
    const manifestOnly = zipOf([
      {
        name: 'META-INF/MANIFEST.MF',
        data: 'Manifest-Version: 1.0\r\nBundle-SymbolicName: com.fasterxml.jackson.core.jackson-databind\r\nBundle-Version: 2.15.2\r\n\r\nName: x\r\nImplementation-Version: 9\r\n',
      },
    ]);
    const war = zipOf([
      { name: 'META-INF/maven/com.example/shop/pom.properties', data: pom('com.example', 'shop', '2.0.0') },
      { name: 'WEB-INF/lib/commons-text-1.9.jar', data: inner, store: true },
      { name: 'WEB-INF/lib/jackson-databind.jar', data: manifestOnly },
    ]);
    assert.deepEqual(
      parseJavaArchive(war, 'opt/shop.war').map((p) => `${p.name}@${p.version} ${p.path}`),
      [
        'com.example:shop@2.0.0 opt/shop.war',
        'org.apache.commons:commons-text@1.9 opt/shop.war!/WEB-INF/lib/commons-text-1.9.jar',
        'com.fasterxml.jackson.core:jackson-databind@2.15.2 opt/shop.war!/WEB-INF/lib/jackson-databind.jar',
      ],
    );
    assert.deepEqual(parseJavaArchive(Buffer.from('not a zip'), 'x.jar'), []);
  });
});

describe('claims', () => {
  it('claims only what analysers read', () => {
    assert.equal(claimFile('var/lib/dpkg/status', 0o644), 'text');
    assert.equal(claimFile('lib/apk/db/installed', 0o644), 'text');
    assert.equal(claimFile('var/lib/rpm/rpmdb.sqlite', 0o644), 'binary');
    assert.equal(claimFile('opt/app/lib/x.jar', 0o644), 'binary');
    assert.equal(claimFile('usr/bin/app', 0o755), 'executable');
    assert.equal(claimFile('usr/share/doc/README', 0o644), undefined);
  });
});

describe('ecosystems and purls', async () => {
  const { osEcosystem, purlOf, toInstalled } = await import('../purl.js');
  it('names OSV ecosystems from os-release', () => {
    assert.equal(osEcosystem({ id: 'debian', versionId: '12' }), 'Debian:12');
    assert.equal(osEcosystem({ id: 'ubuntu', versionId: '22.04', prettyName: 'Ubuntu 22.04.4 LTS' }), 'Ubuntu:22.04:LTS');
    assert.equal(osEcosystem({ id: 'ubuntu', versionId: '23.10', prettyName: 'Ubuntu 23.10' }), 'Ubuntu:23.10');
    assert.equal(osEcosystem({ id: 'alpine', versionId: '3.19.1' }), 'Alpine:v3.19');
    assert.equal(osEcosystem({ id: 'rhel', versionId: '9.3' }), 'Red Hat:9');
    assert.equal(osEcosystem({ id: 'rocky', versionId: '9.3' }), 'Rocky Linux:9');
  });
  it('builds purls per the purl spec', () => {
    const os = { id: 'debian', versionId: '12' };
    assert.equal(
      purlOf({ type: 'deb', name: 'libgcc-s1', version: '1:12.2.0-14', arch: 'amd64', source: { name: 'gcc-12', version: '12.2.0-14' }, path: '' }, os),
      'pkg:deb/debian/libgcc-s1@1:12.2.0-14?arch=amd64&distro=debian-12&upstream=gcc-12%4012.2.0-14',
    );
    assert.equal(purlOf({ type: 'npm', name: '@babel/core', version: '7.24.0', path: '' }, undefined), 'pkg:npm/%40babel/core@7.24.0');
    assert.equal(purlOf({ type: 'golang', name: 'golang.org/x/net', version: 'v0.17.0', path: '' }, undefined), 'pkg:golang/golang.org/x/net@v0.17.0');
    assert.equal(
      purlOf({ type: 'maven', name: 'org.apache.commons:commons-text', version: '1.9', path: '' }, undefined),
      'pkg:maven/org.apache.commons/commons-text@1.9',
    );
    assert.equal(purlOf({ type: 'pypi', name: 'Zope.Interface', version: '6.0', path: '' }, undefined), 'pkg:pypi/zope-interface@6.0');
    const rpm = toInstalled(
      { type: 'rpm', name: 'openssl-libs', version: '3.0.7-27.el9', epoch: 1, arch: 'x86_64', source: { name: 'openssl', version: '3.0.7-27.el9' }, path: 'p' },
      { id: 'rhel', versionId: '9.3' },
      [],
    );
    assert.equal(rpm.version, '1:3.0.7-27.el9');
    assert.equal(rpm.purl, 'pkg:rpm/rhel/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.3&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm');
    assert.equal(toInstalled({ type: 'pypi', name: 'Zope.Interface', version: '6.0', path: 'p' }, undefined, []).name, 'zope-interface');
  });
});
