/**
 * The agent's on-disk outbox: one file per scan, written atomically (temporary file, fsync,
 * rename, fsync of the directory) before the scan is sent, and deleted only after the server
 * answered 200. A scan is therefore never lost to a crash, a restart or an unreachable
 * server, and the server stores it once: each carries the idempotency key
 * `agentId:scanId:sequence`, the same on every resend.
 *
 * Layout of the directory (mode 0700):
 * - `state.json`: `{ agentId, nextSequence }`, the agent's identity and its next sequence number;
 * - `scan-<sequence>.json`: one ingest body without the snapshot, oldest first by name;
 * - `snapshot.gz`: the latest snapshot of the cluster only. The snapshot is the cluster's
 *   state, which the server replaces on each push: it is sent with the newest queued scan, so a
 *   backlog after an outage costs one snapshot, not one per scan.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PalisadeError } from '../core/errors.js';
import type { ScanInput } from '../store/types.js';

/** The body of `POST /api/v1/ingest` (docs/api.md), without the snapshot. */
export interface IngestEntry {
  readonly cluster: string;
  readonly agentId: string;
  readonly scanId: string;
  readonly sequence: number;
  readonly scan: ScanInput;
}

/** A queued scan: its file name and body. */
export interface QueuedScan {
  readonly file: string;
  readonly entry: IngestEntry;
}

const ENTRY = /^scan-(\d{12})\.json$/;

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes `data` to `file` so that a crash leaves either the old file or the new one, complete. */
export async function writeAtomic(file: string, data: string | Uint8Array, dir: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  // The rename itself is durable only once the directory is.
  await fsyncPath(dir);
}

/**
 * The outbox in `dir`.
 *
 * @example
 * const outbox = await Outbox.open('/var/lib/palisade/agent');
 * await outbox.add('prod', scan, snapshot);
 * for (const file of await outbox.files()) { const q = await outbox.read(file); ...send q.entry...; await outbox.remove(file); }
 */
export class Outbox {
  readonly dir: string;
  readonly agentId: string;
  #next: number;

  private constructor(dir: string, agentId: string, next: number) {
    this.dir = dir;
    this.agentId = agentId;
    this.#next = next;
  }

  /** Opens (or creates) the outbox; the agent's identity is kept across restarts. */
  static async open(dir: string): Promise<Outbox> {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new PalisadeError('io', `--buffer-dir ${dir}: cannot create the directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    const stateFile = join(dir, 'state.json');
    let agentId: string | undefined;
    let next = 1;
    try {
      const state = JSON.parse(await readFile(stateFile, 'utf8')) as { agentId?: unknown; nextSequence?: unknown };
      if (typeof state.agentId === 'string' && state.agentId !== '') agentId = state.agentId;
      if (typeof state.nextSequence === 'number' && Number.isInteger(state.nextSequence) && state.nextSequence > 0) next = state.nextSequence;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT')
        throw new PalisadeError('io', `${stateFile}: cannot read the agent state (${code ?? 'not JSON'}); remove it to start a new agent identity`);
    }
    // Queued files are the truth when the state file lags behind them.
    for (const name of await readdir(dir)) {
      const m = ENTRY.exec(name);
      if (m) next = Math.max(next, Number(m[1]) + 1);
    }
    const outbox = new Outbox(dir, agentId ?? randomUUID(), next);
    await outbox.#saveState();
    return outbox;
  }

  async #saveState(): Promise<void> {
    await writeAtomic(join(this.dir, 'state.json'), `${JSON.stringify({ agentId: this.agentId, nextSequence: this.#next })}\n`, this.dir);
  }

  /** Queues a scan (durably, before returning) and keeps `snapshot` as the cluster's latest. */
  async add(cluster: string, scan: ScanInput, snapshot: Uint8Array): Promise<QueuedScan> {
    const sequence = this.#next++;
    // The sequence is spent before the file exists: a crash between the two never reuses it.
    await this.#saveState();
    await writeAtomic(join(this.dir, 'snapshot.gz'), snapshot, this.dir);
    const entry: IngestEntry = { cluster, agentId: this.agentId, scanId: randomUUID(), sequence, scan };
    const file = `scan-${String(sequence).padStart(12, '0')}.json`;
    await writeAtomic(join(this.dir, file), JSON.stringify(entry), this.dir);
    return { file, entry };
  }

  /** The files of the queued scans, oldest first. */
  async files(): Promise<string[]> {
    return (await readdir(this.dir)).filter((n) => ENTRY.test(n)).sort();
  }

  /** One queued scan; a file that cannot be parsed is moved to `rejected/` (undefined). */
  async read(file: string): Promise<QueuedScan | undefined> {
    try {
      return { file, entry: JSON.parse(await readFile(join(this.dir, file), 'utf8')) as IngestEntry };
    } catch {
      await this.reject(file);
      return undefined;
    }
  }

  /** The latest snapshot, if any. */
  async snapshot(): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(join(this.dir, 'snapshot.gz')));
    } catch {
      return undefined;
    }
  }

  /** Removes a scan the server stored. */
  async remove(file: string): Promise<void> {
    await unlink(join(this.dir, file)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await fsyncPath(this.dir);
  }

  /** Moves a scan the server refused for good (400, 413) out of the queue, kept for inspection. */
  async reject(file: string): Promise<void> {
    const dir = join(this.dir, 'rejected');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await rename(join(this.dir, file), join(dir, file)).catch(async () => {
      await rm(join(this.dir, file), { force: true });
    });
    await fsyncPath(this.dir);
  }
}
