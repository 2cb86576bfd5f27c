/**
 * End-to-end: runs the built CLI (dist/cli/main.js) as its own process on fixture trees and
 * asserts output and exit codes, including every way the gate used to pass on input it could
 * not read (issue 8, "The gate fails when it should").
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI } from './support/cli.js';

function run(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input: opts.input ?? '',
    cwd: opts.cwd ?? process.cwd(),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    // A guard against a hang (the report-path bug spun forever), not a timing assertion.
    timeout: 120_000,
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

/** A directory holding only the given executables (shell scripts), to stand for PATH. */
function binDir(scripts: Record<string, string> = {}): string {
  const bin = mkdtempSync(join(tmpdir(), 'palisade-bin-'));
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

/** The fake tools first, then the system's (for sh, cat); the fakes shadow any real helm/kubectl. */
const withSystem = (bin: string): string => `${bin}:/usr/bin:/bin`;

/** A Helm chart whose template is not YAML until rendered. */
function chart(root: string): string {
  const c = join(root, 'web');
  mkdirSync(join(c, 'templates'), { recursive: true });
  writeFileSync(join(c, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
  writeFileSync(join(c, 'values.yaml'), 'image: nginx:latest\n');
  writeFileSync(
    join(c, 'templates', 'deployment.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n  labels: {{ toYaml .Values.x | nindent 4 }}\n{{- end }}\n',
  );
  return c;
}

interface Report {
  resources: number;
  stats: { files: number; parseErrors: number; skippedFiles: number };
  incomplete?: { paths: number; reasons: { path: string; code: string; message: string }[] };
  findings: { check: string; status: string; location?: { file: string }; resource: { name: string } }[];
  diagnostics: { level: string; code: string; message: string }[];
  summary: { checksRun: number };
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

  it('writes a report into a named pipe and through a symlink without replacing either', () => {
    const d = project();
    // A FIFO stands for /dev/null and /dev/stdout: a special file is written, never renamed over.
    const fifo = join(d, 'report.pipe');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    const reader = spawnSync(
      'sh',
      [
        '-c',
        `cat "$1" > "$2" & "$3" "$4" scan - --include PAL-0100 -o "json=$1"; code=$?; wait; exit $code`,
        'sh',
        fifo,
        join(d, 'read.json'),
        process.execPath,
        CLI,
      ],
      {
        input: DEPLOY,
        encoding: 'utf8',
      },
    );
    assert.equal(reader.status, 0, reader.stderr);
    assert.ok(lstatSync(fifo).isFIFO(), 'the pipe is still a pipe');
    assert.equal(JSON.parse(readFileSync(join(d, 'read.json'), 'utf8')).findings[0].check, 'PAL-0100');
    // A symlink keeps pointing at its file, which receives the report.
    const real = join(d, 'real.json');
    writeFileSync(real, '{}');
    const link = join(d, 'link.json');
    symlinkSync(real, link);
    const r = run(['scan', '-', '--include', 'PAL-0100', '-o', `json=${link}`], { input: DEPLOY });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(JSON.parse(readFileSync(real, 'utf8')).findings[0].check, 'PAL-0100');
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
    assert.match(
      run(['explain', 'untrusted-registry']).stdout,
      /Parameters \(checks\.PAL-0125\.params in \.palisade\.yaml\):\n {2}allowedRegistries \(list of strings\)/,
    );
    const typo = run(['explain', 'untrusted-registyr']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /no check named "untrusted-registyr" \(did you mean "untrusted-registry"\?\)/);
    const json = JSON.parse(list.stdout) as { id: string; paramsSchema?: { properties: object } }[];
    assert.deepEqual(Object.keys(json.find((c) => c.id === 'PAL-0125')?.paramsSchema?.properties ?? {}), ['allowedRegistries']);
  });

  it('prints help with the exit codes', () => {
    const r = run(['scan', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Exit codes:/);
  });
});

describe('the gate fails when it should', () => {
  it('a file that is entirely invalid YAML: nothing scanned, exit 2 even without --fail-on', () => {
    const d = mkdtempSync(join(tmpdir(), 'palisade-e2e-'));
    writeFileSync(join(d, 'bad.yaml'), 'kind: [\n');
    const r = run(['scan', join(d, 'bad.yaml'), '--fail-on', 'low', '-f', 'json']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /nothing was scanned: no Kubernetes object found in .*bad\.yaml \(incomplete: 1 file could not be read\)/);
    assert.equal(run(['scan', join(d, 'bad.yaml'), '-q']).code, 2);
  });

  it('an invalid file beside valid ones makes the scan incomplete: exit 1 under --fail-on, 0 with --allow-incomplete', () => {
    const d = project();
    writeFileSync(join(d, 'bad.yaml'), 'kind: [\n');
    const gated = run(['scan', d, '--include', 'PAL-0100', '--fail-on', 'critical', '-f', 'json']);
    assert.equal(gated.code, 1, gated.stderr);
    assert.match(gated.stderr, /the scan is incomplete: 1 file could not be read; fix the input or pass --allow-incomplete/);
    const report = JSON.parse(gated.stdout) as Report;
    assert.equal(report.incomplete?.paths, 1);
    assert.deepEqual(
      report.incomplete?.reasons.map((x) => [x.code, x.path.endsWith('bad.yaml')]),
      [['parse-error', true]],
    );
    assert.equal(run(['scan', d, '--include', 'PAL-0100', '--fail-on', 'critical', '--allow-incomplete', '-q']).code, 0);
    writeFileSync(join(d, '.palisade.yaml'), 'allowIncomplete: true\n');
    assert.equal(run(['scan', '.', '--include', 'PAL-0100', '--fail-on', 'critical', '-q'], { cwd: d }).code, 0, 'allowIncomplete in the config');
    assert.equal(run(['scan', d, '--include', 'PAL-0100', '-q']).code, 0, 'no gate without --fail-on');
  });

  it('says "incomplete" in the summary of every format', () => {
    const d = project();
    writeFileSync(join(d, 'bad.yaml'), 'kind: [\n');
    const out = join(d, 'out');
    const r = run([
      'scan',
      d,
      '--include',
      'PAL-0100',
      '-q',
      '-o',
      'table',
      '-o',
      `json=${join(out, 'r.json')}`,
      '-o',
      `markdown=${join(out, 'r.md')}`,
      '-o',
      `html=${join(out, 'r.html')}`,
      '-o',
      `sarif=${join(out, 'r.sarif')}`,
      '-o',
      `junit=${join(out, 'r.xml')}`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Incomplete +1 file could not be read/);
    assert.equal((JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as Report).incomplete?.paths, 1);
    assert.match(readFileSync(join(out, 'r.md'), 'utf8'), /\*\*Incomplete: 1 file could not be read\.\*\*/);
    assert.match(readFileSync(join(out, 'r.html'), 'utf8'), /Incomplete: 1 file could not be read/);
    const sarif = JSON.parse(readFileSync(join(out, 'r.sarif'), 'utf8'));
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
    assert.equal(sarif.runs[0].properties.incomplete.paths, 1);
    assert.match(readFileSync(join(out, 'r.xml'), 'utf8'), /incomplete: 1 file could not be read/);
    assert.deepEqual(readdirSync(out).sort(), ['r.html', 'r.json', 'r.md', 'r.sarif', 'r.xml'], 'no temporary files left behind');
  });

  it('paths that do not exist: incomplete (exit 1 under --fail-on); nothing readable: exit 2', () => {
    const d = project();
    const some = run(['scan', d, join(d, 'nope'), '--include', 'PAL-0100', '--fail-on', 'critical', '-q']);
    assert.equal(some.code, 1);
    assert.match(some.stderr, /incomplete: 1 file could not be read/);
    assert.equal(run(['scan', join(d, 'nope'), join(d, 'nope2')]).code, 2);
  });

  it('a directory with no manifests: nothing scanned, exit 2', () => {
    const d = mkdtempSync(join(tmpdir(), 'palisade-e2e-'));
    mkdirSync(join(d, 'empty'));
    writeFileSync(join(d, 'empty', 'values.yaml'), 'replicas: 2\n');
    const r = run(['scan', join(d, 'empty'), '--fail-on', 'low']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nothing was scanned: no Kubernetes object found/);
  });

  it('a file over the size limit is skipped: incomplete; stdin obeys --max-file-size too', () => {
    const d = project();
    writeFileSync(join(d, 'big.yaml'), `${DEPLOY.replace('name: web', 'name: big')}# ${'x'.repeat(4000)}\n`);
    const r = run(['scan', d, '--include', 'PAL-0100', '--max-file-size', '1000', '--fail-on', 'critical', '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.resources, 1);
    assert.equal(report.incomplete?.reasons[0]?.code, 'file-too-large');
    const stdin = run(['scan', '-', '--max-file-size', '100', '-f', 'json'], { input: DEPLOY });
    assert.equal(stdin.code, 2, 'the only input was skipped: nothing scanned');
    assert.match(stdin.stderr, /<stdin>: skipped, \d+ bytes is over the 100-byte limit/);
    assert.equal((JSON.parse(stdin.stdout) as Report).stats.skippedFiles, 1);
  });

  it('an explicit --max-file-size beats the config file; the config beats the default', () => {
    const d = project();
    writeFileSync(join(d, '.palisade.yaml'), 'maxFileSize: 10\n');
    const fromConfig = run(['scan', '.', '--include', 'PAL-0100', '-f', 'json', '-q'], { cwd: d });
    assert.equal(fromConfig.code, 2, 'the only file is over the config limit');
    const explicit = run(['scan', '.', '--include', 'PAL-0100', '--max-file-size', '20MB', '-f', 'json', '-q'], { cwd: d });
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.equal((JSON.parse(explicit.stdout) as Report).resources, 1);
  });

  it('unknown check names in flags or config: exit 2 with "did you mean"; a selection that runs nothing: exit 2', () => {
    const d = project();
    const flag = run(['scan', d, '--include', 'imge-latest-tag', '--fail-on', 'low']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--include: "imge-latest-tag" names no check \(did you mean "image-latest-tag"\?\)/);
    assert.equal(flag.stdout, '', 'fails before scanning');
    assert.match(run(['scan', d, '--exclude', 'PAL-01OO']).stderr, /--exclude: "PAL-01OO" names no check \(did you mean "PAL-0100"\?\)/);
    assert.equal(run(['scan', d, '--include', 'PAL-99*']).code, 2, 'a glob matching nothing');
    writeFileSync(join(d, '.palisade.yaml'), 'include: [pss-host-namespacse]\n');
    const cfg = run(['scan', '.'], { cwd: d });
    assert.equal(cfg.code, 2);
    assert.match(cfg.stderr, /\.palisade\.yaml: include\[0\]: "pss-host-namespacse" names no check \(did you mean "pss-host-namespaces"\?\)/);
    writeFileSync(join(d, '.palisade.yaml'), 'checks:\n  image-latest-tags: {severity: low}\n');
    assert.match(run(['scan', '.'], { cwd: d }).stderr, /checks\.image-latest-tags: names no check \(did you mean "image-latest-tag"\?\)/);
    const none = run(['scan', d, '--include', 'PAL-0100', '--exclude', 'image-latest-tag']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no check to run/);
  });

  it('bad check params: exit 2 at load with the key path, not an error finding per container', () => {
    const d = project();
    writeFileSync(join(d, '.palisade.yaml'), 'checks:\n  PAL-0125:\n    params: {allowedRegistries: ghcr.io}\n');
    const r = run(['scan', '.', '-f', 'json'], { cwd: d });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^palisade: \.palisade\.yaml: invalid configuration: checks\.PAL-0125\.params\.allowedRegistries: must be array\n$/);
    writeFileSync(join(d, '.palisade.yaml'), 'checks:\n  PAL-0100:\n    params: {maxReplicas: 3}\n');
    assert.match(run(['scan', '.'], { cwd: d }).stderr, /checks\.PAL-0100\.params: PAL-0100 takes no parameters/);
    writeFileSync(join(d, '.palisade.yaml'), 'checks:\n  PAL-0125:\n    params: {allowedRegistries: [ghcr.io], extra: 1}\n');
    assert.match(run(['scan', '.'], { cwd: d }).stderr, /checks\.PAL-0125\.params\.extra: unknown setting/);
  });

  it('a custom check declares paramsSchema: its params are validated too, and a broken schema is named', () => {
    const d = project();
    mkdirSync(join(d, 'pol'));
    const check = (type: string): string =>
      `export default { id: 'ACME-0001', name: 'team-label', title: 'No team label', severity: 'low', category: 'ownership', frameworks: [],
  docs: { description: 'd', remediation: 'r' }, target: { kind: 'resource', kinds: ['Deployment'] },
  paramsSchema: { type: 'object', additionalProperties: false, properties: { teams: { type: '${type}', items: { type: 'string' } } } },
  evaluate: () => undefined };\n`;
    writeFileSync(join(d, 'pol', 'team.mjs'), check('array'));
    writeFileSync(join(d, 'c.yaml'), 'checksDir: [pol]\nchecks:\n  team-label:\n    params: {teams: ops}\n');
    const bad = run(['scan', d, '-c', join(d, 'c.yaml')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /c\.yaml: invalid configuration: checks\.team-label\.params\.teams: must be array/);
    writeFileSync(join(d, 'pol', 'team.mjs'), check('arry'));
    const broken = run(['scan', d, '-c', join(d, 'c.yaml')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /team\.mjs: ACME-0001: paramsSchema is not a valid JSON Schema/);
  });

  it('a symlink loop (sub/up -> ..) reads each real file once', () => {
    const d = project();
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec: {ports: [{port: 80}]}\n');
    symlinkSync('..', join(d, 'sub', 'up'));
    symlinkSync('deploy.yaml', join(d, 'again.yaml'));
    const r = run(['scan', d, '--include', 'PAL-0100', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.stats.files, 2);
    assert.equal(report.resources, 2);
  });

  it('an annotation waiver without a reason waives nothing and says so', () => {
    const d = mkdtempSync(join(tmpdir(), 'palisade-e2e-'));
    writeFileSync(
      join(d, 'w.yaml'),
      DEPLOY.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    palisade.dev/ignore.image-latest-tag: ""\n'),
    );
    const r = run(['scan', d, '--include', 'PAL-0100', '--fail-on', 'medium', '-f', 'json']);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.findings[0]?.status, 'fail');
    assert.ok(report.diagnostics.some((x) => x.code === 'waiver-without-reason' && x.message.includes('palisade.dev/ignore.image-latest-tag gives no reason')));
    writeFileSync(
      join(d, 'w.yaml'),
      DEPLOY.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    palisade.dev/ignore.image-latest-tag: "pinned by digest at deploy"\n'),
    );
    assert.equal(run(['scan', d, '--include', 'PAL-0100', '--fail-on', 'medium', '-q']).code, 0);
  });

  it('-f twice is a usage error; -o takes several formats', () => {
    const d = project();
    const r = run(['scan', d, '-f', 'table', '-f', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /-f\/--format given 2 times \(table, json\); use -o FORMAT\[=FILE\] for several outputs/);
  });

  it('an unknown command is exit 2, with --help too', () => {
    const r = run(['frobnicate', '--help']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
    assert.doesNotMatch(r.stdout, /Usage:/);
    assert.match(run(['scna', 'x']).stderr, /unknown command 'scna' \(did you mean "scan"\?\)/);
    assert.equal(run(['help', 'scan']).code, 0);
  });

  it('a report that cannot be written fails at once with exit 3 and one line', { skip: existsSync('/proc/self') ? false : 'needs /proc' }, () => {
    const d = project();
    const r = run(['scan', d, '-o', 'json=/proc/nope/x.json']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^palisade: cannot write json report to \/proc\/nope\/x\.json: E[A-Z]+\n$/);
    // Checked before the cluster is read: the unreachable server is never contacted.
    const kubeconfig = join(d, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {token: t}}]\ncurrent-context: x\n',
    );
    const snap = run(['snapshot', '--kubeconfig', kubeconfig, '-o', '/proc/nope/x.json.gz']);
    assert.equal(snap.code, 3);
    assert.match(snap.stderr, /^palisade: cannot write snapshot to \/proc\/nope\/x\.json\.gz: E[A-Z]+\n$/);
  });
});

describe('Helm charts and Kustomize directories', () => {
  it('without helm on PATH: a clear message, templates never parsed, the scan incomplete', () => {
    const d = project();
    chart(d);
    const r = run(['scan', d, '--include', 'PAL-0100', '--fail-on', 'critical', '-f', 'json'], { env: { PATH: binDir() } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /web: Helm chart not scanned: helm is not on PATH; render it and pipe the output in: helm template web \S*web \| palisade scan -/);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.stats.parseErrors, 0, 'templates are not parsed as YAML');
    assert.equal(report.resources, 1);
    assert.deepEqual(
      report.incomplete?.reasons.map((x) => x.code),
      ['not-rendered'],
    );
    const only = run(['scan', join(d, 'web')], { env: { PATH: binDir() } });
    assert.equal(only.code, 2, 'the chart was all there was: nothing scanned');
  });

  it('renders a chart with helm on PATH, passing --values and --set as arguments (no shell)', () => {
    const d = mkdtempSync(join(tmpdir(), 'palisade-e2e-'));
    const c = chart(d);
    const argsFile = join(d, 'helm-args');
    const bin = binDir({
      helm: `for a in "$@"; do printf '%s\\n' "$a"; done > '${argsFile}'\ncat <<'EOF'\n---\n# Source: web/templates/deployment.yaml\n${DEPLOY}EOF`,
    });
    writeFileSync(join(d, 'prod.yaml'), 'x: 1\n');
    const r = run(['scan', c, '--include', 'PAL-0100', '--values', join(d, 'prod.yaml'), '--set', 'image.tag=1; rm -rf /', '-f', 'json'], {
      env: { PATH: withSystem(bin) },
    });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.resources, 1);
    assert.equal(report.incomplete, undefined);
    assert.equal(report.findings[0]?.location?.file, `<helm template ${c}>`);
    assert.deepEqual(readFileSync(argsFile, 'utf8').split('\n').slice(0, -1), [
      'template',
      'web',
      c,
      '--values',
      join(d, 'prod.yaml'),
      '--set',
      'image.tag=1; rm -rf /',
    ]);
  });

  it('a failing helm makes the scan incomplete with its message', () => {
    const d = project();
    chart(d);
    const bin = binDir({ helm: 'echo \'Error: template: web/templates/deployment.yaml:5: function "nindent" not defined\' >&2\nexit 1' });
    const r = run(['scan', d, '--include', 'PAL-0100', '--fail-on', 'critical', '-q'], { env: { PATH: withSystem(bin) } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /incomplete: 1 file could not be read/);
    const loud = run(['scan', d, '--include', 'PAL-0100'], { env: { PATH: withSystem(bin) } });
    assert.match(loud.stderr, /Helm chart not scanned: helm template failed: Error: template: web\/templates\/deployment\.yaml:5/);
  });

  it('a Kustomize directory: rendered with kubectl kustomize, or a message saying how', () => {
    const d = mkdtempSync(join(tmpdir(), 'palisade-e2e-'));
    const k = join(d, 'overlay');
    mkdirSync(k);
    writeFileSync(join(k, 'kustomization.yaml'), 'resources: [deploy.yaml]\npatches: [{path: patch.yaml}]\n');
    writeFileSync(join(k, 'deploy.yaml'), DEPLOY);
    writeFileSync(join(k, 'patch.yaml'), 'kind: Deployment\nmetadata: {name: web}\n');
    const missing = run(['scan', d, '--fail-on', 'low'], { env: { PATH: binDir() } });
    assert.equal(missing.code, 2, 'the kustomization was all there was');
    assert.match(
      missing.stderr,
      /overlay: Kustomize directory not scanned: kubectl or kustomize is not on PATH; render it and pipe the output in: kubectl kustomize \S*overlay \| palisade scan -/,
    );
    const bin = binDir({ kubectl: `[ "$1" = kustomize ] || exit 9\ncat "$2/deploy.yaml"` });
    const r = run(['scan', d, '--include', 'PAL-0100', '-f', 'json'], { env: { PATH: withSystem(bin) } });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.resources, 1, 'the rendered Deployment only; the patch is not scanned as a manifest');
    assert.equal(report.findings[0]?.location?.file, `<kubectl kustomize ${k}>`);
  });
});
