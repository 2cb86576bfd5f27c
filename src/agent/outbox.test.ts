import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ScanInput } from '../store/types.js';
import { Outbox } from './outbox.js';

const scan = (kind: ScanInput['kind']): ScanInput => ({
  cluster: 'prod',
  kind,
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:00:01Z',
  findings: [],
  resources: 1,
  checksRun: 1,
  coverage: [],
});

describe('agent outbox', () => {
  it('queues scans in order, keeps its identity and sequence across reopenings, and removes sent ones', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'palisade-outbox-')), 'buffer');
    const a = await Outbox.open(dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const q1 = await a.add('prod', scan('full'), new Uint8Array([1]));
    const q2 = await a.add('prod', scan('incremental'), new Uint8Array([2]));
    assert.deepEqual([q1.entry.sequence, q2.entry.sequence], [1, 2]);
    assert.notEqual(q1.entry.scanId, q2.entry.scanId);
    assert.deepEqual(await a.files(), [q1.file, q2.file]);
    assert.deepEqual(await a.snapshot(), new Uint8Array([2]), 'only the latest snapshot is kept');
    assert.ok(!readdirSync(dir).some((f) => f.includes('.tmp-')), 'no temporary file is left');

    const b = await Outbox.open(dir);
    assert.equal(b.agentId, a.agentId);
    assert.deepEqual((await b.read(q1.file))?.entry, q1.entry);
    await b.remove(q1.file);
    const q3 = await b.add('prod', scan('incremental'), new Uint8Array([3]));
    assert.equal(q3.entry.sequence, 3, 'sequences are never reused');
    assert.deepEqual(await b.files(), [q2.file, q3.file]);
  });

  it('trusts queued files over a state file that lags behind, and sets aside unreadable ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-outbox-'));
    const a = await Outbox.open(dir);
    await a.add('prod', scan('full'), new Uint8Array([1]));
    await a.add('prod', scan('full'), new Uint8Array([1]));
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ agentId: a.agentId, nextSequence: 1 }));
    const b = await Outbox.open(dir);
    assert.equal((await b.add('prod', scan('full'), new Uint8Array([1]))).entry.sequence, 3);
    writeFileSync(join(dir, 'scan-000000000009.json'), '{not json');
    assert.equal(await b.read('scan-000000000009.json'), undefined);
    assert.ok(readdirSync(join(dir, 'rejected')).includes('scan-000000000009.json'));
    assert.match(readFileSync(join(dir, 'state.json'), 'utf8'), /"nextSequence":4/);
  });

  it('refuses a corrupt state file with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-outbox-'));
    writeFileSync(join(dir, 'state.json'), '{oops');
    await assert.rejects(Outbox.open(dir), /state\.json: cannot read the agent state/);
  });
});
