/**
 * Notifications of `palisade serve` (the built CLI): a receiver in its own process stands for
 * the generic webhook and Slack; it fails each URL's first delivery, so the retry is exercised.
 * New critical findings of an ingested scan are announced once (not again when the next scan
 * still has them); an exception expiring within the window is announced at start.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { createToken, type Served, scanOf, startServe } from './support/serve.js';

const RECEIVER = `
import http from 'node:http';
const seen = new Set();
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const first = !seen.has(req.url);
    seen.add(req.url);
    process.stdout.write(JSON.stringify({ path: req.url, status: first ? 503 : 200, body: JSON.parse(body) }) + '\\n');
    res.writeHead(first ? 503 : 200).end();
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
`;

interface Delivery {
  readonly path: string;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

describe('palisade serve notifications (built CLI)', () => {
  let dir: string;
  let receiver: ChildProcess;
  let base: string;
  const deliveries: Delivery[] = [];
  const waiters: (() => void)[] = [];
  const servers: Served[] = [];

  async function until(pred: () => boolean): Promise<void> {
    while (!pred()) await new Promise<void>((r) => waiters.push(r));
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-notify-'));
    const file = join(dir, 'receiver.mjs');
    writeFileSync(file, RECEIVER);
    receiver = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: receiver.stdout as NodeJS.ReadableStream });
    base = await new Promise<string>((resolve) => {
      lines.on('line', (line) => {
        const m = JSON.parse(line) as { port?: number } & Delivery;
        if (m.port !== undefined) resolve(`http://127.0.0.1:${m.port}`);
        else {
          deliveries.push(m);
          for (const w of waiters.splice(0)) w();
        }
      });
    });
  });

  after(async () => {
    for (const s of servers) await s.stop();
    receiver?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('announces new critical findings to the webhook (JSON) and Slack (text), retrying a failed delivery', async () => {
    const store = `sqlite:${join(dir, 'a.db')}`;
    const agent = await createToken(store, 'agent', 'agent');
    const s = await startServe([
      '--no-watch',
      '--listen',
      '127.0.0.1:0',
      '--store',
      store,
      '--notify-webhook',
      `${base}/hook`,
      '--notify-slack',
      `${base}/slack`,
    ]);
    servers.push(s);
    const { scan, snapshot } = await scanOf(['demo'], 'demo', dir);
    const critical = scan.findings.filter((f) => f.severity === 'critical');
    assert.ok(critical.length > 0, 'the demo has critical findings');
    const push = (scanId: string) =>
      fetch(`${s.url}/api/v1/ingest`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${agent}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ cluster: 'demo', agentId: 'a', scanId, sequence: 0, scan, snapshot }),
      });
    assert.equal((await push('one')).status, 200);
    await until(() => deliveries.filter((d) => d.status === 200).length >= 2);
    const hook = deliveries.filter((d) => d.path === '/hook');
    assert.deepEqual(
      hook.map((d) => d.status),
      [503, 200],
      'retried after the 503',
    );
    const body = hook[1]?.body as { event: string; cluster: string; count: number; findings: { id: string; severity: string }[] };
    assert.equal(body.event, 'critical-findings');
    assert.equal(body.cluster, 'demo');
    assert.equal(body.count, critical.length);
    assert.ok(body.findings.every((f) => f.severity === 'critical'));
    const slack = deliveries.filter((d) => d.path === '/slack' && d.status === 200);
    assert.match(String(slack[0]?.body.text), new RegExp(`^Palisade: ${critical.length} new critical finding`));

    // The same findings in the next scan are not new: nothing more is sent.
    const before = deliveries.length;
    assert.equal((await push('two')).status, 200);
    const again = await fetch(`${s.url}/healthz`);
    assert.equal(again.status, 200);
    await s.stop();
    assert.equal(deliveries.length, before, 'no notification for findings already open');
  });

  it('announces an exception expiring within --notify-expiry-days at start', async () => {
    const store = `sqlite:${join(dir, 'b.db')}`;
    const admin = await createToken(store, 'alice', 'admin');
    const first = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store]);
    servers.push(first);
    const soon = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const later = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    for (const expires of [soon, later]) {
      const res = await fetch(`${first.url}/api/v1/exceptions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ check: '*', namespace: 'legacy', reason: `until ${expires}`, expires }),
      });
      assert.equal(res.status, 201);
    }
    await first.stop();
    const count = deliveries.length;
    const s = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store, '--notify-webhook', `${base}/expiry`, '--notify-expiry-days', '7']);
    servers.push(s);
    await until(() => deliveries.slice(count).some((d) => d.path === '/expiry' && d.status === 200));
    const body = deliveries.slice(count).find((d) => d.path === '/expiry' && d.status === 200)?.body as {
      event: string;
      exceptions: { expires: string; reason: string }[];
    };
    assert.equal(body.event, 'exceptions-expiring');
    assert.deepEqual(
      body.exceptions.map((e) => e.expires.slice(0, 10)),
      [soon],
    );
  });
});
