/**
 * End-to-end, on the built CLI (`npm run build` first): the target Kubernetes version
 * (`--k8s-version`) of the API version checks, the Argo CD references of
 * credentials-in-configmap with the line of the credential, and the PSS volume fix.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const MAIN = new URL('../dist/cli/main.js', import.meta.url).pathname;

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  assert.ok(existsSync(MAIN), `${MAIN} is missing: run npm run build before the end-to-end tests`);
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function project(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'palisade-checks-e2e-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

interface Finding {
  name: string;
  status: string;
  severity: string;
  message: string;
  location?: { line: number };
}

const CRONJOB = `apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: nightly
  namespace: shop
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: registry.example.com/job:1.0
`;

describe('palisade scan --k8s-version', () => {
  const dir = project({ 'cron.yaml': CRONJOB });
  const scan = (...extra: string[]): { code: number; findings: Finding[]; stderr: string } => {
    const r = run(['scan', dir, '-f', 'json', '--include', 'removed-api-version,deprecated-api-version', ...extra]);
    return { code: r.code, stderr: r.stderr, findings: r.code === 2 ? [] : (JSON.parse(r.stdout).findings as Finding[]) };
  };

  it('defaults to the newest known version, where batch/v1beta1 is removed (exit 1 under --fail-on high)', () => {
    const r = scan('--fail-on', 'high');
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      r.findings.map((f) => `${f.name} ${f.severity}`),
      ['removed-api-version high'],
    );
    assert.match(r.findings[0]?.message ?? '', /stopped serving \(target v1\.32\): migrate to batch\/v1/);
  });

  it('reports it as deprecated for an older target', () => {
    const r = scan('--k8s-version', '1.23', '--fail-on', 'high');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.findings.map((f) => `${f.name} ${f.severity}`),
      ['deprecated-api-version medium'],
    );
  });

  it('rejects a malformed version with exit 2 and a one-line error', () => {
    const r = scan('--k8s-version', 'next');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--k8s-version: "next" is not a Kubernetes version such as v1\.29/);
  });
});

describe('palisade scan: precise findings', () => {
  it('skips Argo CD secret references and points at the line of a literal credential inside a config file', () => {
    const dir = project({
      'argocd-cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
data:
  dex.config: |
    connectors:
      - type: github
        config:
          clientSecret: $dex.github.clientSecret
  oidc.config: |
    name: Okta
    clientID: aaaabbbbccccddddeee
    clientSecret: Qm9pX2hR7vLp2ZkT8sWc4NyA
`,
    });
    const r = run(['scan', dir, '-f', 'json', '--include', 'credentials-in-configmap']);
    assert.equal(r.code, 0, r.stderr);
    const fails = (JSON.parse(r.stdout).findings as Finding[]).filter((f) => f.status === 'fail');
    assert.deepEqual(
      fails.map((f) => f.location?.line),
      [15],
    );
  });

  it('admits a volume without a source under PSS Restricted (the API server defaults it to emptyDir)', () => {
    const dir = project({
      'pod.yaml': `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  volumes:
    - name: scratch
  containers:
    - name: c
      image: registry.example.com/c:1.0
`,
    });
    const r = run(['scan', dir, '-f', 'json', '--include', 'pss-volume-types', '--fail-on', 'low']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});
