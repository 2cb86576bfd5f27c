/**
 * End-to-end: the built CLI's `compliance` and `node` commands, as users run them: a CIS v1.12
 * report with all 131 controls on a snapshot and on a fake node root, NSA/PSS/MITRE views of
 * the same scan, every format, node results merged into the cluster report, managed platforms,
 * user frameworks, framework selection in `scan`, and the documented exit codes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Inventory } from '../src/core/inventory.js';
import type { JsonObject } from '../src/core/types.js';
import { writeSnapshot } from '../src/sources/snapshot.js';
import { runBuiltCli } from './support/cluster-cli.js';
import { fixtureClusterObjects } from './support/fixture-cluster.js';
import { makeNodeRoot } from './support/node-root.js';

const CHECKS = fileURLToPath(new URL('../src/checks/', import.meta.url));
const TEMPLATES = fileURLToPath(new URL('../docs/examples/frameworks/', import.meta.url));
const STATUSES = ['pass', 'fail', 'error', 'manual', 'not-applicable'];

interface ControlJson {
  id: string;
  title: string;
  status: string;
  reason: string;
  resources: { resource: { kind: string; name: string }; check: string }[];
}
interface ReportJson {
  framework: { id: string };
  summary: { total: number; pass: number; fail: number; error: number; manual: number; notApplicable: number; score: number | null };
  platform?: { name: string };
  controls: ControlJson[];
}

const fixture = (check: string, file: string): JsonObject => parse(readFileSync(join(CHECKS, check, 'fixtures', file), 'utf8')) as JsonObject;

async function snapshot(file: string, version: string, extra: readonly JsonObject[]): Promise<void> {
  const inventory = new Inventory({ cluster: 'prod' });
  for (const object of [...fixtureClusterObjects(), ...extra]) inventory.add({ object });
  await writeSnapshot(file, [{ name: 'prod', server: 'https://10.0.0.10:6443', kubernetesVersion: version, inventory, coverage: [] }]);
}

describe('palisade compliance and palisade node (built CLI)', () => {
  let dir: string;
  let snap: string;
  let eks: string;
  let nodeRoot: string;
  const run = (args: string[]) => runBuiltCli(args, dir);
  const control = (r: ReportJson, id: string): ControlJson => {
    const c = r.controls.find((x) => x.id === id);
    assert.ok(c, `control ${id}`);
    return c;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-compliance-e2e-'));
    snap = join(dir, 'cluster.snapshot.json');
    eks = join(dir, 'eks.snapshot.json');
    const kubelet = { ...fixture('kubelet-anonymous-auth', 'fail.weak.yaml'), metadata: { name: 'node-1' } };
    await snapshot(snap, 'v1.33.2', [fixture('apiserver-anonymous-auth', 'fail.bad-value.yaml'), kubelet]);
    await snapshot(eks, 'v1.31.2-eks-7f9249a', []);
    nodeRoot = makeNodeRoot(mkdtempSync(join(tmpdir(), 'palisade-node-e2e-')), { profile: 'master', hardened: false }).root;
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(nodeRoot, { recursive: true, force: true });
  });

  it('lists all 131 CIS v1.12 controls with a status on a snapshot', async () => {
    const r = await run(['compliance', '--snapshot', snap, '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ReportJson;
    assert.equal(report.framework.id, 'cis-1.12');
    assert.equal(report.controls.length, 131);
    for (const c of report.controls) assert.ok(STATUSES.includes(c.status) && c.reason.length > 0, `${c.id} ${c.status}`);
    const anon = control(report, '1.2.1');
    assert.equal(anon.status, 'fail');
    assert.deepEqual(
      anon.resources.map((e) => `${e.resource.kind}/${e.resource.name}`),
      ['Pod/kube-apiserver-cp1'],
    );
    assert.equal(control(report, '4.2.1').status, 'fail', 'from the KubeletConfiguration in the snapshot');
    assert.equal(control(report, '1.2.15').status, 'pass');
    assert.equal(control(report, '1.1.1').status, 'manual', 'node files need palisade node');
    const s = report.summary;
    assert.equal(s.pass + s.fail + s.error + s.manual + s.notApplicable, 131);
  });

  it('lists all 131 controls on a node root, and merges node results into the cluster report', async () => {
    const node = await run(['node', '--root', nodeRoot, '-f', 'json']);
    assert.equal(node.code, 0, node.stderr);
    const nodeFile = join(dir, 'node.json');
    writeFileSync(nodeFile, node.stdout);
    const onlyNode = JSON.parse((await run(['compliance', '--node-results', nodeFile, '-f', 'json'])).stdout) as ReportJson;
    assert.equal(onlyNode.controls.length, 131);
    assert.equal(control(onlyNode, '1.1.1').status, 'fail');
    assert.equal(control(onlyNode, '1.2.28').status, 'fail', 'identity first in the encryption configuration');
    assert.equal(control(onlyNode, '4.2.7').status, 'fail', 'kubelet --hostname-override');
    const merged = JSON.parse((await run(['compliance', '--snapshot', snap, '--node-results', nodeFile, '-f', 'json'])).stdout) as ReportJson;
    assert.equal(control(merged, '1.1.1').status, 'fail');
    assert.equal(control(merged, '5.2.2').status, control(JSON.parse((await run(['compliance', '--snapshot', snap, '-f', 'json'])).stdout), '5.2.2').status);
    // The same in one scan: --node-root collects the node facts beside the snapshot.
    const inline = JSON.parse((await run(['compliance', '--snapshot', snap, '--node-root', nodeRoot, '-f', 'json'])).stdout) as ReportJson;
    assert.deepEqual(
      inline.controls.map((c) => `${c.id} ${c.status}`),
      merged.controls.map((c) => `${c.id} ${c.status}`),
    );
  });

  it('builds NSA, PSS and MITRE reports from the same scan', async () => {
    const r = await run(['compliance', '--snapshot', snap, '--framework', 'nsa-1.2,pss-restricted', '--framework', 'mitre', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const { reports } = JSON.parse(r.stdout) as { reports: ReportJson[] };
    assert.deepEqual(
      reports.map((x) => x.framework.id),
      ['nsa-1.2', 'pss-restricted', 'mitre'],
    );
    const [nsa, pss, mitre] = reports as [ReportJson, ReportJson, ReportJson];
    assert.equal(control(nsa, 'NSA-21').status, 'fail');
    assert.equal(control(pss, 'baseline/host-path-volumes').status, 'fail');
    assert.equal(control(mitre, 'T1611').status, 'fail');
  });

  it('renders table, Markdown, HTML, CSV and JUnit with the same counts', async () => {
    const out = (f: string) => join(dir, `cis.${f}`);
    const r = await run(['compliance', '--snapshot', snap, ...['table', 'markdown', 'html', 'csv', 'junit', 'json'].flatMap((f) => ['-o', `${f}=${out(f)}`])]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(readFileSync(out('json'), 'utf8')) as ReportJson;
    const s = json.summary;
    const line = `131 controls: ${s.pass} pass, ${s.fail} fail, ${s.error} error, ${s.manual} manual, ${s.notApplicable} not applicable; score ${s.score}%`;
    assert.ok(readFileSync(out('table'), 'utf8').includes(line));
    assert.ok(readFileSync(out('markdown'), 'utf8').includes(`**${line}**`));
    const html = readFileSync(out('html'), 'utf8');
    assert.match(html, /<svg class="chart"/);
    assert.match(html, new RegExp(`Score <strong>${s.score}%</strong>`));
    assert.doesNotMatch(html, /<(script|link|img)\b|src=|url\(/, 'no external assets, no script');
    const csv = readFileSync(out('csv'), 'utf8').trimEnd().split('\r\n');
    assert.equal(csv.length, 132);
    assert.equal(csv.filter((l) => /^cis-1\.12,v1\.12\.0,[^,]+,[^,]*,[^,]*,fail,/.test(l) || l.includes(',fail,')).length >= s.fail, true);
    const junit = readFileSync(out('junit'), 'utf8');
    assert.equal((junit.match(/<testcase /g) ?? []).length, 131);
    assert.equal((junit.match(/<failure /g) ?? []).length, s.fail);
  });

  it('marks provider-owned controls not applicable on a managed cluster', async () => {
    const report = JSON.parse((await run(['compliance', '--snapshot', eks, '-f', 'json'])).stdout) as ReportJson;
    assert.equal(report.platform?.name, 'eks');
    assert.equal(control(report, '1.2.1').status, 'not-applicable');
    assert.match(control(report, '1.2.1').reason, /managed by provider \(eks\)/);
    assert.equal(control(report, '1.1.1').status, 'not-applicable');
  });

  it('loads user frameworks', async () => {
    const r = await run([
      'compliance',
      '--snapshot',
      snap,
      '--framework-file',
      join(TEMPLATES, 'nist-800-190.yaml'),
      '--framework',
      'nist-800-190',
      '-f',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ReportJson;
    assert.equal(report.framework.id, 'nist-800-190');
    assert.equal(control(report, '4.1.1').status, 'manual');
    assert.equal(control(report, '4.4.3').status, 'fail');
    const list = await run(['compliance', '--list', '--framework-file', join(TEMPLATES, 'hipaa.yaml')]);
    assert.match(list.stdout, /^cis-1\.12 +CIS Kubernetes Benchmark v1\.12\.0 \(131 controls\)$/m);
    assert.match(list.stdout, /^hipaa /m);
  });

  it('selects checks by framework control in scan', async () => {
    const r = await run(['scan', '--snapshot', snap, '--include', 'cis:1.2.*', '-f', 'json']);
    const report = JSON.parse(r.stdout) as { findings: { name: string; status: string }[]; checks: { name: string }[] };
    assert.ok(
      report.checks.every((c) => c.name.startsWith('apiserver-') || c.name === 'encryption-provider-weak'),
      report.checks.map((c) => c.name).join(' '),
    );
    assert.ok(report.findings.some((f) => f.name === 'apiserver-anonymous-auth' && f.status === 'fail'));
    const bad = await run(['scan', '--snapshot', snap, '--framework', 'nsb']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--framework: "nsb" names no framework \(did you mean "nsa"\?\)/);
  });

  it('exits 2 on usage and input errors and 1 below --fail-under', async () => {
    const unknown = await run(['compliance', '--snapshot', snap, '--framework', 'cis-2.0']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /"cis-2\.0" names no framework/);
    const notJson = join(dir, 'not-a-report.json');
    writeFileSync(notJson, '{"hello": 1}');
    const bad = await run(['compliance', '--node-results', notJson]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not-a-report\.json: not a Palisade JSON report/);
    const format = await run(['compliance', '--snapshot', snap, '-f', 'sarif']);
    assert.equal(format.code, 2);
    const low = await run(['compliance', '--snapshot', snap, '--fail-under', '100', '-f', 'csv']);
    assert.equal(low.code, 1);
    assert.match(low.stderr, /cis-1\.12 scores [\d.]+%, below --fail-under 100/);
    const empty = mkdtempSync(join(tmpdir(), 'palisade-compliance-empty-'));
    const nothing = await runBuiltCli(['compliance'], empty);
    rmSync(empty, { recursive: true, force: true });
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /nothing to report on: no Kubernetes object found in \./);
    const root = await run(['node', '--root', join(dir, 'missing')]);
    assert.equal(root.code, 2);
    assert.match(root.stderr, /--root .*missing: cannot read the node's filesystem there/);
  });
});
