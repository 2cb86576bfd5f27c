/**
 * Compliance formats: golden files for each, the same counts in every format, and hostile
 * names escaped for each medium (terminal, Markdown, HTML, CSV, XML).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ComplianceReport, type ControlResult, summarize } from '../frameworks/compliance.js';
import { complianceReporters, countsLine } from './compliance.js';
import { assertGolden } from './fixtures/golden.js';
import { HOSTILE_NAME } from './fixtures/sample-report.js';

const counts = (pass: number, fail: number) => ({ pass, fail, exempt: 0, error: 0 });

const controls: ControlResult[] = [
  {
    id: '5.2.2',
    title: 'Limit privileged containers',
    section: 'Pod Security Standards',
    method: 'api',
    automated: false,
    status: 'fail',
    reason: '1 failing finding (pss-privileged)',
    checks: [{ id: 'PAL-0003', name: 'pss-privileged', title: 'Privileged container', counts: counts(3, 1) }],
    resources: [
      {
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: HOSTILE_NAME },
        check: 'PAL-0003',
        checkName: 'pss-privileged',
        severity: 'high',
        status: 'fail',
        message: `Deployment ${HOSTILE_NAME}: container =cmd|' /C calc'!A0 must not set privileged=true`,
        pointer: '/spec/template/spec/containers/0/securityContext/privileged',
      },
    ],
  },
  {
    id: '5.2.3',
    title: 'Limit hostPID',
    section: 'Pod Security Standards',
    status: 'pass',
    reason: '4 passing results',
    checks: [{ id: 'PAL-0002', name: 'pss-host-namespaces', title: 'Host namespaces', counts: counts(4, 0) }],
    resources: [],
  },
  {
    id: '1.2.1',
    title: 'API server: anonymous auth off',
    section: 'API server',
    status: 'not-applicable',
    reason: 'not applicable: managed by provider (eks); the control plane is not visible to the cluster’s users',
    checks: [],
    resources: [],
  },
  // A user framework's title is user input: a spreadsheet must not run it as a formula.
  { id: '3.1.1', title: '=HYPERLINK("http://x")', section: 'Authentication', status: 'manual', reason: 'Organisational.', checks: [], resources: [] },
  {
    id: '4.2.1',
    title: 'Kubelet anonymous auth off',
    section: 'Kubelet',
    status: 'error',
    reason: 'could not be assessed: nodes/proxy: forbidden (403)',
    checks: [],
    resources: [],
  },
];

const report: ComplianceReport = {
  framework: { id: 'cis-1.12', title: 'CIS Kubernetes Benchmark', version: 'v1.12.0' },
  generatedAt: '2026-12-03T12:00:00.000Z',
  sources: ['snapshot:prod.json#prod'],
  platform: { name: 'eks', managed: true, evidence: 'API server version v1.31.2-eks-7f9249a' },
  summary: summarize(controls),
  controls,
};

describe('compliance reporters', () => {
  for (const [name, ext] of [
    ['table', 'txt'],
    ['json', 'json'],
    ['markdown', 'md'],
    ['html', 'html'],
    ['csv', 'csv'],
    ['junit', 'xml'],
  ] as const)
    it(`${name} matches its golden file`, () => {
      const r = complianceReporters[name];
      assert.ok(r);
      assertGolden(`compliance.${ext}`, r.render([report], { color: false }));
    });

  it('prints the same counts and score everywhere', () => {
    assert.equal(countsLine(report), '5 controls: 1 pass, 1 fail, 1 error, 1 manual, 1 not applicable; score 33.3%');
    for (const name of ['table', 'markdown']) assert.ok(complianceReporters[name]?.render([report], { color: false }).includes(countsLine(report)), name);
    const html = complianceReporters.html?.render([report], { color: false }) ?? '';
    assert.match(html, /Score <strong>33\.3%<\/strong> · 5 controls: 1 pass, 1 fail, 1 error, 1 manual, 1 not applicable/);
    const junit = complianceReporters.junit?.render([report], { color: false }) ?? '';
    assert.match(junit, /<testsuite name="CIS Kubernetes Benchmark v1\.12\.0" tests="5" failures="1" errors="1" skipped="2">/);
  });

  it('escapes hostile names for each medium', () => {
    for (const name of ['markdown', 'html', 'junit']) assert.ok(!complianceReporters[name]?.render([report], { color: false }).includes(HOSTILE_NAME), name);
    const csv = complianceReporters.csv?.render([report], { color: false }) ?? '';
    assert.ok(csv.includes(',"\'=HYPERLINK(""http://x"")",'), 'formula cells are defused and quoted');
    assert.ok(!/,=/.test(csv));
    assert.equal(csv.split('\r\n').length, 7, 'header, five controls, final line break');
  });
});
