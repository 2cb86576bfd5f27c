/**
 * Escalation paths, one multi-document fixture per primitive (src/rbac/fixtures/paths/).
 * Each fixture declares its answers:
 *   # expect-path: SUBJECT TARGET kind1,kind2,...   (the shortest path's step kinds)
 *   # expect-no-path: SUBJECT TARGET
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
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

describe('paths: bind through a shared scope of holders', () => {
  const text = readFileSync(`${dir}bind-chains.yaml`, 'utf8');
  const graph = new EscalationGraph(buildRbacModel(inventoryOf(text, 'bind-chains.yaml').inventory, { defaults: 'roles' }));
  it('names the role bound, where, and the two grants that allow it', () => {
    const step = graph.pathOf(parseSubject('user:ns-binder'), 'cluster-admin')?.steps[0];
    assert.equal(step?.kind, 'bind');
    assert.match(step?.action ?? '', /^bind ClusterRole \S+ to itself in namespace apps$/);
    assert.match(step?.to ?? '', /^holder of ClusterRole \S+ in namespace apps$/);
    assert.deepEqual(
      step?.evidence.map((e) => [e.binding?.name, e.rule.index]),
      [
        ['ns-binder', 0],
        ['ns-binder', 1],
      ],
    );
  });
  it('takes a holder that binds again, with hypothetical evidence for the holder step', () => {
    const steps = graph.pathOf(parseSubject('user:chain'), 'cluster-admin')?.steps ?? [];
    assert.equal(steps[0]?.action, 'bind ClusterRole binder to itself in namespace apps');
    assert.equal(steps[1]?.from, 'holder of ClusterRole binder in namespace apps');
    assert.ok(steps[1]?.evidence.every((e) => e.hypothetical && e.namespace === 'apps'));
  });
  it('reads holder ids as holders', () => {
    assert.equal(graph.label('holder:ClusterRole/binder@apps'), 'holder of ClusterRole binder in namespace apps');
    assert.equal(graph.label('sa:apps/admin'), 'sa:apps/admin');
  });
});

describe('paths: size stays linear when many roles can bind', () => {
  // Every ClusterRole can create RoleBindings and bind any ClusterRole: the holder of each, in
  // each namespace, can become the holder of every other. Edge by edge that is namespaces x
  // roles^2; the graph keeps one link per (holder, scope) and per (scope, holder).
  const namespaces = 12;
  const roles = 40;
  const docs: string[] = [];
  for (let r = 0; r < roles; r++) {
    docs.push(
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: binder-${r}}\nrules:\n` +
        '  - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}\n' +
        '  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}\n',
    );
  }
  for (let n = 0; n < namespaces; n++) {
    docs.push(
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: ns-${n}}\n` +
        `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder-${n % roles}}\nsubjects: [{kind: User, name: u-${n}}]\n`,
    );
  }
  const graph = new EscalationGraph(buildRbacModel(inventoryOf(docs.join('---\n')).inventory, { defaults: 'none' }));
  it('stores edges in proportion to nodes', () => {
    const { nodes, edges } = graph.size();
    assert.ok(nodes >= namespaces * roles, `${nodes} nodes`);
    assert.ok(edges <= 4 * nodes, `${edges} edges for ${nodes} nodes`);
  });
});
