/**
 * End-to-end, with the built CLI (`npm run build` first): namespace-less manifests are in an
 * unknown namespace that RBAC joins never place in `default` (issue 8), `--default-namespace`
 * states it, and `rbac paths` tells same-name workloads of different files apart.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const H = 'apiVersion: rbac.authorization.k8s.io/v1';
const ADMIN = `${H}\nkind: ClusterRoleBinding\nmetadata: {name: default-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: default, namespace: default}]\n`;
const UI = (image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: guestbook-ui}\nspec: {template: {spec: {containers: [{name: ui, image: "${image}"}]}}}\n`;

/** Two example projects with a namespace-less `guestbook-ui` each, and a third that binds default/default to cluster-admin. */
function examples(): string {
  const d = mkdtempSync(join(tmpdir(), 'palisade-ns-e2e-'));
  for (const [dir, text] of [
    ['helm-guestbook', UI('gb:1')],
    ['kustomize-guestbook', UI('gb:2')],
    ['admin', ADMIN],
  ] as const) {
    mkdirSync(join(d, dir));
    writeFileSync(join(d, dir, 'manifest.yaml'), text);
  }
  return d;
}

const criticals = (stdout: string): { check: string; message: string }[] =>
  (JSON.parse(stdout).findings as { status: string; severity: string; check: string; message: string }[]).filter(
    (f) => f.status === 'fail' && f.severity === 'critical',
  );

describe('namespace-less manifests (built CLI)', () => {
  let d: string;
  before(() => {
    assert.ok(existsSync(CLI), 'dist/cli/main.js is missing: run npm run build before the end-to-end tests');
    d = examples();
  });

  it('scan: a namespace-less Deployment does not run as default/default', () => {
    const r = run(['scan', d, '-f', 'json', '--include', 'PAL-0423']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(criticals(r.stdout), []);
  });

  it('scan --default-namespace default: both workloads run as default/default, each named as such', () => {
    const r = run(['scan', d, '-f', 'json', '--include', 'PAL-0423', '--default-namespace', 'default']);
    assert.equal(r.code, 0, r.stderr);
    const found = criticals(r.stdout);
    assert.equal(found.length, 2);
    for (const f of found) assert.match(f.message, /^Deployment default\/guestbook-ui runs as service account default\/default, which can reach cluster-admin/);
  });

  it('--default-namespace must be a namespace name, and applies to manifests only', () => {
    const bad = run(['scan', d, '--default-namespace', 'Not_A_Namespace']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--default-namespace: "Not_A_Namespace" is not a namespace name/);
    const snap = run(['scan', '--snapshot', join(d, 'x.snapshot.json.gz'), '--default-namespace', 'shop']);
    assert.equal(snap.code, 2);
    assert.match(snap.stderr, /--default-namespace applies to manifests only/);
  });

  it('rbac paths names each workload with its source file: same-name objects stay apart', () => {
    const r = run(['rbac', 'paths', d, '--default-namespace', 'default', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const paths = JSON.parse(r.stdout).paths as { subject: string; workloads: string[] }[];
    const sa = paths.find((p) => p.subject === 'sa:default/default');
    assert.ok(sa, r.stdout);
    assert.equal(sa.workloads.length, 2);
    assert.ok(sa.workloads.some((w) => w.includes(join('helm-guestbook', 'manifest.yaml'))));
    assert.ok(sa.workloads.some((w) => w.includes(join('kustomize-guestbook', 'manifest.yaml'))));
    // Without the statement the workloads are nobody's: not listed under default/default.
    const unstated = JSON.parse(run(['rbac', 'paths', d, '-f', 'json']).stdout).paths as { subject: string; workloads: string[] }[];
    assert.deepEqual(unstated.find((p) => p.subject === 'sa:default/default')?.workloads, []);
  });
});
