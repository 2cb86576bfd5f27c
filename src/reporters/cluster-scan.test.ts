/**
 * Reports of cluster scans: objects named with their cluster when there are several,
 * running pods on owners, and the coverage percentage plus every type not read completely.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Log } from 'sarif';
import { visibleLength } from './ansi.js';
import { clusterReport, sampleReport } from './fixtures/sample-report.js';
import { assertValidSarif } from './fixtures/sarif-schema.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { findingFingerprint, toSarif } from './sarif.js';
import { renderTable } from './table.js';

const GAPS = ['networkpolicies.networking.k8s.io: read in 2 of 3 namespaces', 'clusterroles.rbac.authorization.k8s.io', 'metrics.k8s.io/v1beta1', 'secrets'];

describe('cluster scan reports', () => {
  const report = clusterReport();

  it('table: names the cluster, counts pods, shows coverage and every gap', () => {
    const out = renderTable(report, { color: false });
    assert.match(out, /Deployment prod\/web \[app\] @ prod-eu \(3 running pods\)/);
    assert.match(out, /Deployment prod\/web \[app\] @ prod-us \(1 running pod\)/);
    assert.match(out, /│ Coverage +98\.3% {2}\(4 resource types not fully read\)/);
    assert.match(out, /│ Cluster +prod-eu {2}\(Kubernetes v1\.31\.2, 420 objects, 96\.6% read\)/);
    for (const g of GAPS) assert.ok(out.includes(g), g);
    // Two objects, not one: the ranking keys on the cluster too.
    assert.match(out, /1\. Deployment prod\/web @ prod-eu .*\n {2}2\. Deployment prod\/web @ prod-us/);
  });

  it('keeps the table within 100 columns with long context names', () => {
    const arn = 'arn:aws:eks:eu-west-1:123456789012:cluster/production-platform-eu-west-1-primary';
    const long = {
      ...report,
      clusters: (report.clusters ?? []).map((c) => ({ ...c, name: `${arn}-${c.name}` })),
      findings: report.findings.flatMap((f) =>
        (['critical', 'high', 'medium', 'low', 'info'] as const).map((severity) => ({
          ...f,
          severity,
          // One field per severity, so that grouping keeps them apart and every section shows.
          pointer: `/spec/field-${severity}`,
          resource: { ...f.resource, cluster: `${arn}-${f.resource.cluster}` },
        })),
      ),
    };
    for (const line of renderTable(long, { color: true }).split('\n')) assert.ok(visibleLength(line) <= 100, `too wide: ${line}`);
  });

  it('leaves the cluster out of labels when there is only one', () => {
    const one = { ...report, clusters: report.clusters?.slice(0, 1) ?? [], findings: report.findings.slice(0, 1) };
    assert.ok(!renderTable(one, { color: false }).includes('@ prod-eu'));
  });

  it('markdown: coverage line and a gaps section', () => {
    const out = renderMarkdown(report);
    assert.match(out, /Coverage: \*\*98\.3%\*\* of what the checks read \(4 types not read completely/);
    assert.match(out, /<summary><strong>Coverage gaps \(4\)<\/strong><\/summary>/);
    assert.match(out, /@\u200b prod-us \(1 running pod\)/);
  });

  it('sarif: gaps as notifications, cluster in logical locations and fingerprints, still valid', () => {
    const log: Log = toSarif(report);
    assertValidSarif(log);
    const run = log.runs[0];
    const notes = run?.invocations?.[0]?.toolExecutionNotifications ?? [];
    assert.deepEqual(
      notes.map((n) => [n.level, n.descriptor?.id]),
      [
        ['warning', 'coverage-partial'],
        ['note', 'coverage-skipped'],
        ['warning', 'coverage-forbidden'],
        ['error', 'coverage-failed'],
      ],
    );
    assert.equal(run?.invocations?.[0]?.executionSuccessful, false);
    assert.deepEqual(
      run?.results?.map((r) => r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName),
      ['prod-eu/prod/Deployment/web', 'prod-us/prod/Deployment/web'],
    );
    assert.equal(run?.results?.[0]?.properties?.affectedPods, 3);
    assert.equal(run?.properties?.coveragePercent, 98.3);
    const [eu, us] = report.findings;
    assert.ok(eu && us);
    assert.notEqual(findingFingerprint(eu), findingFingerprint(us));
    // Manifest findings keep the fingerprint they had before clusters existed.
    const manifest = sampleReport().findings[0];
    assert.ok(manifest);
    const { cluster: _cluster, ...withoutCluster } = eu.resource;
    assert.equal(findingFingerprint({ ...eu, resource: withoutCluster }), findingFingerprint(manifest));
  });

  it('junit: a failed type is an error, the other gaps are output', () => {
    const xml = renderJunit(report);
    assert.match(xml, /<error message="prod-us: metrics\.k8s\.io\/v1beta1: [^"]*" type="coverage-failed"\/>/);
    assert.match(xml, /coverage: 98\.3% of what the checks read<\/system-out>/);
  });

  it('html: coverage tile, clusters and gaps', () => {
    const html = renderHtml(report);
    assert.match(html, /<div class="tile-value">98\.3%<\/div><div class="tile-label">coverage \(of what the checks read\)<\/div>/);
    assert.match(html, /Clusters: <code>prod-eu<\/code> \(Kubernetes v1\.31\.2, 420 objects, 96\.6% read\)/);
    for (const g of GAPS) assert.ok(html.includes(g), g);
    assert.ok(html.includes('"multiCluster":true'));
  });
});
