/**
 * End-to-end: `palisade audit` as users run it, the built CLI in its own process. `scan` on
 * logs made of the rule fixtures (exit codes, JSON lines, SARIF, custom rules, exceptions,
 * malformed input); `watch` following a log that grows and is rotated; `serve` receiving
 * EventList batches over HTTPS from this test, with failures injected (wrong token, bad JSON,
 * oversized body) and client-certificate authentication.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CLI } from './support/cli.js';
import { createTestPki, hasOpenssl } from './support/pki.js';

const FIXTURES = new URL('../src/audit-rules/fixtures/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'palisade-audit-e2e-'));

function run(args: string[], cwd = dir): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.jsonl`), 'utf8');
}

const attackLog = join(dir, 'attack.jsonl');
writeFileSync(attackLog, fixture('pod-exec') + fixture('cluster-admin-binding'));
const quietLog = join(dir, 'quiet.jsonl');
// Only the quiet events of a fixture: no rule of the catalogue alerts on a ClusterIP Service or on reads.
writeFileSync(
  quietLog,
  `${fixture('nodeport-service')
    .split('\n')
    .filter((l) => l.includes('"quiet"'))
    .join('\n')}\n`,
);

describe('palisade audit scan (built CLI)', () => {
  it('prints one JSON object per alert with the documented fields and exits 1 at --fail-on', () => {
    const r = run(['audit', 'scan', attackLog, '-f', 'json', '--fail-on', 'high']);
    assert.equal(r.code, 1, r.stderr);
    const alerts = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(alerts.length >= 4);
    for (const a of alerts) for (const k of ['rule', 'severity', 'auditID', 'user', 'verb', 'objectRef']) assert.ok(k in a, `alert lacks ${k}`);
    assert.ok(alerts.some((a) => a.rule === 'PAL-A023' && a.severity === 'high'));
    assert.match(r.stderr, /palisade audit: \d+ events \(\d+ requests\), \d+ alerts/);
  });

  it('exits 0 below the threshold and without --fail-on, and prints a table', () => {
    assert.equal(run(['audit', 'scan', attackLog, '--fail-on', 'critical', '-q']).code, 0);
    const r = run(['audit', 'scan', attackLog]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^TIME \(UTC\)\s+SEVERITY\s+RULE\s+USER\s+MESSAGE/);
    assert.match(r.stdout, /PAL-A001\s+ops-admin\s+ops-admin ran "id" in pod payments\/ledger-0/);
    const quiet = run(['audit', 'scan', quietLog, '--fail-on', 'info']);
    assert.equal(quiet.code, 0, quiet.stdout);
    assert.match(quiet.stdout, /No alerts\./);
  });

  it('reads gzip and writes SARIF 2.1.0', () => {
    const gz = join(dir, 'attack.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(attackLog)));
    const r = run(['audit', 'scan', gz, '-f', 'sarif']);
    assert.equal(r.code, 0, r.stderr);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.ok(run0.results.length >= 4);
    for (const res of run0.results) {
      assert.equal(run0.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
    }
  });

  it('fails the gate on unreadable records unless --allow-incomplete, naming file and line', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${readFileSync(quietLog, 'utf8')}{"kind":"Event","auditID":"x","verb":"get","objectRef":{"resource":"pods"\n`);
    const r = run(['audit', 'scan', bad, '--fail-on', 'high']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.jsonl:\d+: not valid JSON/);
    assert.equal(run(['audit', 'scan', bad, '--fail-on', 'high', '--allow-incomplete']).code, 0);
  });

  it('loads custom CEL rules and applies configuration exceptions and settings', () => {
    const rules = join(dir, 'rules');
    mkdirSync(rules, { recursive: true });
    writeFileSync(
      join(rules, 'exec.yaml'),
      `id: ACME-A001
name: exec-shell
title: Shell started in a pod
severity: critical
frameworks: [mitre:T1609]
match: { resources: [pods/exec] }
condition: "event.requestURI.contains('command=sh')"
messageExpression: "'shell in ' + event.objectRef.name + ' by ' + user.name"
`,
    );
    const r = run(['audit', 'scan', attackLog, '--rules', rules, '--include', 'ACME-*', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0] as string).message, 'shell in ledger-0 by jordan');
    const cfg = join(dir, 'palisade.yaml');
    writeFileSync(
      cfg,
      `checks:
  PAL-A001: { severity: info }
exceptions:
  - check: cluster-admin-binding
    kind: ClusterRoleBinding
    name: crb-*
    reason: fixture bindings
`,
    );
    const c = run(['audit', 'scan', attackLog, '-c', cfg, '-f', 'json']);
    const got = c.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(got.filter((a) => a.rule === 'PAL-A001').every((a) => a.severity === 'info'));
    assert.deepEqual(
      got.filter((a) => a.rule === 'PAL-A023').map((a) => a.objectRef.name),
      ['jordan-admin-web'],
    );
    assert.match(c.stderr, /exempt/);
  });

  it('rejects bad usage with exit 2: unknown rule, broken custom rule, missing file, bad config key', () => {
    const u = run(['audit', 'scan', attackLog, '--include', 'pod-exce']);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /names no audit rule \(did you mean "pod-exec"\?\)/);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'id: ACME-A009\nname: b\ntitle: B\ncondition: "verb =="\n');
    const b = run(['audit', 'scan', attackLog, '--rules', broken]);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /broken\.yaml: condition: CEL expression does not parse/);
    assert.equal(run(['audit', 'scan', join(dir, 'missing.log')]).code, 2);
    const cfg = join(dir, 'bad-config.yaml');
    writeFileSync(cfg, 'checks:\n  PAL-A999: { enabled: false }\n');
    const c = run(['audit', 'scan', attackLog, '-c', cfg]);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /checks\.PAL-A999: names no check or audit rule/);
  });

  it('lists the rules', () => {
    const r = run(['audit', 'rules', '-f', 'json']);
    const rules = JSON.parse(r.stdout);
    assert.ok(rules.length >= 30);
    assert.ok(rules.every((x: { id: string; frameworks: string[] }) => /^PAL-A\d{3}$/.test(x.id) && x.frameworks.some((f) => f.startsWith('mitre:'))));
  });
});

/** Collects a child's output and waits for a line matching a pattern (no timing assertion: the test runner's timeout guards hangs). */
function watchOutput(child: ChildProcess): { out: () => string; err: () => string; waitFor: (stream: 'out' | 'err', re: RegExp) => Promise<RegExpMatchArray> } {
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = async (stream: 'out' | 'err', re: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const m = (stream === 'out' ? out : err).match(re);
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${re}: ${err}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        child.once('exit', () => resolve());
      });
    }
  };
  return { out: () => out, err: () => err, waitFor };
}

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('palisade audit watch (built CLI)', () => {
  it('alerts on appended events, across a rotation, and exits 0 on SIGTERM', async () => {
    const log = join(dir, 'live.log');
    writeFileSync(log, fixture('pod-exec'));
    const child = spawn(process.execPath, [CLI, 'audit', 'watch', log, '-f', 'json', '--poll-interval', '50ms'], { cwd: dir });
    children.push(child);
    const io = watchOutput(child);
    await io.waitFor('err', /following .* from byte \d+/);
    // Existing content is not replayed (tail semantics); what is appended is.
    appendFileSync(log, fixture('csr-approved'));
    await io.waitFor('out', /"rule":"PAL-A034"/);
    assert.doesNotMatch(io.out(), /PAL-A001/);
    renameSync(log, `${log}.1`);
    writeFileSync(log, fixture('events-deleted'));
    await io.waitFor('out', /"rule":"PAL-A041"/);
    await io.waitFor('err', /rotated/);
    // A partial line waits for its end.
    const line = fixture('node-proxy').split('\n')[0] as string;
    appendFileSync(log, line.slice(0, 100));
    appendFileSync(log, `${line.slice(100)}\n`);
    await io.waitFor('out', /"rule":"PAL-A005"/);
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
    assert.match(io.err(), /palisade audit: \d+ events/);
  });
});

function post(
  port: number,
  ca: string,
  body: string | Buffer,
  headers: Record<string, string>,
  tls: { cert?: string; key?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/k8s-audit', method: 'POST', ca, headers: { 'content-type': 'application/json', ...headers }, ...tls },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function eventList(...names: string[]): string {
  const items = names.flatMap((n) =>
    fixture(n)
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l)),
  );
  return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
}

describe('palisade audit serve (built CLI, HTTPS)', { skip: hasOpenssl() ? false : 'openssl is not installed' }, () => {
  it('receives EventList batches with a bearer token and refuses bad requests', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'a-long-enough-test-token-0123456789\n');
    const child = spawn(process.execPath, [CLI, 'audit', 'serve', '--port', '0', '--token-file', tokenFile, '--max-body-size', '256KB', '-f', 'json'], {
      cwd: dir,
    });
    children.push(child);
    const io = watchOutput(child);
    const m = await io.waitFor('err', /listening on https:\/\/127\.0\.0\.1:(\d+)\/k8s-audit \(self-signed certificate (\S+),/);
    const port = Number(m[1]);
    const ca = readFileSync(m[2] as string, 'utf8');
    const auth = { authorization: 'Bearer a-long-enough-test-token-0123456789' };

    const ok = await post(port, ca, eventList('pod-exec'), auth);
    assert.equal(ok.status, 200, ok.body);
    assert.ok(JSON.parse(ok.body).accepted > 0);
    await io.waitFor('out', /"rule":"PAL-A001"/);

    assert.equal((await post(port, ca, eventList('pod-exec'), { authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await post(port, ca, eventList('pod-exec'), {})).status, 401);
    assert.equal((await post(port, ca, '{"kind":"EventList","items":[', auth)).status, 400);
    assert.equal((await post(port, ca, '{"hello":"world"}', auth)).status, 400);
    const big = await post(port, ca, Buffer.alloc(512 * 1024, 0x20), auth).catch((e: NodeJS.ErrnoException) => ({
      status: e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 413 : -1,
      body: '',
    }));
    assert.equal(big.status, 413);

    // Still serving after the failures; the same request ids are not alerted twice.
    const again = await post(port, ca, eventList('pod-exec', 'csr-approved'), auth);
    assert.equal(again.status, 200);
    await io.waitFor('out', /"rule":"PAL-A034"/);
    const execAlerts = io
      .out()
      .trim()
      .split('\n')
      .filter((l) => l.includes('"PAL-A001"'));
    assert.equal(execAlerts.length, 2, 'dedup by auditID across batches');
    assert.match(io.err(), /refused: .*401 missing or wrong bearer token/);
    assert.doesNotMatch(io.err(), /a-long-enough-test-token/);

    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
    assert.match(io.err(), /batches, \d+ refused requests/);
  });

  it('authenticates the API server by client certificate with --client-ca', async () => {
    const pkiDir = mkdtempSync(join(dir, 'pki-'));
    const pki = await createTestPki(pkiDir, ['kube-apiserver']);
    const child = spawn(
      process.execPath,
      [CLI, 'audit', 'serve', '--port', '0', '--client-ca', pki.caFile, '--tls-cert', pki.server.certFile, '--tls-key', pki.server.keyFile, '-f', 'json'],
      { cwd: dir },
    );
    children.push(child);
    const io = watchOutput(child);
    const m = await io.waitFor('err', /listening on https:\/\/127\.0\.0\.1:(\d+)/);
    const port = Number(m[1]);
    const client = pki.clients['kube-apiserver'];
    assert.ok(client);
    const ok = await post(port, pki.ca, eventList('node-proxy'), {}, { cert: client.cert, key: client.key });
    assert.equal(ok.status, 200);
    await io.waitFor('out', /"rule":"PAL-A005"/);
    await assert.rejects(post(port, pki.ca, eventList('node-proxy'), {}));
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
  });

  it('refuses to start without authentication', () => {
    const r = run(['audit', 'serve', '--port', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs --token-file or --client-ca/);
  });
});
