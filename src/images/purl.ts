/**
 * Package URLs (https://github.com/package-url/purl-spec, PURL-SPECIFICATION.rst and
 * PURL-TYPES.rst) and OSV ecosystem names for what the analysers found.
 */
import type { InstalledPackage, OsRelease, PackageLocation } from '../packages/packages.js';
import type { FoundPackage } from './analyzers/types.js';

/** Percent-encodes a purl component (the spec keeps `:` unencoded in versions; we encode the rest). */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ':');
}

/** Builds a purl from its parts; qualifiers are sorted by key and empty values dropped, as the spec requires. */
export function buildPurl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string | undefined,
  qualifiers: Record<string, string | undefined> = {},
): string {
  const ns = namespace ? `${namespace.split('/').map(enc).join('/')}/` : '';
  const q = Object.entries(qualifiers)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${enc(v)}`)
    .join('&');
  return `pkg:${type}/${ns}${enc(name)}${version ? `@${enc(version)}` : ''}${q ? `?${q}` : ''}`;
}

/**
 * OSV ecosystem of a distro package: `Debian:12`, `Ubuntu:22.04`, `Alpine:v3.19`, `Red Hat`, ...
 *
 * @example
 * osEcosystem({ id: 'alpine', versionId: '3.19.1' }); // 'Alpine:v3.19'
 */
export function osEcosystem(os: OsRelease | undefined): string | undefined {
  if (os === undefined) return undefined;
  const v = os.versionId ?? '';
  switch (os.id) {
    case 'debian':
      return v ? `Debian:${v.split('.')[0]}` : 'Debian';
    case 'ubuntu':
      // OSV keys long-term-support releases as `Ubuntu:22.04:LTS`.
      return v ? `Ubuntu:${v}${/\bLTS\b/.test(os.prettyName ?? '') ? ':LTS' : ''}` : 'Ubuntu';
    case 'alpine':
      return v ? `Alpine:v${v.split('.').slice(0, 2).join('.')}` : 'Alpine';
    // Keyed by major release, as their advisories are (src/vuln/ecosystem.ts ecosystemKey).
    case 'rhel':
      return v ? `Red Hat:${v.split('.')[0]}` : 'Red Hat';
    case 'rocky':
      return v ? `Rocky Linux:${v.split('.')[0]}` : 'Rocky Linux';
    case 'almalinux':
      return v ? `AlmaLinux:${v.split('.')[0]}` : 'AlmaLinux';
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'opensuse-leap':
    case 'opensuse-tumbleweed':
      return 'openSUSE';
    case 'sles':
      return 'SUSE';
    default:
      return os.id;
  }
}

const LANGUAGE_ECOSYSTEM: Record<string, string> = { npm: 'npm', pypi: 'PyPI', golang: 'Go', maven: 'Maven', gem: 'RubyGems', cargo: 'crates.io' };

/** The distro qualifier of OS purls: `debian-12`, `alpine-3.19.1`. */
function distro(os: OsRelease | undefined): string | undefined {
  if (os === undefined) return undefined;
  return os.versionId ? `${os.id}-${os.versionId}` : os.id;
}

/** PEP 503 normalised name, as PyPI purls and OSV want it. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The package URL of a found package.
 *
 * @example
 * purlOf({ type: 'deb', name: 'libcurl4', version: '7.88.1-10', arch: 'amd64', source: { name: 'curl', version: '7.88.1-10' }, path: '' }, { id: 'debian', versionId: '12' });
 * // 'pkg:deb/debian/libcurl4@7.88.1-10?arch=amd64&distro=debian-12&upstream=curl'
 */
export function purlOf(p: FoundPackage, os: OsRelease | undefined): string {
  switch (p.type) {
    case 'deb':
    case 'apk': {
      const upstream =
        p.source && (p.source.name !== p.name || p.source.version !== p.version)
          ? p.source.version !== p.version
            ? `${p.source.name}@${p.source.version}`
            : p.source.name
          : undefined;
      return buildPurl(p.type, os?.id ?? (p.type === 'deb' ? 'debian' : 'alpine'), p.name, p.version, { arch: p.arch, distro: distro(os), upstream });
    }
    case 'rpm':
      return buildPurl('rpm', os?.id ?? 'redhat', p.name, p.version, {
        arch: p.arch,
        distro: distro(os),
        epoch: p.epoch !== undefined && p.epoch !== 0 ? String(p.epoch) : undefined,
        upstream: p.source ? `${p.source.name}-${p.source.version}.src.rpm` : undefined,
      });
    case 'npm': {
      const slash = p.name.startsWith('@') ? p.name.indexOf('/') : -1;
      return slash > 0 ? buildPurl('npm', p.name.slice(0, slash), p.name.slice(slash + 1), p.version) : buildPurl('npm', undefined, p.name, p.version);
    }
    case 'pypi':
      return buildPurl('pypi', undefined, pep503(p.name), p.version);
    case 'golang': {
      const cut = p.name.lastIndexOf('/');
      return cut > 0 ? buildPurl('golang', p.name.slice(0, cut), p.name.slice(cut + 1), p.version) : buildPurl('golang', undefined, p.name, p.version);
    }
    case 'maven': {
      const [g, a] = p.name.split(':');
      return buildPurl('maven', g, a ?? p.name, p.version);
    }
    case 'gem':
      return buildPurl('gem', undefined, p.name, p.version);
    case 'cargo':
      return buildPurl('cargo', undefined, p.name, p.version);
  }
}

/**
 * The contract's `InstalledPackage` for a found package: OS packages get the distro's OSV
 * ecosystem, language packages theirs (PyPI names PEP 503-normalised, as OSV keys them).
 */
export function toInstalled(p: FoundPackage, os: OsRelease | undefined, locations: readonly PackageLocation[]): InstalledPackage {
  const ecosystem =
    p.type === 'deb' || p.type === 'apk' || p.type === 'rpm'
      ? (osEcosystem(os) ?? (p.type === 'deb' ? 'Debian' : p.type === 'apk' ? 'Alpine' : 'Red Hat'))
      : (LANGUAGE_ECOSYSTEM[p.type] as string);
  const version = p.type === 'rpm' && p.epoch ? `${p.epoch}:${p.version}` : p.version;
  return {
    ecosystem,
    name: p.type === 'pypi' ? pep503(p.name) : p.name,
    version,
    ...(p.source ? { source: p.source } : {}),
    purl: purlOf(p, os),
    locations,
    ...(p.licenses && p.licenses.length > 0 ? { licenses: p.licenses } : {}),
  };
}
