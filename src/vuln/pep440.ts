/**
 * Python package versions, PEP 440 (https://peps.python.org/pep-0440/): epoch, release,
 * pre, post, dev and local segments, with the alternative spellings the spec normalises.
 * Versions that are not PEP 440 sort before every valid one, as `packaging`'s LegacyVersion did.
 */

// PEP 440 Appendix B, with named groups.
const PATTERN =
  /^v?(?:(?:(?<epoch>\d+)!)?(?<release>\d+(?:\.\d+)*)(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>\d+)?)?(?<post>(?:-(?<postN1>\d+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>\d+)?))?(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>\d+)?)?)(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

type Part = number | string;

interface Key {
  readonly valid: boolean;
  readonly parts: readonly Part[];
}

const INF = Number.POSITIVE_INFINITY;
const NEG = Number.NEGATIVE_INFINITY;

function preRank(label: string): number {
  const l = label.toLowerCase();
  if (l === 'a' || l === 'alpha') return 0;
  if (l === 'b' || l === 'beta') return 1;
  return 2; // c, rc, pre, preview
}

function keyOf(text: string): Key {
  const m = PATTERN.exec(text.trim());
  if (m === null || m.groups === undefined) {
    // Legacy: compare the lowercased alphanumeric runs.
    return { valid: false, parts: (text.toLowerCase().match(/\d+|[a-z]+/g) ?? []).map((p) => (/^\d/.test(p) ? Number(p) : p)) };
  }
  const g = m.groups;
  const release = (g.release as string).split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const hasPre = g.pre !== undefined;
  const hasPost = g.post !== undefined;
  const hasDev = g.dev !== undefined;
  // packaging's _cmpkey: a dev release of a final version sorts before its pre-releases.
  const pre: Part[] = hasPre ? [preRank(g.preL as string), Number(g.preN ?? 0)] : !hasPost && hasDev ? [NEG, 0] : [INF, 0];
  const post = hasPost ? Number(g.postN1 ?? g.postN2 ?? 0) : NEG;
  const dev = hasDev ? Number(g.devN ?? 0) : INF;
  const local: Part[] =
    g.local !== undefined
      ? g.local
          .toLowerCase()
          .split(/[-_.]/)
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p))
      : [];
  return { valid: true, parts: [Number(g.epoch ?? 0), release.length, ...release, ...pre, post, dev, local.length === 0 ? NEG : 0, ...local] };
}

/** Release segments need zero-padding: the stored length is compared only after the padded release. */
function compareKeys(x: Key, y: Key): number {
  if (x.valid !== y.valid) return x.valid ? 1 : -1;
  if (!x.valid) return compareParts(x.parts, y.parts);
  const ex = x.parts[0] as number;
  const ey = y.parts[0] as number;
  if (ex !== ey) return ex < ey ? -1 : 1;
  const lx = x.parts[1] as number;
  const ly = y.parts[1] as number;
  const n = Math.max(lx, ly);
  for (let i = 0; i < n; i++) {
    const p = i < lx ? (x.parts[2 + i] as number) : 0;
    const q = i < ly ? (y.parts[2 + i] as number) : 0;
    if (p !== q) return p < q ? -1 : 1;
  }
  return compareParts(x.parts.slice(2 + lx), y.parts.slice(2 + ly));
}

function compareParts(a: readonly Part[], b: readonly Part[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const p = a[i];
    const q = b[i];
    if (p === q) continue;
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    // In local segments numbers sort after strings.
    if (typeof p !== typeof q) return typeof p === 'number' ? 1 : -1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/**
 * Compares two Python versions.
 *
 * @example
 * comparePep440('1.0.dev0', '1.0a1'); // -1
 * comparePep440('1.0-1', '1.0'); // 1: `-1` is an implicit post-release
 * comparePep440('1!0.5', '2.0'); // 1: the epoch wins
 */
export function comparePep440(a: string, b: string): number {
  return compareKeys(keyOf(a), keyOf(b));
}

/**
 * PEP 503 normalised project name: lowercase, runs of `-`, `_` and `.` become one `-`.
 *
 * @example
 * normalizePypiName('Django_REST.framework'); // 'django-rest-framework'
 */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
