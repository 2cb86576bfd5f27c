/**
 * dpkg's database: `var/lib/dpkg/status` (one stanza per package) and distroless images'
 * `var/lib/dpkg/status.d/<name>` (one file per package, same format). deb-control(5).
 */
import { type FoundPackage, parseStanzas } from './types.js';

/** True for the dpkg database files this analyser reads. */
export function isDpkgDb(path: string): boolean {
  if (path === 'var/lib/dpkg/status') return true;
  if (!path.startsWith('var/lib/dpkg/status.d/')) return false;
  const base = path.slice('var/lib/dpkg/status.d/'.length);
  return base !== '' && !base.includes('/') && !base.endsWith('.md5sums');
}

/**
 * Installed packages of a dpkg status file: stanzas whose `Status` is not "installed" (removed,
 * config-files, half-installed) are left out; `Source: name (version)` gives the source package.
 *
 * @example
 * parseDpkgStatus('Package: libcurl4\nStatus: install ok installed\nVersion: 7.88.1-10\nSource: curl\nArchitecture: amd64\n', 'var/lib/dpkg/status')[0].source;
 * // { name: 'curl', version: '7.88.1-10' }
 */
export function parseDpkgStatus(text: string, path: string): FoundPackage[] {
  const out: FoundPackage[] = [];
  for (const s of parseStanzas(text)) {
    const name = s.get('Package');
    const version = s.get('Version');
    if (name === undefined || version === undefined) continue;
    // status.d files have no Status field: they list installed packages only.
    const status = s.get('Status');
    // `want flag status`: only the status word `installed` (triggers-* are installed too) counts.
    const state = status?.trim().split(/\s+/)[2];
    if (status !== undefined && state !== 'installed' && state !== 'triggers-awaited' && state !== 'triggers-pending') continue;
    const src = s.get('Source');
    let source = { name, version };
    if (src !== undefined && src !== '') {
      const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(src);
      if (m) source = { name: m[1] as string, version: m[2] ?? version };
    }
    const arch = s.get('Architecture');
    out.push({ type: 'deb', name, version, ...(arch ? { arch } : {}), source, path });
  }
  return out;
}
