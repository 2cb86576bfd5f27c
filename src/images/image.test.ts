import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { goBinary, rpmHeader } from '../../test/support/binaries.js';
import { buildImage, buildIndex, dockerSaveOf, ociArchiveOf, ROOTFS, tarOf, writeOciLayout, zstdRaw } from '../../test/support/oci-build.js';
import { LayerCache } from './cache.js';
import { scanImage } from './image.js';
import { analyzeLayer, zstdWindowSize } from './layer.js';
import { normalizeTarPath, TarParser } from './tar.js';

const tmp = mkdtempSync(join(tmpdir(), 'palisade-images-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function* chunks(b: Buffer, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

const debianBase = () =>
  tarOf([
    { path: 'etc/', type: 'dir' },
    { path: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
    { path: 'usr/lib/os-release', data: ROOTFS.debianOsRelease },
    { path: 'var/lib/dpkg/status', data: ROOTFS.dpkgStatus },
  ]);

describe('tar reader', () => {
  it('normalises paths so nothing escapes the root', () => {
    assert.equal(normalizeTarPath('./a/./b/'), 'a/b');
    assert.equal(normalizeTarPath('../../etc/passwd'), 'etc/passwd');
    assert.equal(normalizeTarPath('/a/b/../../../c'), 'c');
  });
  it('reads long pax paths and contents across chunk boundaries', () => {
    const long = `${'d/'.repeat(80)}node_modules/x/package.json`;
    const seen: string[] = [];
    let content = '';
    const p = new TarParser((e) => {
      seen.push(`${e.type}:${e.path}`);
      return e.path === long ? { write: (c) => (content += Buffer.from(c).toString()), end: () => {} } : undefined;
    });
    const tar = tarOf([
      { path: '../evil', data: 'x' },
      { path: long, data: '{"a":1}' },
      { path: 'l', type: 'symlink', linkname: '/etc/shadow' },
    ]);
    for (let i = 0; i < tar.length; i += 7) p.write(tar.subarray(i, i + 7));
    p.end();
    assert.deepEqual(seen, ['file:evil', `file:${long}`, 'symlink:l']);
    assert.equal(content, '{"a":1}');
  });
  it('rejects corrupt and truncated input with a clear error', () => {
    const p = new TarParser(() => undefined);
    assert.throws(() => p.write(Buffer.alloc(512, 1)), /checksum/);
    const q = new TarParser(() => undefined);
    q.write(tarOf([{ path: 'f', data: 'x'.repeat(2000) }]).subarray(0, 1024));
    assert.throws(() => q.end(), /truncated/);
  });
});

describe('layers', () => {
  it('gzip, zstd and plain layers give the same result; the diff-id is checked', async () => {
    const tar = debianBase();
    const plain = await analyzeLayer(chunks(tar));
    const gz = await analyzeLayer(chunks(gzipSync(tar)));
    const zst = await analyzeLayer(chunks(zstdRaw(tar)));
    assert.deepEqual(gz, plain);
    assert.deepEqual(zst, plain);
    assert.equal(plain.files['var/lib/dpkg/status']?.packages?.length, 4);
    await assert.rejects(analyzeLayer(chunks(tar), { expectedDiffId: `sha256:${'0'.repeat(64)}` }), /does not match the config's diff-id/);
  });
  it('stops a decompression bomb at the layer cap and skips oversized files', async () => {
    const bomb = gzipSync(tarOf([{ path: 'zeros', data: Buffer.alloc(4 << 20) }]));
    assert.ok(bomb.length < 64 << 10);
    await assert.rejects(analyzeLayer(chunks(bomb), { maxLayerBytes: 1 << 20 }), /decompression bomb/);
    // A zstd frame asking for a 2 GiB window is refused before anything is allocated.
    assert.equal(zstdWindowSize(zstdRaw(Buffer.from('x'))), 2 << 20);
    assert.equal(zstdWindowSize(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0, 0, 0, 0x80)), 2 ** 31);
    await assert.rejects(analyzeLayer(chunks(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 21 << 3, 0, 0, 0]))), /window of 2147483648 bytes/);
    const big = await analyzeLayer(chunks(tarOf([{ path: 'opt/big.jar', data: Buffer.alloc(3000) }])), { maxFileBytes: 1000 });
    assert.deepEqual(big.skipped, [{ path: 'opt/big.jar', size: 3000 }]);
  });
});

describe('images on disk', () => {
  const base = debianBase();
  const app = tarOf([
    {
      path: 'usr/local/bin/app',
      data: goBinary('go1.21.5', 'path\texample.com/app\nmod\texample.com/app\tv1.4.0\t\ndep\tgolang.org/x/net\tv0.17.0\t\n'),
      mode: 0o755,
    },
    { path: 'srv/node_modules/lodash/package.json', data: '{"name":"lodash","version":"4.17.20"}' },
    { path: 'srv/node_modules/left-pad/package.json', data: '{"name":"left-pad","version":"1.3.0"}' },
    { path: 'usr/local/bin/script', data: '#!/bin/sh\n', mode: 0o755 },
  ]);
  // Layer 3 deletes left-pad (whiteout), hides all of srv/old (opaque), replaces the Go binary with a script.
  const top = tarOf([
    { path: 'srv/node_modules/.wh.left-pad' },
    { path: 'usr/local/bin/app', data: '#!/bin/sh\nexec true\n', mode: 0o755 },
    { path: 'var/lib/dpkg/.wh..wh..opq' },
    { path: 'var/lib/dpkg/status', data: 'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n' },
  ]);
  const img = buildImage([base, { tar: app, compression: 'zstd' }, { tar: top, compression: 'none' }]);

  it('OCI layout: packages found, whiteouts and opaque directories applied', async () => {
    const dir = join(tmp, 'layout');
    writeOciLayout(dir, [img], { name: 'v1' });
    const { inventory, layers } = await scanImage(dir);
    assert.equal(inventory.os?.id, 'debian');
    assert.equal(inventory.digest, img.manifestDigest);
    assert.equal(inventory.platform, 'linux/amd64');
    assert.equal(inventory.created, '2026-01-15T10:00:00Z');
    assert.deepEqual(
      inventory.packages.map((p) => `${p.ecosystem} ${p.name}@${p.version}`),
      ['npm lodash@4.17.20', 'Debian:12 bash@5.2.15-2+b2'],
    );
    assert.equal(inventory.packages[0]?.locations[0]?.layer, img.diffIds[1]);
    assert.equal(layers.length, 3);
    assert.equal((await scanImage(`${dir}:v1`)).inventory.packages.length, 2);
    await assert.rejects(scanImage(`oci:${dir}:v2`), /no manifest named "v2"/);
  });

  it('a blob that does not match its digest is refused', async () => {
    const dir = join(tmp, 'tampered');
    writeOciLayout(dir, [img]);
    const layer = (img.blobs.get(img.configDigest) && [...img.blobs.keys()][0]) as string;
    writeFileSync(join(dir, 'blobs', 'sha256', layer.slice(7)), gzipSync(tarOf([{ path: 'var/lib/dpkg/status', data: 'Package: evil\nVersion: 1\n' }])));
    await assert.rejects(scanImage(dir), /does not match/);
  });

  it('oci-archive and docker save tars', async () => {
    const simple = buildImage([base]);
    const archive = join(tmp, 'image-oci.tar');
    writeFileSync(archive, ociArchiveOf([simple]));
    const a = await scanImage(archive);
    assert.equal(a.inventory.packages.length, 4);
    const saved = join(tmp, 'image-docker.tar');
    writeFileSync(saved, dockerSaveOf(simple, 'example/app:1.0'));
    const d = await scanImage(`docker-archive:${saved}`);
    assert.deepEqual(
      d.inventory.packages.map((p) => p.purl),
      a.inventory.packages.map((p) => p.purl),
    );
    assert.equal(d.inventory.packages[0]?.purl, 'pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12&upstream=curl');
  });

  it('an index picks the requested platform', async () => {
    const amd = buildImage([base], { platform: { os: 'linux', architecture: 'amd64' } });
    const arm = buildImage(
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
    const dir = join(tmp, 'multi');
    writeOciLayout(dir, [amd, arm], { index: buildIndex([amd, arm]) });
    const r = await scanImage(dir, { platform: 'linux/arm64' });
    assert.equal(r.inventory.os?.id, 'alpine');
    assert.deepEqual(
      r.inventory.packages.map((p) => [p.ecosystem, p.name, p.source?.name]),
      [
        ['Alpine:v3.19', 'musl', 'musl'],
        ['Alpine:v3.19', 'libcrypto3', 'openssl'],
        ['Alpine:v3.19', 'busybox-binsh', 'busybox'],
      ],
    );
    assert.equal((await scanImage(dir, { platform: 'linux/amd64' })).inventory.os?.id, 'debian');
    await assert.rejects(scanImage(dir, { platform: 'linux/s390x' }), /no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\/v8\)/);
  });

  it('an rpm-based image: packages from rpmdb.sqlite with epoch and source rpm', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    db.prepare('INSERT INTO Packages (blob) VALUES (?)').run(
      rpmHeader({ 1000: 'openssl-libs', 1001: '3.0.7', 1002: '27.el9', 1022: 'x86_64', 1044: 'openssl-3.0.7-27.el9.src.rpm' }, 1),
    );
    const rpmdb = db.serialize();
    db.close();
    const rhel = buildImage([
      tarOf([
        { path: 'etc/os-release', data: 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.3"\n' },
        { path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', data: rpmdb },
      ]),
    ]);
    const dir = join(tmp, 'rhel');
    writeOciLayout(dir, [rhel]);
    const { inventory } = await scanImage(dir);
    assert.deepEqual(
      inventory.packages.map((p) => [p.ecosystem, p.name, p.version, p.source?.name]),
      [['Red Hat:9', 'openssl-libs', '1:3.0.7-27.el9', 'openssl']],
    );
  });

  it('the layer cache serves a second scan and stays under its limit', async () => {
    const dir = join(tmp, 'layout');
    const cacheDir = join(tmp, 'cache');
    const cold = await scanImage(dir, { cache: new LayerCache(cacheDir) });
    assert.deepEqual(
      cold.layers.map((l) => l.cached),
      [false, false, false],
    );
    const warm = await scanImage(dir, { cache: new LayerCache(cacheDir) });
    assert.deepEqual(
      warm.layers.map((l) => l.cached),
      [true, true, true],
    );
    assert.deepEqual(warm.inventory, cold.inventory);
    // A corrupt entry is a miss, never an error.
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), '{"files":');
    const again = await scanImage(dir, { cache: new LayerCache(cacheDir) });
    assert.deepEqual(
      again.layers.map((l) => l.cached),
      [false, false, false],
    );
    assert.deepEqual(again.inventory, cold.inventory);
    const tiny = new LayerCache(cacheDir, 1);
    await tiny.evict();
    assert.deepEqual(readdirSync(cacheDir), []);
  });
});
