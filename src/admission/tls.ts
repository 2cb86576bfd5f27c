/**
 * Certificates for the webhook. The API server calls webhooks over HTTPS only and verifies
 * the server certificate against the `caBundle` of the registration, so without a pair of its
 * own (`--tls-cert/--tls-key`, cert-manager) the server makes a throwaway CA and a server
 * certificate signed by it. node:crypto makes keys but not X.509 certificates, so the `openssl`
 * binary does it, run with execFile and fixed argument arrays (never a shell); the subject
 * alternative names are validated before they reach its configuration.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PalisadeError } from '../core/errors.js';

const run = promisify(execFile);

/** A CA and a server key pair signed by it, as PEM text. */
export interface GeneratedTls {
  /** The CA certificate: the `caBundle` of the webhook registration (base64 of this PEM). */
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** DNS names: RFC 1123 labels, optionally a leading wildcard. */
const DNS_RE = /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/i;

/**
 * The subjectAltName value for names and addresses; throws a usage error for anything else
 * (so that nothing but names reaches the openssl extension file).
 *
 * @example
 * subjectAltName(['127.0.0.1', 'palisade-admission.palisade.svc']); // 'IP:127.0.0.1,DNS:palisade-admission.palisade.svc'
 */
export function subjectAltName(names: readonly string[]): string {
  return names
    .map((n) => {
      if (isIP(n) !== 0) return `IP:${n}`;
      if (n.length <= 253 && DNS_RE.test(n)) return `DNS:${n}`;
      throw new PalisadeError('usage', `--tls-san: "${n}" is neither an IP address nor a DNS name`);
    })
    .join(',');
}

/** The service DNS names the API server uses to call a webhook Service. */
export function serviceNames(service: string, namespace: string): string[] {
  return [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await run('openssl', [...args]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new PalisadeError('usage', 'generating a certificate needs the openssl binary on PATH; install it or pass --tls-cert and --tls-key');
    throw new PalisadeError('internal', `openssl ${args[0] ?? ''} failed: ${(e.stderr ?? e.message).trim().split('\n')[0] ?? ''}`);
  }
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Generates a CA (valid `days`) and a server certificate for `names` (IP addresses and DNS
 * names), in a private temporary directory that is removed afterwards.
 *
 * @example
 * const tls = await generateTls(['127.0.0.1', 'localhost']);
 * https.createServer({ key: tls.key, cert: tls.cert });
 */
export async function generateTls(names: readonly string[], days = 365): Promise<GeneratedTls> {
  if (names.length === 0) throw new PalisadeError('usage', 'a certificate needs at least one name');
  const san = subjectAltName(names);
  const dir = await mkdtemp(join(tmpdir(), 'palisade-tls-'));
  try {
    const caKey = join(dir, 'ca.key');
    const caCrt = join(dir, 'ca.crt');
    await openssl([
      'req',
      '-x509',
      ...EC,
      '-keyout',
      caKey,
      '-out',
      caCrt,
      '-days',
      String(days),
      '-subj',
      '/CN=palisade-admission-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const key = join(dir, 'tls.key');
    const csr = join(dir, 'tls.csr');
    const crt = join(dir, 'tls.crt');
    const ext = join(dir, 'tls.ext');
    await writeFile(ext, `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n`, {
      mode: 0o600,
    });
    const cn = names.find((n) => isIP(n) === 0) ?? names[0] ?? 'palisade-admission';
    await openssl(['req', '-new', ...EC, '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`]);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caCrt,
      '-CAkey',
      caKey,
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      String(days),
      '-out',
      crt,
      '-extfile',
      ext,
    ]);
    return { ca: await readFile(caCrt, 'utf8'), cert: await readFile(crt, 'utf8'), key: await readFile(key, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
