/**
 * "Top risks" first in every format of a scan report: table, Markdown, HTML (with the paths
 * drawn as inline SVG), SARIF run properties and JSON; one honest line when there is nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Log } from 'sarif';
import { inventoryOf } from '../../test/support/fixtures.js';
import type { ScanReport } from '../core/report.js';
import { scanInventory } from '../scan.js';
import { assertValidSarif } from './fixtures/sarif-schema.js';
import { reporters } from './index.js';

const BASE = readFileSync(new URL('../paths/fixtures/internet-to-cluster-admin.yaml', import.meta.url), 'utf8');
const reportOf = (text: string, topRisks?: number): ScanReport =>
  scanInventory(inventoryOf(text, 'app.yaml').inventory, { sources: ['app.yaml'], ...(topRisks !== undefined ? { topRisks } : {}) });
const render = (format: string, report: ScanReport): string => (reporters[format] as NonNullable<(typeof reporters)[string]>).render(report, { color: false });
const EMPTY = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {k: v}\n';

describe('Top risks in every report format', () => {
  const report = reportOf(BASE);

  it('table: the first section, each risk with its hops and the change that cuts it', () => {
    const out = render('table', report);
    const lines = out.split('\n');
    assert.match(lines[0] ?? '', /^TOP RISKS {2}\d+ of \d+ attack paths, by risk score/);
    assert.match(lines[2] ?? '', /^ {2}1\. score 2\.6 {2}internet via Ingress shop\/web to Deployment shop\/web => cluster-admin/);
    assert.match(out, /1\) exploit-exposed-service \[T1190, MS-TA9009\] -> container web of Deployment shop\/web\s+\(app\.yaml:\d+\)/);
    assert.match(out, /cut: hop 2 \(token-theft, on \d+ of \d+ paths\): set automountServiceAccountToken: false/);
    assert.match(out, /reported as: PAL-0700 internet-exposed-attack-path/);
    assert.ok(out.indexOf('TOP RISKS') < out.indexOf('CRITICAL'));
  });

  it('markdown: a table right after the summary line, before the findings', () => {
    const out = render('markdown', report);
    const at = out.indexOf('### Top risks');
    assert.ok(at > 0 && at < out.indexOf('| Severity |'));
    assert.match(out, /\| 1 \| 2\.6 \| \*\*internet-exposed \+ token mounted \+ RBAC bind → cluster-admin\*\*/);
    assert.match(out, /hop 2 `token-theft`: set automountServiceAccountToken: false/);
  });

  it('html: before the charts, every path drawn as inline SVG with the cut hop marked; nothing external', () => {
    const out = render('html', report);
    const at = out.indexOf('<section class="top-risks"');
    assert.ok(at > 0 && at < out.indexOf('<figure class="chart">'));
    assert.equal((out.match(/<svg class="risk-path"/g) ?? []).length, report.topRisks?.risks.length);
    assert.match(out, /stroke-dasharray="5 3"/);
    assert.match(out, /✂ cut/);
    assert.doesNotMatch(out, /(src|href)="https?:/);
  });

  it('sarif: run properties, valid against the schema', () => {
    const log = JSON.parse(render('sarif', report)) as Log;
    assertValidSarif(log);
    const props = log.runs[0]?.properties as { topRisksSummary: string; topRisks: { risks: { score: number; cut: { edge: string } }[] } };
    assert.match(props.topRisksSummary, /attack paths, by risk score/);
    assert.equal(props.topRisks.risks[0]?.score, 2.6);
    assert.equal(props.topRisks.risks[0]?.cut.edge, 'token-theft');
    assert.equal(Object.keys(log.runs[0]?.properties ?? {})[0], 'topRisksSummary');
  });

  it('json: topRisks in the report, in the same order', () => {
    const json = JSON.parse(render('json', report)) as ScanReport;
    assert.deepEqual(json.topRisks, JSON.parse(JSON.stringify(report.topRisks)));
  });

  it('one line when there is no path, or when turned off, in every format', () => {
    const none = reportOf(EMPTY);
    assert.match(render('table', none), /^TOP RISKS {2}no attack path found/);
    assert.match(render('markdown', none), /### Top risks\n\nno attack path found/);
    assert.match(render('html', none), /<h2>Top risks<\/h2>\n<p class="meta">no attack path found/);
    assert.match((JSON.parse(render('sarif', none)) as Log).runs[0]?.properties?.topRisksSummary as string, /^no attack path found/);
    assert.equal((JSON.parse(render('json', none)) as ScanReport).topRisks?.status, 'none');
    assert.match(render('table', reportOf(BASE, 0)), /^TOP RISKS {2}not computed \(turned off with --top-risks 0\)/);
  });
});
