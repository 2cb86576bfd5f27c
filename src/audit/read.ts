/**
 * Reads audit logs: JSON lines (native or cloud exports, see ./formats.ts), gzip-compressed
 * files, whole JSON documents (`gcloud logging read --format=json`, `aws logs
 * filter-log-events`), and directories of rotated files (oldest first). A bad line is a
 * problem reported with its file and line, never a crash; an event larger than the size cap
 * is skipped without being held in memory.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { AuditEvent } from '../audit-rules/event.js';
import { PalisadeError } from '../core/errors.js';
import { normalizeRecord } from './formats.js';

/** A record that could not be read. */
export interface InputProblem {
  readonly file: string;
  /** 1-based line (0 for a whole-document problem). */
  readonly line: number;
  readonly message: string;
}

export interface ReadOptions {
  /** Largest event (one line) read, in bytes; larger ones are skipped and reported. */
  readonly maxEventBytes: number;
  readonly onProblem: (p: InputProblem) => void;
  /**
   * Called instead of parsing a `RequestReceived` line (see {@link isRequestReceivedLine}); when
   * absent, every line is parsed.
   */
  readonly onSkip?: () => void;
  /** Largest whole JSON document (pretty-printed exports) read into memory. */
  readonly maxDocumentBytes?: number;
}

export const DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/**
 * Splits bytes into lines without holding more than `max` bytes of one line: a longer line is
 * reported once (`onTooLong`) and its bytes are dropped as they arrive. Synchronous, so that a
 * chunk of many lines costs no per-line promise.
 *
 * @example
 * const s = new LineSplitter(1 << 20, (text, line) => ..., (line, size) => ...); s.push(chunk); s.end();
 */
export class LineSplitter {
  #parts: Buffer[] = [];
  #size = 0;
  #skipping = false;
  /** The 1-based number of the line being read. */
  line = 1;
  constructor(
    readonly max: number,
    readonly onLine: (text: string, line: number) => void,
    readonly onTooLong: (line: number, size: number) => void,
    /** Copy partial lines: the caller reuses its chunk buffer. */
    readonly copy = false,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      const end = nl === -1 ? chunk.length : nl;
      if (!this.#skipping) {
        if (this.#size + (end - from) > this.max) {
          this.#skipping = true;
          this.onTooLong(this.line, this.#size + (end - from));
          this.#parts = [];
          this.#size = 0;
        } else if (end > from) {
          if (nl !== -1 && this.#size === 0) {
            // The common case: a whole line inside the chunk, decoded without a copy.
            this.onLine(chunk.toString('utf8', from, end), this.line);
            from = nl + 1;
            this.line++;
            continue;
          }
          const part = chunk.subarray(from, end);
          this.#parts.push(this.copy ? Buffer.from(part) : part);
          this.#size += end - from;
        }
      }
      if (nl === -1) return;
      if (!this.#skipping && this.#size > 0) this.onLine(Buffer.concat(this.#parts, this.#size).toString('utf8'), this.line);
      this.#parts = [];
      this.#size = 0;
      this.#skipping = false;
      this.line++;
      from = nl + 1;
    }
  }

  /** Emits the last line when it has no newline. */
  end(): void {
    if (!this.#skipping && this.#size > 0) this.onLine(Buffer.concat(this.#parts, this.#size).toString('utf8'), this.line);
    this.#parts = [];
    this.#size = 0;
  }
}

/**
 * Whether a line is a `RequestReceived` event, judged from its head without parsing: rules read
 * only the later stages (which repeat everything RequestReceived has), so a log written
 * without `omitStages` costs half the parsing. In JSON text the quotes of `"stage":"..."` cannot
 * come from inside a string value, where quotes are escaped.
 */
export function isRequestReceivedLine(text: string): boolean {
  // Searching backwards from offset 600 looks at the head only, however long the line.
  return text.charCodeAt(0) === 123 && text.lastIndexOf('"stage":"RequestReceived"', 600) !== -1;
}

/** Parses one line into events, reporting problems. CloudWatch S3 exports prefix each line with a timestamp. */
export function eventsOfLine(text: string, file: string, line: number, onProblem: ReadOptions['onProblem']): AuditEvent[] {
  let t = text.trim();
  if (t === '') return [];
  if (t[0] !== '{' && t[0] !== '[') {
    const brace = t.indexOf(' {');
    if (brace === -1) {
      onProblem({ file, line, message: 'not JSON' });
      return [];
    }
    t = t.slice(brace + 1);
  }
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (err) {
    onProblem({ file, line, message: `not valid JSON (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); a truncated line?` });
    return [];
  }
  const n = normalizeRecord(v);
  if ('problem' in n) {
    onProblem({ file, line, message: n.problem });
    return [];
  }
  return n.events;
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function byteStream(file: string, gz: boolean): Readable {
  const s = createReadStream(file, { highWaterMark: 256 * 1024 });
  if (!gz) return s;
  const g = createGunzip();
  s.on('error', (e) => g.destroy(e));
  return s.pipe(g);
}

/** Whether the stream is one pretty-printed JSON document (an array, or an object whose first line is `{` alone). */
async function looksLikeDocument(file: string, gz: boolean): Promise<boolean> {
  const s = byteStream(file, gz);
  try {
    for await (const chunk of s as AsyncIterable<Buffer>) {
      const head = chunk.toString('utf8', 0, Math.min(chunk.length, 4096)).trimStart();
      if (head === '') continue;
      if (head.startsWith('[')) return true;
      return /^\{\s*\n/.test(head);
    }
    return false;
  } finally {
    s.destroy();
  }
}

/**
 * The audit events of one file, in order, in batches (one per chunk read): the scan loop costs
 * one promise per chunk, not per event.
 *
 * @example
 * for await (const batch of readAuditBatches('audit.log.gz', { maxEventBytes: 4 << 20, onProblem })) for (const e of batch) ...
 */
export async function* readAuditBatches(file: string, opts: ReadOptions): AsyncGenerator<AuditEvent[]> {
  let gz: boolean;
  try {
    gz = await isGzip(file);
  } catch (err) {
    throw new PalisadeError('io', `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file });
  }
  try {
    if (await looksLikeDocument(file, gz)) {
      const max = opts.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
      const parts: Buffer[] = [];
      let size = 0;
      for await (const c of byteStream(file, gz) as AsyncIterable<Buffer>) {
        size += c.length;
        if (size > max) {
          opts.onProblem({ file, line: 0, message: `JSON document larger than ${max} bytes: skipped (export it as JSON lines)` });
          return;
        }
        parts.push(c);
      }
      yield eventsOfLine(Buffer.concat(parts, size).toString('utf8').replace(/\n/g, ' '), file, 1, opts.onProblem);
      return;
    }
    let batch: AuditEvent[] = [];
    const splitter = new LineSplitter(
      opts.maxEventBytes,
      (text, line) => {
        if (opts.onSkip && isRequestReceivedLine(text)) {
          opts.onSkip();
          return;
        }
        const events = eventsOfLine(text, file, line, opts.onProblem);
        for (const e of events) batch.push(e);
      },
      (line) => opts.onProblem({ file, line, message: `event larger than ${opts.maxEventBytes} bytes: skipped (raise --max-event-size)` }),
    );
    for await (const chunk of byteStream(file, gz) as AsyncIterable<Buffer>) {
      splitter.push(chunk);
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    splitter.end();
    if (batch.length > 0) yield batch;
  } catch (err) {
    if (err instanceof PalisadeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    // A truncated gzip member (a file still being written) ends the file, not the scan.
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
      opts.onProblem({ file, line: 0, message: `gzip stream is corrupt or truncated (${code}): read up to the damage` });
      return;
    }
    throw new PalisadeError('io', `${file}: cannot read (${code ?? (err instanceof Error ? err.message : String(err))})`, { file });
  }
}

/**
 * The audit events of one file, in order.
 *
 * @example
 * for await (const e of readAuditFile('audit.log.gz', { maxEventBytes: 4 << 20, onProblem: console.error })) ...
 */
export async function* readAuditFile(file: string, opts: ReadOptions): AsyncGenerator<AuditEvent> {
  for await (const batch of readAuditBatches(file, opts)) yield* batch;
}

/**
 * Expands the inputs: files as given, directories into their files (rotated logs such as
 * `audit.log`, `audit-2026-12-03T09-16-25.123.log.gz`), every file ordered oldest first by
 * modification time so that stateful rules see events in order.
 */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const found: { file: string; mtime: number }[] = [];
  for (const input of inputs) {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(input);
    } catch {
      throw new PalisadeError('path-not-found', `${input}: no such file or directory`, { file: input });
    }
    if (st.isDirectory()) {
      for (const e of await readdir(input, { withFileTypes: true })) {
        if (!e.isFile() || e.name.startsWith('.')) continue;
        const p = join(input, e.name);
        found.push({ file: p, mtime: (await stat(p)).mtimeMs });
      }
    } else found.push({ file: input, mtime: st.mtimeMs });
  }
  return found.sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file)).map((f) => f.file);
}
