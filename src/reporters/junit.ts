/**
 * JUnit XML for CI test tabs (GitLab, Jenkins, Azure DevOps, GitHub test-report actions):
 * one test suite per check, one test case per resource it failed, exempted or errored on.
 * Passing targets appear one by one when the scan kept passes, otherwise as one summary
 * case, so that a clean check still shows as a passed test rather than an empty suite.
 */
import type { CheckMeta } from '../core/check.js';
import type { ScanReport } from '../core/report.js';
import { describeIncomplete, filterReport, sortFindings } from '../core/report.js';
import type { Finding } from '../core/types.js';
import { checksById, coverageGaps, isMultiCluster, locationLabel, podsNote, targetLabel } from './shared.js';
import type { Reporter } from './types.js';

// XML 1.0 allows tab, LF, CR and U+0020 and up, minus surrogates (lone ones included) and
// U+FFFE/U+FFFF. Anything else makes the whole document unparseable, so it is dropped.
const XML_INVALID = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

// Bidi overrides are legal XML but would let a manifest reorder the text a CI page shows.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escapes text content: `&`, `<`, `>` as entities; characters XML 1.0 forbids removed;
 * bidi overrides shown as `\u{202e}` escapes.
 *
 * @example
 * xmlText('a < b & c\u0000'); // 'a &lt; b &amp; c'
 */
export function xmlText(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(BIDI, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Escapes an attribute value (always written in double quotes). Tabs and line breaks become
 * character references, since parsers otherwise normalise them to spaces.
 *
 * @example
 * xmlAttr('say "hi"\n'); // 'say &quot;hi&quot;&#10;'
 */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

const attrs = (pairs: readonly (readonly [string, string | number | undefined])[]): string =>
  pairs
    .filter((p): p is readonly [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');

function details(f: Finding, check: CheckMeta | undefined, withCluster: boolean): string {
  const loc = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '(no source position)';
  const lines = [
    `Check: ${f.check} ${f.name}: ${f.title}`,
    `Severity: ${f.severity}${f.severity !== f.defaultSeverity ? ` (default ${f.defaultSeverity})` : ''}`,
    `Resource: ${targetLabel(f, withCluster)}${podsNote(f)} (${f.resource.apiVersion})`,
    `Location: ${loc}`,
    `Pointer: ${f.pointer === '' ? '(the whole object)' : f.pointer}`,
    `Message: ${f.message}`,
  ];
  if (f.status === 'fail' && check) lines.push(`Remediation: ${check.docs.remediation}`);
  if (f.frameworks.length > 0) lines.push(`Frameworks: ${f.frameworks.join(', ')}`);
  return lines.join('\n');
}

function testcase(f: Finding, name: string, suite: string, check: CheckMeta | undefined, counts: Counts, indent: string, withCluster: boolean): string[] {
  counts.tests++;
  const open = `${indent}<testcase${attrs([
    ['name', name],
    ['classname', suite],
    ['file', f.location?.file],
  ])}`;
  switch (f.status) {
    case 'pass':
      return [`${open}/>`];
    case 'fail':
      counts.failures++;
      return [
        `${open}>`,
        `${indent}  <failure${attrs([
          ['message', f.message],
          ['type', f.severity],
        ])}>${xmlText(details(f, check, withCluster))}</failure>`,
        `${indent}</testcase>`,
      ];
    case 'exempt': {
      counts.skipped++;
      const reason = f.exemption ? `exempt (${f.exemption.source}): ${f.exemption.reason}` : 'exempt';
      return [`${open}>`, `${indent}  <skipped${attrs([['message', reason]])}/>`, `${indent}</testcase>`];
    }
    case 'error':
      counts.errors++;
      return [
        `${open}>`,
        `${indent}  <error${attrs([
          ['message', f.message],
          ['type', 'check-error'],
        ])}>${xmlText(details(f, check, withCluster))}</error>`,
        `${indent}</testcase>`,
      ];
  }
}

/** Test case names: the target, plus the pointer where one check hit one target twice. */
function caseNames(findings: readonly Finding[], withCluster: boolean): string[] {
  const labels = findings.map((f) => targetLabel(f, withCluster));
  const seen = new Map<string, number>();
  for (const l of labels) seen.set(l, (seen.get(l) ?? 0) + 1);
  return findings.map((f, i) => {
    const l = labels[i] ?? '';
    return (seen.get(l) ?? 0) > 1 ? `${l} at ${f.pointer || '/'}` : l;
  });
}

function suite(report: ScanReport, id: string, check: CheckMeta | undefined, findings: readonly Finding[], total: Counts): string[] {
  const name = check ? `${check.id} ${check.name}` : `${id} ${findings[0]?.name ?? ''}`.trim();
  const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const withCluster = isMultiCluster(report);
  const names = caseNames(findings, withCluster);
  const cases = findings.flatMap((f, i) => testcase(f, names[i] ?? '', name, check, counts, '    ', withCluster));
  const passes = report.perCheck[id]?.pass ?? 0;
  if (passes > 0 && !findings.some((f) => f.status === 'pass')) {
    counts.tests++;
    cases.push(
      `    <testcase${attrs([
        ['name', `${passes} passing target${passes === 1 ? '' : 's'}`],
        ['classname', name],
      ])}/>`,
    );
  }
  total.tests += counts.tests;
  total.failures += counts.failures;
  total.errors += counts.errors;
  total.skipped += counts.skipped;
  const props = check
    ? [
        ['title', check.title],
        ['severity', check.severity],
        ['category', check.category],
        ...(check.frameworks.length > 0 ? [['frameworks', check.frameworks.join(' ')] as const] : []),
      ]
    : [];
  return [
    `  <testsuite${attrs([
      ['name', name],
      ['tests', counts.tests],
      ['failures', counts.failures],
      ['errors', counts.errors],
      ['skipped', counts.skipped],
      ['timestamp', report.generatedAt],
    ])}>`,
    ...(props.length > 0
      ? [
          '    <properties>',
          ...props.map(
            ([k, v]) =>
              `      <property${attrs([
                ['name', k],
                ['value', v],
              ])}/>`,
          ),
          '    </properties>',
        ]
      : []),
    ...cases,
    '  </testsuite>',
  ];
}

/**
 * Loading problems (parse errors, unreadable files, resource types a cluster scan failed to
 * read) as a suite, so they fail CI visibly too; warnings and notices go to its output.
 */
function diagnosticsSuite(report: ScanReport, total: Counts): string[] {
  const gaps = coverageGaps(report);
  if (report.diagnostics.length === 0 && gaps.length === 0) return [];
  const name = 'palisade loading';
  const errors: { name: string; file?: string; message: string; type: string }[] = [
    ...report.diagnostics
      .filter((d) => d.level === 'error')
      .map((d) => ({
        name: d.location ? locationLabel(d.location) : d.code,
        ...(d.location ? { file: d.location.file } : {}),
        message: d.message,
        type: d.code,
      })),
    ...gaps.filter((g) => g.status === 'failed').map((g) => ({ name: g.text, message: g.text, type: 'coverage-failed' })),
  ];
  const others = [
    ...(report.incomplete ? [describeIncomplete(report.incomplete)] : []),
    ...report.diagnostics.filter((d) => d.level !== 'error').map((d) => `${d.level}: ${d.message} [${d.code}]`),
    ...gaps.filter((g) => g.status !== 'failed').map((g) => `coverage: ${g.text}`),
    ...(report.coverage ? [`coverage: ${report.coverage.percent}% of what the checks read`] : []),
  ];
  total.tests += errors.length;
  total.errors += errors.length;
  return [
    `  <testsuite${attrs([
      ['name', name],
      ['tests', errors.length],
      ['failures', 0],
      ['errors', errors.length],
      ['skipped', 0],
      ['timestamp', report.generatedAt],
    ])}>`,
    ...errors.flatMap((e) => [
      `    <testcase${attrs([
        ['name', e.name],
        ['classname', name],
        ['file', e.file],
      ])}>`,
      `      <error${attrs([
        ['message', e.message],
        ['type', e.type],
      ])}/>`,
      '    </testcase>',
    ]),
    ...(others.length > 0 ? [`    <system-out>${xmlText(others.join('\n'))}</system-out>`] : []),
    '  </testsuite>',
  ];
}

/**
 * Renders the JUnit XML report.
 *
 * @example
 * await writeFile('palisade-junit.xml', renderJunit(report));
 */
export function renderJunit(report: ScanReport): string {
  const checks = checksById(report);
  const byCheck = new Map<string, Finding[]>(report.checks.map((c) => [c.id, []]));
  for (const f of sortFindings(report.findings)) {
    const list = byCheck.get(f.check);
    if (list) list.push(f);
    else byCheck.set(f.check, [f]);
  }
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const ids = [...byCheck.keys()].sort();
  const suites = ids.flatMap((id) => suite(report, id, checks.get(id), byCheck.get(id) ?? [], total));
  suites.push(...diagnosticsSuite(report, total));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([
      ['name', `${report.tool.name} ${report.tool.version}`],
      ['tests', total.tests],
      ['failures', total.failures],
      ['errors', total.errors],
      ['skipped', total.skipped],
      ['timestamp', report.generatedAt],
    ])}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** JUnit XML for CI test reports. */
export const junitReporter: Reporter = {
  name: 'junit',
  description: 'JUnit XML: one test suite per check, one test case per resource',
  extension: 'xml',
  render: (report, options) => renderJunit(filterReport(report, options.minSeverity)),
};
