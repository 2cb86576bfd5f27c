/**
 * End-to-end: `palisade paths` (the built CLI, dist/cli/main.js) on manifest trees: the known
 * path ranks first, a NetworkPolicy or an RBAC change breaks it, exit codes, the documented JSON,
 * DOT and Mermaid, choke points, usage errors; and the findings of `palisade scan`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI } from './support/cli.js';

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const BASE = readFileSync(new URL('../src/paths/fixtures/internet-to-cluster-admin.yaml', import.meta.url), 'utf8');
const DENY = readFileSync(new URL('../src/paths/fixtures/deny-ingress.yaml', import.meta.url), 'utf8');

function tree(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-paths-'));
  writeFileSync(join(dir, 'app.yaml'), text);
  return dir;
}

describe('palisade paths (built CLI)', () => {
  it('ranks internet -> Ingress -> web -> token -> bind -> cluster-admin first, with file:line evidence (exit 1)', () => {
    const dir = tree(BASE);
    const r = run(['paths', dir, '--limit', '1']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0] ?? '', /^note: image data: not provided/);
    assert.equal(lines[2], '#1  score 2.6  internet via Ingress shop/web to Deployment shop/web => cluster-admin  (3 hops, likelihood 0.257, impact 10)');
    assert.match(r.stdout, /token-theft {2}\[T1528 Steal Application Access Token; MS-TA9016 Container service account\]/);
    assert.match(r.stdout, /evidence: ClusterRole binder via ClusterRoleBinding web-binder \(.*app\.yaml:52\)/);
    assert.match(r.stdout, /1 of \d+ paths shown \(--limit\)/);
  });

  it('-f json has paths[] with entry, sink, score and hops (from, to, edge, technique, evidence)', () => {
    const r = run(['paths', tree(BASE), '--from', 'internet', '--to', 'node-root', '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout) as {
      total: number;
      notes: string[];
      paths: {
        entry: { kind: string };
        sink: { kind: string };
        score: number;
        hops: { edge: string; technique: { mitre: { id: string } }; evidence: { file?: string; line?: number; pointer?: string }[] }[];
      }[];
    };
    assert.equal(json.total, 1);
    const [p] = json.paths;
    assert.equal(p?.entry.kind, 'internet');
    assert.equal(p?.sink.kind, 'node-root');
    assert.deepEqual(
      p?.hops.map((h) => h.edge),
      ['exploit-exposed-service', 'token-theft', 'pod-exec', 'exec-into-container', 'privileged-escape'],
    );
    assert.equal(p?.hops[4]?.technique.mitre.id, 'T1611');
    assert.equal(p?.hops[4]?.evidence[0]?.pointer, '/spec/template/spec/containers/0/securityContext/privileged');
    assert.equal(typeof p?.hops[4]?.evidence[0]?.line, 'number');
  });

  it('a default-deny ingress policy leaves no internet path (exit 0); the pod paths remain', () => {
    const dir = tree(`${BASE}---\n${DENY}`);
    const r = run(['paths', dir, '--from', 'internet']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /no attack path found/);
    assert.equal(run(['paths', dir, '--from', 'pod', '--to', 'cluster-admin']).code, 1);
  });

  it('removing the bind verb breaks the cluster-admin path', () => {
    assert.equal(run(['paths', tree(BASE.replace('verbs: [bind]', 'verbs: [get]')), '--to', 'cluster-admin']).code, 0);
  });

  it('draws DOT and Mermaid, and lists choke points', () => {
    const dir = tree(BASE);
    const dot = run(['paths', dir, '-f', 'dot', '--from', 'internet']);
    assert.match(dot.stdout, /^digraph attack_paths \{/);
    assert.match(dot.stdout, /-> n\d+ \[label="token-theft \(T1528\)"\];/);
    const mermaid = run(['paths', dir, '-f', 'mermaid', '--from', 'internet']);
    assert.match(mermaid.stdout, /^flowchart LR\n/);
    const chokes = run(['paths', dir, '--chokepoints', '--from', 'internet']);
    assert.match(chokes.stdout, /^#1 {2}cuts 4 paths \(score [\d.]+\): exploit-exposed-service/);
    assert.match(chokes.stdout, /fix: the pod mounts the token of ServiceAccount shop\/web/);
  });

  it('rejects bad options with exit 2 and one line', () => {
    const dir = tree(BASE);
    const bad = run(['paths', dir, '--from', 'moon']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from moon: expected one of internet, pod, identity/);
    assert.equal(run(['paths', dir, '--max-hops', '0']).code, 2);
    assert.equal(run(['paths', dir, '--chokepoints', '-f', 'dot']).code, 2);
    assert.equal(run(['paths', join(dir, 'missing')]).code, 2);
  });

  it('palisade scan reports PAL-0700 and PAL-0701 with the path as evidence', () => {
    const r = run(['scan', tree(BASE), '-f', 'json', '--include', 'PAL-0700,PAL-0701']);
    const report = JSON.parse(r.stdout) as { findings: { check: string; status: string; message: string }[] };
    const failing = report.findings.filter((f) => f.status === 'fail').map((f) => `${f.check} ${f.message}`);
    assert.ok(
      failing.some((m) => m.startsWith('PAL-0700 Deployment shop/web is reachable from the internet (Ingress shop/web) and leads to cluster-admin')),
      failing.join('\n'),
    );
    assert.ok(
      failing.some((m) => m.startsWith('PAL-0701 a compromised pod of Deployment shop/web reaches')),
      failing.join('\n'),
    );
  });
});
