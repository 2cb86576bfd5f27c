/**
 * Registry credentials from docker's config.json (`auths`, `credHelpers`, `credsStore`), as
 * `docker login` leaves them. Credential helpers are run as `docker-credential-<name> get` with
 * execFile (no shell), the server URL on stdin, per
 * https://github.com/docker/docker-credential-helpers#development. Secrets are never logged.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PalisadeError } from '../../core/errors.js';

/** Credentials for one registry. */
export interface Credentials {
  readonly username?: string;
  readonly password?: string;
  /** OAuth2 refresh token (`identitytoken`), exchanged at the token service. */
  readonly identityToken?: string;
}

/** The keys docker config files use for a registry. */
function keysFor(registry: string): string[] {
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io')
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

/** Default location of docker's config file. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

/**
 * Runs a credential helper. A helper that says it has no credentials yields undefined.
 *
 * @example
 * await runCredentialHelper('ecr-login', 'https://123.dkr.ecr.eu-west-1.amazonaws.com');
 */
export function runCredentialHelper(helper: string, serverUrl: string): Promise<Credentials | undefined> {
  if (!/^[A-Za-z0-9_.-]+$/.test(helper))
    return Promise.reject(new PalisadeError('config-invalid', `docker config: credential helper name "${helper}" is not valid`));
  return new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 60_000, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) {
        if (/credentials not found/i.test(stdout) || /credentials not found/i.test(String((err as { stderr?: string }).stderr ?? '')))
          return resolve(undefined);
        const code = (err as NodeJS.ErrnoException).code;
        return reject(
          new PalisadeError(
            'io',
            code === 'ENOENT'
              ? `credential helper docker-credential-${helper} is not installed (named in the docker config)`
              : `credential helper docker-credential-${helper} failed`,
          ),
        );
      }
      try {
        const doc = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!doc.Secret) return resolve(undefined);
        // `<token>` as user name marks an identity (refresh) token.
        resolve(doc.Username === '<token>' ? { identityToken: doc.Secret } : { username: doc.Username ?? '', password: doc.Secret });
      } catch {
        reject(new PalisadeError('io', `credential helper docker-credential-${helper} printed something that is not JSON`));
      }
    });
    child.stdin?.end(serverUrl);
  });
}

/**
 * Credentials for a registry from a docker config file; undefined when it has none (or no file).
 *
 * @example
 * await credentialsFor('ghcr.io'); // { username: 'me', password: '...' }
 */
export async function credentialsFor(registry: string, configPath: string = dockerConfigPath()): Promise<Credentials | undefined> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch {
    return undefined;
  }
  let doc: {
    auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
    credHelpers?: Record<string, string>;
    credsStore?: string;
  };
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PalisadeError('config-invalid', `${configPath}: not valid JSON`);
  }
  const keys = keysFor(registry);
  const helper = keys.map((k) => doc.credHelpers?.[k]).find((h) => typeof h === 'string');
  if (helper) return runCredentialHelper(helper, keys[0] as string);
  for (const k of keys) {
    const a = doc.auths?.[k];
    if (a === undefined) continue;
    if (a.identitytoken) return { identityToken: a.identitytoken };
    if (a.auth) {
      const plain = Buffer.from(a.auth, 'base64').toString('utf8');
      const colon = plain.indexOf(':');
      if (colon === -1) throw new PalisadeError('config-invalid', `${configPath}: auths["${k}"].auth is not base64 of user:password`);
      return { username: plain.slice(0, colon), password: plain.slice(colon + 1) };
    }
    if (a.username) return { username: a.username, password: a.password ?? '' };
  }
  if (doc.credsStore) return runCredentialHelper(doc.credsStore, keys[0] as string);
  return undefined;
}
