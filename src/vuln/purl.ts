/**
 * Package URLs (https://github.com/package-url/purl-spec): parsing, scoped comparison for VEX,
 * and the OSV ecosystem a purl's type and distro qualifier name.
 */

export interface PackageUrl {
  readonly type: string;
  readonly namespace?: string;
  readonly name: string;
  readonly version?: string;
  readonly qualifiers: Readonly<Record<string, string>>;
  readonly subpath?: string;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Parses a package URL; returns undefined when it is not one.
 *
 * @example
 * parsePurl('pkg:deb/debian/libcurl4@7.88.1-10?arch=amd64&distro=debian-12&upstream=curl')?.qualifiers.upstream; // 'curl'
 */
export function parsePurl(text: string): PackageUrl | undefined {
  const t = text.trim();
  if (!t.toLowerCase().startsWith('pkg:')) return undefined;
  let rest = t.slice(4).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = decode(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const q = rest.indexOf('?');
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const value = decode(pair.slice(eq + 1));
      if (value !== '') qualifiers[pair.slice(0, eq).toLowerCase()] = value;
    }
    rest = rest.slice(0, q);
  }
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  // An `@` inside the path is a scope (`pkg:npm/%40scope/name` may arrive unencoded); the version follows the last `/`.
  if (at > rest.lastIndexOf('/')) {
    version = decode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const parts = rest.split('/').filter((p) => p !== '');
  if (parts.length < 2) return undefined;
  const type = (parts[0] as string).toLowerCase();
  const name = decode(parts[parts.length - 1] as string);
  const namespace = parts.length > 2 ? parts.slice(1, -1).map(decode).join('/') : undefined;
  if (name === '') return undefined;
  return {
    type,
    ...(namespace !== undefined ? { namespace } : {}),
    name,
    ...(version !== undefined && version !== '' ? { version } : {}),
    qualifiers,
    ...(subpath !== undefined ? { subpath } : {}),
  };
}

/** Names are case-insensitive for these types (purl-spec type definitions). */
const CASE_INSENSITIVE = new Set(['npm', 'pypi', 'deb', 'apk', 'golang', 'github', 'bitbucket', 'composer', 'hex']);

/**
 * True when `scope` (from a VEX statement) designates `candidate`: same type, namespace and
 * name; the same version when the scope names one; every qualifier of the scope present with
 * the same value. A scope without version covers every version.
 *
 * @example
 * purlCovers('pkg:deb/debian/curl', 'pkg:deb/debian/curl@7.88.1-10?arch=amd64'); // true
 */
export function purlCovers(scope: string | PackageUrl, candidate: string | PackageUrl): boolean {
  const s = typeof scope === 'string' ? parsePurl(scope) : scope;
  const c = typeof candidate === 'string' ? parsePurl(candidate) : candidate;
  if (s === undefined || c === undefined || s.type !== c.type) return false;
  const fold = (x: string | undefined): string | undefined => (x !== undefined && CASE_INSENSITIVE.has(s.type) ? x.toLowerCase() : x);
  if (fold(s.namespace) !== fold(c.namespace) || fold(s.name) !== fold(c.name)) return false;
  if (s.version !== undefined && s.version !== c.version) return false;
  for (const [k, v] of Object.entries(s.qualifiers)) if (c.qualifiers[k] !== v) return false;
  return true;
}
