import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildImage, ROOTFS, tarOf, writeOciLayout } from '../../test/support/oci-build.js';
import type { ImageInventory, PackageVulnerability } from '../packages/packages.js';
import { ExceptionMatcher } from '../core/exceptions.js';
import { loadSource, scanLoaded } from '../scan.js';
import { IMAGE_CHECKS, imageFindings, imageUses, scanImages, withImageFindings } from './join.js';

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
apiVersion: v1
kind: Pod
metadata:
  name: web-abc
  namespace: shop
  ownerReferences: [{kind: Deployment, name: web}]
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
    const findings = imageFindings(uses, scanned, { now: new Date('2026-01-01T00:00:00Z'), maxAgeDays: 365 });
    const web = findings.filter((f) => f.container === 'web');
    assert.deepEqual(
      web.map((f) => [f.check, f.severity, f.status]),
      [
        [IMAGE_CHECKS.stale.id, 'low', 'fail'],
        [IMAGE_CHECKS.fixable.id, 'critical', 'fail'],
        [IMAGE_CHECKS.kev.id, 'critical', 'fail'],
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
    assert.match(broken?.message ?? '', /could not be scanned: .*missing\.tar/);
    // Exceptions (a matcher's rules, and palisade.dev/ignore.<check> annotations) exempt image findings too.
    const matcher = new ExceptionMatcher([{ check: 'image-stale', container: 'init', reason: 'vendor image, rebuilt upstream' }], '2026-01-01');
    const withExceptions = imageFindings(uses, scanned, { now: new Date('2026-01-01T00:00:00Z'), exceptions: matcher });
    assert.deepEqual(
      withExceptions.filter((f) => f.status === 'exempt').map((f) => [f.container, f.name, f.exemption?.reason]),
      [
        ['init', 'image-stale', 'vendor image, rebuilt upstream'],
        ['init', 'image-known-exploited-vulnerability', 'accepted until the vendor ships a fix'],
        ['web', 'image-known-exploited-vulnerability', 'accepted until the vendor ships a fix'],
      ],
    );
    assert.equal(withImageFindings(scanLoaded(loaded), withExceptions, matcher).perCheck[IMAGE_CHECKS.kev.id]?.exempt, 2);
    const report = withImageFindings(scanLoaded(loaded), findings);
    assert.equal(report.perCheck[IMAGE_CHECKS.fixable.id]?.fail, 2);
    assert.ok(report.checks.some((c) => c.id === IMAGE_CHECKS.kev.id));
    assert.ok(report.findings.some((f) => f.check === IMAGE_CHECKS.kev.id && f.primary !== undefined));
  });
});
