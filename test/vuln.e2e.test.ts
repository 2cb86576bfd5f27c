/**
 * End-to-end: `palisade db build`, `palisade db status` and `palisade vuln match`, run as the
 * built CLI (dist/cli/main.js) in their own processes, on feed files and SBOMs the test writes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { assertValidSarif } from '../src/reporters/fixtures/sarif-schema.js';
import { writeFixtureFeeds } from '../src/vulndb/fixtures/feeds.js';
import { CLI } from './support/cli.js';

let dir: string;
let db: string;

function run(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XDG_DATA_HOME: join(dir, 'xdg'), ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  components: [
    {
      type: 'library',
      name: 'libcurl4',
      version: '7.88.1-10+deb12u3',
      purl: 'pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u3?arch=amd64&distro=debian-12.4&upstream=curl',
    },
    { type: 'library', name: 'libtiff6', version: '4.5.0-6', purl: 'pkg:deb/debian/libtiff6@4.5.0-6?arch=amd64&distro=debian-12&upstream=tiff' },
    {
      type: 'library',
      name: 'libcrypto3',
      version: '3.1.4-r0',
      purl: 'pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.0',
      properties: [{ name: 'aquasecurity:trivy:SrcName', value: 'openssl' }],
    },
    { type: 'library', name: 'requests', version: '2.28.0', purl: 'pkg:pypi/requests@2.28.0' },
    { type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
    { type: 'library', name: 'net', version: 'v0.0.0-20220722155237-a158d28d115b', purl: 'pkg:golang/golang.org/x/net@v0.0.0-20220722155237-a158d28d115b' },
    { type: 'application', name: 'no-purl' },
  ],
};

const VEX = {
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://example.com/vex/app-1',
  author: 'platform team',
  timestamp: '2025-01-01T00:00:00Z',
  statements: [
    {
      vulnerability: { name: 'CVE-2023-38545' },
      products: [{ '@id': 'pkg:oci/app', subcomponents: [{ '@id': 'pkg:deb/debian/libcurl4' }] }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      impact_statement: 'the app never uses a SOCKS5 proxy',
    },
    { vulnerability: { name: 'CVE-2021-23337' }, products: [{ '@id': 'pkg:npm/lodash@4.17.20' }], status: 'fixed' },
  ],
};

describe('palisade db and vuln match (built CLI)', () => {
  let sbom: string;
  let vex: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-vuln-e2e-'));
    db = join(dir, 'vuln.db');
    sbom = join(dir, 'app.cdx.json');
    vex = join(dir, 'app.openvex.json');
    writeFileSync(sbom, JSON.stringify(SBOM));
    writeFileSync(vex, JSON.stringify(VEX));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('db build reads every feed kind and reports what went in', () => {
    const f = writeFixtureFeeds(dir);
    const r = run([
      'db',
      'build',
      '--osv',
      f.osvDir,
      '--osv',
      f.osvZip,
      '--debian-tracker',
      f.tracker,
      '--alpine-secdb',
      f.alpine,
      '--kev',
      f.kev,
      '--epss',
      f.epss,
      '--out',
      db,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^built .*vuln\.db: \d+ advisories, \d+ package entries, 2 KEV, 1 EPSS from 6 sources\n$/);
    assert.match(r.stderr, /warning: .*notes\.yaml: not an OSV record/);
    // The default location is the XDG data directory.
    const d = run(['db', 'build', '--debian-tracker', f.tracker, '-q']);
    assert.equal(d.code, 0, d.stderr);
    assert.ok(existsSync(join(dir, 'xdg', 'palisade', 'vuln.db')));
    assert.match(run(['db', 'status']).stdout, /database: +.*xdg\/palisade\/vuln\.db/);
  });

  it('db status shows sources and age, and an old database warns without failing', () => {
    const r = run(['db', 'status', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /built: +\S+ \(today\)/);
    assert.match(r.stdout, /kev +2 +.*kev\.json +catalog 2025\.01\.01/);
    assert.equal(r.stderr, '');
    const json = JSON.parse(run(['db', 'status', '--db', db, '-f', 'json']).stdout) as { ecosystems: { ecosystem: string }[]; epss: number };
    assert.deepEqual(
      json.ecosystems.map((e) => e.ecosystem),
      ['Alpine:v3.19', 'Debian:12', 'Go', 'PyPI', 'npm'],
    );
    const old = join(dir, 'old.db');
    writeFileSync(old, '');
    rmSync(old);
    spawnSync('cp', [db, old]);
    const w = new Database(old);
    w.prepare("UPDATE meta SET value = ? WHERE key = 'built_at'").run(new Date(Date.now() - 30 * 86_400_000).toISOString());
    w.close();
    const s = run(['db', 'status', '--db', old]);
    assert.equal(s.code, 0);
    assert.match(s.stderr, /warning: the vulnerability database .*old\.db was built 30 days ago/);
    const m = run(['vuln', 'match', '--sbom', sbom, '--db', old]);
    assert.equal(m.code, 0);
    assert.match(m.stderr, /built 30 days ago/);
  });

  it('vuln match --sbom reports each vulnerability with its status, fix, KEV and EPSS', () => {
    const r = run(['vuln', 'match', '--sbom', sbom, '--db', db, '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /1 components without a versioned package URL/);
    const out = JSON.parse(r.stdout) as { packages: number; vulnerabilities: Record<string, unknown>[]; summary: Record<string, number> };
    assert.equal(out.packages, 6);
    assert.deepEqual(
      out.vulnerabilities.map((v) => [v.id, v.packageName, v.status, v.fixedVersion ?? '-']),
      [
        ['CVE-2023-38545', 'libcurl4', 'fixed', '7.88.1-10+deb12u4'],
        ['CVE-2021-23337', 'lodash', 'fixed', '4.17.21'],
        ['CVE-2023-32681', 'requests', 'fixed', '2.31.0'],
        ['CVE-2023-6277', 'libtiff6', 'affected', '-'],
        ['CVE-2023-39325', 'golang.org/x/net', 'fixed', '0.17.0'],
        ['CVE-2023-5678', 'libcrypto3', 'fixed', '3.1.4-r1'],
      ],
    );
    const curl = out.vulnerabilities[0] as { kev?: boolean; epss?: number; severity: string };
    assert.deepEqual([curl.kev, curl.epss, curl.severity], [true, 0.25, 'high']);
    assert.deepEqual(out.summary, { critical: 0, high: 2, medium: 1, low: 1, info: 2 });
  });

  it('--fail-on sets exit 1; VEX suppresses with the statement shown; --ignore-unfixed drops unfixed', () => {
    assert.equal(run(['vuln', 'match', '--sbom', sbom, '--db', db, '--fail-on', 'critical']).code, 0);
    const high = run(['vuln', 'match', '--sbom', sbom, '--db', db, '--fail-on', 'high']);
    assert.equal(high.code, 1);
    assert.match(high.stdout, /CVE-2023-38545 +HIGH +libcurl4 +7\.88\.1-10\+deb12u3 +7\.88\.1-10\+deb12u4 +KEV EPSS 25\.0%/);
    const suppressed = run(['vuln', 'match', '--sbom', sbom, '--db', db, '--fail-on', 'high', '--vex', vex]);
    assert.equal(suppressed.code, 0, suppressed.stdout);
    assert.match(
      suppressed.stdout,
      /Suppressed by VEX \(2\):\n {2}CVE-2023-38545 libcurl4 7\.88\.1-10\+deb12u3: not_affected: vulnerable_code_not_in_execute_path - the app never uses a SOCKS5 proxy \(.*app\.openvex\.json\)/,
    );
    assert.match(suppressed.stdout, /6 packages, 4 vulnerabilities .* 2 suppressed by VEX/);
    const unfixed = JSON.parse(run(['vuln', 'match', '--sbom', sbom, '--db', db, '--ignore-unfixed', '-f', 'json']).stdout) as {
      vulnerabilities: { id: string }[];
    };
    assert.ok(!unfixed.vulnerabilities.some((v) => v.id === 'CVE-2023-6277'));
    assert.equal(unfixed.vulnerabilities.length, 5);
  });

  it('writes valid SARIF with VEX suppressions', () => {
    const r = run(['vuln', 'match', '--sbom', sbom, '--db', db, '-f', 'sarif', '--vex', vex]);
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; suppressions?: unknown[] }[] }[] };
    assertValidSarif(log);
    const results = log.runs[0]?.results ?? [];
    assert.equal(results.length, 6);
    assert.equal(results.filter((x) => x.suppressions !== undefined).length, 2);
  });

  it('vuln match --packages reads a package list (the image inventory contract)', () => {
    const list = join(dir, 'packages.json');
    writeFileSync(
      list,
      JSON.stringify({
        ref: 'example:1',
        packages: [
          {
            ecosystem: 'Debian:12',
            name: 'curl',
            version: '7.88.1-10+deb12u3',
            source: { name: 'curl', version: '7.88.1-10+deb12u3' },
            purl: 'pkg:deb/debian/curl@7.88.1-10+deb12u3',
            locations: [],
          },
        ],
      }),
    );
    const r = run(['vuln', 'match', '--packages', list, '--db', db, '-f', 'json', '--show-not-affected']);
    assert.equal(r.code, 0, r.stderr);
    const v = (JSON.parse(r.stdout) as { vulnerabilities: { id: string; status: string }[] }).vulnerabilities;
    assert.deepEqual(
      v.map((x) => [x.id, x.status]),
      [
        ['CVE-2023-38545', 'fixed'],
        ['CVE-2023-38546', 'not-affected'],
      ],
    );
  });

  it('bad input exits 2 with one line naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [['vuln', 'match', '--db', db], /give exactly one of --image REF, --sbom FILE or --packages FILE/],
      [['vuln', 'match', '--sbom', sbom, '--db', join(dir, 'none.db')], /no vulnerability database at .*none\.db: build one with palisade db build/],
      [['vuln', 'match', '--sbom', join(dir, 'missing.json'), '--db', db], /--sbom .*missing\.json: no such file/],
      [['vuln', 'match', '--sbom', sbom, '--db', db, '--vex', sbom], /--vex .*app\.cdx\.json: CycloneDX document without a vulnerabilities array/],
      [['db', 'build', '--out', join(dir, 'x.db')], /nothing to build from/],
      [['db', 'build', '--osv', join(dir, 'nope'), '--out', join(dir, 'x.db')], /--osv .*nope: no such file or directory/],
    ];
    const badList = join(dir, 'bad-packages.json');
    writeFileSync(badList, JSON.stringify([{ ecosystem: 'PyPI', name: 'x' }]));
    cases.push([['vuln', 'match', '--packages', badList, '--db', db], /--packages .*bad-packages\.json: packages\[0\] needs a string version/]);
    for (const [args, message] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
