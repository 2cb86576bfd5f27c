/**
 * Store URLs: `sqlite:FILE` or `postgres://USER@HOST:PORT/DB` (`postgresql://` too), and the
 * default SQLite file under the user's data directory. A URL shown to the user (errors, logs)
 * always goes through {@link describeStore}, which masks a password.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { PalisadeError } from '../core/errors.js';

/** A parsed store URL. */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly password: string | null };

/**
 * The default SQLite file: `$XDG_DATA_HOME/palisade/palisade.db`, else
 * `~/.local/share/palisade/palisade.db`.
 *
 * @example
 * defaultStorePath({ XDG_DATA_HOME: '/data' }); // '/data/palisade/palisade.db'
 */
export function defaultStorePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(), '.local', 'share');
  return join(base, 'palisade', 'palisade.db');
}

/**
 * Parses `--store`. `undefined` or `''` is the default SQLite file. `sqlite:FILE` takes a
 * relative or absolute path (`sqlite:///abs/file` and `sqlite:~/file` too) or `:memory:`.
 *
 * @example
 * parseStoreUrl('sqlite:./p.db'); // { kind: 'sqlite', path: '/cwd/p.db' }
 * parseStoreUrl('postgres://pal:secret@127.0.0.1:5432/pal'); // { kind: 'postgres', ... }
 */
export function parseStoreUrl(url: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): StoreLocation {
  if (url === undefined || url === '') return { kind: 'sqlite', path: defaultStorePath(env) };
  if (url.startsWith('sqlite:')) {
    let file = url.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2); // sqlite:///abs/path
    if (file === '') throw new PalisadeError('usage', `--store ${url}: no file after sqlite: (sqlite:FILE)`);
    if (file === ':memory:') return { kind: 'sqlite', path: file };
    if (file === '~' || file.startsWith('~/')) file = join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(), file.slice(1));
    return { kind: 'sqlite', path: isAbsolute(file) ? file : resolve(file) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new PalisadeError('usage', `--store ${maskPassword(url)}: not a valid PostgreSQL URL (postgres://USER@HOST:PORT/DB)`);
    }
    if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
      throw new PalisadeError('usage', `--store ${maskPassword(url)}: no host (postgres://USER@HOST:PORT/DB)`);
    }
    return { kind: 'postgres', url, password: parsed.password === '' ? null : decodeURIComponent(parsed.password) };
  }
  const shown = maskPassword(url);
  throw new PalisadeError('usage', `--store ${shown}: unknown store (sqlite:FILE or postgres://USER@HOST:PORT/DB)`);
}

/** The URL with the password (if any) replaced by `***`. */
export function maskPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@');
}

/**
 * How errors name a store: `sqlite:/abs/file` or the PostgreSQL URL with its password masked.
 *
 * @example
 * describeStore(parseStoreUrl('postgres://u:pw@h/db')); // 'postgres://u:***@h/db'
 */
export function describeStore(location: StoreLocation): string {
  return location.kind === 'sqlite' ? `sqlite:${location.path}` : maskPassword(location.url);
}
