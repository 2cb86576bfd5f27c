/**
 * End-to-end: every command that reads a cluster (`scan`, `inventory`, `snapshot`,
 * `pss --cluster`, `rbac who-can`, `rbac can`), run as the built CLI, against the fake API
 * server in its own process, when the network or the server misbehaves. Each run either
 * succeeds (a transient failure retried) or exits 3 with one line naming the server and the
 * cause; never exit 13 (node giving up on a pending promise) and never silence.
 *
 * The server runs in a process of its own (as the CLI does): tests of the same cases at the
 * library level, with the server in the test's process, passed while every CLI run died
 * silently, because the server's sockets kept the event loop alive during the retry back-off.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliRun, runBuiltCli } from './support/cluster-cli.js';
import type { Fault } from './support/fake-apiserver.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { type TestContext, writeKubeconfig } from './support/kubeconfig.js';
import { createTestPki, hasOpenssl } from './support/pki.js';

/** The commands that read a cluster, for a kubeconfig context. */
const COMMANDS: Readonly<Record<string, (kc: string, ctx: string, dir: string) => string[]>> = {
  scan: (kc, ctx) => ['scan', '--kubeconfig', kc, '--context', ctx, '-f', 'json'],
  inventory: (kc, ctx) => ['inventory', '--kubeconfig', kc, '--context', ctx, '-f', 'json'],
  snapshot: (kc, ctx, dir) => ['snapshot', '--kubeconfig', kc, '--context', ctx, '-o', join(dir, `${ctx}.snapshot.json.gz`)],
  pss: (kc, ctx) => ['pss', '--cluster', '--kubeconfig', kc, '--context', ctx, '--level', 'baseline'],
  'rbac who-can': (kc, ctx) => ['rbac', 'who-can', 'list', 'secrets', '--kubeconfig', kc, '--context', ctx],
  'rbac can': (kc, ctx) => ['rbac', 'can', 'sa:shop/default', 'list', 'secrets', '-n', 'shop', '--kubeconfig', kc, '--context', ctx],
};
const NAMES = Object.keys(COMMANDS);
/** Fault cases served by the fake API server, one user per case and command. */
const CASES = ['clean', 'once503', 'retryAfter429', 'reset', 'always503'] as const;
type Case = (typeof CASES)[number];
const user = (c: Case, command: string): string => `${c}-${command.replace(' ', '-')}`;

/** Runs tasks with at most `limit` at once: two cores, many node processes. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await (tasks[i] as () => Promise<T>)();
      }
    }),
  );
  return out;
}

/** One line on stderr, naming the server and a cause; exit 3. */
function assertRuntimeError(r: CliRun, server: string, cause: RegExp, what: string): void {
  assert.equal(r.code, 3, `${what}: exit ${r.code}, stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line, got ${r.stderr}`);
  assert.ok(lines[0]?.includes(server), `${what}: names the server ${server}: ${lines[0]}`);
  assert.match(lines[0] ?? '', cause, what);
}

describe('cluster commands when the network or the API server fails', { skip: hasOpenssl() ? false : 'openssl is not installed (.ci/run installs it)' }, () => {
  let dir: string;
  let server: FakeApiProcess;
  let kubeconfig: string;
  const results = new Map<string, CliRun>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-cluster-failures-'));
    mkdirSync(join(dir, 'pki'));
    mkdirSync(join(dir, 'other-pki'));
    const pki = await createTestPki(join(dir, 'pki'));
    const other = await createTestPki(join(dir, 'other-pki'));
    const tokens: Record<string, string> = {};
    const faults: Fault[] = [];
    for (const command of NAMES) {
      for (const c of CASES) tokens[user(c, command)] = user(c, command);
      // A single 503 on discovery, retried; a 429 asking to come back in 1 s; a connection
      // reset in the middle of a list page; and a server that keeps answering 503.
      faults.push({ type: 'status', match: { path: '/api', user: user('once503', command) }, status: 503, times: 1 });
      faults.push({ type: 'status', match: { path: '/apis', user: user('retryAfter429', command) }, status: 429, retryAfter: '1', times: 1 });
      faults.push({ type: 'drop', match: { resource: 'pods', page: 0, user: user('reset', command) }, times: 1 });
      faults.push({ type: 'status', match: { path: '/api', user: user('always503', command) }, status: 503 });
    }
    server = await startFakeApiProcess({ pki: join(dir, 'pki'), tokens, faults });
    const contexts: TestContext[] = [];
    for (const command of NAMES) {
      for (const c of CASES) contexts.push({ name: user(c, command), server: server.url, caFile: pki.caFile, token: user(c, command) });
      contexts.push({ name: `unreachable-${command.replace(' ', '-')}`, server: 'https://127.0.0.1:1', caFile: pki.caFile, token: 'x' });
      // `.invalid` never resolves (RFC 2606); without a resolver at all the lookup fails too.
      contexts.push({ name: `unknown-host-${command.replace(' ', '-')}`, server: 'https://palisade-test.invalid:6443', caFile: pki.caFile, token: 'x' });
      contexts.push({ name: `wrong-ca-${command.replace(' ', '-')}`, server: server.url, caFile: other.caFile, token: user('clean', command) });
    }
    kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), contexts);
    const tasks: (() => Promise<void>)[] = [];
    for (const command of NAMES) {
      const slug = command.replace(' ', '-');
      for (const ctx of [...CASES.map((c) => user(c, command)), `unreachable-${slug}`, `unknown-host-${slug}`, `wrong-ca-${slug}`]) {
        tasks.push(async () => {
          results.set(ctx, await runBuiltCli((COMMANDS[command] as (kc: string, ctx: string, dir: string) => string[])(kubeconfig, ctx, dir), dir));
        });
      }
    }
    await pool(tasks, 4);
  });
  after(async () => {
    await server?.close();
  });

  const result = (ctx: string): CliRun => {
    const r = results.get(ctx);
    assert.ok(r, `no run for ${ctx}`);
    return r;
  };

  it('works on a healthy server (the reference for the cases below)', () => {
    for (const command of NAMES) {
      const r = result(user('clean', command));
      assert.ok(r.code === 0 || r.code === 1, `${command}: exit ${r.code}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0 || command === 'snapshot', `${command} printed its result`);
    }
  });

  it('exits 3 naming the server when nothing listens at its address (retried first)', () => {
    for (const command of NAMES) {
      const r = result(`unreachable-${command.replace(' ', '-')}`);
      assertRuntimeError(r, 'https://127.0.0.1:1', /cannot reach the API server: connection refused \(ECONNREFUSED\).*after 3 attempts/, command);
    }
  });

  it('exits 3 naming the server when its host name does not resolve', () => {
    for (const command of NAMES) {
      const r = result(`unknown-host-${command.replace(' ', '-')}`);
      assertRuntimeError(
        r,
        'https://palisade-test.invalid:6443',
        /cannot reach the API server: (unknown host palisade-test\.invalid \(ENOTFOUND\)|name lookup failed temporarily \(EAI_AGAIN\))/,
        command,
      );
    }
  });

  it('exits 3 on a TLS error (a CA that did not sign the server certificate), without retrying', () => {
    for (const command of NAMES) {
      const r = result(`wrong-ca-${command.replace(' ', '-')}`);
      assertRuntimeError(r, server.url, /TLS error: .*\(check certificate-authority/, command);
      assert.doesNotMatch(r.stderr, /attempts/, `${command}: a certificate does not get better by asking again`);
    }
  });

  it('retries a single 503 to success', async () => {
    const log = await server.requests();
    for (const command of NAMES) {
      const r = result(user('once503', command));
      assert.equal(r.code, result(user('clean', command)).code, `${command}: ${r.stderr}`);
      assert.equal(r.stdout.length > 0, result(user('clean', command)).stdout.length > 0);
      const api = log.filter((q) => q.user === user('once503', command) && q.path === '/api').map((q) => q.status);
      assert.deepEqual(api, [503, 200], command);
    }
  });

  it('waits as a 429 with Retry-After asks, then succeeds', async () => {
    const log = await server.requests();
    for (const command of NAMES) {
      const r = result(user('retryAfter429', command));
      assert.equal(r.code, result(user('clean', command)).code, `${command}: ${r.stderr}`);
      const apis = log.filter((q) => q.user === user('retryAfter429', command) && q.path === '/apis').map((q) => q.status);
      assert.deepEqual(apis, [429, 200], command);
    }
  });

  it('fetches a list page again after the connection was reset in the middle of it', async () => {
    const log = await server.requests();
    for (const command of NAMES) {
      const r = result(user('reset', command));
      assert.equal(r.code, result(user('clean', command)).code, `${command}: ${r.stderr}`);
      const pages = log.filter((q) => q.user === user('reset', command) && q.path.startsWith('/api/v1/pods?'));
      assert.equal(pages.length, 2, `${command}: the dropped page and its retry`);
    }
    const scan = JSON.parse(result(user('reset', 'scan')).stdout) as { coverage: { percent: number } };
    assert.equal(scan.coverage.percent, 100, 'nothing lost');
  });

  it('exits 3 naming the server and the status when a 503 persists', () => {
    for (const command of NAMES) {
      const r = result(user('always503', command));
      assertRuntimeError(r, server.url, /the API server answered: service unavailable \(503\).*after 3 attempts/, command);
    }
  });
});
