/**
 * End-to-end: `palisade rbac` (the built CLI, dist/cli/main.js) on a manifest tree: answers, output
 * formats and exit codes; and the subject-level checks inside `palisade scan`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI } from './support/cli.js';

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const RBAC = `apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer, namespace: ci}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: admin, namespace: kube-system}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: builder, namespace: ci}
spec: {template: {spec: {serviceAccountName: deployer, containers: [{name: b, image: b}]}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer-edit, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin-sa}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: admin, namespace: kube-system}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: devs-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: devs}]
`;

function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'palisade-rbac-'));
  writeFileSync(join(d, 'rbac.yaml'), RBAC);
  return d;
}

describe('palisade rbac', () => {
  const d = project();

  it('can: yes on the first line and exit 0, with the granting binding and rule', () => {
    const r = run(['rbac', 'can', 'sa:ci/deployer', 'create', 'pods/exec', '-n', 'kube-system', d]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'yes');
    assert.equal(lines[1], 'RBAC: allowed by RoleBinding "deployer-edit/kube-system" of ClusterRole "edit" to ServiceAccount "deployer/ci"');
    assert.match(r.stdout, /rbac\.yaml:14/);
  });

  it('can: no and exit 1; the namespace defaults to "default" as kubectl', () => {
    const r = run(['rbac', 'can', 'sa:ci/deployer', 'create', 'pods', d]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.split('\n')[0], 'no');
    assert.match(r.stdout, /in namespace default/);
  });

  it('can: --group adds groups, -f json answers in JSON', () => {
    const r = run(['rbac', 'can', 'user:zoe', 'list', 'deployments.apps', '-n', 'shop', '--group', 'devs', d, '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    assert.equal(answer.allowed, true);
    assert.deepEqual(answer.user.groups, ['devs', 'system:authenticated']);
    assert.equal(answer.grant.binding, 'ClusterRoleBinding devs-view');
  });

  it('can: the default policy answers for anonymous requests', () => {
    assert.equal(run(['rbac', 'can', 'user:system:anonymous', 'get', '/healthz', d, '--defaults', 'all']).code, 0);
    assert.equal(run(['rbac', 'can', 'user:system:anonymous', 'get', '/api', d, '--defaults', 'all']).code, 1);
  });

  it('usage errors exit 2', () => {
    assert.equal(run(['rbac', 'can', 'alice', 'get', 'pods', d]).code, 2);
    assert.equal(run(['rbac', 'can', 'user:a', 'get', 'pods', '-n', 'x', '-A', d]).code, 2);
    assert.equal(run(['rbac', 'who-can', 'get']).code, 2);
  });

  it('who-can lists subjects with binding and rule, as a table and as JSON', () => {
    const t = run(['rbac', 'who-can', 'get', 'secrets', '-n', 'kube-system', d]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /ServiceAccount ci\/deployer\s+kube-system\s+RoleBinding kube-system\/deployer-edit/);
    assert.match(t.stdout, /ServiceAccount kube-system\/admin\s+cluster-wide\s+ClusterRoleBinding admin-sa/);
    const j = JSON.parse(run(['rbac', 'who-can', 'list', 'pods', d, '-f', 'json']).stdout);
    assert.deepEqual(j.subjects.map((s: { subject: string }) => s.subject).sort(), [
      'Group devs',
      'ServiceAccount ci/deployer',
      'ServiceAccount kube-system/admin',
    ]);
  });

  it('subject lists the effective rules, capabilities and paths', () => {
    const r = run(['rbac', 'subject', 'sa:ci/deployer', d]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Groups: system:serviceaccounts, system:serviceaccounts:ci, system:authenticated/);
    assert.match(r.stdout, /read-secrets in namespace kube-system/);
    assert.match(r.stdout, /sa:ci\/deployer → cluster-admin \(2 steps\)/);
  });

  it('paths prints each chain with its evidence; one subject; JSON', () => {
    const r = run(['rbac', 'paths', d]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1\. create pods in namespace kube-system → sa:kube-system\/admin/);
    assert.match(r.stdout, /RoleBinding kube-system\/deployer-edit grants ClusterRole edit/);
    assert.match(r.stdout, /workloads running as sa:ci\/deployer: Deployment ci\/builder/);
    const none = run(['rbac', 'paths', 'group:devs', d]);
    assert.match(none.stdout, /No escalation path from group:devs/);
    const j = JSON.parse(run(['rbac', 'paths', 'sa:ci/deployer', d, '-f', 'json']).stdout);
    assert.equal(j.paths[0].steps.length, 2);
    assert.equal(j.paths[0].steps[0].evidence[0].binding, 'RoleBinding kube-system/deployer-edit');
  });
});

describe('palisade scan runs the subject-level RBAC checks', () => {
  it('reports the escalation on the ServiceAccount with its chain, and the workload', () => {
    const d = project();
    const r = run(['scan', d, '-f', 'json', '--include', 'PAL-0421,PAL-0423', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const findings = JSON.parse(r.stdout).findings as { check: string; resource: { kind: string; name: string }; evidence: { chain?: unknown[] } }[];
    const esc = findings.find((f) => f.check === 'PAL-0421');
    assert.equal(esc?.resource.kind, 'ServiceAccount');
    assert.equal(esc?.resource.name, 'deployer');
    assert.equal(esc?.evidence.chain?.length, 2);
    assert.ok(findings.some((f) => f.check === 'PAL-0423' && f.resource.name === 'builder'));
  });
});
