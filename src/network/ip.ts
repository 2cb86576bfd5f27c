/**
 * IP addresses and ranges (IPv4 and IPv6) as inclusive bigint intervals, for `ipBlock` CIDRs,
 * their `except` lists and the external nodes of the reachability matrix.
 */

/** An IP address family. */
export type Family = 4 | 6;

/** An inclusive range of addresses of one family. */
export interface IpRange {
  readonly family: Family;
  readonly start: bigint;
  readonly end: bigint;
}

const MAX: Record<Family, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

/** The whole address space of a family. */
export function wholeFamily(family: Family): IpRange {
  return { family, start: 0n, end: MAX[family] };
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    // An embedded IPv4 address (::ffff:10.0.0.1) is the last two groups.
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const read = (h: string | undefined): bigint[] | undefined => {
    if (h === undefined || h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const head = read(halves[0]);
  const rest = halves.length === 2 ? read(halves[1]) : [];
  if (!head || !rest) return undefined;
  const count = head.length + rest.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return undefined;
  const all = [...head, ...new Array<bigint>(8 - count).fill(0n), ...rest];
  let n = 0n;
  for (const g of all) n = (n << 16n) | g;
  return n;
}

/**
 * Parses a CIDR (`10.0.0.0/8`, `fd00::/8`); a bare address is a /32 or /128. Host bits are
 * ignored, as the API server accepts them for ipBlock.
 *
 * @example
 * formatRange(parseCidr('10.0.0.0/8')!); // '10.0.0.0-10.255.255.255'
 */
export function parseCidr(text: string): IpRange | undefined {
  const [addr, bitsText, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const family: Family = addr.includes(':') ? 6 : 4;
  const value = family === 4 ? parseV4(addr) : parseV6(addr);
  if (value === undefined) return undefined;
  const width = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const hostBits = BigInt(width - bits);
  const mask = (1n << hostBits) - 1n;
  const start = value & ~mask & MAX[family];
  return { family, start, end: start | mask };
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
}

function formatV6(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: the longest run of zero groups (at least two) becomes ::
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** One address as text. */
export function formatAddress(family: Family, n: bigint): string {
  return family === 4 ? formatV4(n) : formatV6(n);
}

/**
 * A range as `A.B.C.D-E.F.G.H` (the form of the matrix's external nodes).
 *
 * @example
 * formatRange(wholeFamily(4)); // '0.0.0.0-255.255.255.255'
 */
export function formatRange(r: IpRange): string {
  return `${formatAddress(r.family, r.start)}-${formatAddress(r.family, r.end)}`;
}

/** True when `inner` lies inside `outer`. */
export function rangeContains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

/** True when the ranges share an address. */
export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/**
 * Splits each family's address space at every boundary of `ranges`, so that every piece lies
 * wholly inside or wholly outside each of them: the external nodes of the matrix.
 *
 * @example
 * splitSpace([parseCidr('10.0.0.0/8')!]).map(formatRange).slice(0, 3);
 * // ['0.0.0.0-9.255.255.255', '10.0.0.0-10.255.255.255', '11.0.0.0-255.255.255.255']
 */
export function splitSpace(ranges: readonly IpRange[], families: readonly Family[] = [4, 6]): IpRange[] {
  const out: IpRange[] = [];
  for (const family of families) {
    const cuts = new Set<bigint>([0n]);
    for (const r of ranges) {
      if (r.family !== family) continue;
      cuts.add(r.start);
      if (r.end < MAX[family]) cuts.add(r.end + 1n);
    }
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    sorted.forEach((start, i) => {
      const next = sorted[i + 1];
      out.push({ family, start, end: next === undefined ? MAX[family] : next - 1n });
    });
  }
  return out;
}

/**
 * Parses a range as printed by {@link formatRange}, or a CIDR or a bare address.
 *
 * @example
 * parseRange('10.0.0.0-10.255.255.255'); // the 10.0.0.0/8 range
 */
export function parseRange(text: string): IpRange | undefined {
  const dash = text.indexOf('-');
  if (dash < 0) return parseCidr(text);
  const a = parseCidr(text.slice(0, dash));
  const b = parseCidr(text.slice(dash + 1));
  if (!a || !b || a.family !== b.family || a.start > b.start) return undefined;
  return { family: a.family, start: a.start, end: b.start };
}
