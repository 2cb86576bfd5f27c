import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinChecks } from '../checks/index.js';
import { runOn } from '../../test/support/fixtures.js';

const subjectChecks = builtinChecks.filter((c) => /^PAL-04\d\d$/.test(c.id));
const fails = (text: string) =>
  runOn(subjectChecks, text)
    .filter((f) => f.status === 'fail')
    .map((f) => `${f.check} ${f.resource.kind}/${f.resource.name} ${f.pointer}`)
    .sort();

const H = 'apiVersion: rbac.authorization.k8s.io/v1';

describe('subject-level checks: where findings go', () => {
  it('a cluster-admin gets one capability finding, not one per capability', () => {
    const text = `apiVersion: v1
kind: ServiceAccount
metadata: {name: admin, namespace: ops}
---
${H}
kind: ClusterRoleBinding
metadata: {name: admin}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: admin, namespace: ops}]`;
    assert.deepEqual(fails(text), ['PAL-0400 ServiceAccount/admin ']);
  });

  it('what everyone can do is reported once, on the catch-all binding, not on every service account', () => {
    const text = `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
${H}
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
${H}
kind: ClusterRoleBinding
metadata: {name: everyone-reads-secrets}
roleRef: {kind: ClusterRole, name: secret-reader}
subjects: [{kind: Group, name: "system:authenticated"}]`;
    assert.deepEqual(fails(text), [
      'PAL-0401 ClusterRoleBinding/everyone-reads-secrets /subjects/0',
      'PAL-0419 ClusterRoleBinding/everyone-reads-secrets /subjects/0',
    ]);
  });

  it('a user bound twice is reported on the first binding that grants the capability', () => {
    const text = `${H}
kind: RoleBinding
metadata: {name: first, namespace: a}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: User, name: ann}]
---
${H}
kind: RoleBinding
metadata: {name: second, namespace: b}
roleRef: {kind: ClusterRole, name: edit}
subjects: [{kind: User, name: ann}]
---
${H}
kind: RoleBinding
metadata: {name: third, namespace: c}
roleRef: {kind: ClusterRole, name: edit}
subjects: [{kind: User, name: ann}]`;
    const got = fails(text).filter((f) => f.startsWith('PAL-0401'));
    assert.deepEqual(got, ['PAL-0401 RoleBinding/second /subjects/0']);
  });

  it('bootstrap bindings make no findings', () => {
    const text = `${H}
kind: ClusterRoleBinding
metadata: {name: "system:controller:job-controller", labels: {kubernetes.io/bootstrapping: rbac-defaults}}
roleRef: {kind: ClusterRole, name: "system:controller:job-controller"}
subjects: [{kind: ServiceAccount, name: job-controller, namespace: kube-system}]`;
    assert.deepEqual(fails(text), []);
  });
});
