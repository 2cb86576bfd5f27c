/**
 * TEST UTILITY: a real registry (Debian's `docker-registry`, github.com/distribution/distribution)
 * on loopback in its own process, with a temporary storage directory and a config file written
 * here; optionally behind htpasswd basic auth or a bearer token service (token-server-main.ts,
 * also its own process). Tests skip when the binary is absent (apt-get install docker-registry).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Why registry tests cannot run here, or undefined when they can. */
export function registryMissing(): string | undefined {
  try {
    execFileSync('docker-registry', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'docker-registry is not installed (apt-get install -y docker-registry): registry tests skipped';
  }
}

/** A bcrypt hash for htpasswd from python3's crypt module, or undefined when unavailable. */
export function bcrypt(password: string): string | undefined {
  try {
    const out = execFileSync(
      'python3',
      ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))', password],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    ).trim();
    return out.startsWith('$2') ? out : undefined;
  } catch {
    return undefined;
  }
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

/** A running registry. */
export interface TestRegistry {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  /** `127.0.0.1:PORT`, the registry part of image references. */
  readonly host: string;
  /** The token service (token mode): its URL, and what it was asked. */
  readonly tokenUrl?: string;
  tokenLog(): Promise<{ user: string; scope: string; status: number }[]>;
  stop(): Promise<void>;
}

export type RegistryAuth = { kind: 'none' } | { kind: 'htpasswd'; user: string; hash: string } | { kind: 'token'; user: string; password: string };

function stopChild(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  });
}

async function waitUp(base: string, child: ChildProcess, logs: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${logs()}`);
    try {
      const r = await fetch(`${base}/v2/`);
      await r.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`docker-registry did not start: ${logs()}`);
}

/**
 * Starts docker-registry on a free loopback port.
 *
 * @example
 * const reg = await startRegistry({ kind: 'none' });
 * await pushImage(reg.base, 'app', '1.0', [image]);
 * await reg.stop();
 */
export async function startRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-registry-'));
  const port = await freePort();
  const children: ChildProcess[] = [];
  let authYaml = '';
  let tokenUrl: string | undefined;
  if (auth.kind === 'htpasswd') {
    writeFileSync(join(dir, 'htpasswd'), `${auth.user}:${auth.hash}\n`);
    authYaml = `auth:\n  htpasswd:\n    realm: palisade-test\n    path: ${join(dir, 'htpasswd')}\n`;
  } else if (auth.kind === 'token') {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'token.key'),
        '-out',
        join(dir, 'token.crt'),
        '-subj',
        '/CN=palisade-test-token',
        '-days',
        '2',
      ],
      {
        stdio: 'ignore',
      },
    );
    const main = fileURLToPath(new URL('./token-server-main.ts', import.meta.url));
    const ts = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), main, join(dir, 'token.key'), join(dir, 'token.crt'), auth.user, auth.password, 'palisade-test-issuer'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(ts);
    tokenUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      ts.once('exit', (c) => reject(new Error(`token server exited with ${c}`)));
      ts.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
      });
    });
    authYaml = `auth:\n  token:\n    realm: ${tokenUrl}/token\n    service: palisade-test\n    issuer: palisade-test-issuer\n    rootcertbundle: ${join(dir, 'token.crt')}\n`;
  }
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${authYaml}`,
  );
  let logs = '';
  const reg = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  reg.stderr?.on('data', (c: Buffer) => {
    logs = (logs + c.toString()).slice(-4000);
  });
  children.push(reg);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUp(base, reg, () => logs);
  } catch (e) {
    await Promise.all(children.map(stopChild));
    throw e;
  }
  return {
    base,
    host: `127.0.0.1:${port}`,
    ...(tokenUrl ? { tokenUrl } : {}),
    tokenLog: async () => (tokenUrl ? ((await (await fetch(`${tokenUrl}/log`)).json()) as { user: string; scope: string; status: number }[]) : []),
    stop: async () => {
      await Promise.all(children.map(stopChild));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An Authorization header source for pushing to a token-protected registry as `user`. */
export function tokenAuthorization(tokenUrl: string, repo: string, user: string, password: string): () => Promise<string> {
  let cached: string | undefined;
  return async () => {
    if (cached) return cached;
    const r = await fetch(`${tokenUrl}/token?service=palisade-test&scope=repository:${repo}:pull,push`, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    });
    cached = `Bearer ${((await r.json()) as { token: string }).token}`;
    return cached;
  };
}
