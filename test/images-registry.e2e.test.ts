/**
 * `palisade image` and `palisade sbom` against a real registry (docker-registry on loopback),
 * with images this test builds and pushes itself; anonymous, bearer-token and basic auth, with
 * credentials from a docker config.json and from a credential helper.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI } from './support/cli.js';
import { buildImage, buildIndex, pushImage, ROOTFS, tarOf } from './support/oci-build.js';
import { bcrypt, registryMissing, startRegistry, type TestRegistry, tokenAuthorization } from './support/registry.js';

const skip = registryMissing();
if (skip) console.log(`# ${skip}`);

const tmp = mkdtempSync(join(tmpdir(), 'palisade-registry-e2e-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, DOCKER_CONFIG: join(tmp, 'no-docker'), XDG_CACHE_HOME: join(tmp, 'cache'), ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const debian = buildImage([
  tarOf([
    { path: 'usr/lib/os-release', data: ROOTFS.debianOsRelease },
    { path: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
    { path: 'var/lib/dpkg/status', data: ROOTFS.dpkgStatus },
  ]),
  tarOf([{ path: 'app/node_modules/express/package.json', data: '{"name":"express","version":"4.17.1","license":"MIT"}' }]),
]);
const alpineArm = buildImage(
  [
    tarOf([
      { path: 'etc/os-release', data: ROOTFS.alpineOsRelease },
      { path: 'lib/apk/db/installed', data: ROOTFS.apkInstalled },
    ]),
  ],
  {
    platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  },
);
// Three layers: a zstd base, a layer adding a package list and a Python package, a top layer
// deleting the Python package (whiteout) and hiding /opt/old (opaque directory).
const layered = buildImage([
  {
    tar: tarOf([
      { path: 'etc/os-release', data: ROOTFS.alpineOsRelease },
      { path: 'lib/apk/db/installed', data: ROOTFS.apkInstalled },
    ]),
    compression: 'zstd',
  },
  {
    tar: tarOf([
      { path: 'usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA', data: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n' },
      { path: 'usr/lib/python3.11/site-packages/urllib3-1.26.5.dist-info/METADATA', data: 'Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.5\n' },
      { path: 'opt/old/node_modules/minimist/package.json', data: '{"name":"minimist","version":"0.0.8"}' },
    ]),
    compression: 'gzip',
  },
  {
    tar: tarOf([
      { path: 'usr/lib/python3.11/site-packages/.wh.urllib3-1.26.5.dist-info' },
      { path: 'opt/old/.wh..wh..opq' },
      { path: 'opt/old/node_modules/minimist/package.json', data: '{"name":"minimist","version":"1.2.8"}' },
    ]),
    compression: 'gzip',
  },
]);

describe('registry: anonymous pulls', { skip }, () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry();
    await pushImage(reg.base, 'team/debian-app', '1.0', [debian]);
    await pushImage(reg.base, 'multi', '1', [debian, alpineArm], { index: buildIndex([debian, alpineArm]) });
    await pushImage(reg.base, 'layered', 'latest', [layered]);
  });
  after(() => reg?.stop());

  it('lists the OS and packages of a pushed image, with source packages and purls', async () => {
    const r = await run(['image', `${reg.host}/team/debian-app:1.0`, '-f', 'json', '--no-cache']);
    assert.equal(r.code, 0, r.stderr);
    const inv = JSON.parse(r.stdout);
    assert.equal(inv.digest, debian.manifestDigest);
    assert.equal(inv.os.id, 'debian');
    assert.deepEqual(
      inv.packages.map((p: { name: string; version: string; source?: { name: string; version: string } }) => [
        p.name,
        p.version,
        p.source?.name,
        p.source?.version,
      ]),
      [
        ['express', '4.17.1', undefined, undefined],
        ['libcurl4', '7.88.1-10+deb12u5', 'curl', '7.88.1-10+deb12u5'],
        ['libssl3', '3.0.11-1~deb12u2', 'openssl', '3.0.11-1~deb12u2'],
        ['bash', '5.2.15-2+b2', 'bash', '5.2.15-2'],
        ['tzdata', '2024a-0+deb12u1', 'tzdata', '2024a-0+deb12u1'],
      ],
    );
    assert.equal(inv.packages[3].purl, 'pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2');
    assert.equal(inv.packages[0].locations[0].layer, debian.diffIds[1]);
  });

  it('pulls by digest, and picks a platform from an index', async () => {
    const byDigest = await run(['image', `${reg.host}/team/debian-app@${debian.manifestDigest}`, '-f', 'json', '--no-cache']);
    assert.equal(byDigest.code, 0, byDigest.stderr);
    assert.equal(JSON.parse(byDigest.stdout).packages.length, 5);
    const arm = await run(['image', `${reg.host}/multi:1`, '--platform', 'linux/arm64', '-f', 'json', '--no-cache']);
    assert.equal(arm.code, 0, arm.stderr);
    const inv = JSON.parse(arm.stdout);
    assert.equal(inv.platform, 'linux/arm64/v8');
    assert.deepEqual(
      inv.packages.map((p: { ecosystem: string; name: string; source: { name: string } }) => `${p.ecosystem} ${p.name} (${p.source.name})`),
      ['Alpine:v3.19 musl (musl)', 'Alpine:v3.19 libcrypto3 (openssl)', 'Alpine:v3.19 busybox-binsh (busybox)'],
    );
    const none = await run(['image', `${reg.host}/multi:1`, '--platform', 'windows/amd64', '--no-cache']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no image for platform windows\/amd64 \(available: linux\/amd64, linux\/arm64\/v8\)/);
  });

  it('applies whiteouts and opaque directories across zstd and gzip layers', async () => {
    const r = await run(['image', `${reg.host}/layered`, '-f', 'json', '--no-cache']);
    assert.equal(r.code, 0, r.stderr);
    const names = JSON.parse(r.stdout).packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`);
    assert.deepEqual(names, ['musl@1.2.4_git20230717-r4', 'libcrypto3@3.1.4-r5', 'busybox-binsh@1.36.1-r15', 'minimist@1.2.8', 'requests@2.31.0']);
  });

  it('writes CycloneDX and SPDX SBOMs of a registry image', async () => {
    const cdx = await run(['sbom', `${reg.host}/team/debian-app:1.0`, '--no-cache']);
    assert.equal(cdx.code, 0, cdx.stderr);
    const bom = JSON.parse(cdx.stdout);
    assert.equal(bom.bomFormat, 'CycloneDX');
    assert.equal(bom.metadata.component.version, debian.manifestDigest);
    const curl = bom.components.find((c: { name: string }) => c.name === 'libcurl4');
    assert.equal(curl.purl, 'pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12&upstream=curl');
    const out = join(tmp, 'app.spdx.json');
    const spdx = await run(['sbom', `${reg.host}/team/debian-app:1.0`, '-f', 'spdx', '-o', out, '--no-cache']);
    assert.equal(spdx.code, 0, spdx.stderr);
  });

  it('a missing repository or tag is a usage error; an unreachable registry a runtime error', async () => {
    const missing = await run(['image', `${reg.host}/team/debian-app:9.9`, '--no-cache']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /team\/debian-app:9\.9 not found/);
    const down = await run(['image', '127.0.0.1:1/x:1', '--no-cache']);
    assert.equal(down.code, 3);
    assert.match(down.stderr, /cannot reach/);
  });

  it('scan --images attaches image findings to the workloads at the image line', async () => {
    const dir = join(tmp, 'manifests');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'app.yaml'),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: prod}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n        - name: api\n          image: ${reg.host}/team/debian-app:1.0\n        - name: sidecar\n          image: ${reg.host}/team/debian-app@${debian.manifestDigest}\n        - name: gone\n          image: ${reg.host}/team/nothing:1\n`,
    );
    const r = await run(['scan', dir, '--images', '--image-max-age', '30', '--no-image-cache', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const image = report.findings
      .filter((f: { check: string }) => f.check.startsWith('PAL-10'))
      .map((f: { name: string; container: string; status: string; location: { line: number } }) => [f.name, f.container, f.status, f.location.line]);
    assert.deepEqual(
      image.sort((a: string[], b: string[]) => String(a[1]).localeCompare(String(b[1]))),
      [
        ['image-stale', 'api', 'fail', 11],
        ['image-not-scanned', 'gone', 'error', 15],
        ['image-stale', 'sidecar', 'fail', 13],
      ],
    );
    const gated = await run(['scan', dir, '--images', '--no-image-cache', '--fail-on', 'critical', '-f', 'json']);
    assert.equal(gated.code, 1, 'an image that could not be scanned makes the gated scan incomplete');
    const sarif = await run(['scan', dir, '--images', '--image-max-age', '30', '--no-image-cache', '-f', 'sarif']);
    assert.ok(JSON.parse(sarif.stdout).runs[0].tool.driver.rules.some((rule: { id: string }) => rule.id === 'PAL-1001'));
    // Catalogue checks: a configuration severity override and parameter, and --exclude, name them.
    writeFileSync(join(tmp, 'images.palisade.yaml'), 'checks:\n  image-stale:\n    severity: high\n    params: {maxAgeDays: 30}\n');
    const configured = await run(
      ['scan', dir, '--images', '--no-image-cache', '-c', join(tmp, 'images.palisade.yaml'), '--exclude', 'image-not-scanned', '-f', 'json'],
      { XDG_DATA_HOME: join(tmp, 'no-data') },
    );
    assert.equal(configured.code, 0, configured.stderr);
    const cr = JSON.parse(configured.stdout);
    assert.deepEqual(
      cr.findings.filter((f: { check: string }) => f.check.startsWith('PAL-10')).map((f: { check: string; severity: string }) => `${f.check} ${f.severity}`),
      ['PAL-1001 high', 'PAL-1001 high'],
    );
    // Without a vulnerability database PAL-1002/1003 are skipped, never passed; listed with the reason.
    assert.deepEqual(
      cr.skippedChecks.map((k: { id: string; reason: string }) => `${k.id}: ${k.reason}`),
      ['PAL-1002: run with --images and a vulnerability database', 'PAL-1003: run with --images and a vulnerability database'],
    );
    assert.match(configured.stderr, /no vulnerability database at .*no-data.*PAL-1002 and PAL-1003 are not evaluated/);
    // A database named with --vuln-db must open: a missing one is an error, not a skip.
    const badDb = await run(['scan', dir, '--images', '--no-image-cache', '--vuln-db', join(tmp, 'missing.db')]);
    assert.equal(badDb.code, 2, badDb.stderr);
    assert.match(badDb.stderr, /no vulnerability database at .*missing\.db/);
    // With a database (built by palisade db build), PAL-1002/1003 run on the matched vulnerabilities.
    const feeds = join(tmp, 'feeds');
    mkdirSync(join(feeds, 'osv'), { recursive: true });
    writeFileSync(
      join(feeds, 'osv', 'CVE-2099-0001.json'),
      JSON.stringify({
        schema_version: '1.6.0',
        id: 'CVE-2099-0001',
        modified: '2026-01-01T00:00:00Z',
        summary: 'test advisory',
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
        affected: [
          { package: { ecosystem: 'Debian:12', name: 'curl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.88.1-10+deb12u6' }] }] },
        ],
      }),
    );
    writeFileSync(join(feeds, 'kev.json'), JSON.stringify({ vulnerabilities: [{ cveID: 'CVE-2099-0001', dateAdded: '2026-01-01' }] }));
    const built = await run(['db', 'build', '--osv', join(feeds, 'osv'), '--kev', join(feeds, 'kev.json'), '--out', join(feeds, 'v.db')]);
    assert.equal(built.code, 0, built.stderr);
    const withDb = await run(['scan', dir, '--images', '--no-image-cache', '--vuln-db', join(feeds, 'v.db'), '--include', 'PAL-1002,PAL-1003', '-f', 'json']);
    assert.equal(withDb.code, 0, withDb.stderr);
    const vr = JSON.parse(withDb.stdout);
    assert.equal(vr.skippedChecks, undefined);
    assert.deepEqual(vr.findings.map((f: { check: string; container: string; severity: string }) => `${f.check} ${f.container} ${f.severity}`).sort(), [
      'PAL-1002 api critical',
      'PAL-1002 sidecar critical',
      'PAL-1003 api critical',
      'PAL-1003 sidecar critical',
    ]);
    // Without --images the image checks do not run, and a selection of them alone is a usage error.
    const plain = await run(['scan', dir, '-f', 'json']);
    assert.ok(!JSON.parse(plain.stdout).checks.some((c: { id: string }) => c.id.startsWith('PAL-10')));
    const only = await run(['scan', dir, '--include', 'image-stale']);
    assert.equal(only.code, 2);
    assert.match(only.stderr, /PAL-1001 image-stale: run with --images/);
  });

  it('the second scan of an image comes from the layer cache', async () => {
    const cacheHome = join(tmp, 'cache-warm');
    const first = await run(['image', `${reg.host}/team/debian-app:1.0`, '-f', 'json'], { XDG_CACHE_HOME: cacheHome });
    const second = await run(['image', `${reg.host}/team/debian-app:1.0`, '-f', 'json'], { XDG_CACHE_HOME: cacheHome });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout), JSON.parse(first.stdout));
  });
});

describe('registry: bearer token auth with docker config credentials', { skip }, () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry({ kind: 'token', user: 'alice', password: 's3cret' });
    await pushImage(reg.base, 'private/app', '2.0', [debian], { authorization: tokenAuthorization(reg.tokenUrl as string, 'private/app', 'alice', 's3cret') });
  });
  after(() => reg?.stop());

  const dockerConfig = (user: string, password: string) => {
    const dir = join(tmp, `docker-${user}-${password}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } }));
    return dir;
  };

  it('pulls with the credentials of config.json, asking the token service for pull only', async () => {
    const r = await run(['image', `${reg.host}/private/app:2.0`, '-f', 'json', '--no-cache'], { DOCKER_CONFIG: dockerConfig('alice', 's3cret') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).packages.length, 5);
    const log = await reg.tokenLog();
    assert.ok(log.some((l) => l.user === 'alice' && l.scope === 'repository:private/app:pull' && l.status === 200));
  });

  it('wrong or missing credentials fail with exit 3 and no secret in the message', async () => {
    const wrong = await run(['image', `${reg.host}/private/app:2.0`, '--no-cache'], { DOCKER_CONFIG: dockerConfig('alice', 'nope') });
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /token service refused the credentials/);
    assert.doesNotMatch(wrong.stderr, /nope/);
    const anonymous = await run(['image', `${reg.host}/private/app:2.0`, '--no-cache']);
    assert.equal(anonymous.code, 3);
  });
});

describe('registry: basic auth (htpasswd) with a credential helper', { skip }, () => {
  const hash = skip ? undefined : bcrypt('hunter2');
  let reg: TestRegistry;
  before(async () => {
    if (!hash) return;
    reg = await startRegistry({ kind: 'htpasswd', user: 'bob', hash });
    const basic = `Basic ${Buffer.from('bob:hunter2').toString('base64')}`;
    await pushImage(reg.base, 'secure/app', '1', [debian], { authorization: async () => basic });
  });
  after(() => reg?.stop());

  it('runs docker-credential-<helper> named by credHelpers', { skip: hash ? false : 'python3 crypt (bcrypt for htpasswd) unavailable' }, async () => {
    const bin = join(tmp, 'bin');
    mkdirSync(bin, { recursive: true });
    const helper = join(bin, 'docker-credential-palisadetest');
    // The helper reads the server URL on stdin, as docker does, and answers for that host only.
    writeFileSync(
      helper,
      `#!${process.execPath}\nlet s='';process.stdin.on('data',c=>s+=c).on('end',()=>{if(s.trim()!=='${reg.host}'){console.log('credentials not found in native keychain');process.exit(1)}console.log(JSON.stringify({ServerURL:s.trim(),Username:'bob',Secret:'hunter2'}))});\n`,
    );
    chmodSync(helper, 0o755);
    const dir = join(tmp, 'docker-helper');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credHelpers: { [reg.host]: 'palisadetest' } }));
    const r = await run(['image', `${reg.host}/secure/app:1`, '-f', 'json', '--no-cache'], { DOCKER_CONFIG: dir, PATH: `${bin}:${process.env.PATH}` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).os.id, 'debian');
    const none = await run(['image', `${reg.host}/secure/app:1`, '--no-cache']);
    assert.equal(none.code, 3);
    assert.match(none.stderr, /requires credentials/);
  });
});
