/**
 * The catalogue meta-test: ids and names unique and well-formed, every framework reference
 * resolves, every check has pass and fail fixtures, and each fail fixture fails at exactly
 * the pointers it declares (`# expect:` lines). A fail fixture whose findings carry fixes has a
 * `fail.*.fixed.yaml` golden: the fix writer's output (rescan included, `--unsafe-fixes`), and
 * fixing the golden again changes nothing. `UPDATE_GOLDEN=1 npm test -- catalogue` rewrites them.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyFixes } from '../core/fix.js';
import type { ResourceRef } from '../core/types.js';
import { resolveReference } from '../frameworks/index.js';
import { expectedErrorPointers, expectedPointers, fixtureInputs, fixtureParams, inventoryOf, runOn } from '../../test/support/fixtures.js';
import { fixText } from '../../test/support/fix.js';
import { builtinChecks } from './index.js';

const here = new URL('.', import.meta.url).pathname;
const goldenName = (f: string): string => f.replace(/\.(ya?ml|json)$/, '.fixed.$1');
const sameRef = (a: ResourceRef, b: ResourceRef): boolean => a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;

describe('catalogue', () => {
  it('has unique ids, names and aliases', () => {
    const seen = new Set<string>();
    for (const c of builtinChecks) {
      for (const key of [c.id, c.name, ...(c.aliases ?? [])]) {
        assert.ok(!seen.has(key), `duplicate id/name ${key}`);
        seen.add(key);
      }
      assert.match(c.id, /^PAL-\d{4}$/);
    }
  });

  it('resolves every framework reference', () => {
    for (const c of builtinChecks) {
      for (const ref of c.frameworks) assert.ok(resolveReference(ref), `${c.id}: unknown framework reference ${ref}`);
    }
  });

  it('has docs with a description and a remediation', () => {
    for (const c of builtinChecks) {
      assert.ok(c.docs.description.length > 30, `${c.id}: description too short`);
      assert.ok(c.docs.remediation.length > 10, `${c.id}: remediation too short`);
    }
  });

  it('carries fixes for at least 30 checks, each proven by a fixed golden', () => {
    const withGolden = builtinChecks.filter((c) => {
      const dir = join(here, c.name, 'fixtures');
      return existsSync(dir) && readdirSync(dir).some((f) => f.includes('.fixed.'));
    });
    assert.ok(withGolden.length >= 30, `only ${withGolden.length} checks have fail.*.fixed.yaml goldens`);
    // A check that says how safe its fixes are must show one.
    for (const c of builtinChecks.filter((x) => x.fixSafety !== undefined))
      assert.ok(withGolden.includes(c), `${c.id}: declares fixSafety but no fixture of it is fixed (fail.*.fixed.yaml)`);
  });

  it('keeps src/checks/index.ts in step with the check folders', () => {
    const dirs = readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(here, d.name, `${d.name}.ts`)));
    assert.equal(builtinChecks.length, dirs.length, 'run npm run gen');
    for (const d of dirs)
      assert.ok(
        builtinChecks.some((c) => c.name === d.name),
        `folder ${d.name} must hold the check named ${d.name}`,
      );
  });
});

for (const check of builtinChecks) {
  describe(`${check.id} ${check.name}`, () => {
    const dir = join(here, check.name, 'fixtures');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.includes('.fixed.')) : [];
    // A check that requires model inputs (scan --images) gets them from fixtures/inputs.json.
    const inputs = existsSync(dir) ? fixtureInputs(dir) : undefined;
    if (check.requires && check.requires.length > 0)
      it('has the model inputs it requires in fixtures/inputs.json', () => {
        for (const name of check.requires ?? []) assert.ok(inputs?.[name] !== undefined, `${check.id}: fixtures/inputs.json has no "${name}"`);
      });
    it('has pass and fail fixtures', () => {
      assert.ok(
        files.some((f) => f.startsWith('pass.')),
        `${check.id}: no fixtures/pass.*.yaml`,
      );
      assert.ok(
        files.some((f) => f.startsWith('fail.')),
        `${check.id}: no fixtures/fail.*.yaml`,
      );
    });
    for (const f of files) {
      const path = join(dir, f);
      const text = readFileSync(path, 'utf8');
      const p = fixtureParams(text);
      const params = p ? { [check.id]: p } : undefined;
      if (f.startsWith('pass.')) {
        it(`passes ${f}`, () => {
          const findings = runOn([check], text, f, params, inputs);
          const bad = findings.filter((x) => x.status !== 'pass');
          assert.deepEqual(
            bad.map((x) => `${x.status} ${x.pointer}: ${x.message}`),
            [],
          );
          assert.ok(findings.length > 0, `${f}: the check evaluated nothing (wrong target?)`);
        });
      } else if (f.startsWith('fail.')) {
        it(`fails ${f} at exactly the expected pointers`, () => {
          const expected = expectedPointers(path);
          // A check of an input that may be unreadable reports an error there (`# expect-error:`).
          const expectedErrors = expectedErrorPointers(text);
          assert.ok(
            expected.length + expectedErrors.length > 0,
            `${f}: declare the failing pointers with "# expect: /pointer" (or "# expect-error: /pointer") lines`,
          );
          const findings = runOn([check], text, f, params, inputs);
          const errors = findings.filter((x) => x.status === 'error');
          assert.deepEqual(errors.map((e) => (expectedErrors.includes(e.pointer) ? e.pointer : e.message)).sort(), [...expectedErrors].sort());
          const fails = findings.filter((x) => x.status === 'fail');
          const first = inventoryOf(text, f).inventory.all[0]?.ref;
          const got = fails.map((x) => `${x.resource.kind}/${x.resource.name} ${x.pointer}`).sort();
          const want = expected.map((e) => `${e.kind ?? first?.kind}/${e.name ?? first?.name} ${e.pointer}`).sort();
          assert.deepEqual(got, want);
          for (const x of fails) assert.ok(x.message.length > 10 && x.location, `${f}: finding without message or location`);
        });
        // Only fixtures whose findings carry fix operations get this test.
        const fixable = runOn([check], text, f, params, inputs).some((x) => x.status === 'fail' && x.fix);
        if (fixable)
          it(`fixes ${f}: after applying its fix operations the check passes there`, () => {
            const { inventory } = inventoryOf(text, f);
            const findings = runOn([check], text, f, params, inputs).filter((x) => x.status === 'fail' && x.fix);
            const fixed = inventory.all.map((r) => {
              const ops = findings.filter((x) => sameRef(x.resource, r.ref)).flatMap((x) => x.fix ?? []);
              return ops.length > 0 ? applyFixes(r.object, ops) : r.object;
            });
            const again = runOn([check], fixed.map((o) => `---\n${JSON.stringify(o)}\n`).join(''), f, params, inputs);
            const still = again.filter((x) => x.status === 'fail' && findings.some((y) => sameRef(y.resource, x.resource) && y.pointer === x.pointer));
            assert.deepEqual(
              still.map((x) => `${x.resource.kind}/${x.resource.name} ${x.pointer}`),
              [],
            );
          });
        if (fixable)
          it(`fixes ${f} in the source as its golden ${goldenName(f)} says, and the golden is a fixed point`, () => {
            const golden = join(dir, goldenName(f));
            const { after, outcome } = fixText([check], text, f, params);
            assert.deepEqual(
              outcome.notFixed.map((n) => `${n.finding.pointer}: ${n.reason}`),
              [],
            );
            if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, after);
            assert.ok(existsSync(golden), `${check.id}: no golden ${goldenName(f)} (run UPDATE_GOLDEN=1 npm test -- catalogue and review it)`);
            assert.equal(after, readFileSync(golden, 'utf8'));
            assert.equal(fixText([check], after, f, params).after, after, 'fixing the fixed file again changes it');
          });
      }
    }
  });
}
