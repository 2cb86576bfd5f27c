/**
 * A push-based streaming tar reader (POSIX ustar, pax extended headers, GNU long names), written
 * for image layers: every byte is seen once, entry contents are handed to a sink chosen per entry
 * (collect or skip), and paths are normalised so a layer cannot name anything outside its root.
 *
 * Format: https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html (ustar and pax).
 */
import { open } from 'node:fs/promises';
import { PalisadeError } from '../core/errors.js';

/** One tar entry's header, after pax and GNU long-name records were applied. */
export interface TarEntry {
  /** Normalised path relative to the layer root: no leading `/` or `./`, no `..`, no trailing `/`. */
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  readonly size: number;
  readonly mode: number;
  /** Target of a symlink or hard link (hard links: normalised like `path`). */
  readonly linkname: string;
}

/**
 * What to do with an entry's content: `undefined` skips it; a sink receives the bytes (chunks are
 * views into the input, valid only during the call) and `end()` once the entry is complete.
 */
export interface EntrySink {
  write(chunk: Uint8Array): void;
  end(): void;
}

const BLOCK = 512;
const decoder = new TextDecoder('utf-8');

/**
 * Normalises a tar path: strips leading `/` and `./`, resolves `.` and `..` inside the root (a
 * `..` above the root is dropped, as an extractor that refuses escapes would), drops a trailing `/`.
 *
 * @example
 * normalizeTarPath('./etc/../var/lib/dpkg/status'); // 'var/lib/dpkg/status'
 * normalizeTarPath('/../../etc/passwd'); // 'etc/passwd'
 */
export function normalizeTarPath(raw: string): string {
  const out: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function readString(buf: Uint8Array, start: number, len: number): string {
  let end = start;
  const stop = start + len;
  while (end < stop && buf[end] !== 0) end++;
  return decoder.decode(buf.subarray(start, end));
}

function readNumber(buf: Uint8Array, start: number, len: number): number {
  // GNU base-256 for sizes above 8 GiB: the high bit of the first byte is set.
  if ((buf[start] as number) & 0x80) {
    let n = (buf[start] as number) & 0x7f;
    for (let i = start + 1; i < start + len; i++) n = n * 256 + (buf[i] as number);
    return n;
  }
  const s = readString(buf, start, len).trim();
  if (s === '') return 0;
  const n = Number.parseInt(s, 8);
  if (!Number.isFinite(n)) throw new PalisadeError('io', `tar header: bad number field "${s}"`);
  return n;
}

function checksumOk(h: Uint8Array): boolean {
  const field = readString(h, 148, 8).trim();
  if (!/^[0-7]+$/.test(field)) return false;
  const stored = Number.parseInt(field, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number);
  return sum === stored;
}

function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    let sp = i;
    while (sp < data.length && data[sp] !== 0x20) sp++;
    const len = Number.parseInt(decoder.decode(data.subarray(i, sp)), 10);
    if (!Number.isFinite(len) || len <= 0 || i + len > data.length) break;
    const record = decoder.decode(data.subarray(sp + 1, i + len - 1));
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    i += len;
  }
  return out;
}

/** Largest pax or GNU long-name record accepted: they hold paths, not data. */
const MAX_META = 1 << 20;

/**
 * Streaming tar parser. Feed it with `write`, finish with `end`; `onEntry` picks a sink per entry.
 *
 * @example
 * const p = new TarParser((e) => (e.path === 'etc/os-release' ? collector : undefined));
 * for await (const chunk of stream) p.write(chunk);
 * p.end();
 */
export class TarParser {
  private header = new Uint8Array(BLOCK);
  private headerFill = 0;
  /** Bytes of the current entry's content still to read, then padding to skip. */
  private remaining = 0;
  private padding = 0;
  private sink: EntrySink | undefined;
  private meta: Uint8Array | undefined;
  private metaFill = 0;
  private metaKind: 'pax' | 'global' | 'longname' | 'longlink' | undefined;
  private pax = new Map<string, string>();
  private longName: string | undefined;
  private longLink: string | undefined;
  private zeroBlocks = 0;
  private done = false;
  /** Uncompressed bytes read so far. */
  bytes = 0;

  constructor(private readonly onEntry: (entry: TarEntry) => EntrySink | undefined) {}

  write(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.done) return;
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, n - i);
        const part = chunk.subarray(i, i + take);
        if (this.meta !== undefined) {
          this.meta.set(part, this.metaFill);
          this.metaFill += take;
        } else this.sink?.write(part);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.finishEntry();
        continue;
      }
      if (this.padding > 0) {
        const take = Math.min(this.padding, n - i);
        this.padding -= take;
        i += take;
        continue;
      }
      const take = Math.min(BLOCK - this.headerFill, n - i);
      this.header.set(chunk.subarray(i, i + take), this.headerFill);
      this.headerFill += take;
      i += take;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        this.onHeader();
      }
    }
  }

  /** Call at end of input: a truncated entry is an error, a missing end-of-archive marker is not. */
  end(): void {
    if (this.remaining > 0 || this.headerFill > 0) throw new PalisadeError('io', 'tar stream ended in the middle of an entry (truncated layer)');
  }

  private onHeader(): void {
    const h = this.header;
    let zero = true;
    for (let k = 0; k < BLOCK; k++)
      if (h[k] !== 0) {
        zero = false;
        break;
      }
    if (zero) {
      if (++this.zeroBlocks >= 2) this.done = true;
      return;
    }
    this.zeroBlocks = 0;
    if (!checksumOk(h)) throw new PalisadeError('io', 'tar header checksum mismatch (not a tar stream, or corrupt)');
    const size = readNumber(h, 124, 12);
    const flag = String.fromCharCode(h[156] as number);
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_META) throw new PalisadeError('io', `tar metadata record of ${size} bytes is larger than the 1 MiB allowed`);
      this.metaKind = flag === 'x' ? 'pax' : flag === 'g' ? 'global' : flag === 'L' ? 'longname' : 'longlink';
      this.meta = new Uint8Array(size);
      this.metaFill = 0;
      this.remaining = size;
      if (size === 0) this.finishEntry();
      return;
    }
    let name = readString(h, 0, 100);
    let linkname = readString(h, 157, 100);
    if (readString(h, 257, 5) === 'ustar') {
      const prefix = readString(h, 345, 155);
      if (prefix !== '') name = `${prefix}/${name}`;
    }
    if (this.longName !== undefined) name = this.longName;
    if (this.longLink !== undefined) linkname = this.longLink;
    const paxPath = this.pax.get('path');
    if (paxPath !== undefined) name = paxPath;
    const paxLink = this.pax.get('linkpath');
    if (paxLink !== undefined) linkname = paxLink;
    const paxSize = this.pax.get('size');
    const realSize = paxSize !== undefined ? Number(paxSize) : size;
    if (paxSize !== undefined) this.padding = (BLOCK - (realSize % BLOCK)) % BLOCK;
    this.pax = new Map();
    this.longName = undefined;
    this.longLink = undefined;
    const type: TarEntry['type'] =
      flag === '0' || flag === '\0' || flag === '7' ? 'file' : flag === '5' ? 'directory' : flag === '2' ? 'symlink' : flag === '1' ? 'hardlink' : 'other';
    const entry: TarEntry = {
      path: normalizeTarPath(name),
      type,
      size: type === 'file' ? realSize : 0,
      mode: readNumber(h, 100, 8),
      linkname: type === 'hardlink' ? normalizeTarPath(linkname) : linkname,
    };
    // Only regular files carry content; other types may still declare a size (old writers).
    this.remaining = realSize;
    const sink = this.onEntry(entry);
    this.sink = type === 'file' ? sink : undefined;
    if (this.remaining === 0) this.finishEntry();
  }

  private finishEntry(): void {
    if (this.meta !== undefined) {
      const data = this.meta;
      const kind = this.metaKind;
      this.meta = undefined;
      this.metaKind = undefined;
      if (kind === 'pax') this.pax = parsePax(data);
      else if (kind === 'longname') this.longName = readString(data, 0, data.length);
      else if (kind === 'longlink') this.longLink = readString(data, 0, data.length);
      return;
    }
    const sink = this.sink;
    this.sink = undefined;
    sink?.end();
  }
}

/** A regular file inside a tar held on disk, with the offset of its content. */
export interface TarIndexEntry {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
}

/**
 * Lists the regular files of an uncompressed tar file by reading headers only (for `docker save`
 * and `oci-archive` tars, whose blobs are then streamed from their offsets, nothing extracted).
 *
 * @example
 * const files = await indexTarFile('image.tar'); // Map { 'manifest.json' => { offset: 512, size: 301, ... } }
 */
export async function indexTarFile(file: string): Promise<Map<string, TarIndexEntry>> {
  const fh = await open(file, 'r');
  const out = new Map<string, TarIndexEntry>();
  try {
    const { size: total } = await fh.stat();
    const h = new Uint8Array(BLOCK);
    let pos = 0;
    let pax = new Map<string, string>();
    let longName: string | undefined;
    while (pos + BLOCK <= total) {
      const { bytesRead } = await fh.read(h, 0, BLOCK, pos);
      if (bytesRead < BLOCK) break;
      if (h.every((b) => b === 0)) break;
      if (!checksumOk(h)) throw new PalisadeError('io', `${file}: not a tar archive (header checksum mismatch at byte ${pos})`);
      const size = readNumber(h, 124, 12);
      const flag = String.fromCharCode(h[156] as number);
      const dataAt = pos + BLOCK;
      if (flag === 'x' || flag === 'L') {
        if (size > MAX_META) throw new PalisadeError('io', `${file}: tar metadata record too large`);
        const data = new Uint8Array(size);
        await fh.read(data, 0, size, dataAt);
        if (flag === 'x') pax = parsePax(data);
        else longName = readString(data, 0, size);
      } else if (flag !== 'g' && flag !== 'K') {
        let name = readString(h, 0, 100);
        if (readString(h, 257, 5) === 'ustar') {
          const prefix = readString(h, 345, 155);
          if (prefix !== '') name = `${prefix}/${name}`;
        }
        if (longName !== undefined) name = longName;
        name = pax.get('path') ?? name;
        const realSize = pax.has('size') ? Number(pax.get('size')) : size;
        if (flag === '0' || flag === '\0' || flag === '7') out.set(normalizeTarPath(name), { path: normalizeTarPath(name), offset: dataAt, size: realSize });
        pax = new Map();
        longName = undefined;
        pos = dataAt + Math.ceil(realSize / BLOCK) * BLOCK;
        continue;
      }
      pos = dataAt + Math.ceil(size / BLOCK) * BLOCK;
    }
    return out;
  } finally {
    await fh.close();
  }
}
