/**
 * End-to-end: runs the CLI (from source, through tsx) on fixture trees and asserts output
 * and exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
// Resolved here so that the CLI can run from any working directory.
const TSX = import.meta.resolve('tsx');

function run(args: string[], opts: { input?: string; cwd?: string } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], {
    input: opts.input ?? '',
    cwd: opts.cwd ?? process.cwd(),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:latest
`;

function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'palisade-e2e-'));
  writeFileSync(join(d, 'deploy.yaml'), DEPLOY);
  return d;
}

describe('palisade CLI', () => {
  it('scans a directory, prints JSON with locations, exits 0 without --fail-on', () => {
    const d = project();
    const r = run(['scan', d, '-f', 'json', '--include', 'PAL-0100']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.resources, 1);
    const f = report.findings.find((x: { check: string }) => x.check === 'PAL-0100');
    assert.equal(f.name, 'image-latest-tag');
    assert.equal(f.status, 'fail');
    assert.deepEqual(f.resource, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' });
    assert.equal(f.pointer, '/spec/template/spec/containers/0/image');
    assert.equal(f.location.line, 11);
  });

  it('exits 1 when a finding reaches --fail-on, 0 when below', () => {
    const d = project();
    assert.equal(run(['scan', d, '--include', 'PAL-0100', '--fail-on', 'medium', '-q']).code, 1);
    assert.equal(run(['scan', d, '--include', 'PAL-0100', '--fail-on', 'high', '-q']).code, 0);
  });

  it('honours config: exceptions make findings exempt, severity overrides apply', () => {
    const d = project();
    writeFileSync(join(d, '.palisade.yaml'), 'exceptions:\n  - check: image-latest-tag\n    namespace: shop\n    reason: pinned by the release job\n');
    const r = run(['scan', '.', '-f', 'json', '--include', 'PAL-0100', '--fail-on', 'low'], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    const f = JSON.parse(r.stdout).findings[0];
    assert.equal(f.status, 'exempt');
    assert.equal(f.exemption.reason, 'pinned by the release job');
    writeFileSync(join(d, '.palisade.yaml'), 'checks:\n  PAL-0100: {severity: critical}\n');
    const r2 = run(['scan', '.', '-f', 'json', '--include', 'PAL-0100'], { cwd: d });
    const f2 = JSON.parse(r2.stdout).findings[0];
    assert.equal(f2.severity, 'critical');
    assert.equal(f2.defaultSeverity, 'medium');
  });

  it('reads stdin and writes several outputs at once', () => {
    const d = project();
    const out = join(d, 'out', 'report.json');
    const r = run(['scan', '-', '--include', 'PAL-0100', '-o', 'table', '-o', `json=${out}`], { input: DEPLOY });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /PAL-0100/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(report.findings[0].location.file, '<stdin>');
  });

  it('exits 2 on usage and config errors with a one-line message', () => {
    const d = project();
    const bad = run(['scan', d, '--fail-on', 'urgent']);
    assert.equal(bad.code, 2);
    assert.equal(run(['scan', d, '-o', 'pdf']).code, 2);
    assert.equal(run(['scan', d, '--bogus']).code, 2);
    writeFileSync(join(d, 'bad.yaml'), 'failOn: [\n');
    const cfg = run(['scan', d, '--config', join(d, 'bad.yaml')]);
    assert.equal(cfg.code, 2);
    assert.match(cfg.stderr, /^palisade: .*bad\.yaml:\d+: configuration is not valid YAML/);
    assert.equal(cfg.stderr.trim().split('\n').length, 1);
    assert.equal(run(['scan', join(d, 'missing')]).code, 2);
    assert.equal(run(['explain', 'no-such-check']).code, 2);
  });

  it('keeps going past broken documents, reporting file:line on stderr', () => {
    const d = project();
    writeFileSync(join(d, 'broken.yaml'), `${DEPLOY}---\nkind: [\n`);
    const r = run(['scan', d, '-f', 'json', '--include', 'PAL-0100']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /broken\.yaml:\d+:\d+: document 2 is not valid YAML/);
    assert.equal(JSON.parse(r.stdout).resources, 2);
  });

  it('lists the catalogue and explains a check', () => {
    const list = run(['checks', '-f', 'json']);
    assert.equal(list.code, 0);
    assert.ok(JSON.parse(list.stdout).some((c: { id: string }) => c.id === 'PAL-0100'));
    const ex = run(['explain', 'image-latest-tag']);
    assert.equal(ex.code, 0);
    assert.match(ex.stdout, /^PAL-0100 image-latest-tag: /);
    assert.match(ex.stdout, /Remediation:/);
  });

  it('prints help with the exit codes', () => {
    const r = run(['scan', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Exit codes:/);
  });
});
