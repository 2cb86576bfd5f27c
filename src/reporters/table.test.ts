import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { visibleLength, wrap } from './ansi.js';
import { assertGolden } from './fixtures/golden.js';
import type { Finding } from '../core/types.js';
import { SAMPLE_FINDINGS, sampleReport } from './fixtures/sample-report.js';
import { renderTable, tableReporter } from './table.js';

describe('table reporter', () => {
  it('matches the golden file (no colour)', () => {
    assertGolden('table.txt', renderTable(sampleReport(), { color: false }));
  });

  it('uses ANSI colours only when asked to', () => {
    const plain = renderTable(sampleReport(), { color: false });
    const coloured = renderTable(sampleReport(), { color: true });
    assert.ok(!plain.includes('\u001b'), 'plain output has no escape character at all');
    assert.ok(coloured.includes('\u001b[1;97;45m CRITICAL \u001b[0m'), 'critical badge');
    assert.ok(coloured.includes('\u001b[1;31m2 high\u001b[0m'), 'high count in red');
  });

  it('fits 100 columns, with and without colour', () => {
    for (const color of [false, true]) {
      for (const line of renderTable(sampleReport(), { color }).split('\n')) {
        assert.ok(visibleLength(line) <= 100, `too wide (${visibleLength(line)}): ${line}`);
      }
    }
  });

  it('defuses control and bidi characters from manifests', () => {
    const out = renderTable(sampleReport(), { color: true });
    // Our own SGR codes aside, no escape character may reach the terminal.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips our own SGR codes
    const withoutOurs = out.replace(/\u001b\[[0-9;]*m/g, '');
    assert.ok(!withoutOurs.includes('\u001b'));
    assert.ok(!out.includes('\u202e'));
    assert.ok(!out.includes('\u0001'));
    assert.match(out, /\\u\{1b\}\[31m red\\u\{202e\}/);
  });

  it('groups by severity, most serious first, then by check', () => {
    const out = renderTable(sampleReport(), { color: false });
    const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO', 'EXEMPT', 'ERRORS', 'NOTICES', 'TOP AFFECTED RESOURCES'].map((h) => out.indexOf(`\n${h}  `));
    for (let i = 1; i < order.length; i++) assert.ok((order[i - 1] ?? -1) < (order[i] ?? -1), `section order at ${i}: ${order.join(',')}`);
    assert.match(out, /PAL-0002 host-pid — Pod shares the host PID namespace \(2\)\n {2}DaemonSet monitoring\/node-exporter\n/);
  });

  it('shows exemption reasons, errors and the summary counts', () => {
    const out = renderTable(sampleReport(), { color: false });
    assert.match(out, /reason: reviewed in SEC-142 \(config, expires 2026-06-30\)/);
    assert.match(out, /check PAL-0400 failed to evaluate/);
    assert.match(out, /│ Failing findings +9 {2}3 critical {2}2 high {2}2 medium {2}1 low {2}1 info │/);
    assert.match(out, /│ Problems +8 {2}2 critical {2}2 high {2}2 medium {2}1 low {2}1 info +│/);
    assert.match(out, /│ Non-Kubernetes documents skipped +2 /);
    assert.match(out, /│ Parse errors +1 /);
  });

  it('shows one entry per problem, the other checks after it', () => {
    const out = renderTable(sampleReport(), { color: false });
    assert.match(out, /CRITICAL {2}2 problems \(3 findings\)/);
    assert.match(out, /sets securityContext\.privileged: true\n {4}also: PAL-0600\n/);
    assert.ok(!out.includes('\nPAL-0600 '), 'the restated control has no entry of its own');
  });

  it('leaves out problems below --min-severity and says how many', () => {
    const out = tableReporter.render(sampleReport(), { color: false, minSeverity: 'high' });
    assert.ok(!out.includes('\nMEDIUM ') && !out.includes('\nLOW ') && !out.includes('\nINFO '));
    assert.match(out, /│ Not shown +4 findings below high \(--min-severity high\) +│/);
    // The summary still counts every finding, and errors stay listed.
    assert.match(out, /│ Failing findings +9 /);
    assert.match(out, /check PAL-0400 failed to evaluate/);
  });

  it('tells same-name objects from different files apart in the top resources', () => {
    const base = SAMPLE_FINDINGS[0] as Finding;
    const twin = (file: string): Finding => ({ ...base, location: { file, line: 1, column: 1 } });
    const out = renderTable(sampleReport({ findings: [twin('a/web.yaml'), twin('b/web.yaml')] }), { color: false });
    assert.match(out, /1\. Deployment prod\/web \(a\/web\.yaml\) +score 10/);
    assert.match(out, /2\. Deployment prod\/web \(b\/web\.yaml\) +score 10/);
  });

  it('prints a short report for a clean scan', () => {
    const out = renderTable(sampleReport({ findings: [], diagnostics: [], exceptions: { expired: [], unused: [] } }), { color: false });
    assert.ok(!out.includes('CRITICAL'));
    assert.match(out, /│ Failing findings +0 /);
    assert.ok(out.startsWith('┌'));
  });
});

describe('wrap', () => {
  it('wraps words with a hanging indent and splits long words', () => {
    assert.deepEqual(wrap('one two three', 11, '  '), ['  one two', '  three']);
    assert.deepEqual(wrap('aaaaaaaaaaaaaaaaaaaaaaaaa b', 12, '', '  '), ['aaaaaaaaaaaa', '  aaaaaaaaaa', '  aaa b']);
    assert.deepEqual(wrap('', 20, '  '), ['  ']);
  });
});
