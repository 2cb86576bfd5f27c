/**
 * End-to-end: `palisade pss` (the built CLI, dist/cli/main.js) on src/pss/fixtures/e2e, asserting
 * the JSON report, the table and exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CLI } from '../../test/support/cli.js';

const FIXTURES = new URL('./fixtures/e2e/', import.meta.url).pathname;

function run(args: readonly string[], input = ''): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface JsonResult {
  resource: { kind: string; name: string; namespace?: string };
  location: { file: string; line: number };
  allowed: boolean;
  violations: { control: string; title: string; reason: string; pointers: string[]; location?: { file: string; line: number } }[];
}

function verdicts(results: readonly JsonResult[]): Record<string, string[]> {
  return Object.fromEntries(results.map((r) => [`${r.resource.kind}/${r.resource.name}`, [...new Set(r.violations.map((v) => v.control))].sort()]));
}

describe('palisade pss', () => {
  it('restricted: JSON report with clamped version, one entry per pod-bearing object, exit 1', () => {
    const r = run(['pss', FIXTURES, '--level', 'restricted', '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.level, 'restricted');
    assert.equal(report.version, 'latest');
    assert.equal(report.effectiveVersion, 'v1.37');
    assert.deepEqual(report.summary, { objects: 3, allowed: 1, denied: 2 });
    assert.deepEqual(verdicts(report.results), {
      'CronJob/report': ['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted'],
      'Deployment/api': [],
      'Pod/node-debug': ['allowPrivilegeEscalation', 'capabilities_restricted', 'privileged', 'restrictedVolumes', 'runAsNonRoot', 'seccompProfile_restricted'],
    });
    const pod = (report.results as JsonResult[]).find((x) => x.resource.name === 'node-debug');
    assert.deepEqual(pod?.location, { file: `${FIXTURES}privileged.yaml`, line: 2 });
    const priv = pod?.violations.find((v) => v.control === 'privileged');
    assert.deepEqual(priv, {
      control: 'privileged',
      title: 'Privileged Containers',
      reason: 'container "shell" must not set securityContext.privileged=true',
      pointers: ['/spec/containers/0/securityContext/privileged'],
      location: { file: `${FIXTURES}privileged.yaml`, line: 11 },
    });
    const cron = (report.results as JsonResult[]).find((x) => x.resource.name === 'report');
    assert.equal(cron?.resource.namespace, 'shop');
  });

  it('baseline at a version above the newest: clamped, the Restricted-only problems pass', () => {
    const r = run(['pss', FIXTURES, '--level', 'baseline', '--pss-version', 'v1.99', '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.version, 'v1.99');
    assert.equal(report.effectiveVersion, 'v1.37');
    assert.deepEqual(report.summary, { objects: 3, allowed: 2, denied: 1 });
    assert.deepEqual(verdicts(report.results)['Pod/node-debug'], ['hostPathVolumes', 'privileged']);
  });

  it('exits 0 when every object is allowed; accepts 1.N; reads stdin', () => {
    assert.equal(run(['pss', `${FIXTURES}compliant.yaml`, '--level', 'restricted', '--pss-version', '1.25']).code, 0);
    assert.equal(run(['pss', FIXTURES, '--level', 'privileged']).code, 0);
    const r = run(
      ['pss', '-', '--level', 'baseline', '-f', 'json'],
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: c, image: x}]\n',
    );
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout).results[0].violations[0].pointers, ['/spec/hostPID']);
  });

  it('prints a table: one line per object, reasons indented, a summary', () => {
    const r = run(['pss', FIXTURES, '--level', 'baseline']);
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n');
    assert.match(lines[0] ?? '', /^ALLOWED {2}CronJob shop\/report +\S*baseline-only\.yaml:2$/);
    assert.match(lines[2] ?? '', /^DENIED {3}Pod node-debug +\S*privileged\.yaml:2$/);
    assert.equal(lines[3], '    Privileged Containers [privileged]: container "shell" must not set securityContext.privileged=true  (line 11)');
    assert.equal(lines[4], '    HostPath Volumes [hostPathVolumes]: volume "host" must not use hostPath  (line 17)');
    assert.match(r.stdout, /3 objects checked against Pod Security Standard "baseline" \(latest = v1\.37\): 2 allowed, 1 denied\n$/);
    assert.ok(!r.stdout.includes('\u001b['), 'no colour without a TTY');
  });

  it('usage errors exit 2', () => {
    const badVersion = run(['pss', FIXTURES, '--level', 'baseline', '--pss-version', 'v2.x']);
    assert.equal(badVersion.code, 2);
    assert.match(badVersion.stderr, /invalid Pod Security version "v2\.x"/);
    assert.equal(run(['pss', FIXTURES, '--level', 'strict']).code, 2);
    assert.equal(run(['pss', FIXTURES]).code, 2, 'missing --level');
    assert.equal(run(['pss', FIXTURES, '--level', 'baseline', '-f', 'xml']).code, 2);
    const missing = run(['pss', `${FIXTURES}nope.yaml`, '--level', 'baseline']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or directory/);
    const clash = run(['pss', FIXTURES, '--level', 'baseline', '--pss-version', 'v1.29', '--version', 'v1.30']);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /--version v1\.30 and --pss-version v1\.29 disagree/);
  });

  it('--pss-version selects the policy version; the former --version after the subcommand still does', () => {
    const renamed = JSON.parse(run(['pss', FIXTURES, '--level', 'baseline', '--pss-version', 'v1.29', '-f', 'json']).stdout);
    assert.equal(renamed.version, 'v1.29');
    assert.equal(renamed.effectiveVersion, 'v1.29');
    const former = JSON.parse(run(['pss', FIXTURES, '--level', 'baseline', '--version', 'v1.29', '-f', 'json']).stdout);
    assert.equal(former.version, 'v1.29');
    assert.match(run(['pss', '--help']).stdout, /--pss-version <version>/);
  });

  it('input that could not be read: exit 1 unless --allow-incomplete; nothing read: exit 2', () => {
    const input = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n';
    const partial = run(['pss', `${FIXTURES}compliant.yaml`, `${FIXTURES}nope.yaml`, '--level', 'baseline']);
    assert.equal(partial.code, 1);
    assert.match(partial.stderr, /incomplete: 1 file could not be read/);
    assert.equal(run(['pss', `${FIXTURES}compliant.yaml`, `${FIXTURES}nope.yaml`, '--level', 'baseline', '--allow-incomplete']).code, 0);
    assert.equal(run(['pss', '-', '--level', 'baseline', '--max-file-size', '10'], input).code, 2);
  });

  it('leaves the root --version flag working', () => {
    const r = run(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });
});
