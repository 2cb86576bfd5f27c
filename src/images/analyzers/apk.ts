/**
 * Alpine's installed database (`lib/apk/db/installed`): blank-line separated records of
 * one-letter keys. https://wiki.alpinelinux.org/wiki/Apk_spec
 */
import type { FoundPackage } from './types.js';

export const APK_DB_PATHS = ['lib/apk/db/installed', 'usr/lib/apk/db/installed'] as const;

/**
 * Packages of an apk installed database; `o:` (origin) is the source package Alpine's advisories are keyed by.
 *
 * @example
 * parseApkInstalled('P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nL:MIT\n', 'lib/apk/db/installed')[0].version; // '1.2.4-r2'
 */
export function parseApkInstalled(text: string, path: string): FoundPackage[] {
  const out: FoundPackage[] = [];
  let rec = new Map<string, string>();
  const flush = () => {
    const name = rec.get('P');
    const version = rec.get('V');
    if (name !== undefined && version !== undefined) {
      const arch = rec.get('A');
      const license = rec.get('L');
      out.push({
        type: 'apk',
        name,
        version,
        ...(arch ? { arch } : {}),
        source: { name: rec.get('o') || name, version },
        ...(license ? { licenses: [license] } : {}),
        path,
      });
    }
    rec = new Map();
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line[1] !== ':') continue;
    const key = line[0] as string;
    // File lists (F:, R:, Z:, ...) repeat: only the first of each package-level key matters.
    if (!rec.has(key)) rec.set(key, line.slice(2));
  }
  flush();
  return out;
}
