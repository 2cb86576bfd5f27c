/**
 * SemVer 2.0 precedence (https://semver.org/#spec-item-11), as OSV `SEMVER` ranges use it,
 * and Go module versions on top of it (pseudo-versions are SemVer pre-releases).
 */

interface SemVer {
  readonly core: readonly bigint[];
  readonly pre: readonly string[];
}

/**
 * Parses leniently: a leading `v`, missing minor/patch (`1.2` = `1.2.0`) and extra core parts are
 * accepted because real advisories and manifests carry them; build metadata is ignored.
 */
function parse(text: string): SemVer | undefined {
  const m = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]*))?(?:\+[0-9A-Za-z.-]*)?$/.exec(text.trim());
  if (m === null) return undefined;
  const core = (m[1] as string).split('.').map((p) => BigInt(p));
  while (core.length < 3) core.push(0n);
  return { core, pre: m[2] !== undefined ? m[2].split('.') : [] };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (an) return -1;
  if (bn) return 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Compares two SemVer versions; text that is not a version compares as a plain string,
 * after every valid version.
 *
 * @example
 * compareSemver('1.0.0-alpha.1', '1.0.0-alpha.beta'); // -1
 * compareSemver('1.0.0+build.5', '1.0.0'); // 0
 */
export function compareSemver(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (x === undefined || y === undefined) {
    if (x !== undefined) return -1;
    if (y !== undefined) return 1;
    return a === b ? 0 : a < b ? -1 : 1;
  }
  const n = Math.max(x.core.length, y.core.length);
  for (let i = 0; i < n; i++) {
    const p = x.core[i] ?? 0n;
    const q = y.core[i] ?? 0n;
    if (p !== q) return p < q ? -1 : 1;
  }
  // A pre-release sorts before the release.
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  const m = Math.max(x.pre.length, y.pre.length);
  for (let i = 0; i < m; i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const c = compareIdentifiers(p, q);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * A Go version as a module or the toolchain writes it, in the SemVer form the Go vulnerability
 * database uses: `go1.21rc2` -> `1.21.0-rc.2`, `go1.20` -> `1.20.0`, `v1.2.3+incompatible` -> `1.2.3`.
 *
 * @example
 * goToSemver('go1.21rc2'); // '1.21.0-rc.2'
 */
export function goToSemver(text: string): string {
  const t = text.trim();
  const m = /^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(beta|rc)(\d+))?$/.exec(t);
  if (m !== null) {
    const core = `${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}`;
    return m[4] !== undefined ? `${core}-${m[4]}.${m[5]}` : core;
  }
  return t.replace(/^v/, '').replace(/\+incompatible$/, '');
}

/**
 * Compares Go module or toolchain versions; pseudo-versions (`v0.0.0-20230101120000-abcdef123456`)
 * order as the SemVer pre-releases they are.
 *
 * @example
 * compareGo('v0.0.0-20230101120000-abcdef123456', 'v0.1.0'); // -1
 * compareGo('go1.21rc2', '1.21.0'); // -1
 */
export function compareGo(a: string, b: string): number {
  return compareSemver(goToSemver(a), goToSemver(b));
}
