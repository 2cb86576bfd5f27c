/**
 * `palisade serve` end to end: the BUILT CLI creates tokens and serves a SQLite store in its
 * own process; the test is an agent pushing scans of the demo manifests and a dashboard
 * reading them. Auth (401/403 per role), ingest dedupe, findings filters and pagination,
 * history across two scans, exceptions (admin only, audited), views of the stored snapshot,
 * body and rate limits, metrics, the dashboard's files, TLS, token revocation.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CLI } from './support/cli.js';
import { createTestPki, hasOpenssl } from './support/pki.js';
import { type ApiAnswer, apiCall as call, createToken, type Served, scanOf, startServe } from './support/serve.js';

const run = promisify(execFile);

describe('palisade serve (built CLI)', () => {
  let dir: string;
  let store: string;
  let server: Served;
  let admin: string;
  let viewer: string;
  let agent: string;
  let first: Awaited<ReturnType<typeof scanOf>>;
  let second: Awaited<ReturnType<typeof scanOf>>;
  const get = (path: string, token: string = viewer) => call(server.url, path, token);
  const anon = (path: string) => call(server.url, path, undefined);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-serve-'));
    store = `sqlite:${join(dir, 'palisade.db')}`;
    admin = await createToken(store, 'alice', 'admin');
    viewer = await createToken(store, 'victor', 'viewer');
    agent = await createToken(store, 'agent-demo', 'agent');
    server = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store, '--dashboard-dir', join(dir, 'no-dashboard'), '--rate-limit', '0']);
    first = await scanOf(['demo'], 'demo', dir);
    // The second scan: the first finding is gone (fixed), everything else stays.
    second = await scanOf(['demo'], 'demo', dir);
    second = { ...second, scan: { ...second.scan, findings: second.scan.findings.slice(1) } };
  });

  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses API calls without a valid token (401) with the error shape of docs/api.md', async () => {
    const none = await anon('/api/v1/findings');
    assert.equal(none.status, 401);
    assert.equal(none.json.error.code, 'unauthorized');
    assert.equal(typeof none.json.error.message, 'string');
    assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
    const bad = await get('/api/v1/findings', 'not-a-token');
    assert.equal(bad.status, 401);
    assert.equal((await anon('/metrics')).status, 401);
  });

  it('answers the probes without a token', async () => {
    assert.equal((await anon('/healthz')).text, 'ok\n');
    const ready = await anon('/readyz');
    assert.equal(ready.status, 200);
  });

  it('says who the caller is', async () => {
    assert.deepEqual((await get('/api/v1/me', admin)).json, { name: 'alice', role: 'admin' });
    assert.deepEqual((await get('/api/v1/me', viewer)).json, { name: 'victor', role: 'viewer' });
  });

  it('lets only agents (and admins) ingest, and agents nothing else', async () => {
    const body = JSON.stringify({ cluster: 'demo', agentId: 'a1', scanId: 's1', sequence: 0, scan: first.scan, snapshot: first.snapshot });
    assert.equal((await call(server.url, '/api/v1/ingest', viewer, { method: 'POST', body })).status, 403);
    assert.equal((await get('/api/v1/findings', agent)).status, 403);
    const stored = await call(server.url, '/api/v1/ingest', agent, { method: 'POST', body });
    assert.equal(stored.status, 200, stored.text);
    assert.equal(stored.json.cluster, 'demo');
    assert.ok(!stored.json.duplicate);
    assert.ok(stored.json.counts.opened > 0);
  });

  it('stores a scan pushed twice once (idempotency key agentId:scanId:sequence)', async () => {
    const body = JSON.stringify({ cluster: 'demo', agentId: 'a1', scanId: 's1', sequence: 0, scan: first.scan, snapshot: first.snapshot });
    const again = await call(server.url, '/api/v1/ingest', agent, { method: 'POST', body });
    assert.equal(again.status, 200);
    assert.equal(again.json.duplicate, true);
    const scans = await get('/api/v1/scans?cluster=demo');
    assert.equal(scans.json.total, 1);
  });

  it('checks ingest bodies at the boundary', async () => {
    const bad = await call(server.url, '/api/v1/ingest', agent, {
      method: 'POST',
      body: JSON.stringify({ cluster: 'demo', agentId: 'a1', scanId: 's9', sequence: 0, scan: { ...first.scan, findings: [{ severity: 'apocalyptic' }] } }),
    });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /scan\.findings\[0\]\.severity/);
    assert.equal((await call(server.url, '/api/v1/ingest', agent, { method: 'POST', body: '{not json' })).status, 400);
  });

  it('lists findings with filters, sorted by severity, paginated by cursor', async () => {
    const all = await get('/api/v1/findings?cluster=demo&limit=500');
    assert.equal(all.status, 200);
    assert.equal(all.json.total, first.scan.findings.length);
    const ranks = { critical: 5, high: 4, medium: 3, low: 2, info: 1 } as Record<string, number>;
    const sev = all.json.items.map((f: { severity: string }) => ranks[f.severity] as number);
    assert.deepEqual(
      sev,
      [...sev].sort((a: number, b: number) => b - a),
      'most severe first',
    );

    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ApiAnswer = await get(`/api/v1/findings?cluster=demo&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.status, 200);
      assert.ok(page.json.items.length <= 3);
      for (const f of page.json.items) seen.add(f.id);
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);
    assert.equal(seen.size, all.json.total, 'the pages cover every finding once');
    assert.ok(pages > 1);

    const high = await get('/api/v1/findings?cluster=demo&severity=high,critical');
    assert.ok(high.json.items.length > 0);
    assert.ok(high.json.items.every((f: { severity: string }) => f.severity === 'high' || f.severity === 'critical'));
    const someCheck = first.scan.findings[0]?.check as string;
    const byCheck = await get(`/api/v1/findings?check=${someCheck}&limit=500`);
    assert.equal(byCheck.json.total, first.scan.findings.filter((f) => f.check === someCheck).length);
    const bad = await get('/api/v1/findings?severity=apocalyptic');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'bad_request');
    assert.equal((await get('/api/v1/findings?limit=501')).status, 400);
  });

  it("shows a finding with its check's docs and its fix as a unified diff of the stored object", async () => {
    const fixable = first.scan.findings.find((f) => f.fixable === true && f.fix !== null);
    assert.ok(fixable, 'the demo has a fixable finding');
    const detail = await get(`/api/v1/clusters/demo/findings/${fixable.fingerprint}`);
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.json.check, fixable.check);
    assert.match(detail.json.checkDoc.docs, new RegExp(`^## ${fixable.check} `));
    assert.ok(detail.json.checkDoc.remediation.length > 0);
    assert.match(detail.json.fixDiff, /^--- a\/.*\n\+\+\+ b\/.*\n@@ /);
    assert.equal((await get('/api/v1/clusters/demo/findings/nope')).status, 404);
  });

  it('keeps history across two scans: the fixed finding is resolved, its events say when', async () => {
    const body = JSON.stringify({ cluster: 'demo', agentId: 'a1', scanId: 's2', sequence: 0, scan: second.scan, snapshot: second.snapshot });
    const stored = await call(server.url, '/api/v1/ingest', agent, { method: 'POST', body });
    assert.equal(stored.status, 200, stored.text);
    assert.equal(stored.json.counts.resolved, 1);
    const gone = first.scan.findings[0]?.fingerprint as string;
    const f = await get(`/api/v1/clusters/demo/findings/${gone}`);
    assert.equal(f.json.status, 'resolved');
    assert.ok(f.json.resolvedAt);
    const history = await get(`/api/v1/clusters/demo/findings/${gone}/history`);
    assert.deepEqual(
      history.json.items.map((e: { event: string }) => e.event),
      ['opened', 'resolved'],
    );
    const resolved = await get('/api/v1/findings?cluster=demo&status=resolved');
    assert.equal(resolved.json.total, 1);
    const scans = await get('/api/v1/scans?cluster=demo');
    assert.equal(scans.json.total, 2);
    const trends = await get('/api/v1/trends?cluster=demo&by=severity');
    const scanIds = new Set(trends.json.points.map((p: { scanId: string }) => p.scanId));
    assert.equal(scanIds.size, 2, 'one series point per scan');
  });

  it('summarises clusters with a posture score', async () => {
    const clusters = await get('/api/v1/clusters');
    assert.equal(clusters.json.items.length, 1);
    const c = clusters.json.items[0];
    assert.equal(c.name, 'demo');
    assert.ok(c.score >= 0 && c.score < 100);
    const summary = await get('/api/v1/summary');
    assert.equal(summary.json.clusters, 1);
    assert.equal(summary.json.score, c.score);
    const open = Object.values(summary.json.open as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(open, second.scan.findings.length);
    assert.equal((await get('/api/v1/summary?cluster=nope')).status, 404);
  });

  it("serves the views of the cluster's stored snapshot as the CLI's JSON", async () => {
    const inventory = await get('/api/v1/clusters/demo/inventory');
    assert.equal(inventory.status, 200, inventory.text);
    assert.ok(inventory.json.total > 0);
    const whoCan = await get('/api/v1/clusters/demo/rbac/who-can?verb=get&resource=secrets');
    assert.equal(whoCan.status, 200, whoCan.text);
    assert.ok(Array.isArray(whoCan.json.subjects));
    const can = await get('/api/v1/clusters/demo/rbac/can?subject=sa:default/default&verb=get&resource=pods&namespace=default');
    assert.equal(can.status, 200, can.text);
    assert.equal(typeof can.json.allowed, 'boolean');
    const subject = await get('/api/v1/clusters/demo/rbac/subjects/ServiceAccount/default/default');
    assert.equal(subject.status, 200, subject.text);
    const matrix = await get('/api/v1/clusters/demo/network/matrix');
    assert.equal(matrix.status, 200, matrix.text);
    const paths = await get('/api/v1/clusters/demo/paths?max-hops=6');
    assert.equal(paths.status, 200, paths.text);
    const compliance = await get('/api/v1/clusters/demo/compliance?framework=nsa-1.2');
    assert.equal(compliance.status, 200, compliance.text);
    assert.equal((await get('/api/v1/clusters/demo/compliance?framework=nope')).status, 400);
    assert.equal((await get('/api/v1/clusters/other/inventory')).status, 404);
    assert.equal((await get('/api/v1/checks')).json.items.length > 100, true);
  });

  it('lets admins create and revoke exceptions, not viewers; changes are audited', async () => {
    const input = { check: first.scan.findings[1]?.check, namespace: 'default', reason: 'accepted until the migration', expires: '2999-01-01' };
    const refused = await call(server.url, '/api/v1/exceptions', viewer, { method: 'POST', body: JSON.stringify(input) });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.code, 'forbidden');
    const noReason = await call(server.url, '/api/v1/exceptions', admin, { method: 'POST', body: JSON.stringify({ ...input, reason: '' }) });
    assert.equal(noReason.status, 400);
    const past = await call(server.url, '/api/v1/exceptions', admin, { method: 'POST', body: JSON.stringify({ ...input, expires: '2001-01-01' }) });
    assert.equal(past.status, 400);
    const created = await call(server.url, '/api/v1/exceptions', admin, { method: 'POST', body: JSON.stringify(input) });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.createdBy, 'alice');
    const list = await get('/api/v1/exceptions');
    assert.ok(list.json.items.some((e: { id: string }) => e.id === created.json.id));
    assert.equal((await call(server.url, `/api/v1/exceptions/${created.json.id}`, viewer, { method: 'DELETE' })).status, 403);
    const revoked = await call(server.url, `/api/v1/exceptions/${created.json.id}`, admin, { method: 'DELETE' });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.json.revokedAt);
    assert.equal(revoked.json.revokedBy, 'alice');
    assert.equal((await get('/api/v1/audit')).status, 403);
    const audit = await get('/api/v1/audit', admin);
    const actions = audit.json.items.map((a: { action: string; actor: string }) => `${a.action} ${a.actor}`);
    assert.ok(actions.includes('exception.create alice'), actions.join(', '));
    assert.ok(actions.includes('exception.revoke alice'), actions.join(', '));
  });

  it('refuses bodies over the limit with 413', async () => {
    const big = JSON.stringify({ check: '*', reason: 'x'.repeat(2 << 20) });
    const res = await call(server.url, '/api/v1/exceptions', admin, { method: 'POST', body: big });
    assert.equal(res.status, 413);
    assert.equal(res.json.error.code, 'too_large');
  });

  it('answers unknown routes and methods with the error shape', async () => {
    assert.equal((await get('/api/v1/nope')).json.error.code, 'not_found');
    const wrong = await call(server.url, '/api/v1/checks', admin, { method: 'DELETE' });
    assert.equal(wrong.status, 405);
  });

  it('exposes Prometheus metrics that agree with the API', async () => {
    const res = await get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    for (const line of res.text.trimEnd().split('\n'))
      assert.match(line, /^(# (HELP|TYPE) \w+ .+|[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+-]+|NaN)$/, `not Prometheus text: ${line}`);
    assert.match(res.text, /# TYPE palisade_findings_open gauge/);
    const open = (await get('/api/v1/summary')).json.open as Record<string, number>;
    for (const [severity, n] of Object.entries(open))
      assert.ok(res.text.includes(`palisade_findings_open{cluster="demo",severity="${severity}"} ${n}\n`), severity);
    assert.match(res.text, /palisade_scan_duration_seconds\{cluster="demo",kind="full"\} /);
    assert.match(res.text, /palisade_findings_open_by_namespace\{cluster="demo",namespace="[^"]*"\} \d+/);
    assert.equal((await get('/metrics', agent)).status, 403);
  });

  it('says in one line that the dashboard is not built when dist/dashboard is absent', async () => {
    const res = await anon('/');
    assert.equal(res.status, 404);
    assert.match(res.text, /^The dashboard is not built[^\n]*\n$/);
  });

  it('refuses a revoked token', async () => {
    const temp = await createToken(store, 'temp', 'viewer');
    assert.equal((await get('/api/v1/me', temp)).status, 200);
    const { stdout } = await run(process.execPath, [CLI, 'serve', 'token', 'list', '--store', store, '-f', 'json']);
    const tokens = JSON.parse(stdout) as { id: string; name: string }[];
    assert.ok(!stdout.includes(temp), 'the list never shows a secret');
    const id = tokens.find((t) => t.name === 'temp')?.id as string;
    await run(process.execPath, [CLI, 'serve', 'token', 'revoke', id, '--store', store]);
    assert.equal((await get('/api/v1/me', temp)).status, 401);
  });

  it('never shows a Secret value, in lists, details, diffs or views', async () => {
    const value = 'sk_live_demo_9fK2qLx7RtYb3NwP0sVd4HcZ';
    const texts = [(await get('/api/v1/findings?status=all&limit=500')).text, (await get('/api/v1/clusters/demo/inventory')).text];
    for (const f of first.scan.findings.filter((x) => x.kind === 'Secret')) texts.push((await get(`/api/v1/clusters/demo/findings/${f.fingerprint}`)).text);
    texts.push((await get('/api/v1/clusters/demo/rbac/who-can?verb=get&resource=secrets')).text);
    texts.push((await get('/api/v1/clusters/demo/paths')).text);
    assert.ok(texts.length > 4);
    for (const t of texts) assert.ok(!t.includes(value), 'a Secret value reached an answer');
  });
});

describe('palisade serve: dashboard files, limits and TLS', () => {
  let dir: string;
  let store: string;
  let viewer: string;
  const servers: Served[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-serve-'));
    store = `sqlite:${join(dir, 'palisade.db')}`;
    viewer = await createToken(store, 'victor', 'viewer');
  });

  after(async () => {
    for (const s of servers) await s.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the dashboard with content types and a CSP, and nothing outside its folder', async () => {
    const dash = join(dir, 'dashboard');
    mkdirSync(join(dash, 'assets'), { recursive: true });
    writeFileSync(join(dash, 'index.html'), '<!doctype html><title>Palisade</title><script src="assets/app.js"></script>');
    writeFileSync(join(dash, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    const s = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store, '--dashboard-dir', dash]);
    servers.push(s);
    const index = await call(s.url, '/', undefined);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(index.headers.get('content-security-policy'), "default-src 'self'");
    const js = await call(s.url, '/assets/app.js', undefined);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    for (const path of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/%00.js']) {
      const res = await call(s.url, path, undefined);
      assert.equal(res.status, 404, path);
      assert.ok(!res.text.includes('outside'), path);
    }
  });

  it('limits requests per token with 429 and Retry-After', async () => {
    const s = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store, '--rate-limit', '3']);
    servers.push(s);
    const codes: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await call(s.url, '/api/v1/me', viewer);
      codes.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        assert.equal(res.json.error.code, 'rate_limited');
      }
    }
    assert.deepEqual(codes, [200, 200, 200, 429, 429]);
    assert.match(retryAfter ?? '', /^\d+$/);
  });

  it('serves HTTPS with --tls-cert/--tls-key', { skip: hasOpenssl() ? false : 'needs the openssl binary' }, async () => {
    const pki = await createTestPki(dir);
    const s = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store, '--tls-cert', pki.server.certFile, '--tls-key', pki.server.keyFile]);
    servers.push(s);
    assert.match(s.url, /^https:\/\//);
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = https.get(`${s.url}/api/v1/me`, { ca: pki.ca, headers: { Authorization: `Bearer ${viewer}` } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    assert.equal(body.status, 200);
    assert.equal(JSON.parse(body.text).role, 'viewer');
    await assert.rejects(fetch(`${s.url.replace('https:', 'http:')}/healthz`));
  });

  it('warns when listening beyond loopback without TLS, and refuses bad flags with exit 2', async () => {
    const bad = await run(process.execPath, [CLI, 'serve', '--no-watch', '--listen', 'nonsense', '--store', store]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal((bad as { code: number }).code, 2);
    assert.match((bad as { stderr: string }).stderr, /--listen: "nonsense" is not HOST:PORT/);
    const nothing = await run(process.execPath, [CLI, 'serve', '--store', store]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((nothing as { code: number }).code, 2);
    assert.match((nothing as { stderr: string }).stderr, /say what to watch/);
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    const badTls = await run(process.execPath, [
      CLI,
      'serve',
      '--no-watch',
      '--listen',
      '127.0.0.1:0',
      '--store',
      store,
      '--tls-cert',
      junk,
      '--tls-key',
      junk,
    ]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((badTls as { code: number }).code, 2);
    assert.match((badTls as { stderr: string }).stderr, /^palisade: --tls-cert\/--tls-key: .*PEM/);
    const s = await startServe(['--no-watch', '--listen', '0.0.0.0:0', '--store', store]);
    servers.push(s);
    assert.match(s.stderr(), /without TLS/);
  });
});

describe('palisade serve --retain', () => {
  let dir: string;
  const servers: Served[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-serve-retain-'));
  });

  after(async () => {
    for (const s of servers) await s.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prunes scans and resolved findings older than the retention at start, keeping the latest scan', async () => {
    const store = `sqlite:${join(dir, 'palisade.db')}`;
    const agent = await createToken(store, 'agent', 'agent');
    const viewer = await createToken(store, 'victor', 'viewer');
    const { scan, snapshot } = await scanOf(['demo'], 'demo', dir);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const [gone, ...kept] = scan.findings;
    const pushes = [
      { ...scan, startedAt: daysAgo(100), finishedAt: daysAgo(100) },
      { ...scan, startedAt: daysAgo(50), finishedAt: daysAgo(50), findings: kept },
      { ...scan, startedAt: daysAgo(0), finishedAt: daysAgo(0), findings: kept },
    ];
    const first = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store]);
    servers.push(first);
    for (const [i, s] of pushes.entries()) {
      const res = await call(first.url, '/api/v1/ingest', agent, {
        method: 'POST',
        body: JSON.stringify({ cluster: 'demo', agentId: 'a', scanId: `s${i}`, sequence: 0, scan: s, snapshot }),
      });
      assert.equal(res.status, 200, res.text);
    }
    assert.equal((await call(first.url, '/api/v1/scans', viewer)).json.total, 3);
    assert.equal((await call(first.url, `/api/v1/clusters/demo/findings/${gone?.fingerprint}`, viewer)).json.status, 'resolved');
    await first.stop();

    const pruned = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store, '--retain', '30d']);
    servers.push(pruned);
    const scans = await call(pruned.url, '/api/v1/scans', viewer);
    assert.equal(scans.json.total, 1, 'only the latest scan is left');
    assert.equal((await call(pruned.url, `/api/v1/clusters/demo/findings/${gone?.fingerprint}`, viewer)).status, 404, 'the old resolved finding is gone');
    assert.equal((await call(pruned.url, '/api/v1/findings?cluster=demo&limit=500', viewer)).json.total, kept.length, 'open findings stay');
    assert.match(pruned.stderr(), /retention: removed 2 scans, 1 resolved findings/);
  });
});
