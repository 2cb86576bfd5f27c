import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../core/types.js';
import { assertGolden } from './fixtures/golden.js';
import { HOSTILE_NAME, SAMPLE_FINDINGS, sampleReport } from './fixtures/sample-report.js';
import { GITHUB_COMMENT_LIMIT, mdEscape, renderMarkdown } from './markdown.js';

/** Pipes that separate cells (not escaped with a backslash). */
const cellPipes = (line: string): number => (line.match(/(?<!\\)\|/g) ?? []).length;

describe('markdown reporter', () => {
  it('matches the golden file', () => {
    assertGolden('markdown.md', renderMarkdown(sampleReport()));
  });

  it('starts with a heading, a summary line and the severity table', () => {
    const lines = renderMarkdown(sampleReport()).split('\n');
    assert.equal(lines[0], '## Palisade scan results');
    assert.equal(
      lines[2],
      '**8 failing problems** (2 critical, 2 high, 2 medium, 1 low, 1 info), reported by 9 findings in 9 resources scanned by 8 checks; 2 exempt, 2 errors.',
    );
    assert.ok(lines.includes('| Critical | 2 | 3 |'));
  });

  it('escapes hostile names and messages', () => {
    const out = renderMarkdown(sampleReport());
    assert.ok(!out.includes(HOSTILE_NAME));
    assert.ok(!out.includes('<script>'));
    assert.ok(!/@admin/.test(out), 'no mention of @admin may survive');
    assert.ok(!out.includes('\u001b') && !out.includes('\u0001'));
    for (const line of out.split('\n').filter((l) => l.startsWith('| '))) assert.ok([4, 7].includes(cellPipes(line)), `cell count broken: ${line}`);
    assert.equal(mdEscape('a|b <i> *x* @me'), 'a\\|b &lt;i&gt; \\*x\\* @\u200bme');
  });

  it('stays under the GitHub comment limit, with a note saying what was left out', () => {
    const base = SAMPLE_FINDINGS[0] as Finding;
    const many: Finding[] = Array.from({ length: 3000 }, (_, i) => ({
      ...base,
      resource: { ...base.resource, name: `web-${String(i).padStart(4, '0')}` },
      message: `container "app" of Deployment web-${i} sets securityContext.privileged: true ${'x'.repeat(40)}`,
    }));
    const out = renderMarkdown(sampleReport({ findings: many }));
    assert.ok(out.length <= GITHUB_COMMENT_LIMIT, `length ${out.length}`);
    assert.match(out, /> \d+ rows not shown to keep this comment under GitHub's 65,536-character limit/);
    assert.equal((out.match(/<details/g) ?? []).length, (out.match(/<\/details>/g) ?? []).length);
  });

  it('says so when nothing fails', () => {
    const out = renderMarkdown(sampleReport({ findings: [], diagnostics: [] }));
    assert.match(out, /\*\*No failing findings\*\* in 9 resources scanned by 8 checks\./);
    assert.ok(!out.includes('<details'));
  });
});
