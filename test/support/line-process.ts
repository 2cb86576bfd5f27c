/**
 * TEST UTILITY: a child process whose stdout is JSON lines (the agent's events, the ingest
 * receiver's records), with a way to wait for a line that matches.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TSX = import.meta.resolve('tsx');
const RECEIVER = fileURLToPath(new URL('./ingest-receiver-main.ts', import.meta.url));

/** A running process and the JSON lines it printed. */
export class LineProcess {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];

  constructor(command: string, args: readonly string[], env: Readonly<Record<string, string>> = {}) {
    this.child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    this.child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const text = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text) as Record<string, unknown>;
        } catch {
          continue;
        }
        this.lines.push(line);
        for (const w of [...this.#waiters]) {
          if (w.match(line)) {
            this.#waiters.splice(this.#waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    });
    this.child.stderr?.on('data', (c: Buffer) => {
      this.stderr += c.toString('utf8');
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        for (const w of this.#waiters.splice(0)) w.reject(new Error(`process exited (${code}) before the line came; stderr: ${this.stderr}`));
        resolve(code);
      });
    });
  }

  /** The first line (already printed or to come) that matches. */
  waitFor(match: (l: Record<string, unknown>) => boolean, fromIndex = 0): Promise<Record<string, unknown>> {
    const found = this.lines.slice(fromIndex).find(match);
    if (found) return Promise.resolve(found);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.reject(new Error(`process already exited; stderr: ${this.stderr}`));
    return new Promise((resolve, reject) => this.#waiters.push({ match, resolve, reject }));
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }
}

/** Starts the ingest receiver (ingest-receiver-main.ts) and waits for its URL. */
export async function startReceiver(options: {
  data: string;
  token: string;
  port?: number;
  dropAnswers?: number;
}): Promise<{ proc: LineProcess; url: string; port: number }> {
  const args = ['--import', TSX, RECEIVER, '--data', options.data, '--token', options.token, '--port', String(options.port ?? 0)];
  if (options.dropAnswers !== undefined) args.push('--drop-answers', String(options.dropAnswers));
  const proc = new LineProcess(process.execPath, args);
  const ready = await proc.waitFor((l) => typeof l.url === 'string');
  return { proc, url: ready.url as string, port: ready.port as number };
}
