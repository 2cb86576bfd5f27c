/**
 * TEST UTILITY: a throwaway PKI for the fake API server (a CA, a server certificate for
 * 127.0.0.1, client certificates), made at test time with the `openssl` binary. openssl is
 * run with execFile and argument arrays, never through a shell. CI installs it (`.ci/run`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths and PEM texts of one key pair. */
export interface TestKeyPair {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

/** A CA with a server certificate and client certificates. */
export interface TestPki {
  readonly caFile: string;
  readonly ca: string;
  readonly server: TestKeyPair;
  /** By common name (= the user the fake server authenticates). */
  readonly clients: Readonly<Record<string, TestKeyPair>>;
}

/** True when an `openssl` binary can be run. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function issue(dir: string, name: string, subject: string, extensions: string): Promise<TestKeyPair> {
  const keyFile = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const certFile = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, extensions);
  await run('openssl', ['req', '-new', ...EC, '-keyout', keyFile, '-out', csr, '-subj', subject]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    join(dir, 'ca.crt'),
    '-CAkey',
    join(dir, 'ca.key'),
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '2',
    '-out',
    certFile,
    '-extfile',
    ext,
  ]);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/**
 * Creates a CA, a server certificate valid for 127.0.0.1 and localhost, and one client
 * certificate per common name, in `dir`.
 *
 * @example
 * const pki = await createTestPki(tmp, ['alice']);
 * startFakeApiServer({ objects, tls: { key: pki.server.key, cert: pki.server.cert, clientCa: pki.ca } });
 */
export async function createTestPki(dir: string, clients: readonly string[] = []): Promise<TestPki> {
  const caFile = join(dir, 'ca.crt');
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    join(dir, 'ca.key'),
    '-out',
    caFile,
    '-days',
    '2',
    '-subj',
    '/CN=palisade-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const server = await issue(
    dir,
    'server',
    '/CN=127.0.0.1',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  const out: Record<string, TestKeyPair> = {};
  for (const cn of clients) out[cn] = await issue(dir, `client-${cn}`, `/CN=${cn}/O=palisade-test`, 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  return { caFile, ca: readFileSync(caFile, 'utf8'), server, clients: out };
}
