/**
 * TEST UTILITY: starts the fake API server in a child process (`fake-apiserver-main.ts`) and
 * talks to it over IPC. Tests use this, never an in-process server: a server in the test's own
 * process keeps the event loop alive, and a client that forgets to (an unref'd retry timer)
 * would pass its tests and die silently for users.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeApiConfig, FakeApiReady } from './fake-apiserver-main.js';

export type { FakeApiConfig } from './fake-apiserver-main.js';

const MAIN = fileURLToPath(new URL('./fake-apiserver-main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** A fake API server running in its own process. */
export interface FakeApiProcess {
  readonly url: string;
  readonly objects: number;
  readonly caFile?: string;
  readonly pid: number;
  /** The requests served so far: path with query, user and status. */
  requests(): Promise<readonly { readonly path: string; readonly user: string; readonly status: number }[]>;
  close(): Promise<void>;
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (): void => reject(new Error('the fake API server exited'));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolve(m as T);
    });
    child.send(message);
  });
}

/**
 * Starts the fake API server process and waits for its URL.
 *
 * @example
 * const server = await startFakeApiProcess({ pki: dir, tokens: { t: 'admin' } });
 * writeKubeconfig(file, [{ name: 'test', server: server.url, caFile: server.caFile, token: 't' }]);
 * await server.close();
 */
export async function startFakeApiProcess(config: FakeApiConfig = {}): Promise<FakeApiProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-fake-api-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const child = fork(MAIN, ['--config', file], { execArgv: ['--import', TSX], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const ready = await new Promise<FakeApiReady>((resolve, reject) => {
    let out = '';
    const onExit = (code: number | null): void => reject(new Error(`the fake API server exited with ${code} before it was ready`));
    child.once('exit', onExit);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      child.off('exit', onExit);
      try {
        resolve(JSON.parse(out.slice(0, nl)) as FakeApiReady);
      } catch (err) {
        reject(err);
      }
    });
  });
  let closed: Promise<void> | undefined;
  return {
    ...ready,
    pid: child.pid as number,
    requests: async () => (await ask<{ requests: { path: string; user: string; status: number }[] }>(child, 'requests')).requests,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      return closed;
    },
  };
}
