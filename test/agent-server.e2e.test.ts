/**
 * A central `palisade serve --no-watch` fed by `palisade agent` (both the built CLI, each in its
 * own process) watching the test API server. The server is stopped while the cluster changes
 * and started again on the same store and port: the agent's outbox resends, every queued scan
 * is stored once (no loss, no duplicate), and the API shows the change and its history. The
 * same run is made on a SQLite store and on a real PostgreSQL (started on loopback; skipped with
 * a message without its binaries).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI } from './support/cli.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { writeKubeconfig } from './support/kubeconfig.js';
import { webPod as pod } from './support/fixtures.js';
import { LineProcess } from './support/line-process.js';
import { postgresMissing, startPostgres, type TestPostgres } from './support/postgres.js';
import { createToken, type Served, startServe } from './support/serve.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of ['sqlite', 'postgres'] as const)
  describe(`palisade agent -> palisade serve on ${backend}, with the server restarted mid-stream`, {
    timeout: 180_000,
    skip: backend === 'postgres' ? (postgresMissing() ?? false) : false,
  }, () => {
    let dir: string;
    let api: FakeApiProcess;
    let server: Served;
    let agent: LineProcess;
    let store: string;
    let viewer: string;
    let pg: TestPostgres | undefined;

    // biome-ignore lint/suspicious/noExplicitAny: answers of many shapes, asserted field by field
    async function get(path: string): Promise<any> {
      const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${viewer}` } });
      return res.json();
    }

    async function until<T>(what: () => Promise<T | undefined>): Promise<T> {
      for (;;) {
        const v = await what().catch(() => undefined);
        if (v !== undefined) return v;
        if (agent.child.exitCode !== null) throw new Error(`the agent exited: ${agent.stderr}`);
        await sleep(100);
      }
    }

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'palisade-agent-server-'));
      api = await startFakeApiProcess({
        objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } }, pod('first', true)],
        bookmarkIntervalMs: 200,
      });
      const kubeconfig = join(dir, 'kubeconfig');
      writeKubeconfig(kubeconfig, [{ name: 'fake', server: api.url }]);
      if (backend === 'postgres') {
        pg = await startPostgres();
        store = await pg.createDatabase('agent');
      } else store = `sqlite:${join(dir, 'central.db')}`;
      viewer = await createToken(store, 'victor', 'viewer');
      const tokenFile = join(dir, 'agent-token');
      writeFileSync(tokenFile, `${await createToken(store, 'edge-agent', 'agent')}\n`);
      server = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store]);
      agent = new LineProcess(process.execPath, [
        CLI,
        'agent',
        '--server',
        server.url,
        '--token-file',
        tokenFile,
        '--kubeconfig',
        kubeconfig,
        '--cluster-name',
        'edge',
        '--buffer-dir',
        join(dir, 'outbox'),
        '--retry-max',
        '1s',
      ]);
    });

    after(async () => {
      await agent?.kill();
      await server?.stop();
      await api?.close();
      await pg?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('stores the first full scan pushed by the agent', async () => {
      await agent.waitFor((l) => l.event === 'sent');
      const findings = await until(async () => {
        const page = await get('/api/v1/findings?cluster=edge&check=PAL-0003');
        return page.total === 1 ? page : undefined;
      });
      assert.equal(findings.items[0].name, 'first');
      const clusters = await get('/api/v1/clusters');
      assert.deepEqual(
        clusters.items.map((c: { name: string; source: string }) => [c.name, c.source]),
        [['edge', 'agent']],
      );
      assert.equal((await get('/api/v1/clusters/edge/inventory')).total > 0, true, 'the snapshot came with the scan');
    });

    it('loses nothing and doubles nothing when the server is down while the cluster changes', async () => {
      const port = new URL(server.url).port;
      const firstId = (await get('/api/v1/findings?cluster=edge&check=PAL-0003')).items[0].id as string;
      await server.stop();
      const from = agent.lines.length;
      await api.apply([pod('second', true)]);
      await agent.waitFor((l) => l.event === 'queued', from);
      await api.apply([pod('first', false)]);
      await agent.waitFor((l) => l.event === 'retry', from);
      server = await startServe(['--no-watch', '--listen', `127.0.0.1:${port}`, '--store', store]);
      await until(async () => {
        const f = await get(`/api/v1/clusters/edge/findings/${firstId}`);
        const second = await get('/api/v1/findings?cluster=edge&check=PAL-0003');
        return f.status === 'resolved' && second.items.some((x: { name: string }) => x.name === 'second') ? true : undefined;
      });
      // Everything queued has been sent before the scans are counted.
      const queued = await until(async () => {
        const q = agent.lines.filter((l) => l.event === 'queued').length;
        const sent = agent.lines.filter((l) => l.event === 'sent').length;
        return sent >= q ? q : undefined;
      });
      const scans = await get('/api/v1/scans?cluster=edge&limit=500');
      assert.equal(scans.total, queued, 'one stored scan per scan the agent made');
      const history = await get(`/api/v1/clusters/edge/findings/${firstId}/history`);
      assert.deepEqual(
        history.items.map((e: { event: string }) => e.event),
        ['opened', 'resolved'],
      );
    });
  });
