/**
 * The whole chain of issue 12, as a user runs it, on the real sample feeds of ../shared/vulndata:
 * images built and pushed here to a real registry (docker-registry on loopback), a database
 * built by `palisade db build` from every sample source, then `palisade image`, `palisade vuln
 * match` (from the inventory and from the SBOMs), VEX, and `palisade scan --images --vuln-db`,
 * each the built CLI in its own process. What each package should match is read from the
 * sample records themselves (test/support/vulndata-expect.ts), never written down here.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { goBinary } from './support/binaries.js';
import { CLI } from './support/cli.js';
import { type BuiltImage, buildImage, pushImage, tarOf } from './support/oci-build.js';
import { registryMissing, startRegistry, type TestRegistry } from './support/registry.js';
import {
  type Expected,
  expectAlpine,
  expectDebian,
  expectGo,
  expectPypi,
  kevIds,
  VULNDATA,
  vulndataMissing,
  writeMiniVulndata,
} from './support/vulndata-expect.js';

const noRegistry = registryMissing();
if (noRegistry) console.log(`# ${noRegistry}`);
const noSamples = vulndataMissing();
if (noSamples) console.log(`# ${noSamples} (the variant on hand-written feeds still runs)`);

const tmp = mkdtempSync(join(tmpdir(), 'palisade-vulndata-e2e-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
// The same chain on hand-written feeds in the samples' layout: it runs without ../shared.
const MINI = join(tmp, 'mini-vulndata');
writeMiniVulndata(MINI);

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { ...process.env, NO_COLOR: '1', DOCKER_CONFIG: join(tmp, 'no-docker'), XDG_CACHE_HOME: join(tmp, 'cache'), XDG_DATA_HOME: join(tmp, 'data') },
        maxBuffer: 256 << 20,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** An installed package the test writes into an image, and how its advisories are looked up. */
interface Planted {
  readonly name: string;
  readonly version: string;
  readonly source?: { name: string; version: string };
  /** The name as the package's own metadata spells it, when the inventory normalises it. */
  readonly spelled?: string;
  /** What the feeds under `root` say about the package. */
  readonly expect: (root: string) => Expected[];
}

interface TestImage {
  readonly repo: string;
  readonly image: BuiltImage;
  readonly ecosystem: string;
  readonly packages: readonly Planted[];
}

const osRelease = (id: string, version: string, name: string): string =>
  `NAME="${name}"\nID=${id}\nVERSION_ID="${version}"\nPRETTY_NAME="${name} ${version}"\n`;

function dpkgStatus(pkgs: readonly Planted[]): string {
  return pkgs
    .map((p) => {
      const src =
        p.source === undefined ? '' : p.source.version === p.version ? `Source: ${p.source.name}\n` : `Source: ${p.source.name} (${p.source.version})\n`;
      return `Package: ${p.name}\nStatus: install ok installed\nArchitecture: amd64\n${src}Version: ${p.version}\nDescription: test package\n`;
    })
    .join('\n');
}

const deb = (release: string, name: string, version: string, source: string, sourceVersion = version): Planted => ({
  name,
  version,
  source: { name: source, version: sourceVersion },
  expect: (root) => expectDebian(release, source, sourceVersion, root),
});
// Inventories give Python names PEP 503-normalised; the metadata keeps the author's spelling.
const pypi = (spelled: string, version: string): Planted => ({
  name: spelled.toLowerCase().replace(/[-_.]+/g, '-'),
  spelled,
  version,
  expect: (root) => expectPypi(spelled, version, root),
});
const go = (name: string, version: string): Planted => ({ name, version, expect: (root) => expectGo(name, version, root) });
const apk = (name: string, version: string, origin: string): Planted => ({
  name,
  version,
  source: { name: origin, version },
  expect: (root) => expectAlpine('v3.11', origin, version, root),
});

// Debian 11 (bullseye): source packages with DSAs for bullseye, some of them KEV-listed; a
// binNMU (binary version differs from the source's); Python distributions with PYSEC records
// (one only in a withdrawn record); a Go executable (stdlib, a module, a withdrawn record).
const bullseyeDeb = [
  deb('11', 'libpolkit-gobject-1-0', '0.105-31', 'policykit-1'),
  deb('11', 'redis-server', '5:6.0.16-1+deb11u1', 'redis'),
  deb('11', 'liblog4j2-java', '2.13.3-1', 'apache-log4j2'),
  deb('11', 'libssl1.1', '1.1.1n-0+deb11u3', 'openssl'),
  deb('11', 'bash', '5.1-2+b3', 'bash', '5.1-2'),
];
const bullseyePy = [pypi('aiohttp', '3.8.4'), pypi('urllib3', '1.26.5'), pypi('Flask-Caching', '1.7.0'), pypi('requests', '2.31.0')];
const bullseyeGo = [go('stdlib', 'v1.20.5'), go('golang.org/x/net', 'v0.7.0'), go('k8s.io/kubernetes', 'v1.20.0')];
const sitePackages = 'usr/lib/python3/dist-packages';
const bullseye: TestImage = {
  repo: 'shop/api',
  ecosystem: 'Debian:11',
  packages: [...bullseyeDeb, ...bullseyePy, ...bullseyeGo],
  image: buildImage([
    tarOf([
      { path: 'etc/os-release', data: osRelease('debian', '11', 'Debian GNU/Linux') },
      { path: 'var/lib/dpkg/status', data: dpkgStatus(bullseyeDeb) },
    ]),
    tarOf([
      ...bullseyePy
        .filter((p) => p.name !== 'requests')
        .map((p) => ({
          path: `${sitePackages}/${(p.spelled ?? p.name).replace(/-/g, '_')}-${p.version}.dist-info/METADATA`,
          data: `Metadata-Version: 2.1\nName: ${p.spelled ?? p.name}\nVersion: ${p.version}\n`,
        })),
      { path: `${sitePackages}/requests-2.25.0.dist-info/METADATA`, data: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.25.0\n' },
      {
        path: 'usr/local/bin/api',
        mode: 0o755,
        data: goBinary(
          'go1.20.5',
          'path\texample.com/api\nmod\texample.com/api\t(devel)\t\ndep\tgolang.org/x/net\tv0.7.0\th1:a=\ndep\tk8s.io/kubernetes\tv1.20.0\th1:b=\n',
        ),
      },
    ]),
    // requests upgraded in a later layer: the whiteout hides the old one.
    tarOf([
      { path: `${sitePackages}/.wh.requests-2.25.0.dist-info` },
      { path: `${sitePackages}/requests-2.31.0.dist-info/METADATA`, data: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n' },
    ]),
  ]),
};

// Alpine 3.11: two binaries of one origin (openssl), curl below several fixes, musl above its fixes.
const alpinePkgs = [
  apk('libcrypto1.1', '1.1.1d-r2', 'openssl'),
  apk('libssl1.1', '1.1.1d-r2', 'openssl'),
  apk('libcurl', '7.61.1-r3', 'curl'),
  apk('musl', '1.1.24-r0', 'musl'),
];
const alpine: TestImage = {
  repo: 'shop/edge',
  ecosystem: 'Alpine:v3.11',
  packages: alpinePkgs,
  image: buildImage([
    tarOf([
      { path: 'etc/os-release', data: osRelease('alpine', '3.11.3', 'Alpine Linux') },
      { path: 'lib/apk/db/installed', data: alpinePkgs.map((p) => `P:${p.name}\nV:${p.version}\nA:x86_64\no:${p.source?.name}\n`).join('\n') },
    ]),
  ]),
};

// Debian 5 (lenny) and 8 (jessie): the releases for which the DSA list says <not-affected>
// and <end-of-life> (affected, no fix) for some source packages, beside fixed versions.
const lennyDeb = [
  deb('5', 'vlc', '0.8.6.h-4+lenny2.3', 'vlc'),
  deb('5', 'tex-common', '1.11.2', 'tex-common'),
  deb('5', 'openoffice.org-core', '1:2.4.1+dfsg-1+lenny6', 'openoffice.org'),
];
const lenny: TestImage = {
  repo: 'legacy/lenny',
  ecosystem: 'Debian:5',
  packages: lennyDeb,
  image: buildImage([
    tarOf([
      { path: 'etc/os-release', data: osRelease('debian', '5.0', 'Debian GNU/Linux') },
      { path: 'var/lib/dpkg/status', data: dpkgStatus(lennyDeb) },
    ]),
  ]),
};
const jessieDeb = [deb('8', 'elasticsearch', '1.0.3+dfsg-5', 'elasticsearch'), deb('8', 'virtualbox', '4.3.18-dfsg-3', 'virtualbox')];
const jessie: TestImage = {
  repo: 'legacy/jessie',
  ecosystem: 'Debian:8',
  packages: jessieDeb,
  image: buildImage([
    tarOf([
      { path: 'etc/os-release', data: osRelease('debian', '8', 'Debian GNU/Linux') },
      { path: 'var/lib/dpkg/status', data: dpkgStatus(jessieDeb) },
    ]),
  ]),
};
const IMAGES = [bullseye, alpine, lenny, jessie];

interface Vuln {
  id: string;
  aliases: string[];
  purl: string;
  packageName: string;
  installedVersion: string;
  status: string;
  fixedVersion?: string;
  severity: string;
  kev?: boolean;
  note?: string;
  vex?: { status: string; justification?: string; statement?: string; source: string };
}
interface VulnJson {
  packages: number;
  vulnerabilities: Vuln[];
  suppressed: Vuln[];
}

const line = (pkg: string, e: { id: string; status: string; fixed?: string | undefined }): string => `${pkg} ${e.id} ${e.status} ${e.fixed ?? '-'}`;
const lines = (vs: readonly Vuln[]): string[] => vs.map((v) => line(v.packageName, { id: v.id, status: v.status, fixed: v.fixedVersion })).sort();

const VARIANTS = [
  { name: 'the sample feeds of ../shared/vulndata', root: VULNDATA, skip: noRegistry ?? noSamples },
  { name: 'hand-written feeds', root: MINI, skip: noRegistry },
];

for (const { name, root, skip } of VARIANTS)
  describe(`the whole chain on ${name}: registry image -> packages -> matches -> SBOM -> VEX -> scan`, { skip }, () => {
    const tmp = join(MINI, '..', name.startsWith('hand') ? 'mini-run' : 'sample-run');
    mkdirSync(tmp, { recursive: true });
    let reg: TestRegistry;
    const db = join(tmp, 'vuln.db');
    const ref = (img: TestImage): string => `${reg.host}/${img.repo}:1.0`;
    const inventories = new Map<TestImage, string>();
    /** The OpenVEX document of the VEX step and the finding it suppresses. */
    let openvexFile: string | undefined;
    let vexed: Vuln | undefined;
    const matched = new Map<TestImage, VulnJson>();

    before(async () => {
      reg = await startRegistry();
      for (const img of IMAGES) await pushImage(reg.base, img.repo, '1.0', [img.image]);
      const osv = join(root, 'osv');
      const built = await run([
        'db',
        'build',
        '--osv',
        join(osv, 'pypi-pypa-advisory-database'),
        '--osv',
        join(osv, 'go-vulndb', 'osv'),
        '--debian-tracker',
        join(root, 'debian-security-tracker', 'DSA-list.gz'),
        '--debian-tracker',
        join(root, 'debian-security-tracker', 'DLA-list.gz'),
        '--alpine-secdb',
        join(root, 'alpine-secdb'),
        '--kev',
        join(root, 'kev', 'known_exploited_vulnerabilities.json.gz'),
        '--out',
        db,
        '-q',
      ]);
      assert.equal(built.code, 0, built.stderr);
    });
    after(() => reg?.stop());

    it('palisade image finds every planted package with its version and source package, across layers', async () => {
      for (const img of IMAGES) {
        const r = await run(['image', ref(img), '-f', 'json', '--no-cache']);
        assert.equal(r.code, 0, r.stderr);
        const inv = JSON.parse(r.stdout) as {
          digest: string;
          packages: { ecosystem: string; name: string; version: string; source?: { name: string; version: string } }[];
        };
        assert.equal(inv.digest, img.image.manifestDigest);
        const got = inv.packages.map((p) => `${p.name} ${p.version} ${p.source ? `${p.source.name}@${p.source.version}` : '-'}`).sort();
        const want = [
          ...img.packages.map((p) => `${p.name} ${p.version} ${p.source ? `${p.source.name}@${p.source.version}` : '-'}`),
          // The Go executable's main module is (devel): left out.
        ].sort();
        assert.deepEqual(got, want, img.repo);
        const distro = inv.packages.filter((p) => p.source !== undefined).map((p) => p.ecosystem);
        assert.ok(
          distro.every((e) => e === img.ecosystem),
          `${img.repo}: ${distro.join(', ')}`,
        );
        const file = join(tmp, `${img.repo.replace('/', '-')}.inventory.json`);
        writeFileSync(file, r.stdout);
        inventories.set(img, file);
      }
    });

    it('vuln match gives each package the statuses its advisories say: fixed, affected, not affected, withdrawn; KEV attached', async () => {
      const kev = kevIds(root);
      const statuses = new Set<string>();
      for (const img of IMAGES) {
        const file = inventories.get(img);
        assert.ok(file, 'the image step ran');
        const r = await run(['vuln', 'match', '--packages', file, '--db', db, '--show-not-affected', '-f', 'json', '-q']);
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout) as VulnJson;
        matched.set(img, out);
        const want = img.packages.flatMap((p) => p.expect(root).map((e) => line(p.name, e))).sort();
        assert.deepEqual(lines(out.vulnerabilities), want, img.repo);
        for (const v of out.vulnerabilities) {
          statuses.add(v.status);
          assert.equal(v.kev === true, kev.has(v.id) || v.aliases.some((a) => kev.has(a)), `${v.id}: KEV flag`);
        }
      }
      // The planted packages were chosen so that the sample data yields every status and KEV hits.
      assert.deepEqual([...statuses].sort(), ['affected', 'fixed', 'not-affected', 'withdrawn']);
      assert.ok((matched.get(bullseye)?.vulnerabilities ?? []).some((v) => v.kev && v.status === 'fixed'));
      // End-of-life releases carry the tracker's note.
      assert.ok(matched.get(jessie)?.vulnerabilities.some((v) => v.status === 'affected' && /end-of-life/.test(v.note ?? '')));
      // --ignore-unfixed leaves out what has no fix; without --show-not-affected neither verdict of "nothing to do" is listed.
      const plain = JSON.parse(
        (await run(['vuln', 'match', '--packages', inventories.get(jessie) as string, '--db', db, '--ignore-unfixed', '-f', 'json', '-q'])).stdout,
      ) as VulnJson;
      assert.deepEqual(lines(plain.vulnerabilities), lines((matched.get(jessie)?.vulnerabilities ?? []).filter((v) => v.status === 'fixed')));
      // --image pulls and matches in one step, with the same result as the inventory.
      const direct = await run(['vuln', 'match', '--image', ref(bullseye), '--db', db, '--show-not-affected', '--no-cache', '-f', 'json', '-q']);
      assert.equal(direct.code, 0, direct.stderr);
      assert.deepEqual(lines((JSON.parse(direct.stdout) as VulnJson).vulnerabilities), lines(matched.get(bullseye)?.vulnerabilities ?? []));
      const lennyPlain = JSON.parse(
        (await run(['vuln', 'match', '--packages', inventories.get(lenny) as string, '--db', db, '-f', 'json', '-q'])).stdout,
      ) as VulnJson;
      assert.ok(lennyPlain.vulnerabilities.every((v) => v.status === 'fixed' || v.status === 'affected'));
    });

    it('palisade sbom writes CycloneDX and SPDX, and matching from either SBOM gives the same findings', async () => {
      for (const img of IMAGES) {
        const fromInventory = lines(matched.get(img)?.vulnerabilities ?? []);
        assert.ok(fromInventory.length > 0, `${img.repo}: matched first`);
        for (const format of ['cyclonedx', 'spdx']) {
          const out = join(tmp, `${img.repo.replace('/', '-')}.${format}.json`);
          const s = await run(['sbom', ref(img), '-f', format, '-o', out, '--no-cache']);
          assert.equal(s.code, 0, s.stderr);
          const r = await run(['vuln', 'match', '--sbom', out, '--db', db, '--show-not-affected', '-f', 'json', '-q']);
          assert.equal(r.code, 0, r.stderr);
          const got = JSON.parse(r.stdout) as VulnJson;
          assert.equal(got.packages, img.packages.length, `${img.repo} ${format}: every package read back from the SBOM`);
          assert.deepEqual(lines(got.vulnerabilities), fromInventory, `${img.repo} ${format}`);
        }
      }
    });

    it('OpenVEX and CycloneDX VEX suppress the findings they name for the package they name, with the statement shown', async () => {
      const vulns = matched.get(bullseye)?.vulnerabilities ?? [];
      const kevFinding = vulns.find((v) => v.kev && v.status === 'fixed') as Vuln;
      const pyFinding = vulns.find((v) => v.purl.startsWith('pkg:pypi/') && v.status === 'fixed') as Vuln;
      assert.ok(kevFinding && pyFinding);
      const productOf = (purl: string): string => purl.replace(/@.*$/, '');
      const openvex = join(tmp, 'api.openvex.json');
      writeFileSync(
        openvex,
        JSON.stringify({
          '@context': 'https://openvex.dev/ns/v0.2.0',
          '@id': 'https://example.com/vex/api-1',
          author: 'shop platform team',
          timestamp: '2026-01-01T00:00:00Z',
          statements: [
            {
              vulnerability: { name: kevFinding.id },
              products: [{ '@id': `pkg:oci/api`, subcomponents: [{ '@id': productOf(kevFinding.purl) }] }],
              status: 'not_affected',
              justification: 'vulnerable_code_not_in_execute_path',
              impact_statement: 'the service never runs the affected binary',
            },
          ],
        }),
      );
      const cdxVex = join(tmp, 'api.cdx-vex.json');
      writeFileSync(
        cdxVex,
        JSON.stringify({
          bomFormat: 'CycloneDX',
          specVersion: '1.5',
          version: 1,
          components: [{ 'bom-ref': 'py-1', type: 'library', name: pyFinding.packageName, purl: pyFinding.purl }],
          vulnerabilities: [
            {
              id: pyFinding.id,
              analysis: { state: 'false_positive', detail: 'the client is only used against our own servers' },
              affects: [{ ref: 'py-1' }],
            },
          ],
        }),
      );
      openvexFile = openvex;
      vexed = kevFinding;
      const inv = inventories.get(bullseye) as string;
      const r = await run(['vuln', 'match', '--packages', inv, '--db', db, '--vex', openvex, '--vex', cdxVex, '-f', 'json', '-q']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as VulnJson;
      assert.deepEqual(
        out.suppressed.map((v) => `${v.packageName} ${v.id} ${v.vex?.status}`).sort(),
        [`${kevFinding.packageName} ${kevFinding.id} not_affected`, `${pyFinding.packageName} ${pyFinding.id} false_positive`].sort(),
      );
      // Only the named package: the same CVE on another package stays.
      const active = matched.get(bullseye)?.vulnerabilities.filter((v) => v.status === 'fixed' || v.status === 'affected') ?? [];
      assert.equal(out.vulnerabilities.length, active.length - 2);
      const table = await run(['vuln', 'match', '--packages', inv, '--db', db, '--vex', openvex, '--vex', cdxVex, '-q']);
      const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.match(
        table.stdout,
        new RegExp(
          `Suppressed by VEX \\(2\\):[\\s\\S]*${esc(kevFinding.id)} ${esc(kevFinding.packageName)} ${esc(kevFinding.installedVersion)}: not_affected: vulnerable_code_not_in_execute_path - the service never runs the affected binary \\(.*api\\.openvex\\.json\\)`,
        ),
      );
      assert.match(
        table.stdout,
        new RegExp(`${esc(pyFinding.id)} ${esc(pyFinding.packageName)} .*false_positive.*the client is only used against our own servers`),
      );
      // --fail-on counts what VEX leaves: at the suppressed finding's own severity, the gate fails
      // without the VEX documents, and with them only if another finding is that severe.
      const rank = ['info', 'low', 'medium', 'high', 'critical'];
      const threshold = pyFinding.severity === 'info' ? 'low' : pyFinding.severity;
      const atLeast = (v: Vuln) => rank.indexOf(v.severity) >= rank.indexOf(threshold);
      const remaining = active.filter((v) => !(v.id === pyFinding.id && v.purl === pyFinding.purl) && !(v.id === kevFinding.id && v.purl === kevFinding.purl));
      const bare = await run(['vuln', 'match', '--packages', inv, '--db', db, '--fail-on', threshold, '-q']);
      assert.equal(bare.code, active.some(atLeast) ? 1 : 0);
      const gated = await run(['vuln', 'match', '--packages', inv, '--db', db, '--fail-on', threshold, '--vex', openvex, '--vex', cdxVex, '-q']);
      assert.equal(gated.code, remaining.some(atLeast) ? 1 : 0);
    });

    it('scan --images --vuln-db attaches the matched vulnerabilities to the workloads that run the images', async () => {
      const dir = join(tmp, 'manifests');
      mkdirSync(dir, { recursive: true });
      const containers = IMAGES.map((img, i) => `        - name: c${i}\n          image: ${ref(img)}\n`).join('');
      writeFileSync(
        join(dir, 'shop.yaml'),
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: shop, namespace: prod}\nspec:\n  selector: {matchLabels: {app: shop}}\n  template:\n    metadata: {labels: {app: shop}}\n    spec:\n      containers:\n${containers}`,
      );
      const scan = async (extra: string[]): Promise<string[]> => {
        const r = await run(['scan', dir, '--images', '--vuln-db', db, '--no-image-cache', '--include', 'PAL-1002,PAL-1003', '-f', 'json', ...extra]);
        assert.equal(r.code, 0, r.stderr);
        const report = JSON.parse(r.stdout) as {
          findings: { check: string; container: string; status: string; severity: string; evidence?: { vulnerabilities?: string[]; count?: number } }[];
        };
        return report.findings
          .filter((f) => f.status === 'fail')
          .map((f) => `${f.check} ${f.container} ${f.severity} ${f.evidence?.count ?? f.evidence?.vulnerabilities?.length}`)
          .sort();
      };
      const expected = (skipped?: Vuln): string[] => {
        const want: string[] = [];
        IMAGES.forEach((img, i) => {
          const vs = (matched.get(img)?.vulnerabilities ?? []).filter(
            (v) => (v.status === 'fixed' || v.status === 'affected') && !(skipped && v.id === skipped.id && v.purl === skipped.purl),
          );
          const kev = vs.filter((v) => v.kev);
          const fixable = vs.filter((v) => v.status === 'fixed' && (v.severity === 'high' || v.severity === 'critical'));
          if (fixable.length > 0) want.push(`PAL-1002 c${i} ${fixable.some((v) => v.severity === 'critical') ? 'critical' : 'high'} ${fixable.length}`);
          if (kev.length > 0) want.push(`PAL-1003 c${i} critical ${new Set(kev.map((v) => `${v.id} ${v.packageName}`)).size}`);
        });
        return want.sort();
      };
      const want = expected();
      assert.ok(want.some((w) => w.startsWith('PAL-1003')) && want.some((w) => w.startsWith('PAL-1002')), `both checks have something to report: ${want}`);
      assert.deepEqual(await scan([]), want);
      // The VEX document of the previous step takes its finding out of the count.
      assert.ok(openvexFile && vexed, 'the VEX step ran');
      const withVex = expected(vexed);
      assert.notDeepEqual(withVex, want);
      assert.deepEqual(await scan(['--vex', openvexFile]), withVex);
      const bad = await run(['scan', dir, '--vex', openvexFile]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--vex applies to image vulnerabilities: add --images/);
    });
  });
