/**
 * TEST UTILITY: starts the fake API server in a child process (`fake-apiserver-main.ts`) and
 * talks to it over IPC. Tests use this, never an in-process server: a server in the test's own
 * process keeps the event loop alive, and a client that forgets to (an unref'd retry timer)
 * would pass its tests and die silently for users.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '../../src/core/types.js';
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
  /** Creates or replaces objects (watchers see ADDED or MODIFIED); returns their new resourceVersions. */
  apply(objects: readonly JsonObject[]): Promise<string[]>;
  /** Deletes objects by apiVersion, kind, namespace and name (watchers see DELETED). */
  remove(objects: readonly JsonObject[]): Promise<number>;
  /** Compacts the watch history: resuming from an older resourceVersion answers 410 Gone. */
  compact(): Promise<void>;
  /**
   * `drop`: closes every open watch connection; `expire`: ends every watch with a 410 ERROR
   * event; `refuse`: drops them and every new one until `accept`.
   */
  watches(action: 'drop' | 'expire' | 'refuse' | 'accept'): Promise<number>;
  /** The server's resourceVersion, open watches and object count. */
  state(): Promise<{ resourceVersion: string; watches: number; objects: number }>;
  close(): Promise<void>;
}

/** One request to the fake server's admin API (`/fake/...`). */
function adminRequest<T>(base: string, caFile: string | undefined, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const url = new URL(path, base);
  const mod = url.protocol === 'https:' ? https : http;
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method,
        ...(caFile !== undefined && url.protocol === 'https:' ? { ca: readFileSync(caFile) } : {}),
        headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`fake API server ${path}: ${res.statusCode} ${text}`));
          resolve(JSON.parse(text) as T);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
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
  const admin = <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => adminRequest<T>(ready.url, ready.caFile, method, path, body);
  return {
    ...ready,
    pid: child.pid as number,
    requests: async () => (await ask<{ requests: { path: string; user: string; status: number }[] }>(child, 'requests')).requests,
    apply: async (objects) => (await admin<{ resourceVersions: string[] }>('POST', '/fake/apply', { objects })).resourceVersions,
    remove: async (objects) => (await admin<{ deleted: number }>('POST', '/fake/delete', { objects })).deleted,
    compact: async () => {
      await admin('POST', '/fake/compact', {});
    },
    watches: async (action) => (await admin<{ watches: number }>('POST', '/fake/watches', { action })).watches,
    state: () => admin('GET', '/fake/state'),
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
