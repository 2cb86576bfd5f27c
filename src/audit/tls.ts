/**
 * The TLS pair of `palisade audit serve`: the user's files, or a self-signed pair generated
 * with the system's `openssl` (run without a shell) into a private temporary directory.
 */
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PalisadeError } from '../core/errors.js';

export interface TlsPair {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Where the certificate is (for the API server's webhook kubeconfig). */
  readonly certFile: string;
  /** SHA-256 fingerprint of the certificate. */
  readonly fingerprint: string;
  readonly generated: boolean;
}

async function readPem(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new PalisadeError('usage', `${what} ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file });
  }
}

function fingerprintOf(cert: Buffer, file: string): string {
  try {
    return new X509Certificate(cert).fingerprint256;
  } catch {
    throw new PalisadeError('usage', `--tls-cert ${file}: not a PEM certificate`, { file });
  }
}

/**
 * Loads the pair, or generates a self-signed one for `hosts` (names and IP addresses).
 *
 * @example
 * const tls = await tlsPair(undefined, undefined, ['127.0.0.1', 'localhost']);
 */
export async function tlsPair(certFile: string | undefined, keyFile: string | undefined, hosts: readonly string[]): Promise<TlsPair> {
  if ((certFile === undefined) !== (keyFile === undefined)) throw new PalisadeError('usage', '--tls-cert and --tls-key go together');
  if (certFile !== undefined && keyFile !== undefined) {
    const cert = await readPem(certFile, '--tls-cert');
    const key = await readPem(keyFile, '--tls-key');
    return { cert, key, certFile, fingerprint: fingerprintOf(cert, certFile), generated: false };
  }
  const dir = await mkdtemp(join(tmpdir(), 'palisade-audit-tls-'));
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  try {
    await promisify(execFile)(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '365',
        '-subj',
        '/CN=palisade-audit',
        '-addext',
        `subjectAltName=${san}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { timeout: 30_000 },
    );
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PalisadeError(
      'io',
      code === 'ENOENT'
        ? 'cannot generate a self-signed certificate: openssl is not installed; pass --tls-cert and --tls-key'
        : `openssl failed to generate a certificate: ${String((err as { stderr?: string }).stderr ?? err).split('\n')[0]}`,
    );
  }
  const c = await readFile(cert);
  return {
    cert: c,
    key: await readFile(key),
    certFile: cert,
    fingerprint: createHash('sha256')
      .update(new X509Certificate(c).raw)
      .digest('hex')
      .toUpperCase()
      .replace(/(..)(?!$)/g, '$1:'),
    generated: true,
  };
}
