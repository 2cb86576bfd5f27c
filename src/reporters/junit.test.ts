import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../core/types.js';
import { assertGolden } from './fixtures/golden.js';
import { HOSTILE_NAME, SAMPLE_FINDINGS, sampleReport } from './fixtures/sample-report.js';
import { renderJunit, xmlAttr, xmlText } from './junit.js';

/**
 * A strict little well-formedness check, enough for what the reporter writes: a prolog,
 * elements with double-quoted attributes, text, and the five entities or character
 * references. Returns the element names in document order.
 */
function checkWellFormed(xml: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(xml), 'character XML 1.0 forbids');
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[A-Za-z][\w-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const stack: string[] = [];
  const names: string[] = [];
  let m: RegExpExecArray | null;
  let end = 0;
  for (m = token.exec(body); m !== null; m = token.exec(body)) {
    end = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = m;
    const checkRefs = (s: string) => {
      for (const ref of s.match(/&[^;]*;?/g) ?? []) assert.match(ref, /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/, `bad reference ${ref}`);
    };
    if (text !== undefined) {
      if (stack.length === 0) assert.equal(text.trim(), '', 'text outside the root element');
      checkRefs(text);
      continue;
    }
    checkRefs(attrs ?? '');
    if (close) assert.equal(stack.pop(), name, `mismatched </${name}>`);
    else {
      names.push(name ?? '');
      if (!selfClose) stack.push(name ?? '');
    }
  }
  assert.equal(end, body.length, `unparsable from: ${body.slice(end, end + 80)}`);
  assert.deepEqual(stack, [], 'unclosed elements');
  return names;
}

const attr = (xml: string, element: string, name: string): string | undefined => new RegExp(`<${element}\\b[^>]*\\s${name}="([^"]*)"`).exec(xml)?.[1];

describe('junit reporter', () => {
  it('matches the golden file', () => {
    assertGolden('junit.xml', renderJunit(sampleReport()));
  });

  it('is well-formed XML with one suite per check plus one for loading problems', () => {
    const xml = renderJunit(sampleReport());
    const names = checkWellFormed(xml);
    assert.equal(names.filter((n) => n === 'testsuite').length, 8 + 1);
    assert.match(xml, /<testsuite name="PAL-0001 privileged-container" tests="3" failures="2" errors="0" skipped="0"/);
    assert.match(xml, /<testcase name="5 passing targets" classname="PAL-0001 privileged-container"\/>/);
  });

  it('totals failures, skips and errors', () => {
    const xml = renderJunit(sampleReport());
    assert.equal(attr(xml, 'testsuites', 'failures'), '9');
    assert.equal(attr(xml, 'testsuites', 'skipped'), '2');
    // One crashed check, one parse error.
    assert.equal(attr(xml, 'testsuites', 'errors'), '2');
    assert.match(xml, /<failure message="container &quot;app&quot; of Deployment web sets securityContext.privileged: true" type="critical">/);
    assert.match(xml, /<skipped message="exempt \(annotation\): the CNI plugin configures node networking"\/>/);
    assert.match(xml, /<error message="check PAL-0400 failed to evaluate: rules\[2\]\.verbs is not an array" type="check-error">/);
  });

  it('escapes hostile strings and strips characters XML forbids', () => {
    const xml = renderJunit(sampleReport());
    checkWellFormed(xml);
    assert.ok(!xml.includes(HOSTILE_NAME));
    assert.ok(xml.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!xml.includes('\u0001') && !xml.includes('\u001b'));
    assert.equal(xmlText('a<b>&c\u0000\u0008\ud800'), 'a&lt;b&gt;&amp;c');
    assert.equal(xmlAttr('"q" \'s\'\n\t'), '&quot;q&quot; &apos;s&apos;&#10;&#9;');
    assert.equal(xmlText('a\u202eb'), 'a\\u{202e}b');
    // Characters outside the BMP are fine in XML and must survive.
    assert.equal(xmlText('pod-\u{1f680}'), 'pod-\u{1f680}');
  });

  it('lists passing targets one by one when the scan kept passes', () => {
    const base = SAMPLE_FINDINGS[0] as Finding;
    const pass: Finding = { ...base, status: 'pass', resource: { ...base.resource, name: 'api' }, message: 'passes' };
    const xml = renderJunit(sampleReport({ findings: [base, pass] }));
    checkWellFormed(xml);
    assert.match(xml, /<testcase name="Deployment prod\/api \[app\]" classname="PAL-0001 privileged-container" file="deploy\/web.yaml"\/>/);
    assert.ok(!xml.includes('passing targets" classname="PAL-0001'));
  });

  it('disambiguates two failures of one check on one target with the pointer', () => {
    const base = SAMPLE_FINDINGS[0] as Finding;
    const xml = renderJunit(sampleReport({ findings: [base, { ...base, pointer: '/spec/template/spec/containers/0/securityContext' }] }));
    assert.match(xml, /name="Deployment prod\/web \[app\] at \/spec\/template\/spec\/containers\/0\/securityContext"/);
  });
});
