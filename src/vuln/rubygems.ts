/**
 * RubyGems versions, ordered as `Gem::Version#<=>`: numeric and letter segments, a letter
 * segment marks a pre-release (`1.0.a` < `1.0`), trailing zeros do not count, `-` means `.pre.`.
 * https://guides.rubygems.org/patterns/#prerelease-gems
 */

type Segment = number | string;

function canonicalSegments(text: string): Segment[] {
  const v = text.trim().replace(/-/g, '.pre.');
  const segments: Segment[] = (v.match(/\d+|[a-z]+/gi) ?? []).map((s) => (/^\d/.test(s) ? Number(s) : s));
  const firstString = segments.findIndex((s) => typeof s === 'string');
  const numeric = firstString === -1 ? segments : segments.slice(0, firstString);
  const rest = firstString === -1 ? [] : segments.slice(firstString);
  const trim = (list: Segment[]): Segment[] => {
    const out = [...list];
    while (out.length > 0 && out[out.length - 1] === 0) out.pop();
    return out;
  };
  return [...trim(numeric), ...trim(rest)];
}

/**
 * Compares two RubyGems versions.
 *
 * @example
 * compareRubyGems('1.0.0.rc1', '1.0.0'); // -1
 * compareRubyGems('1.0', '1'); // 0
 */
export function compareRubyGems(a: string, b: string): number {
  const x = canonicalSegments(a);
  const y = canonicalSegments(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p === q) continue;
    if (typeof p === 'string' && typeof q === 'number') return -1;
    if (typeof p === 'number' && typeof q === 'string') return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}
