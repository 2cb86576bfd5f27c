import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import type { Finding } from '../core/types.js';
import { HOSTILE_MESSAGE, HOSTILE_NAME, SAMPLE_FINDINGS, sampleReport } from './fixtures/sample-report.js';
import { barChart, escapeHtml, jsonForScript, renderHtml } from './html.js';
import { oneLine } from './shared.js';

const DATA_OPEN = '<script type="application/json" id="palisade-data">';

function embeddedData(html: string): {
  checks: Record<string, { n: string }>;
  total: number;
  findings: { n: string; m: string; c: string; rel?: { c: string }[] }[];
} {
  const start = html.indexOf(DATA_OPEN);
  assert.ok(start >= 0, 'data element present');
  const end = html.indexOf('</script>', start);
  return JSON.parse(html.slice(start + DATA_OPEN.length, end));
}

const sha = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

describe('html reporter', () => {
  const html = renderHtml(sampleReport());

  it('loads nothing from the network', () => {
    assert.ok(!/\b(?:src|href|action|poster|srcset|data|xlink:href)\s*=\s*["']?\s*(?:https?:)?\/\//i.test(html), 'a network src/href');
    assert.ok(!/<link\b/i.test(html), 'no <link> element');
    assert.ok(!/<script\b[^>]*\bsrc=/i.test(html), 'no external script');
    assert.ok(!/@import|url\(/i.test(html), 'no CSS imports or url()');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-/);
  });

  it('pins the inline style and script with CSP hashes that match them', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]?.replace(/&#39;/g, "'") ?? '';
    assert.ok(csp.includes(`style-src ${sha(style)}`), 'style hash');
    assert.ok(csp.includes(`script-src ${sha(script)}`), 'script hash');
    assert.ok(!/<[a-z]+[^>]*\sstyle=/i.test(html), 'no style attributes (the CSP would block them)');
    // Escaped data has no raw `<`, so every tag here is ours.
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    assert.ok(tags.length > 50);
    assert.deepEqual(
      tags.filter((t) => /\son[a-z]+\s*=/i.test(t)),
      [],
      'no inline event handlers',
    );
  });

  it('escapes a hostile resource name and message everywhere', () => {
    assert.ok(!html.includes(HOSTILE_NAME), 'raw hostile name');
    assert.ok(!html.includes('<script>alert'), 'raw hostile message');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'escaped in the resources chart');
    assert.ok(html.includes('a&amp;b&quot;c'), 'escaped namespace in the namespaces chart');
    // Only our two script elements may close.
    assert.equal(html.match(/<\/script>/g)?.length, 2);
  });

  it('embeds the data as JSON that parses back to the same strings', () => {
    const data = embeddedData(html);
    // One row per problem: the PSS restatement of PAL-0001 rides along on its row.
    assert.equal(data.findings.length, SAMPLE_FINDINGS.length - 1);
    assert.equal(data.total, SAMPLE_FINDINGS.length);
    const privileged = data.findings.find((f) => f.c === 'PAL-0001' && f.n === 'web');
    assert.deepEqual(
      privileged?.rel?.map((r) => r.c),
      ['PAL-0600'],
    );
    const hostile = data.findings.find((f) => f.n === HOSTILE_NAME);
    // Control and bidi characters arrive made visible; the rest round-trips as it was.
    assert.equal(hostile?.m, oneLine(HOSTILE_MESSAGE));
    assert.ok(hostile?.m.includes('<script>alert'));
    for (const c of ['\u0001', '\u001b', '\u202e']) assert.ok(!hostile?.m.includes(c));
    assert.equal(data.checks['PAL-0001']?.n, 'privileged-container');
    // Fixable findings carry how to fix them and the fix as diff lines; the others carry neither.
    const hostPid = data.findings.find((f) => f.c === 'PAL-0002' && f.n === 'web') as { fx?: string; fd?: string[] } | undefined;
    assert.equal(hostPid?.fx, 'palisade fix');
    assert.deepEqual(hostPid?.fd, ['- /spec/template/spec/hostPID', '+ /spec/template/spec/hostPID: false']);
    assert.equal((privileged as { fx?: string } | undefined)?.fx, 'palisade fix --unsafe-fixes');
    assert.equal((hostile as { fx?: string } | undefined)?.fx, undefined);
    assert.equal(jsonForScript({ s: '</script><!--\u2028' }), '{"s":"\\u003c/script\\u003e\\u003c!--\\u2028"}');
  });

  it('ships a client script that at least compiles', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.doesNotThrow(() => new vm.Script(script));
    assert.ok(!script.includes('innerHTML'), 'the script never parses report data as HTML');
  });

  it('draws the charts as inline SVG at generation time', () => {
    assert.equal(html.match(/<svg viewBox=/g)?.length, 4);
    for (const title of ['Failing findings by severity', 'Failing findings by category', 'Most affected namespaces', 'Most affected resources']) {
      assert.ok(html.includes(`<figcaption>${title}`), title);
    }
    assert.match(barChart('x', []), /No failing findings/);
    assert.match(barChart('x', [{ label: 'a'.repeat(40), value: 3, color: '#000' }]), />a{29}…</);
  });

  it('offers the filters the table needs', () => {
    for (const s of ['critical', 'high', 'medium', 'low', 'info']) assert.ok(html.includes(`name="sev" value="${s}" checked`), s);
    assert.match(html, /<select id="f-cat"><option value="">All categories<\/option>\n<option value="hygiene">/);
    assert.match(html, /<option value="fail" selected>Failing<\/option>/);
    assert.match(html, /<input id="f-q" type="search"/);
    assert.equal(escapeHtml(`<a href='x'>"&"</a>`), '&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;');
  });

  it('stays compact for 10,000 findings', () => {
    const base = SAMPLE_FINDINGS[0] as Finding;
    const many: Finding[] = Array.from({ length: 10_000 }, (_, i) => ({
      ...base,
      resource: { ...base.resource, namespace: `ns-${i % 40}`, name: `web-${i}` },
    }));
    // Speed is measured by `npm run bench`, not asserted here (no timed assertions in tests).
    const big = renderHtml(sampleReport({ findings: many }));
    assert.ok(big.length < 6_000_000, `size ${big.length}`);
    assert.equal(embeddedData(big).findings.length, 10_000);
  });
});
