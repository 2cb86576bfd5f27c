/**
 * TEST UTILITY: a real, throwaway PostgreSQL server on loopback, in its own process.
 *
 * Finds the server binaries (`initdb`, `postgres` on PATH or /usr/local/bin, else Debian's
 * `/usr/lib/postgresql/<version>/bin` from `apt-get install postgresql`), initialises a cluster
 * in a temporary directory with a password for the `palisade` superuser, and starts it on a
 * free 127.0.0.1 port with its unix socket inside that directory. PostgreSQL refuses to run as
 * root: when the tests run as root, the data directory is handed to the `postgres` user (else
 * `nobody`) and the server runs as that user. `createDatabase()` gives each test suite a fresh
 * database; `stop()` shuts the server down and removes the directory.
 *
 * Tests skip with {@link postgresMissing}'s message only when no binaries exist.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Directory holding `initdb` and `postgres`, or undefined. */
export function postgresBinDir(): string | undefined {
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir !== '') candidates.push(dir);
  candidates.push('/usr/local/bin');
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    // no Debian packages
  }
  return candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'postgres')));
}

/** Why the PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined {
  return postgresBinDir() === undefined
    ? 'PostgreSQL server binaries (initdb, postgres) not found on PATH, in /usr/local/bin or /usr/lib/postgresql/*/bin (apt-get install -y postgresql): PostgreSQL store tests skipped'
    : undefined;
}

/** The unprivileged user to run the server as when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
      if (Number.isInteger(uid) && uid > 0) return { uid, gid };
    } catch {
      // no such user
    }
  }
  throw new Error('running as root and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

/**
 * How to run a server binary: directly (as `user` when root), or, when this machine's /dev/null
 * is not the character device (a shared machine where something replaced it by a root-owned
 * file, which initdb, running as an unprivileged user, cannot write to), in a private mount
 * namespace with a real null device bound over it.
 */
function command(
  dir: string,
  user: { uid: number; gid: number } | undefined,
  file: string,
  args: readonly string[],
): { file: string; args: string[]; uid?: number; gid?: number } {
  let devNullOk = true;
  try {
    devNullOk = statSync('/dev/null').isCharacterDevice();
  } catch {
    devNullOk = false;
  }
  if (devNullOk || user === undefined) return { file, args: [...args], ...user };
  const nullDev = join(dir, 'null');
  if (!existsSync(nullDev)) execFileSync('mknod', ['-m', '666', nullDev, 'c', '1', '3']);
  return {
    file: 'unshare',
    args: [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount --bind "$0" /dev/null && u="$1" g="$2" && shift 2 && exec setpriv --reuid="$u" --regid="$g" --clear-groups "$@"',
      nullDev,
      String(user.uid),
      String(user.gid),
      file,
      ...args,
    ],
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = a && typeof a === 'object' ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A running throwaway server. */
export interface TestPostgres {
  /** `postgres://palisade:PASSWORD@127.0.0.1:PORT/postgres` (the maintenance database). */
  readonly adminUrl: string;
  readonly password: string;
  readonly port: number;
  /** A new empty database; returns its URL (with the password). */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a server (initdb + postgres); throws with the server's log when it does not come up.
 *
 * @example
 * const server = await startPostgres();
 * const url = await server.createDatabase();
 * // ... openStore(url) ...
 * await server.stop();
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error(postgresMissing());
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'palisade-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  chmodSync(dir, 0o700);
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  try {
    const c = command(dir, user, join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'palisade',
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    execFileSync(c.file, c.args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], ...(c.uid !== undefined ? { uid: c.uid, gid: c.gid } : {}) });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${e.stderr?.toString() ?? e.message}`);
  }
  const port = await freePort();
  let log = '';
  const server = command(dir, user, join(bin, 'postgres'), [
    '-D',
    data,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=50',
    '-c',
    'shared_buffers=128MB',
  ]);
  // `unshare` and `sh` exec into postgres: the child's pid is the server's.
  const child: ChildProcess = spawn(server.file, server.args, {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(server.uid !== undefined ? { uid: server.uid, gid: server.gid } : {}),
  });
  child.stdout?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.once('exit', kill);
  const adminUrl = `postgres://palisade:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const stop = async () => {
    process.removeListener('exit', kill);
    kill(); // SIGINT: fast shutdown
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };

  // Wait until it accepts connections (bounded: 60 s on a loaded machine).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`postgres exited with ${child.exitCode}: ${log.trim().split('\n').slice(-5).join(' | ')}`);
    }
    const client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`postgres did not accept connections within 60 s: ${log.trim().split('\n').slice(-5).join(' | ')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  let counter = 0;
  return {
    adminUrl,
    password,
    port,
    async createDatabase(prefix = 'palisade_test') {
      const name = `${prefix}_${process.pid}_${++counter}_${Date.now().toString(36)}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://palisade:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
