/**
 * One layer, streamed once: decompressed (gzip, zstd or none, chosen from the magic bytes, not
 * the media type), its uncompressed digest (diff-id) computed on the way, tar entries walked,
 * claimed files collected under byte caps and analysed as soon as they are complete. What is
 * kept is the small, serialisable `LayerResult` (cached by diff-id), never the layer.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { PalisadeError } from '../core/errors.js';
import { analyzeFile, type Claim, claimFile, keepExecutable, MAX_TEXT_BYTES } from './analyzers/index.js';
import type { FileAnalysis } from './analyzers/types.js';
import { type EntrySink, TarParser } from './tar.js';

/** What a layer contributes to the image, after analysis. */
export interface LayerResult {
  /** Analyses of the claimed files, by normalised path. */
  readonly files: Readonly<Record<string, FileAnalysis>>;
  /** Paths deleted from lower layers by `.wh.<name>` entries. */
  readonly whiteouts: readonly string[];
  /** Directories whose lower-layer content is hidden (`.wh..wh..opq`). */
  readonly opaque: readonly string[];
  /** Claimed paths this layer rewrote with something that yields nothing (hides lower-layer results). */
  readonly removed: readonly string[];
  /** Files an analyser wanted but that were over a byte cap. */
  readonly skipped: readonly { readonly path: string; readonly size: number }[];
  /** Uncompressed size. */
  readonly bytes: number;
}

/** Byte caps. */
export interface LayerLimits {
  /** Largest uncompressed layer read (stops decompression bombs). Default 16 GiB. */
  readonly maxLayerBytes?: number;
  /** Largest single file kept in memory for an analyser (jars, executables, rpmdb). Default 128 MiB. */
  readonly maxFileBytes?: number;
}

export const DEFAULT_MAX_LAYER_BYTES = 16 * 1024 ** 3;
export const DEFAULT_MAX_FILE_BYTES = 128 << 20;

const OPAQUE = '.wh..wh..opq';
const WHITEOUT = '.wh.';

/** fzstd allocates the whole window up front: a frame may not ask for more (zstd's default decoder limit). */
export const MAX_ZSTD_WINDOW = 128 << 20;

/**
 * The memory a zstd frame asks for, from its header (RFC 8878 section 3.1.1.1): the window
 * size, or the content size of a single-segment frame. Undefined when the header is incomplete.
 *
 * @example
 * zstdWindowSize(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58)); // 8388608
 */
export function zstdWindowSize(h: Uint8Array): number | undefined {
  const fhd = h[4];
  if (fhd === undefined) return undefined;
  const singleSegment = (fhd & 0x20) !== 0;
  if (!singleSegment) {
    const wd = h[5];
    if (wd === undefined) return undefined;
    const base = 2 ** (10 + (wd >> 3));
    return base + (base / 8) * (wd & 7);
  }
  const didBytes = [0, 1, 2, 4][fhd & 3] as number;
  const fcsFlag = fhd >> 6;
  const fcsBytes = [1, 2, 4, 8][fcsFlag] as number;
  const at = 5 + didBytes;
  if (h.length < at + fcsBytes) return undefined;
  let size = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) size = size * 256 + (h[at + i] as number);
  return fcsBytes === 2 ? size + 256 : size;
}

/** Decompresses a layer stream, choosing the codec from its first bytes. */
export async function* decompress(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = input[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length < 4) {
    // Rare: a tiny first chunk; join with the next to sniff 4 bytes.
    const next = await it.next();
    if (next.done) break;
    first = { done: false, value: Buffer.concat([first.value, next.value]) };
  }
  if (first.done) return;
  const head = first.value;
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gz = createGunzip({ chunkSize: 1 << 20 });
    const src = Readable.from(rest(), { objectMode: false });
    src.on('error', (e) => gz.destroy(e));
    src.pipe(gz);
    try {
      for await (const c of gz) yield c as Buffer;
    } catch (e) {
      throw new PalisadeError('io', `gzip layer: ${(e as Error).message}`);
    }
    return;
  }
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    const window = zstdWindowSize(head);
    if (window !== undefined && window > MAX_ZSTD_WINDOW)
      throw new PalisadeError(
        'io',
        `zstd layer: a window of ${window} bytes is larger than the ${MAX_ZSTD_WINDOW >> 20} MiB decoders accept (zstd's own limit without --memory)`,
      );
    let out: Uint8Array[] = [];
    const z = new Decompress((chunk) => {
      out.push(chunk);
    });
    try {
      for await (const c of rest()) {
        z.push(c);
        if (out.length > 0) {
          const o = out;
          out = [];
          yield* o;
        }
      }
      z.push(new Uint8Array(0), true);
    } catch (e) {
      if (e instanceof PalisadeError) throw e;
      throw new PalisadeError('io', `zstd layer: ${(e as Error).message}`);
    }
    yield* out;
    return;
  }
  yield* rest();
}

class Collector implements EntrySink {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;
  constructor(
    private readonly path: string,
    private readonly claim: Claim,
    private readonly done: (path: string, data: Buffer | undefined) => void,
  ) {}
  write(chunk: Uint8Array): void {
    if (this.dropped) return;
    if (this.size === 0 && this.claim === 'executable' && !keepExecutable(chunk)) {
      this.dropped = true;
      return;
    }
    // Copies: the chunk is a view into the decompressor's output, not ours to keep.
    this.chunks.push(Buffer.from(chunk));
    this.size += chunk.length;
  }
  end(): void {
    this.done(this.path, this.dropped ? undefined : Buffer.concat(this.chunks, this.size));
    this.chunks = [];
  }
}

/**
 * Streams one layer and analyses it. `expectedDiffId`, when given, is checked against the
 * sha256 of the uncompressed stream; a mismatch is an error (the layer is not the one the config names).
 *
 * @example
 * const result = await analyzeLayer(createReadStream('layer.tar.gz'), { expectedDiffId: 'sha256:...' });
 */
export async function analyzeLayer(
  input: AsyncIterable<Uint8Array>,
  options: LayerLimits & { readonly expectedDiffId?: string; readonly label?: string } = {},
): Promise<LayerResult> {
  const maxLayer = options.maxLayerBytes ?? DEFAULT_MAX_LAYER_BYTES;
  const maxFile = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const label = options.label ?? 'layer';
  const files: Record<string, FileAnalysis> = {};
  const whiteouts: string[] = [];
  const opaque: string[] = [];
  const removed = new Set<string>();
  const skipped: { path: string; size: number }[] = [];
  const finished = (path: string, data: Buffer | undefined) => {
    const a = data === undefined ? {} : analyzeFile(path, data);
    if (a.os !== undefined || (a.packages !== undefined && a.packages.length > 0)) {
      files[path] = a;
      removed.delete(path);
    } else {
      delete files[path];
      removed.add(path);
    }
  };
  const parser = new TarParser((e) => {
    const slash = e.path.lastIndexOf('/');
    const base = e.path.slice(slash + 1);
    if (base.startsWith(WHITEOUT)) {
      const dir = slash === -1 ? '' : e.path.slice(0, slash);
      if (base === OPAQUE) opaque.push(dir);
      else whiteouts.push(dir === '' ? base.slice(WHITEOUT.length) : `${dir}/${base.slice(WHITEOUT.length)}`);
      return undefined;
    }
    if (e.type !== 'file') return undefined;
    const claim = claimFile(e.path, e.mode);
    if (claim === undefined) return undefined;
    const cap = claim === 'text' ? Math.min(MAX_TEXT_BYTES, maxFile) : maxFile;
    if (e.size > cap) {
      // Executables over the cap are usually not Go/Rust binaries worth the memory; record anyway.
      skipped.push({ path: e.path, size: e.size });
      removed.add(e.path);
      return undefined;
    }
    return new Collector(e.path, claim, finished);
  });
  const hash = createHash('sha256');
  let total = 0;
  for await (const chunk of decompress(input)) {
    total += chunk.length;
    if (total > maxLayer)
      throw new PalisadeError('io', `${label}: more than ${maxLayer} bytes uncompressed (limit --max-layer-size); refusing a possible decompression bomb`);
    hash.update(chunk);
    parser.write(chunk);
  }
  parser.end();
  const diffId = `sha256:${hash.digest('hex')}`;
  if (options.expectedDiffId !== undefined && options.expectedDiffId !== diffId)
    throw new PalisadeError('io', `${label}: uncompressed digest ${diffId} does not match the config's diff-id ${options.expectedDiffId}`);
  return { files, whiteouts, opaque, removed: [...removed], skipped, bytes: total };
}
