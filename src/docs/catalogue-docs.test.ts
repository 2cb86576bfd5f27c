import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { builtinChecks } from '../checks/index.js';
import { metaOf } from '../core/check.js';
import { checksMarkdown, readmeTable, replaceReadmeSection } from './catalogue-docs.js';

const root = new URL('../../', import.meta.url);

describe('generated docs', () => {
  const metas = builtinChecks.map(metaOf);
  it('docs/checks.md is current (npm run gen)', () => {
    assert.equal(readFileSync(new URL('docs/checks.md', root), 'utf8'), checksMarkdown(metas));
  });
  it("README's table of checks is current (npm run gen)", () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    assert.equal(readme, replaceReadmeSection(readme, readmeTable(metas)));
  });
});
