/**
 * One catalogue feeds both RBAC check families: for every capability (and every probe of
 * it), a role granting it fires the role-level check, and a subject bound to that role fires
 * the subject-level check. The two can no longer disagree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runOn } from '../../test/support/fixtures.js';
import { builtinChecks } from '../checks/index.js';
import { CAPABILITIES, type CapabilitySpec, frameworksOf, type Probe } from './capabilities.js';
import { isClusterScopedQuery } from './rules.js';

const H = 'apiVersion: rbac.authorization.k8s.io/v1';

function checkById(id: string) {
  const c = builtinChecks.find((x) => x.id === id);
  assert.ok(c, `no check ${id}`);
  return c;
}

/** A rule granting exactly one probe's request. */
function ruleOf(p: Probe): string {
  const q = p.query;
  const resource = q.subresource ? `${q.resource}/${q.subresource}` : q.resource;
  return `{apiGroups: ["${q.apiGroup}"], resources: ["${resource}"], verbs: ["${q.verb}"]}`;
}

/** The rule lists that grant a capability: one per probe, or for the shape-based ones a typical rule. */
function grantingRules(c: CapabilitySpec): { what: string; rules: string[]; namespaced: boolean }[] {
  if (c.id === 'cluster-admin') return [{ what: '* on *', rules: ['{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}'], namespaced: true }];
  if (c.id === 'wildcard') return [{ what: 'get apps/*', rules: ['{apiGroups: [apps], resources: ["*"], verbs: [get]}'], namespaced: true }];
  if (c.id === 'issue-certificates') {
    // The capability is the combination: one probe of each kind.
    const first = (prefix: string) => c.probes.find((p) => p.id.startsWith(prefix)) as Probe;
    return [{ what: 'create, approve, sign', rules: ['csr-create:', 'csr-approve:', 'csr-signer:'].map((x) => ruleOf(first(x))), namespaced: false }];
  }
  return c.probes.map((p) => ({ what: p.id, rules: [ruleOf(p)], namespaced: !isClusterScopedQuery(p.query) }));
}

function manifests(kind: 'ClusterRole' | 'Role', rules: readonly string[]): string {
  const ns = kind === 'Role' ? ', namespace: shop' : '';
  const binding = kind === 'Role' ? 'RoleBinding' : 'ClusterRoleBinding';
  return [
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: shop}',
    `${H}\nkind: ${kind}\nmetadata: {name: r${ns}}\nrules:\n${rules.map((r) => `  - ${r}`).join('\n')}`,
    `${H}\nkind: ${binding}\nmetadata: {name: b${ns}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${kind}, name: r}\nsubjects: [{kind: ServiceAccount, name: app, namespace: shop}]`,
  ].join('\n---\n');
}

describe('RBAC capability catalogue', () => {
  for (const c of CAPABILITIES) {
    const role = checkById(c.checks.role);
    const subject = checkById(c.checks.subject);
    for (const g of grantingRules(c)) {
      for (const kind of g.namespaced ? (['ClusterRole', 'Role'] as const) : (['ClusterRole'] as const)) {
        it(`${c.id} (${g.what}) through a ${kind}: ${role.id} on the role and ${subject.id} on the subject`, () => {
          const fails = runOn([role, subject], manifests(kind, g.rules)).filter((f) => f.status === 'fail');
          const onRole = fails.filter((f) => f.check === role.id && f.resource.kind === kind);
          const onSubject = fails.filter((f) => f.check === subject.id && f.resource.kind === 'ServiceAccount' && f.resource.name === 'app');
          assert.ok(onRole.length > 0, `${role.id} did not fire: ${JSON.stringify(fails.map((f) => f.message))}`);
          assert.ok(onSubject.length > 0, `${subject.id} did not fire: ${JSON.stringify(fails.map((f) => f.message))}`);
          // Same reach, same severity: the role's kind and the binding's kind agree here.
          assert.equal(onRole[0]?.severity, onSubject[0]?.severity, `${onRole[0]?.message} / ${onSubject[0]?.message}`);
        });
      }
    }
    it(`${c.id}: both checks carry the catalogue's framework references`, () => {
      for (const ref of c.frameworks) {
        assert.ok(role.frameworks.includes(ref), `${role.id} lacks ${ref}`);
        assert.ok(subject.frameworks.includes(ref), `${subject.id} lacks ${ref}`);
      }
      assert.deepEqual([...subject.frameworks], [...frameworksOf(c.id)]);
    });
  }

  it('patch on deployments is workload creation for both families (issue 7)', () => {
    const fails = runOn(builtinChecks, manifests('Role', ['{apiGroups: [apps], resources: [deployments], verbs: [patch]}'])).filter((f) => f.status === 'fail');
    assert.deepEqual([...new Set(fails.map((f) => f.check))].sort(), ['PAL-0303', 'PAL-0402']);
  });

  it('get on pods/exec and pods/attach opens a stream (WebSocket upgrade): both families count it', () => {
    const fails = runOn(builtinChecks, manifests('Role', ['{apiGroups: [""], resources: [pods/exec, pods/attach], verbs: [get]}'])).filter(
      (f) => f.status === 'fail',
    );
    assert.deepEqual([...new Set(fails.map((f) => f.check))].sort(), ['PAL-0304', 'PAL-0403', 'PAL-0404']);
  });

  it('every capability names two existing checks of the right family', () => {
    for (const c of CAPABILITIES) {
      assert.match(c.checks.role, /^PAL-03\d\d$/);
      assert.match(c.checks.subject, /^PAL-04\d\d$/);
    }
    assert.equal(new Set(CAPABILITIES.map((c) => c.checks.subject)).size, CAPABILITIES.length);
  });
});
