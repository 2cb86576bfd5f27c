/**
 * Robustness on real manifests: scans ../shared/corpus/real-world (about 1,600 objects from
 * well-known projects) with every check. Nothing may crash or error, every failing finding
 * must point at a real line. Skipped with a message when the corpus is not beside the repo.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { scan } from '../src/scan.js';

const CORPUS = new URL('../../shared/corpus/real-world', import.meta.url).pathname;
const present = existsSync(CORPUS);

describe('real-world corpus', { skip: present ? false : `corpus not found at ${CORPUS}; skipping` }, () => {
  it('scans every object without crashing, errors, or findings without a source line', async () => {
    const report = await scan([CORPUS]);
    assert.ok(report.resources > 1500, `only ${report.resources} objects`);
    const errors = report.findings.filter((f) => f.status === 'error');
    assert.deepEqual(
      errors.slice(0, 5).map((f) => `${f.check} ${f.resource.kind}/${f.resource.name}: ${f.message}`),
      [],
    );
    const lines = new Map<string, string[]>();
    for (const f of report.findings) {
      assert.ok(f.location, `${f.check} on ${f.resource.kind}/${f.resource.name} has no location`);
      const file = f.location.file;
      let text = lines.get(file);
      if (!text) {
        text = readFileSync(file, 'utf8').split('\n');
        lines.set(file, text);
      }
      assert.ok(f.location.line >= 1 && f.location.line <= text.length, `${file}:${f.location.line} is outside the file`);
    }
  });
});
