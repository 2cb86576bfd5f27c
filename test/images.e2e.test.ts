/**
 * `palisade image` and `palisade sbom` on images on disk (no registry needed): an OCI layout,
 * a docker save tar, errors and exit codes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { goBinary, zipOf } from './support/binaries.js';
import { CLI } from './support/cli.js';
import { buildImage, dockerSaveOf, ROOTFS, tarOf, writeOciLayout } from './support/oci-build.js';

const tmp = mkdtempSync(join(tmpdir(), 'palisade-image-e2e-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, XDG_CACHE_HOME: join(tmp, 'cache'), DOCKER_CONFIG: join(tmp, 'none') } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const img = buildImage([
  tarOf([
    { path: 'etc/os-release', data: ROOTFS.debianOsRelease },
    { path: 'var/lib/dpkg/status', data: ROOTFS.dpkgStatus },
  ]),
  tarOf([
    {
      path: 'usr/local/bin/api',
      data: goBinary('go1.22.3', 'path\texample.com/api\nmod\texample.com/api\tv2.0.1\t\ndep\tgithub.com/gin-gonic/gin\tv1.9.1\t\n'),
      mode: 0o755,
    },
    {
      path: 'opt/app/app.jar',
      data: zipOf([{ name: 'META-INF/maven/org.example/app/pom.properties', data: 'groupId=org.example\nartifactId=app\nversion=3.1.0\n' }]),
    },
    { path: 'usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.8.gemspec', data: 's.name = "rack".freeze\ns.version = "2.2.8"\n' },
  ]),
]);
const layout = join(tmp, 'oci');
writeOciLayout(layout, [img]);
const saved = join(tmp, 'saved.tar');
writeFileSync(saved, dockerSaveOf(img, 'example/api:2'));

describe('palisade image (images on disk)', () => {
  it('prints the OS and every package as a table', async () => {
    const r = await run(['image', layout]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /OS: {8}Debian GNU\/Linux 12 \(bookworm\)/);
    assert.match(r.stdout, /Packages: {2}9 \(Maven: 1, RubyGems: 1, Go: 3, Debian:12: 4\)/);
    for (const name of ['libcurl4', 'stdlib', 'github.com/gin-gonic/gin', 'org.example:app', 'rack'])
      assert.match(r.stdout, new RegExp(name.replace(/[.]/g, '\\.')));
  });

  it('reads a docker save tar the same way, and JSON follows the ImageInventory contract', async () => {
    const a = JSON.parse((await run(['image', layout, '-f', 'json'])).stdout);
    const r = await run(['image', `docker-archive:${saved}:example/api:2`, '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const b = JSON.parse(r.stdout);
    assert.deepEqual(
      b.packages.map((p: { purl: string }) => p.purl),
      a.packages.map((p: { purl: string }) => p.purl),
    );
    assert.ok(a.packages.some((p: { purl: string }) => p.purl === 'pkg:golang/github.com/gin-gonic/gin@v1.9.1'));
    assert.ok(a.packages.some((p: { purl: string }) => p.purl === 'pkg:maven/org.example/app@3.1.0'));
  });

  it('sbom -f spdx -o writes an SPDX 2.3 document', async () => {
    const out = join(tmp, 'sbom.json');
    const r = await run(['sbom', layout, '-f', 'spdx', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(doc.spdxVersion, 'SPDX-2.3');
    assert.ok(doc.packages.some((p: { externalRefs?: { referenceLocator: string }[] }) => p.externalRefs?.[0]?.referenceLocator === 'pkg:gem/rack@2.2.8'));
  });

  it('exit codes: 2 for a missing path or bad flag, 3 for a corrupt archive; other images still listed', async () => {
    const missing = await run(['image', './nope.tar']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.tar: no such file or directory/);
    const badPlatform = await run(['image', layout, '--platform', 'linux']);
    assert.equal(badPlatform.code, 2);
    const corrupt = join(tmp, 'corrupt.tar');
    writeFileSync(corrupt, Buffer.alloc(2048, 7));
    const both = await run(['image', corrupt, layout, '-f', 'json']);
    assert.equal(both.code, 3);
    assert.match(both.stderr, /corrupt\.tar: not a tar archive/);
    assert.equal(JSON.parse(both.stdout).os.id, 'debian');
  });
});
