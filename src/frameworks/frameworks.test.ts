/**
 * The framework meta-test: every control of every built-in framework is covered by a check or
 * says why it is manual; CIS v1.12 is complete (131 controls in the benchmark's sections); the
 * explicit mappings name real checks; earlier CIS numbering resolves through the aliases.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinChecks } from '../checks/index.js';
import { BUILTIN_FRAMEWORKS, checksFor, FRAMEWORKS, findFramework, matchesControlPattern, resolveReference, selectControls } from './index.js';

describe('built-in frameworks', () => {
  it('cover every control with a check or a manual reason', () => {
    const problems: string[] = [];
    for (const f of BUILTIN_FRAMEWORKS)
      for (const c of f.controls) {
        const checks = checksFor(f, c, builtinChecks);
        if (checks.length === 0 && !(typeof c.manual === 'string' && c.manual.length > 20)) problems.push(`${f.id} ${c.id} (${c.title})`);
      }
    assert.deepEqual(problems, [], 'controls with neither a covering check nor a manual reason');
  });

  it('have unique control ids, and explicit mappings that name checks', () => {
    for (const f of BUILTIN_FRAMEWORKS) {
      const ids = f.controls.map((c) => c.id);
      assert.equal(new Set(ids).size, ids.length, `${f.id}: duplicate control ids`);
      for (const c of f.controls)
        for (const p of c.checks ?? [])
          assert.ok(
            builtinChecks.some((k) => checksFor(f, { id: c.id, title: c.title, checks: [p] }, [k]).length > 0),
            `${f.id} ${c.id}: "${p}" names no check`,
          );
    }
  });

  it('lists all 131 CIS v1.12 controls in the benchmark sections', () => {
    const cis = FRAMEWORKS['cis-1.12'];
    assert.ok(cis);
    assert.equal(cis.controls.length, 131);
    const bySection = (prefix: string) => cis.controls.filter((c) => c.id.startsWith(prefix)).length;
    assert.deepEqual(
      ['1.1.', '1.2.', '1.3.', '1.4.', '2.', '3.1.', '3.2.', '4.1.', '4.2.', '4.3.', '5.1.', '5.2.', '5.3.', '5.4.', '5.5.', '5.6.'].map(bySection),
      [21, 30, 7, 2, 7, 3, 2, 10, 14, 1, 13, 12, 2, 2, 1, 4],
    );
    assert.equal(cis.controls.filter((c) => c.automated).length, 65);
  });

  it('resolves references and earlier CIS numbering', () => {
    assert.equal(resolveReference('cis:5.2.2')?.title, 'Limit privileged containers');
    assert.equal(resolveReference('pss:baseline/privileged')?.framework.id, 'pss-restricted');
    assert.equal(resolveReference('cis:9.9.9'), undefined);
    assert.deepEqual(
      selectControls('cis-1.11:5.2.10')?.controls.map((c) => c.id),
      ['5.2.9'],
    );
    assert.deepEqual(
      selectControls('cis-1.10:5.7.*')?.controls.map((c) => c.id),
      ['5.6.1', '5.6.2', '5.6.3', '5.6.4'],
    );
    assert.deepEqual(selectControls('cis-1.10:1.2.30')?.controls, [], 'added in v1.11');
    assert.equal(selectControls('nope:1'), undefined);
    assert.equal(findFramework('nsa')?.id, 'nsa-1.2');
  });

  it('selects the checks that cover a control pattern', () => {
    const names = (p: string) => builtinChecks.filter((c) => matchesControlPattern(p, c)).map((c) => c.name);
    assert.ok(names('cis:5.2.2').includes('pss-privileged'));
    assert.ok(names('cis:1.2.*').includes('apiserver-anonymous-auth'));
    assert.ok(!names('cis:1.2.*').includes('pss-privileged'));
    assert.ok(names('soc2:CC7.2').includes('apiserver-audit-log-path'));
    assert.deepEqual(names('cis-1.11:5.2.10'), names('cis:5.2.9'));
  });
});
