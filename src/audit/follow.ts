/**
 * Follows a growing audit log as `tail -F` does: reads what is appended, starts over when the
 * file is truncated, and moves to the new file when the log is rotated (the path now names
 * another inode), after reading what was left in the old one. A partial last line waits for
 * its end; a line longer than the event size cap is skipped without being buffered.
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { AuditEvent } from '../audit-rules/event.js';
import { eventsOfLine, type InputProblem, LineSplitter } from './read.js';

export interface FollowOptions {
  readonly fromStart: boolean;
  readonly pollMs: number;
  readonly maxEventBytes: number;
  readonly onEvent: (e: AuditEvent) => void;
  readonly onProblem: (p: InputProblem) => void;
  /** Informational messages (rotation, truncation, waiting for the file). */
  readonly onNotice: (message: string) => void;
  readonly signal: AbortSignal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Follows `file` until `signal` aborts.
 *
 * @example
 * await followFile('/var/log/kubernetes/audit.log', { fromStart: false, pollMs: 500, ... });
 */
export async function followFile(file: string, opts: FollowOptions): Promise<void> {
  let fh: FileHandle | undefined;
  let ino = -1;
  let pos = 0;
  const buf = Buffer.alloc(1024 * 1024);
  const newSplitter = (): LineSplitter =>
    new LineSplitter(
      opts.maxEventBytes,
      (text, line) => {
        for (const e of eventsOfLine(text, file, line, opts.onProblem)) opts.onEvent(e);
      },
      (line) => opts.onProblem({ file, line, message: `event larger than ${opts.maxEventBytes} bytes: skipped (raise --max-event-size)` }),
      // The read buffer is reused: partial lines must be copied.
      true,
    );
  let splitter = newSplitter();
  const drain = async (): Promise<void> => {
    if (!fh) return;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      splitter.push(buf.subarray(0, bytesRead));
    }
  };

  let waiting = false;
  try {
    while (!opts.signal.aborted) {
      let st: Awaited<ReturnType<typeof stat>> | undefined;
      try {
        st = await stat(file);
      } catch {
        st = undefined;
      }
      if (st && st.ino !== ino) {
        // Rotated (or first open): finish the old file, then read the new one from its start.
        if (fh) {
          await drain();
          await fh.close();
          opts.onNotice(`${file}: rotated; following the new file`);
        }
        const first = ino === -1;
        fh = await open(file, 'r');
        ino = st.ino;
        pos = first && !opts.fromStart ? st.size : 0;
        splitter = newSplitter();
        if (first) opts.onNotice(`following ${file} from ${pos === 0 ? 'its start' : `byte ${pos}`}`);
        waiting = false;
      } else if (!st && !waiting) {
        opts.onNotice(`${file}: does not exist (yet); waiting for it`);
        waiting = true;
      }
      if (st && fh && st.size < pos) {
        opts.onNotice(`${file}: truncated; reading from the start`);
        pos = 0;
        splitter = newSplitter();
      }
      await drain();
      await sleep(opts.pollMs, opts.signal);
    }
  } finally {
    await fh?.close();
  }
}
