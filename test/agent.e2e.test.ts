/**
 * `palisade agent` end to end: the built CLI watches the fake API server (its own process)
 * and pushes to an ingest receiver (its own process) that implements the contract of
 * `POST /api/v1/ingest` with idempotency. The receiver is killed and restarted mid-stream, an
 * answer is lost after the scan was stored, and the agent itself is killed and restarted:
 * every scan arrives, none is stored twice, and sequences have no gap.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../src/core/types.js';
import { CLI } from './support/cli.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { writeKubeconfig } from './support/kubeconfig.js';
import { LineProcess, startReceiver } from './support/line-process.js';

function pod(name: string, privileged: boolean): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'web' },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged } }] },
  };
}

const OBJECTS: JsonObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } }, pod('first', true)];

interface Stored {
  key: string;
  sequence: number;
  kind: string;
  snapshot: boolean;
  names: string[];
}

function stored(dir: string): Stored[] {
  let text = '';
  try {
    text = readFileSync(join(dir, 'received.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Stored);
}

describe('palisade agent (built CLI) with an outbox', { timeout: 180_000 }, () => {
  let api: FakeApiProcess;
  let dir: string;
  let kubeconfig: string;
  let tokenFile: string;
  let receiverData: string;
  let bufferDir: string;
  const procs: LineProcess[] = [];

  const agentArgs = (url: string): string[] => [
    CLI,
    'agent',
    '--server',
    url,
    '--token-file',
    tokenFile,
    '--kubeconfig',
    kubeconfig,
    '--cluster-name',
    'prod',
    '--buffer-dir',
    bufferDir,
    '--retry-max',
    '300ms',
  ];

  before(async () => {
    api = await startFakeApiProcess({ objects: OBJECTS });
    dir = mkdtempSync(join(tmpdir(), 'palisade-agent-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, [{ name: 'fake', server: api.url }]);
    tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'agent-secret\n');
    receiverData = join(dir, 'receiver');
    bufferDir = join(dir, 'outbox');
  });
  after(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await api?.close();
  });

  it('pushes every scan once across receiver crashes, lost answers and agent restarts', async () => {
    let receiver = await startReceiver({ data: receiverData, token: 'agent-secret' });
    procs.push(receiver.proc);
    const port = receiver.port;
    let agent = new LineProcess(process.execPath, agentArgs(receiver.url));
    procs.push(agent);

    const started = await agent.waitFor((l) => l.event === 'started');
    const agentId = started.agentId as string;
    await receiver.proc.waitFor((l) => l.stored !== undefined && l.kind === 'full');

    // A change while the receiver runs.
    await api.apply([pod('second', true)]);
    await receiver.proc.waitFor((l) => l.stored !== undefined && l.kind === 'incremental');

    // The receiver dies; changes keep coming and are queued on disk.
    await receiver.proc.kill('SIGKILL');
    const mark = agent.lines.length;
    await api.apply([pod('third', true)]);
    await agent.waitFor((l) => l.event === 'queued' && l.kind === 'incremental', mark);
    await agent.waitFor((l) => l.event === 'retry', mark);
    assert.ok(
      readdirSync(bufferDir).some((f) => f.startsWith('scan-')),
      'the unsent scan is in the outbox',
    );

    // Back on the same port, losing its first answer: the agent must resend, and the receiver recognise it.
    receiver = await startReceiver({ data: receiverData, token: 'agent-secret', port, dropAnswers: 1 });
    procs.push(receiver.proc);
    await receiver.proc.waitFor((l) => l.duplicate !== undefined);
    await agent.waitFor((l) => l.event === 'sent' && l.duplicate === true, mark);

    // The agent is killed with a scan queued, and restarted: the scan is sent by the new process.
    await receiver.proc.kill('SIGKILL');
    const mark2 = agent.lines.length;
    await api.apply([pod('fourth', true)]);
    const queued = await agent.waitFor((l) => l.event === 'queued' && l.kind === 'incremental', mark2);
    await agent.kill('SIGKILL');
    receiver = await startReceiver({ data: receiverData, token: 'agent-secret', port });
    procs.push(receiver.proc);
    agent = new LineProcess(process.execPath, agentArgs(receiver.url));
    procs.push(agent);
    const restarted = await agent.waitFor((l) => l.event === 'started');
    assert.equal(restarted.agentId, agentId, 'the agent keeps its identity across restarts');
    await receiver.proc.waitFor((l) => l.stored !== undefined && l.sequence === queued.sequence);
    // The restarted agent's own first full scan follows the queued one.
    await agent.waitFor((l) => l.event === 'sent' && typeof l.sequence === 'number' && l.sequence > (queued.sequence as number));
    await agent.kill('SIGTERM');

    const all = stored(receiverData);
    const keys = all.map((s) => s.key);
    assert.equal(new Set(keys).size, keys.length, 'no scan stored twice');
    const sequences = all.map((s) => s.sequence).sort((a, b) => a - b);
    assert.deepEqual(
      sequences,
      Array.from({ length: sequences.length }, (_, i) => i + 1),
      'sequences 1..N, none lost',
    );
    assert.ok(all.every((s) => s.key.startsWith(`${agentId}:`)));
    const names = all.flatMap((s) => s.names);
    for (const p of ['first', 'second', 'third', 'fourth']) assert.ok(names.includes(`PAL-0003:${p}`), `the finding on ${p} arrived`);
    assert.ok(
      all.some((s) => s.snapshot),
      'snapshots are pushed',
    );
    assert.deepEqual(
      readdirSync(bufferDir).filter((f) => f.startsWith('scan-')),
      [],
      'the outbox is empty once everything is stored',
    );
  });

  it('refuses bad flags with exit code 2 and a one-line error', async () => {
    const p = new LineProcess(process.execPath, [CLI, 'agent', '--token-file', tokenFile]);
    assert.equal(await p.exited, 2);
    assert.match(p.stderr, /--server is required/);
    const q = new LineProcess(process.execPath, [
      CLI,
      'agent',
      '--server',
      'http://127.0.0.1:1',
      '--token-file',
      join(dir, 'missing'),
      '--kubeconfig',
      kubeconfig,
    ]);
    assert.equal(await q.exited, 3);
    assert.match(q.stderr, /--token-file .*missing: cannot read/);
    assert.equal(q.stderr.trim().split('\n').length, 1);
  });
});
