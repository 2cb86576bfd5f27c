/**
 * os-release(5): `KEY=value` lines, values optionally quoted with shell-style escapes.
 * https://www.freedesktop.org/software/systemd/man/latest/os-release.html
 */
import type { OsRelease } from '../../packages/packages.js';

/** Paths read, most authoritative first (`/etc/os-release` wins over `/usr/lib/os-release`). */
export const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'] as const;

/**
 * Parses an os-release file; `undefined` when it has no `ID`.
 *
 * @example
 * parseOsRelease('ID=debian\nVERSION_ID="12"\n'); // { id: 'debian', versionId: '12' }
 */
export function parseOsRelease(text: string): OsRelease | undefined {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\([$"\\`])/g, '$1');
    }
    fields.set(line.slice(0, eq).trim(), value);
  }
  const id = fields.get('ID');
  if (id === undefined || id === '') return undefined;
  const versionId = fields.get('VERSION_ID');
  const versionCodename = fields.get('VERSION_CODENAME');
  const prettyName = fields.get('PRETTY_NAME');
  return {
    id: id.toLowerCase(),
    ...(versionId ? { versionId } : {}),
    ...(versionCodename ? { versionCodename } : {}),
    ...(prettyName ? { prettyName } : {}),
  };
}
