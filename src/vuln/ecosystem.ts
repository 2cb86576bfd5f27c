/**
 * Ecosystem keys: the form advisories are stored under and installed packages are looked up
 * by, so `Debian:12.5`, `Debian:bookworm` and `Debian:12` meet, and `Alpine:3.19.1` meets
 * `Alpine:v3.19`; and the name a package is matched by (Debian source, Alpine origin, PEP 503).
 */
import type { InstalledPackage } from '../packages/packages.js';
import { normalizePypiName } from './pep440.js';
import type { PackageUrl } from './purl.js';
import { ecosystemBase } from './versions.js';

/** Debian release codenames and their numbers, as distro-info and the security tracker name them. */
export const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  buzz: '1.1',
  rex: '1.2',
  bo: '1.3',
  hamm: '2.0',
  slink: '2.1',
  potato: '2.2',
  woody: '3.0',
  sarge: '3.1',
  etch: '4',
  lenny: '5',
  squeeze: '6',
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
  sid: 'sid',
};

/**
 * The stored form of an ecosystem name.
 *
 * @example
 * ecosystemKey('Debian:12.5'); // 'Debian:12'
 * ecosystemKey('Alpine:3.19.1'); // 'Alpine:v3.19'
 * ecosystemKey('Ubuntu:22.04:LTS'); // 'Ubuntu:22.04'
 * ecosystemKey('Red Hat:enterprise_linux:9::appstream'); // 'Red Hat:9'
 */
export function ecosystemKey(ecosystem: string): string {
  const base = ecosystemBase(ecosystem);
  const release = ecosystem.slice(base.length + 1);
  if (release === '') return base;
  switch (base) {
    case 'Debian': {
      const r = DEBIAN_CODENAMES[release.toLowerCase()] ?? release;
      // Point releases share the advisories of their major release (woody/sarge keep 3.0/3.1).
      const m = /^(\d+)(?:\.\d+)*$/.exec(r);
      return m !== null && Number(m[1]) >= 4 ? `Debian:${m[1]}` : `Debian:${r}`;
    }
    case 'Alpine': {
      const m = /^v?(\d+)\.(\d+)/.exec(release);
      return m !== null ? `Alpine:v${m[1]}.${m[2]}` : `Alpine:${release}`;
    }
    case 'Ubuntu':
      return `Ubuntu:${release.replace(/:LTS$/i, '')}`;
    case 'Red Hat': {
      // Red Hat's OSV records name a product stream by its CPE, `enterprise_linux:9::appstream`,
      // `rhel_eus:9.2::baseos`: RHEL streams (and an installed `Red Hat:9.3`) meet under the major
      // release. Other products (`openshift:4.14::el9`, ...) keep their own key.
      const m = /^(?:(?:enterprise_linux|rhel_(?:eus|aus|e4s|tus|els)):)?(\d+)(?:[.:]|$)/.exec(release);
      return m !== null ? `Red Hat:${m[1]}` : ecosystem;
    }
    case 'Rocky Linux':
    case 'AlmaLinux': {
      const m = /^(\d+)(?:\.\d+)*$/.exec(release);
      return m !== null ? `${base}:${m[1]}` : ecosystem;
    }
    default:
      return ecosystem;
  }
}

/**
 * The package name advisories use for an ecosystem: PEP 503 for PyPI, the name as given otherwise.
 *
 * @example
 * advisoryPackageName('PyPI', 'Django_Rest'); // 'django-rest'
 */
export function advisoryPackageName(ecosystem: string, name: string): string {
  return ecosystemBase(ecosystem) === 'PyPI' ? normalizePypiName(name) : name;
}

/** What an installed package is looked up by. */
export interface LookupKey {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
}

/**
 * Debian and Ubuntu advisories name the source package and its version; Alpine's name the
 * origin (the apk version is the origin's); everything else the package itself.
 *
 * @example
 * lookupKeyOf({ ecosystem: 'Debian:12', name: 'libcurl4', version: '7.88.1-10', source: { name: 'curl', version: '7.88.1-10' }, purl: '', locations: [] });
 * // { ecosystem: 'Debian:12', name: 'curl', version: '7.88.1-10' }
 */
export function lookupKeyOf(pkg: InstalledPackage): LookupKey {
  const ecosystem = ecosystemKey(pkg.ecosystem);
  const base = ecosystemBase(ecosystem);
  if ((base === 'Debian' || base === 'Ubuntu') && pkg.source !== undefined && pkg.source.name !== '')
    return { ecosystem, name: pkg.source.name, version: pkg.source.version !== '' ? pkg.source.version : pkg.version };
  if ((base === 'Alpine' || base === 'Wolfi' || base === 'Chainguard') && pkg.source !== undefined && pkg.source.name !== '')
    return { ecosystem, name: pkg.source.name, version: pkg.version };
  return { ecosystem, name: advisoryPackageName(ecosystem, pkg.name), version: pkg.version };
}

const RPM_DISTROS: Readonly<Record<string, string>> = {
  redhat: 'Red Hat',
  rhel: 'Red Hat',
  rocky: 'Rocky Linux',
  almalinux: 'AlmaLinux',
  opensuse: 'openSUSE',
  suse: 'SUSE',
  sles: 'SUSE',
  mageia: 'Mageia',
  openeuler: 'openEuler',
};

const LANGUAGE_TYPES: Readonly<Record<string, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  golang: 'Go',
  gem: 'RubyGems',
  cargo: 'crates.io',
  nuget: 'NuGet',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
};

/** `debian-12`, `bookworm`, `12.5` from a purl `distro` qualifier -> the release part. */
function distroRelease(distro: string | undefined, prefix: string): string | undefined {
  if (distro === undefined) return undefined;
  const d = distro.toLowerCase();
  return d.startsWith(`${prefix}-`) ? d.slice(prefix.length + 1) : d;
}

/**
 * The installed package a purl (from an SBOM) describes, or undefined when the purl has no
 * version or a type Palisade does not match. The source package comes from the `upstream`
 * qualifier (`upstream=curl` or `upstream=curl@7.88.1-10`).
 *
 * @example
 * packageFromPurl(parsePurl('pkg:deb/debian/libcurl4@7.88.1-10?distro=debian-12&upstream=curl')!, 'pkg:...')?.ecosystem; // 'Debian:12'
 */
export function packageFromPurl(p: PackageUrl, purl: string, extraSource?: { name: string; version?: string }): InstalledPackage | undefined {
  if (p.version === undefined) return undefined;
  let ecosystem: string | undefined;
  let name = p.name;
  let version = p.version;
  const ns = p.namespace?.toLowerCase();
  if (p.type === 'deb') {
    const release = distroRelease(p.qualifiers.distro, ns ?? 'debian');
    if (ns === 'ubuntu') ecosystem = release !== undefined ? `Ubuntu:${release}` : undefined;
    else if (ns === 'debian' || ns === undefined) ecosystem = release !== undefined ? ecosystemKey(`Debian:${release}`) : undefined;
  } else if (p.type === 'apk') {
    if (ns === 'alpine' || ns === undefined) {
      const release = distroRelease(p.qualifiers.distro, 'alpine');
      ecosystem = release !== undefined ? ecosystemKey(`Alpine:${release}`) : undefined;
    } else if (ns === 'wolfi') ecosystem = 'Wolfi';
    else if (ns === 'chainguard') ecosystem = 'Chainguard';
  } else if (p.type === 'rpm') {
    ecosystem = RPM_DISTROS[ns ?? ''];
    // The release from the distro qualifier (`rhel-9.3`, `redhat-9.3`, `9.3`) keys it, as the advisories are.
    const release = /(\d+(?:\.\d+)*)$/.exec(p.qualifiers.distro ?? '')?.[1];
    if (ecosystem !== undefined && release !== undefined) ecosystem = ecosystemKey(`${ecosystem}:${release}`);
    if (p.qualifiers.epoch !== undefined && !version.includes(':')) version = `${p.qualifiers.epoch}:${version}`;
  } else {
    ecosystem = LANGUAGE_TYPES[p.type];
    if (p.namespace !== undefined) {
      if (p.type === 'maven') name = `${p.namespace}:${p.name}`;
      else if (p.type === 'npm' || p.type === 'golang' || p.type === 'composer') name = `${p.namespace}/${p.name}`;
    }
  }
  if (ecosystem === undefined) return undefined;
  let source: { name: string; version: string } | undefined;
  const upstream = p.qualifiers.upstream;
  if (upstream !== undefined) {
    const at = upstream.indexOf('@');
    source = at > 0 ? { name: upstream.slice(0, at), version: upstream.slice(at + 1) } : { name: upstream, version };
  } else if (extraSource !== undefined) source = { name: extraSource.name, version: extraSource.version ?? version };
  return { ecosystem, name, version, ...(source !== undefined ? { source } : {}), purl, locations: [] };
}
