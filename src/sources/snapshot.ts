/**
 * Snapshots: everything a cluster scan read (objects, Kubernetes version, per-type coverage),
 * in one file that scans offline with the same results. Users share them to reproduce a case;
 * the tests and benchmarks are built on them.
 *
 * Format (JSON Lines, gzip-compressed when the name ends in `.gz`; reading sniffs the gzip
 * magic bytes): line 1 is the header `{"apiVersion":"palisade.dev/v1","kind":"Snapshot",...}`;
 * then for each cluster one line `{"cluster":{name, server, kubernetesVersion, coverage,
 * objects: N}}` followed by exactly N lines, one Kubernetes object each. One object per line
 * keeps reading and writing streaming: memory is bounded by the inventory, not by the file.
 *
 * Secrets are stored redacted (values replaced by derived facts); the writer redacts again
 * whatever it is given, so a snapshot never holds a Secret value.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip, gunzipSync } from 'node:zlib';
import { PalisadeError } from '../core/errors.js';
import { Inventory, isKubernetesObject } from '../core/inventory.js';
import { normalizeObject } from './normalize.js';
import type { JsonObject, ResourceTypeCoverage } from '../core/types.js';
import { VERSION } from '../version.js';
import { isObject } from '../core/object.js';

export const SNAPSHOT_API_VERSION = 'palisade.dev/v1';

/** One cluster of a snapshot, as read back. */
export interface SnapshotCluster {
  readonly name: string;
  readonly server?: string;
  readonly kubernetesVersion?: string;
  readonly inventory: Inventory;
  readonly coverage: readonly ResourceTypeCoverage[];
}

/** What a snapshot holds. */
export interface Snapshot {
  readonly createdAt: string;
  /** Palisade version that wrote it. */
  readonly tool: string;
  readonly clusters: readonly SnapshotCluster[];
}

/** Input of {@link writeSnapshot}: anything shaped like a loaded cluster. */
export interface SnapshotClusterInput {
  readonly name: string;
  readonly server?: string;
  readonly kubernetesVersion?: string;
  readonly inventory: Inventory;
  readonly coverage: readonly ResourceTypeCoverage[];
}

/** One object's line of a snapshot (without the newline): Secrets redacted again, whatever they hold. */
export function snapshotObjectLine(object: JsonObject): string {
  return JSON.stringify(object.kind === 'Secret' ? normalizeObject(object) : object);
}

/** The first line of a snapshot (with its newline). */
export function snapshotHeaderLine(createdAt: string, clusters: number): string {
  return `${JSON.stringify({ apiVersion: SNAPSHOT_API_VERSION, kind: 'Snapshot', createdAt, tool: `palisade/${VERSION}`, clusters })}\n`;
}

/** The line (with its newline) that opens a cluster of `objects` objects; its object lines follow. */
export function snapshotClusterLine(c: Omit<SnapshotClusterInput, 'inventory'>, objects: number): string {
  const header = {
    name: c.name,
    ...(c.server !== undefined ? { server: c.server } : {}),
    ...(c.kubernetesVersion !== undefined ? { kubernetesVersion: c.kubernetesVersion } : {}),
    coverage: c.coverage.map(({ cluster: _cluster, ...rest }) => rest),
    objects,
  };
  return `${JSON.stringify({ cluster: header })}\n`;
}

function* lines(clusters: readonly SnapshotClusterInput[], createdAt: string): Generator<string> {
  yield snapshotHeaderLine(createdAt, clusters.length);
  for (const c of clusters) {
    yield snapshotClusterLine(c, c.inventory.size);
    // Batches of lines: one write per object would dominate the cost.
    let batch = '';
    for (const r of c.inventory.all) {
      batch += `${snapshotObjectLine(r.object)}\n`;
      if (batch.length > 1 << 20) {
        yield batch;
        batch = '';
      }
    }
    if (batch !== '') yield batch;
  }
}

/**
 * Writes a snapshot; gzip-compressed when `file` ends in `.gz`.
 *
 * @example
 * const clusters = await loadClusters({ contexts: ['prod'] });
 * await writeSnapshot('prod.snapshot.json.gz', clusters);
 */
export async function writeSnapshot(file: string, clusters: readonly SnapshotClusterInput[], now: Date = new Date()): Promise<{ bytes: number }> {
  try {
    await mkdir(dirname(file), { recursive: true });
    const source = Readable.from(lines(clusters, now.toISOString()));
    const out = createWriteStream(file);
    if (file.endsWith('.gz')) await pipeline(source, createGzip({ level: 6 }), out);
    else await pipeline(source, out);
    return { bytes: out.bytesWritten };
  } catch (err) {
    throw new PalisadeError('io', `cannot write snapshot ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * Reads a snapshot written by {@link writeSnapshot} (compressed or not) back into one
 * inventory per cluster, objects in the order they were read from the cluster.
 *
 * @example
 * const { clusters } = await readSnapshot('prod.snapshot.json.gz');
 * clusters[0].inventory.size;
 */
export async function readSnapshot(file: string): Promise<Snapshot> {
  let gz: boolean;
  try {
    gz = await isGzip(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PalisadeError(
      code === 'ENOENT' ? 'path-not-found' : 'io',
      `${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`}`,
    );
  }
  const raw = createReadStream(file);
  let stream: Readable | Transform = raw;
  if (gz) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  }
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    return await snapshotOfLines(rl, file);
  } finally {
    rl.close();
    raw.destroy();
  }
}

/**
 * Reads a snapshot held in memory (what `palisade serve` stores per cluster and agents send),
 * gzip-compressed or not, as {@link readSnapshot} reads a file. `label` names it in errors.
 *
 * @example
 * const { clusters } = await parseSnapshot(await store.getClusterState('prod'), 'cluster prod');
 */
export async function parseSnapshot(bytes: Uint8Array, label = 'snapshot'): Promise<Snapshot> {
  let text: string;
  try {
    const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    text = new TextDecoder().decode(gz ? gunzipSync(bytes) : bytes);
  } catch (err) {
    throw new PalisadeError('snapshot-invalid', `${label}: cannot read snapshot: ${(err as Error).message}`);
  }
  return snapshotOfLines(text.split(/\r?\n/), label);
}

/** The snapshot of a sequence of lines (a file's or a buffer's). */
async function snapshotOfLines(input: AsyncIterable<string> | Iterable<string>, file: string): Promise<Snapshot> {
  const bad = (line: number, why: string): PalisadeError => new PalisadeError('snapshot-invalid', `${file}:${line}: not a Palisade snapshot: ${why}`);
  let lineNo = 0;
  let header: Record<string, unknown> | undefined;
  const clusters: SnapshotCluster[] = [];
  let current: { inventory: Inventory; remaining: number; name: string } | undefined;
  try {
    for await (const line of input) {
      lineNo++;
      if (line === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw bad(lineNo, 'line is not JSON');
      }
      if (!header) {
        if (!isObject(value) || value.kind !== 'Snapshot' || value.apiVersion !== SNAPSHOT_API_VERSION)
          throw bad(lineNo, `the first line must be the header (apiVersion ${SNAPSHOT_API_VERSION}, kind Snapshot)`);
        header = value;
        continue;
      }
      if (current && current.remaining > 0) {
        if (!isKubernetesObject(value)) throw bad(lineNo, 'expected a Kubernetes object');
        current.inventory.add({ object: value as JsonObject });
        current.remaining--;
        continue;
      }
      if (!isObject(value) || !isObject(value.cluster)) throw bad(lineNo, 'expected a cluster header');
      const c = value.cluster;
      if (typeof c.name !== 'string' || typeof c.objects !== 'number' || !Array.isArray(c.coverage))
        throw bad(lineNo, 'cluster header needs name, objects and coverage');
      const name = c.name;
      const inventory = new Inventory({ cluster: name });
      clusters.push({
        name,
        ...(typeof c.server === 'string' ? { server: c.server } : {}),
        ...(typeof c.kubernetesVersion === 'string' ? { kubernetesVersion: c.kubernetesVersion } : {}),
        inventory,
        coverage: (c.coverage as unknown as ResourceTypeCoverage[]).map((t) => ({ cluster: name, ...t })),
      });
      current = { inventory, remaining: c.objects, name };
    }
  } catch (err) {
    if (err instanceof PalisadeError) throw err;
    throw new PalisadeError('snapshot-invalid', `${file}: cannot read snapshot: ${(err as Error).message}`);
  }
  if (!header) throw bad(lineNo, 'empty file');
  if (current && current.remaining > 0) throw bad(lineNo, `cluster ${current.name} is truncated: ${current.remaining} objects missing`);
  if (typeof header.clusters === 'number' && header.clusters !== clusters.length)
    throw bad(lineNo, `the header announces ${header.clusters} clusters, the file holds ${clusters.length}`);
  return { createdAt: typeof header.createdAt === 'string' ? header.createdAt : '', tool: typeof header.tool === 'string' ? header.tool : '', clusters };
}
