/**
 * Where the vulnerability database lives by default: the user's data directory
 * (`$XDG_DATA_HOME/palisade/vuln.db`, else `~/.local/share/palisade/vuln.db`).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The default database path for an environment.
 *
 * @example
 * defaultDbPath({ XDG_DATA_HOME: '/data' }); // '/data/palisade/vuln.db'
 */
export function defaultDbPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(), '.local', 'share');
  return join(base, 'palisade', 'vuln.db');
}
