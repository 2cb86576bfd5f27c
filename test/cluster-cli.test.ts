/**
 * End-to-end: the built CLI against the fake API server, each in its own process, over HTTPS:
 * `scan --kubeconfig`, `--fail-on-coverage-below`, `snapshot`, `scan --snapshot` and
 * `inventory` on a cluster snapshot and on manifests.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBuiltCli } from './support/cluster-cli.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { fixtureClusterObjects } from './support/fixture-cluster.js';
import { writeKubeconfig } from './support/kubeconfig.js';
import { createTestPki, hasOpenssl } from './support/pki.js';

const run = runBuiltCli;

interface JsonReport {
  summary: { totals: { error: number } };
  findings: {
    check: string;
    status: string;
    severity: string;
    resource: { kind: string; name: string; cluster?: string };
    affectedPods?: number;
    evidence?: { missingKinds?: string[]; objects?: number };
  }[];
  coverage?: { percent: number; types: { resource: string; status: string }[] };
  clusters?: { name: string; kubernetesVersion?: string }[];
}

describe('palisade CLI on clusters', { skip: hasOpenssl() ? false : 'openssl is not installed (.ci/run installs it)' }, () => {
  let dir: string;
  let server: FakeApiProcess;
  let kubeconfig: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-cluster-cli-'));
    const pki = await createTestPki(dir);
    server = await startFakeApiProcess({
      pki: dir,
      tokens: { 'admin-token': 'admin', 'no-secrets-token': 'viewer', 'rbac-blind-token': 'rbac-blind' },
      access: [
        { allow: true, user: 'admin' },
        { allow: false, user: 'rbac-blind', resource: 'clusterroles' },
        { allow: false, resource: 'secrets' },
      ],
    });
    kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), [
      { name: 'prod', server: server.url, caFile: pki.caFile, token: 'admin-token' },
      { name: 'viewer', server: server.url, caFile: pki.caFile, token: 'no-secrets-token' },
      { name: 'rbac-blind', server: server.url, caFile: pki.caFile, token: 'rbac-blind-token' },
    ]);
  });
  after(async () => {
    await server?.close();
  });

  it('scans the current context, snapshots it, and scans the snapshot with the same findings', async () => {
    const live = await run(['scan', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on-coverage-below', '100'], dir);
    assert.equal(live.code, 0, live.stderr);
    const report = JSON.parse(live.stdout) as JsonReport;
    assert.equal(report.coverage?.percent, 100);
    assert.deepEqual(report.clusters?.[0]?.name, 'prod');
    assert.ok(report.findings.some((f) => f.resource.kind === 'Rollout' && f.affectedPods === 3));

    const file = join(dir, 'out', 'prod.snapshot.json.gz');
    const snap = await run(['snapshot', '--kubeconfig', kubeconfig, '-o', file], dir);
    assert.equal(snap.code, 0, snap.stderr);
    assert.ok(existsSync(file));
    assert.match(snap.stderr, /wrote .*prod\.snapshot\.json\.gz .*1 cluster, 36 objects, coverage 100%/);

    const offline = await run(['scan', '--snapshot', file, '-f', 'json'], dir);
    assert.equal(offline.code, 0, offline.stderr);
    assert.deepEqual((JSON.parse(offline.stdout) as JsonReport).findings, report.findings);

    const inv = await run(['inventory', '--snapshot', file, '-f', 'json'], dir);
    assert.equal(inv.code, 0, inv.stderr);
    const summary = JSON.parse(inv.stdout) as {
      counts: Record<string, number>;
      namespaces: Record<string, Record<string, number>>;
      kubernetesVersion?: string;
      workloads: { kind: string; name: string; pods?: number; images: string[] }[];
      exposedServices: { kind: string; name: string; type: string }[];
    };
    assert.equal(summary.counts.Pod, 8);
    assert.deepEqual(summary.namespaces.shop?.Deployment, 1);
    assert.equal(summary.kubernetesVersion, 'v1.31.0');
    assert.deepEqual(
      summary.workloads.map((w) => [w.kind, w.name, w.pods]).sort(),
      [
        ['CronJob', 'nightly-report', 1],
        ['DaemonSet', 'node-agent', 1],
        ['Deployment', 'web', 2],
        ['Pod', 'debug', undefined],
        ['Rollout', 'checkout', 3],
      ].sort(),
    );
    assert.ok(summary.exposedServices.some((e) => e.kind === 'Service' && e.type === 'LoadBalancer'));
  });

  it('gates on coverage and prints the inventory of manifests', async () => {
    const limited = await run(['scan', '--kubeconfig', kubeconfig, '--context', 'viewer', '-f', 'json', '--fail-on-coverage-below', '99.5'], dir);
    assert.equal(limited.code, 1, limited.stderr);
    assert.match(limited.stderr, /coverage \d+(\.\d)?% is below --fail-on-coverage-below 99\.5/);
    assert.match(limited.stderr, /secrets/);
    const report = JSON.parse(limited.stdout) as JsonReport;
    assert.equal(report.coverage?.types.find((t) => t.resource === 'secrets')?.status, 'forbidden');

    const manifests = join(dir, 'manifests');
    mkdirSync(manifests, { recursive: true });
    writeFileSync(
      join(manifests, 'app.yaml'),
      fixtureClusterObjects()
        .map((o) => `---\n${JSON.stringify(o)}\n`)
        .join(''),
    );
    const inv = await run(['inventory', manifests], dir);
    assert.equal(inv.code, 0, inv.stderr);
    assert.match(inv.stdout, /Objects: 36 in \d+ kinds and 4 namespaces/);
    assert.match(inv.stdout, /Workloads \(5\):/);

    const usage = await run(['scan', '--snapshot', 'x.gz', '--cluster'], dir);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /either --snapshot or --cluster/);
  });

  it('never lets --fail-on pass on checks that could not be evaluated, unless --allow-incomplete', async () => {
    // Only critical failures would fail this gate; the forbidden ClusterRoles leave RBAC checks in error.
    const strict = await run(
      ['scan', '--kubeconfig', kubeconfig, '--context', 'rbac-blind', '-f', 'json', '--fail-on', 'critical', '--exclude', 'PAL-04*,PAL-03*'],
      dir,
    );
    const report = JSON.parse(strict.stdout) as JsonReport;
    assert.ok(report.summary.totals.error > 0);
    assert.equal(strict.code, 1, strict.stderr);
    assert.match(strict.stderr, /\d+ checks? could not be fully evaluated \(\d+ error findings?\)/);
    const allowed = await run(
      [
        'scan',
        '--kubeconfig',
        kubeconfig,
        '--context',
        'rbac-blind',
        '-f',
        'json',
        '--fail-on',
        'critical',
        '--exclude',
        'PAL-04*,PAL-03*',
        '--allow-incomplete',
      ],
      dir,
    );
    const failing = (JSON.parse(allowed.stdout) as JsonReport).findings.some((f) => f.status === 'fail' && f.severity === 'critical');
    assert.equal(allowed.code, failing ? 1 : 0, allowed.stderr);
    assert.doesNotMatch(allowed.stderr, /could not be fully evaluated/);
  });

  it('weights coverage by what the checks read, names the degraded analyses and groups errors per cause', async () => {
    const r = await run(['scan', '--kubeconfig', kubeconfig, '--context', 'rbac-blind', '-f', 'json', '--fail-on-coverage-below', '90'], dir);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport & {
      coverage: {
        percent: number;
        typesPercent: number;
        checks: { total: number; complete: number; degraded: { check: string; missing: string[] }[] };
        degraded: { analysis: string; missing: string[]; checks: number }[];
      };
    };
    // Two forbidden types of about forty: by type that looked like 95%, while RBAC analysis was off.
    assert.ok(report.coverage.typesPercent > 90, String(report.coverage.typesPercent));
    // Weighted by checks, it is far lower (how far depends on how many checks read RBAC data).
    assert.ok(report.coverage.percent < report.coverage.typesPercent - 15, `${report.coverage.percent} vs ${report.coverage.typesPercent}`);
    assert.match(r.stderr, /coverage \d+(\.\d)?% is below --fail-on-coverage-below 90/);
    // The RBAC model reads ClusterRoles; the scopes model (what exists per namespace, for the
    // reference and selector checks) reads Secrets and Roles too; the attack graph reads what
    // the RBAC model reads.
    assert.deepEqual(
      report.coverage.degraded.map((d) => [d.analysis, d.missing]),
      [
        ['rbac', ['clusterroles.rbac.authorization.k8s.io: forbidden']],
        ['scopes', ['secrets: forbidden', 'clusterroles.rbac.authorization.k8s.io: forbidden']],
        ['paths', ['clusterroles.rbac.authorization.k8s.io: forbidden']],
      ],
    );
    assert.match(r.stderr, /warning: rbac-blind: RBAC analysis degraded: clusterroles\.rbac\.authorization\.k8s\.io: forbidden \(\d+ checks rely on it\)/);
    assert.ok(report.coverage.checks.degraded.some((d) => d.check === 'PAL-0202' && d.missing.includes('secrets: forbidden')));
    // Errors: one per check and cause, on the cluster, never one per object.
    const errors = report.findings.filter((f) => f.status === 'error');
    assert.ok(errors.length > 0);
    assert.ok(errors.every((f) => f.resource.kind === 'Cluster'));
    const causes = errors.map((f) => `${f.check} ${f.evidence?.missingKinds?.join(',')}`);
    assert.equal(new Set(causes).size, causes.length, 'one error per check and cause');
    assert.ok(errors.length >= report.coverage.checks.total - report.coverage.checks.complete, 'every degraded check says so');

    const table = await run(['scan', '--kubeconfig', kubeconfig, '--context', 'rbac-blind'], dir);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /RBAC analysis degraded/);
  });
});
