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
  /** Largest whole JSON document (pretty-printed exports) read into memory. */
  readonly maxDocumentBytes?: number;
}

export const DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/**
 * Splits a byte stream into lines without holding more than `max` bytes of one line; a longer
 * line yields `{ tooLong: true }` once and its bytes are dropped.
 */
export async function* splitLines(
  stream: AsyncIterable<Buffer | string>,
  max: number,
): AsyncGenerator<{ text: string; line: number } | { tooLong: number; line: number }> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  let line = 1;
  for await (const raw of stream) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      const end = nl === -1 ? chunk.length : nl;
      if (!skipping) {
        if (size + (end - from) > max) {
          skipping = true;
          yield { tooLong: size + (end - from), line };
          parts = [];
          size = 0;
        } else if (end > from) {
          parts.push(chunk.subarray(from, end));
          size += end - from;
        }
      }
      if (nl === -1) break;
      if (!skipping) {
        const text = parts.length === 1 ? (parts[0] as Buffer).toString('utf8') : Buffer.concat(parts, size).toString('utf8');
        yield { text, line };
      }
      parts = [];
      size = 0;
      skipping = false;
      line++;
      from = nl + 1;
    }
  }
  if (!skipping && size > 0) yield { text: Buffer.concat(parts, size).toString('utf8'), line };
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
 * The audit events of one file, in order.
 *
 * @example
 * for await (const e of readAuditFile('audit.log.gz', { maxEventBytes: 4 << 20, onProblem: console.error })) ...
 */
export async function* readAuditFile(file: string, opts: ReadOptions): AsyncGenerator<AuditEvent> {
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
      yield* eventsOfLine(Buffer.concat(parts, size).toString('utf8').replace(/\n/g, ' '), file, 1, opts.onProblem);
      return;
    }
    for await (const item of splitLines(byteStream(file, gz) as AsyncIterable<Buffer>, opts.maxEventBytes)) {
      if ('tooLong' in item) {
        opts.onProblem({ file, line: item.line, message: `event larger than ${opts.maxEventBytes} bytes: skipped (raise --max-event-size)` });
        continue;
      }
      const events = eventsOfLine(item.text, file, item.line, opts.onProblem);
      for (const e of events) yield e;
    }
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
