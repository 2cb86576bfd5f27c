/**
 * Escalation paths, one multi-document fixture per primitive (src/rbac/fixtures/paths/).
 * Each fixture declares its answers:
 *   # expect-path: SUBJECT TARGET kind1,kind2,...   (the shortest path's step kinds)
 *   # expect-no-path: SUBJECT TARGET
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryOf } from '../test-support/fixtures.js';
import { parseSubject } from './identity.js';
import { buildRbacModel } from './model.js';
import { EscalationGraph, escalationPathsOf, type PathTarget } from './paths.js';

const dir = new URL('./fixtures/paths/', import.meta.url).pathname;

for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  const text = readFileSync(dir + file, 'utf8');
  const model = buildRbacModel(inventoryOf(text, file).inventory, { defaults: 'roles' });
  const graph = escalationPathsOf(model);
  describe(`paths: ${file}`, () => {
    for (const line of text.split('\n')) {
      const yes = /^# expect-path: (\S+) (\S+) (\S+)$/.exec(line);
      const no = /^# expect-no-path: (\S+) (\S+)$/.exec(line);
      if (yes) {
        const [, subject, target, kinds] = yes as unknown as [string, string, string, string];
        it(`${subject} reaches ${target} by ${kinds}`, () => {
          const path = graph.pathOf(parseSubject(subject), target as PathTarget);
          assert.ok(path, `no path from ${subject} to ${target}`);
          assert.deepEqual(
            path.steps.map((s) => s.kind),
            kinds.split(','),
          );
          // Every step but membership carries the rule that allows it.
          for (const s of path.steps) if (s.kind !== 'member') assert.ok(s.evidence.length > 0, `${s.action}: no evidence`);
        });
      } else if (no) {
        const [, subject, target] = no as unknown as [string, string, string];
        it(`${subject} has no path to ${target}`, () => {
          const path = graph.pathOf(parseSubject(subject), target as PathTarget);
          assert.equal(path, undefined, path ? path.steps.map((s) => s.action).join(' / ') : '');
        });
      }
    }
  });
}

describe('paths: evidence and wording', () => {
  const text = readFileSync(`${dir}workload.yaml`, 'utf8');
  const model = buildRbacModel(inventoryOf(text, 'workload.yaml').inventory, { defaults: 'roles' });
  const path = new EscalationGraph(model).pathOf(parseSubject('user:dev'), 'cluster-admin');
  it('names the steps, the identities and the granting bindings', () => {
    assert.equal(path?.steps[0]?.action, 'create deployments in namespace kube-system');
    assert.equal(path?.steps[0]?.to, 'sa:kube-system/admin');
    assert.equal(path?.steps[0]?.evidence[0]?.binding?.name, 'dev');
    assert.equal(path?.steps[0]?.evidence[0]?.rule.index, 0);
    assert.equal(path?.steps[1]?.from, 'sa:kube-system/admin');
    assert.equal(path?.steps[1]?.evidence[0]?.binding?.name, 'admin-sa');
  });
  it('lists every subject with a path, shortest first', () => {
    const all = new EscalationGraph(model).paths('cluster-admin').map((p) => `${p.subject.kind}:${p.subject.name}:${p.steps.length}`);
    assert.deepEqual(all, ['ServiceAccount:admin:1', 'User:dev:2', 'User:rollout:2']);
  });
});
