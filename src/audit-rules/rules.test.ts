/**
 * The audit rule catalogue against its fixtures: one file per rule (`fixtures/<name>.jsonl`),
 * `audit.k8s.io/v1` events written for these tests (an invented cluster: namespaces web,
 * payments, build, tools; users ops-admin in system:masters, jordan, temp-contractor, sam),
 * each marked with the annotation `test.palisade.dev/expect: fire | quiet`. Recordings from a
 * real API server are exercised by test/audit-samples.test.ts when the shared set is present. A rule must alert on exactly
 * the requests marked `fire`, fed in file order (stateful rules see the whole sequence).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AuditEngine } from './engine.js';
import type { AuditEvent } from './event.js';
import { builtinAuditRules } from './index.js';
import { auditRuleMeta } from './rule.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const EXPECT = 'test.palisade.dev/expect';

function load(name: string): AuditEvent[] {
  return readFileSync(join(FIXTURES, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditEvent);
}

describe('audit rule catalogue', () => {
  it('has unique ids and names that cannot clash with check ids', () => {
    const ids = builtinAuditRules.map((r) => r.id);
    const names = builtinAuditRules.map((r) => r.name);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(new Set(names).size, names.length);
    for (const id of ids) assert.match(id, /^PAL-A\d{3}$/);
  });

  it('maps every rule to a MITRE ATT&CK technique and documents it', () => {
    for (const r of builtinAuditRules) {
      assert.ok(
        r.frameworks.some((f) => /^mitre:T\d{4}(\.\d{3})?$/.test(f)),
        `${r.id} has no mitre technique`,
      );
      assert.ok(r.docs.description.length > 40 && r.docs.remediation.length > 10, `${r.id} docs`);
      assert.doesNotThrow(() => JSON.stringify(auditRuleMeta(r)));
    }
  });

  it('has one fixture per rule, and no fixture without a rule', () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => f.replace(/\.jsonl$/, ''))
      .sort();
    assert.deepEqual(files, builtinAuditRules.map((r) => r.name).sort());
  });
});

describe('audit rules on their fixtures', () => {
  for (const rule of builtinAuditRules) {
    it(`${rule.id} ${rule.name} fires on the fire events and stays quiet on the others`, () => {
      const events = load(rule.name);
      const fire = new Set(events.filter((e) => e.annotations?.[EXPECT] === 'fire').map((e) => e.auditID));
      const quiet = new Set(events.filter((e) => e.annotations?.[EXPECT] === 'quiet').map((e) => e.auditID));
      assert.ok(fire.size > 0, 'the fixture has a firing case');
      assert.ok(quiet.size > 0, 'the fixture has a quiet case');
      const engine = new AuditEngine(builtinAuditRules, { include: [rule.id] });
      const alerted = new Set<string>();
      for (const e of events) for (const a of engine.process(e)) alerted.add(a.auditID);
      assert.deepEqual([...alerted].sort(), [...fire].sort());
      assert.equal(engine.stats.ruleErrors, 0, [...engine.ruleErrors.values()].join('; '));
    });
  }
});
