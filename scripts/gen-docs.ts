// Regenerates docs/checks.md and the README's table of checks from the catalogue.
// Usage: node --import tsx scripts/gen-docs.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { builtinChecks } from '../src/checks/index.js';
import { metaOf } from '../src/core/check.js';
import { checksMarkdown, readmeTable, replaceReadmeSection } from '../src/docs/catalogue-docs.js';

const metas = builtinChecks.map(metaOf);
const files: [string, string][] = [
  ['docs/checks.md', checksMarkdown(metas)],
  ['README.md', replaceReadmeSection(readFileSync('README.md', 'utf8'), readmeTable(metas))],
];
let stale = false;
for (const [file, text] of files) {
  if (process.argv.includes('--check')) {
    if (readFileSync(file, 'utf8') !== text) {
      console.error(`${file} is stale: run npm run gen`);
      stale = true;
    }
  } else writeFileSync(file, text);
}
process.exit(stale ? 1 : 0);
