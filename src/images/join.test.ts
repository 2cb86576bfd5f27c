import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildImage, ROOTFS, tarOf, writeOciLayout } from '../../test/support/oci-build.js';
import type { ImageInventory, PackageVulnerability } from '../packages/packages.js';
import { EMPTY_CONFIG } from '../config/config.js';
import { gateVerdict, loadSource, prepareChecks, scanLoaded } from '../scan.js';
import { imageInputs, imageUses, scanImages } from './join.js';

const tmp = mkdtempSync(join(tmpdir(), 'palisade-join-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const img = buildImage(
  [
    tarOf([
      { path: 'etc/os-release', data: ROOTFS.debianOsRelease },
      { path: 'var/lib/dpkg/status', data: ROOTFS.dpkgStatus },
    ]),
  ],
  { created: '2024-01-01T00:00:00Z' },
);
const layout = join(tmp, 'app');
writeOciLayout(layout, [img], { name: 'v1' });

const vuln = (over: Partial<PackageVulnerability>): PackageVulnerability => ({
  id: 'CVE-2024-0001',
  aliases: [],
  purl: 'pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5',
  packageName: 'libcurl4',
  installedVersion: '7.88.1-10+deb12u5',
  status: 'fixed',
  fixedVersion: '7.88.1-10+deb12u6',
  severity: 'critical',
  ...over,
});

const { fixedVersion: _unused, ...unfixedBase } = vuln({});
const unfixed: PackageVulnerability = { ...unfixedBase, id: 'CVE-2024-9', status: 'affected' };

describe('scan --images join', () => {
  it('finds workload images, skips owned Pods, scans each digest once, attaches findings at the image line', async () => {
    const manifest = join(tmp, 'deploy.yaml');
    writeFileSync(
      manifest,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations: {palisade.dev/ignore.image-known-exploited-vulnerability: accepted until the vendor ships a fix}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - name: init
          image: oci:${layout}:v1
      containers:
        - name: web
          image: ${layout}
        - name: broken
          image: ${join(tmp, 'missing.tar')}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-6d4
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]
spec:
  template:
    spec:
      containers: [{name: web, image: ${layout}}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-abc
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6d4, controller: true}]
spec:
  containers: [{name: web, image: ${layout}}]
`,
    );
    const loaded = await loadSource({ kind: 'files', paths: [manifest] });
    const uses = imageUses((loaded[0] as (typeof loaded)[0]).inventory);
    assert.deepEqual(
      uses.map((u) => [u.container, u.pointer]),
      [
        ['init', '/spec/template/spec/initContainers/0/image'],
        ['web', '/spec/template/spec/containers/0/image'],
        ['broken', '/spec/template/spec/containers/1/image'],
      ],
    );
    const matched: ImageInventory[] = [];
    const scanned = await scanImages(
      uses.map((u) => u.image),
      {
        match: async (inv) => {
          matched.push(inv);
          return [
            vuln({}),
            vuln({ id: 'CVE-2024-0002', severity: 'high', kev: true }),
            vuln({ id: 'CVE-2024-0003', vex: { status: 'not_affected', source: 'vex.json' } }),
            unfixed,
          ];
        },
      },
    );
    assert.equal(matched.length, 1, 'the tag and the untagged layout are one digest: matched once');
    assert.equal(scanned.get(`oci:${layout}:v1`)?.inventory?.digest, img.manifestDigest);
    assert.equal(scanned.get(layout)?.inventory?.ref, layout);
    // The scanned images are the engine's model inputs; the catalogue checks PAL-1000..0903 read them.
    const inputs = imageInputs(scanned, { now: new Date('2026-01-01T00:00:00Z'), matched: true });
    const report = scanLoaded(loaded, { include: ['PAL-10*'], inputs });
    assert.equal(report.skippedChecks, undefined);
    const findings = report.findings;
    const web = findings.filter((f) => f.container === 'web' && f.resource.kind === 'Deployment').sort((a, b) => a.check.localeCompare(b.check));
    assert.deepEqual(
      web.map((f) => [f.check, f.severity, f.status]),
      [
        ['PAL-1001', 'low', 'fail'],
        ['PAL-1002', 'critical', 'fail'],
        ['PAL-1003', 'critical', 'exempt'],
      ],
    );
    assert.match(
      web[1]?.message ?? '',
      /1 critical and 1 high vulnerabilities with a fix: CVE-2024-0001 \(libcurl4 7\.88\.1-10\+deb12u5 -> 7\.88\.1-10\+deb12u6\), CVE-2024-0002/,
    );
    assert.equal(web[1]?.evidence?.suppressedByVex, 1);
    assert.equal(web[0]?.location?.line, 17);
    const broken = findings.find((f) => f.container === 'broken');
    assert.equal(broken?.status, 'error');
    assert.equal(broken?.check, 'PAL-1000');
    assert.match(broken?.message ?? '', /could not be scanned: .*missing\.tar/);
    // The owned Pod is checked through its Deployment, not twice.
    assert.deepEqual(
      findings.filter((f) => f.resource.kind !== 'Deployment').map((f) => `${f.resource.kind} ${f.check} ${f.message}`),
      [],
    );
    // Configuration exceptions and palisade.dev/ignore.<check> annotations exempt image findings like any other.
    const config = { ...EMPTY_CONFIG, exceptions: [{ check: 'image-stale', container: 'init', reason: 'vendor image, rebuilt upstream' }] };
    const excepted = scanLoaded(loaded, { config, include: ['PAL-10*'], inputs });
    assert.deepEqual(
      excepted.findings
        .filter((f) => f.status === 'exempt')
        .map((f) => [f.container, f.name, f.exemption?.reason])
        .sort(),
      [
        ['init', 'image-known-exploited-vulnerability', 'accepted until the vendor ships a fix'],
        ['init', 'image-stale', 'vendor image, rebuilt upstream'],
        ['web', 'image-known-exploited-vulnerability', 'accepted until the vendor ships a fix'],
      ],
    );
    assert.equal(excepted.perCheck['PAL-1003']?.exempt, 2);
    assert.equal(report.perCheck['PAL-1002']?.fail, 2);
    assert.ok(report.checks.some((c) => c.id === 'PAL-1003'));
    assert.ok(report.findings.some((f) => f.check === 'PAL-1003' && f.primary !== undefined));
    // Severity overrides name them too.
    const overridden = scanLoaded(loaded, { config: { ...EMPTY_CONFIG, checks: { 'image-stale': { severity: 'high' } } }, include: ['image-stale'], inputs });
    assert.ok(overridden.findings.filter((f) => f.check === 'PAL-1001').every((f) => f.severity === 'high'));
  });

  it('skips the image checks without their inputs: not run, not counted, listed with the reason', async () => {
    const manifest = join(tmp, 'plain.yaml');
    writeFileSync(manifest, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: nginx:1.27}]\n');
    const loaded = await loadSource({ kind: 'files', paths: [manifest] });
    const plain = scanLoaded(loaded);
    assert.ok(!plain.checks.some((c) => c.id.startsWith('PAL-10')));
    assert.ok(!Object.keys(plain.perCheck).some((id) => id.startsWith('PAL-10')));
    assert.deepEqual(
      plain.skippedChecks?.map((k) => [k.id, k.reason]),
      [
        ['PAL-1000', 'run with --images'],
        ['PAL-1001', 'run with --images'],
        ['PAL-1002', 'run with --images'],
        ['PAL-1003', 'run with --images'],
      ],
    );
    assert.equal(plain.diagnostics.filter((d) => d.code === 'check-skipped').length, 0);
    // Images without a vulnerability matcher: PAL-1002/1003 skipped, never passed; named on purpose, a warning says so.
    const scanned = new Map([['nginx:1.27', { ref: 'nginx:1.27', error: 'registry unreachable' }]]);
    const imagesOnly = scanLoaded(loaded, { include: ['PAL-1000', 'PAL-1002'], inputs: imageInputs(scanned, { matched: false }) });
    assert.deepEqual(
      imagesOnly.checks.map((c) => c.id),
      ['PAL-1000'],
    );
    assert.deepEqual(imagesOnly.skippedChecks, [
      { id: 'PAL-1002', name: 'image-fixable-vulnerability', reason: 'run with --images and a vulnerability database', selected: true },
    ]);
    // A gate does not pass on a check it was asked to run and could not.
    const verdict = gateVerdict(scanLoaded(loaded, { include: ['PAL-1001', 'PAL-1002'], inputs: imageInputs(new Map(), { matched: false }) }), {
      failOn: 'high',
    });
    assert.equal(verdict.exitCode, 1);
    assert.match(verdict.reasons.join('\n'), /1 selected check was not run \(PAL-1002: run with --images and a vulnerability database\)/);
    assert.equal(gateVerdict(plain, { failOn: 'high' }).exitCode, 0, 'checks skipped because nobody asked for them do not fail a gate');
    assert.match(
      imagesOnly.diagnostics.find((d) => d.code === 'check-skipped')?.message ?? '',
      /PAL-1002 .* not run: run with --images and a vulnerability database/,
    );
    assert.equal(imagesOnly.findings.find((f) => f.check === 'PAL-1000')?.status, 'error');
    // A selection of image checks only, without --images, runs nothing: a usage error, not a silent pass.
    assert.throws(() => prepareChecks({ include: ['PAL-1001'] }), /no check to run: .*PAL-1001 image-stale: run with --images/);
    assert.equal(prepareChecks({ include: ['PAL-1001'], inputNames: ['images'] }).length, 1);
  });
});
