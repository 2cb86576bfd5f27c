/**
 * End-to-end on the demo application (demo/), with the built CLI: the intended attack path
 * (internet -> Ingress acme-shop -> the api Deployment -> its mounted token of ServiceAccount
 * acme-api -> a ClusterRole that reads every Secret) ranks first in `palisade paths` and first in
 * the Top risks of `palisade scan demo/`, in every format; `--top-risks` and the config knob.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLI } from './support/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = 'demo/';

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Risk {
  rank: number;
  score: number;
  entry: { kind: string; label: string };
  sink: { kind: string; label: string };
  hops: { edge: string }[];
  cut: { edge: string; finding?: { check: string } };
}
interface Report {
  topRisks: { status: string; limit: number; totalPaths: number; notes: string[]; risks: Risk[] };
}

const INTENDED_ENTRY = 'internet via Ingress acme-shop/acme-shop to Deployment acme-shop/api';
const INTENDED_HOPS = ['exploit-exposed-service', 'token-theft', 'rbac:holds'];

describe('Top risks on the demo (built CLI)', () => {
  it('the intended path ranks first in palisade paths and first in the Top risks of palisade scan', () => {
    const paths = run(['paths', DEMO, '-f', 'json', '--limit', '1']);
    assert.equal(paths.code, 1, paths.stderr);
    const [best] = (JSON.parse(paths.stdout) as { paths: { entry: { label: string }; sink: { kind: string }; score: number; hops: { edge: string }[] }[] })
      .paths;
    assert.equal(best?.entry.label, INTENDED_ENTRY);
    assert.equal(best?.sink.kind, 'all-secrets');
    assert.deepEqual(
      best?.hops.map((h) => h.edge),
      INTENDED_HOPS,
    );

    const scan = run(['scan', DEMO, '-f', 'json']);
    assert.equal(scan.code, 0, scan.stderr);
    const top = (JSON.parse(scan.stdout) as Report).topRisks;
    assert.equal(top.status, 'ok');
    assert.equal(top.risks.length, 5);
    const [first] = top.risks;
    assert.equal(first?.entry.label, best?.entry.label);
    assert.equal(first?.sink.kind, best?.sink.kind);
    assert.equal(first?.score, best?.score);
    assert.deepEqual(
      first?.hops.map((h) => h.edge),
      INTENDED_HOPS,
    );
    assert.equal(first?.cut.edge, 'token-theft');
    assert.equal(first?.cut.finding?.check, 'PAL-0115');
    assert.match(top.notes[0] ?? '', /^image data: not provided/);
  });

  it('the terminal report starts with it', () => {
    const r = run(['scan', DEMO]);
    const lines = r.stdout.split('\n');
    assert.match(lines[0] ?? '', /^TOP RISKS {2}5 of \d+ attack paths, by risk score \(likelihood x impact\)$/);
    assert.equal(lines[2], `  1. score 2.3  ${INTENDED_ENTRY} => every Secret`);
    assert.match(r.stdout, /cut: hop 2 \(token-theft, on \d+ of \d+ paths\): set automountServiceAccountToken: false/);
  });

  it('Markdown, HTML and SARIF carry it too, first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-top-risks-'));
    const r = run(['scan', DEMO, '-o', `markdown=${join(dir, 'r.md')}`, '-o', `html=${join(dir, 'r.html')}`, '-o', `sarif=${join(dir, 'r.sarif')}`]);
    assert.equal(r.code, 0, r.stderr);
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    assert.match(md, /### Top risks\n\n5 of \d+ attack paths/);
    assert.match(
      md,
      /\| 1 \| 2\.3 \| \*\*internet-exposed \+ token mounted \+ over-broad RBAC → every Secret of the cluster\*\*<br>internet via Ingress acme-shop\/acme-shop to Deployment acme-shop\/api/,
    );
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    assert.ok(html.indexOf('id="top-risks"') < html.indexOf('<figure class="chart">'));
    assert.equal((html.match(/<svg class="risk-path"/g) ?? []).length, 5);
    const sarif = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')) as { runs: { properties: { topRisks: { risks: Risk[] } } }[] };
    assert.equal(sarif.runs[0]?.properties.topRisks.risks[0]?.entry.label, INTENDED_ENTRY);
  });

  it('--top-risks N lists N, 0 turns them off (said in one line), a bad value is a usage error; the config knob works', () => {
    const two = JSON.parse(run(['scan', DEMO, '-f', 'json', '--top-risks', '2']).stdout) as Report;
    assert.equal(two.topRisks.risks.length, 2);
    const off = run(['scan', DEMO, '--top-risks', '0']);
    assert.match(off.stdout.split('\n')[0] ?? '', /^TOP RISKS {2}not computed \(turned off with --top-risks 0\)$/);
    const bad = run(['scan', DEMO, '--top-risks', 'many']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--top-risks: "many" is not a whole number from 0 to 100/);
    const dir = mkdtempSync(join(tmpdir(), 'palisade-top-risks-config-'));
    writeFileSync(join(dir, 'palisade.yaml'), 'topRisks: 1\n');
    const one = JSON.parse(run(['scan', DEMO, '-f', 'json', '-c', join(dir, 'palisade.yaml')]).stdout) as Report;
    assert.equal(one.topRisks.limit, 1);
    assert.equal(one.topRisks.risks.length, 1);
    writeFileSync(join(dir, 'bad.yaml'), 'topRisks: -1\n');
    assert.equal(run(['scan', DEMO, '-c', join(dir, 'bad.yaml')]).code, 2);
  });

  it('a scan with no path says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-top-risks-none-'));
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {k: v}\n');
    const r = run(['scan', dir]);
    assert.match(r.stdout.split('\n')[0] ?? '', /^TOP RISKS {2}no attack path found/);
  });
});
