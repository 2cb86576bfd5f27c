/**
 * Connection sets: which (protocol, port) pairs a connection may use, as sorted, disjoint,
 * inclusive port intervals per protocol. NetworkPolicy ports are TCP, UDP or SCTP, 1-65535
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports).
 */

/** The protocols a NetworkPolicy can name. */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** An inclusive port interval. */
export type Interval = readonly [number, number];

/** Lowest and highest port. */
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** A set of (protocol, port) pairs. Immutable. */
export interface ConnSet {
  readonly TCP: readonly Interval[];
  readonly UDP: readonly Interval[];
  readonly SCTP: readonly Interval[];
}

const FULL: readonly Interval[] = [[MIN_PORT, MAX_PORT]];

/** Every protocol and port. */
export const ALL_CONNS: ConnSet = Object.freeze({ TCP: FULL, UDP: FULL, SCTP: FULL });
/** Nothing. */
export const NO_CONNS: ConnSet = Object.freeze({ TCP: [], UDP: [], SCTP: [] });

/**
 * A set with one interval of one protocol.
 *
 * @example
 * connsOf('TCP', 80, 81); // TCP 80-81
 */
export function connsOf(protocol: Protocol, from: number, to = from): ConnSet {
  const lo = Math.max(MIN_PORT, from);
  const hi = Math.min(MAX_PORT, to);
  if (hi < lo) return NO_CONNS;
  return { ...NO_CONNS, [protocol]: [[lo, hi]] };
}

/** Every port of one protocol. */
export function protocolConns(protocol: Protocol): ConnSet {
  return { ...NO_CONNS, [protocol]: FULL };
}

function normalise(list: Interval[]): Interval[] {
  if (list.length <= 1) return list;
  list.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of list) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function unionList(a: readonly Interval[], b: readonly Interval[]): readonly Interval[] {
  if (a.length === 0 || a === FULL) return a === FULL ? FULL : b;
  if (b.length === 0) return a;
  if (b === FULL) return FULL;
  return normalise([...a, ...b]);
}

function intersectList(a: readonly Interval[], b: readonly Interval[]): readonly Interval[] {
  if (a.length === 0 || b.length === 0) return [];
  if (a === FULL) return b;
  if (b === FULL) return a;
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Interval;
    const y = b[j] as Interval;
    const lo = Math.max(x[0], y[0]);
    const hi = Math.min(x[1], y[1]);
    if (lo <= hi) out.push([lo, hi]);
    if (x[1] < y[1]) i++;
    else j++;
  }
  return out;
}

function subtractList(a: readonly Interval[], b: readonly Interval[]): readonly Interval[] {
  if (a.length === 0 || b.length === 0) return a;
  if (b === FULL) return [];
  const out: Interval[] = [];
  for (const [lo0, hi] of a) {
    let lo = lo0;
    for (const [blo, bhi] of b) {
      if (bhi < lo || blo > hi) continue;
      if (blo > lo) out.push([lo, blo - 1]);
      lo = bhi + 1;
      if (lo > hi) break;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

/** `a ∪ b`. */
export function union(a: ConnSet, b: ConnSet): ConnSet {
  if (a === ALL_CONNS || b === NO_CONNS) return a;
  if (b === ALL_CONNS || a === NO_CONNS) return b;
  return { TCP: unionList(a.TCP, b.TCP), UDP: unionList(a.UDP, b.UDP), SCTP: unionList(a.SCTP, b.SCTP) };
}

/** `a ∩ b`. */
export function intersect(a: ConnSet, b: ConnSet): ConnSet {
  if (a === ALL_CONNS || b === NO_CONNS) return b;
  if (b === ALL_CONNS || a === NO_CONNS) return a;
  return { TCP: intersectList(a.TCP, b.TCP), UDP: intersectList(a.UDP, b.UDP), SCTP: intersectList(a.SCTP, b.SCTP) };
}

/** `a − b`. */
export function subtract(a: ConnSet, b: ConnSet): ConnSet {
  if (b === NO_CONNS || a === NO_CONNS) return a;
  if (b === ALL_CONNS) return NO_CONNS;
  return { TCP: subtractList(a.TCP, b.TCP), UDP: subtractList(a.UDP, b.UDP), SCTP: subtractList(a.SCTP, b.SCTP) };
}

/** True when the set holds nothing. */
export function isEmpty(c: ConnSet): boolean {
  return c === NO_CONNS || (c.TCP.length === 0 && c.UDP.length === 0 && c.SCTP.length === 0);
}

const isFull = (l: readonly Interval[]): boolean => l === FULL || (l.length === 1 && l[0]?.[0] === MIN_PORT && l[0][1] === MAX_PORT);

/**
 * Whether two connection sets share a port of some protocol.
 *
 * @example
 * overlaps(connsOf('TCP', 80, 90), connsOf('TCP', 85)); // true
 */
export function overlaps(a: ConnSet, b: ConnSet): boolean {
  for (const p of ['TCP', 'UDP', 'SCTP'] as const) for (const [lo, hi] of b[p]) if (a[p].some(([x, y]) => x <= hi && lo <= y)) return true;
  return false;
}

/** True when the set holds every protocol and port. */
export function isAll(c: ConnSet): boolean {
  return c === ALL_CONNS || (isFull(c.TCP) && isFull(c.UDP) && isFull(c.SCTP));
}

/** True when the set holds this protocol and port. */
export function hasPort(c: ConnSet, protocol: Protocol, port: number): boolean {
  return c[protocol].some(([lo, hi]) => port >= lo && port <= hi);
}

/** One port or port range of a connection set, as printed in JSON. */
export interface PortRange {
  readonly protocol: Protocol;
  readonly port: number;
  readonly endPort?: number;
}

/**
 * The set as JSON: `"all"`, or its port ranges (a whole protocol is `1-65535`).
 *
 * @example
 * connsToJson(connsOf('TCP', 80)); // [{ protocol: 'TCP', port: 80 }]
 */
export function connsToJson(c: ConnSet): 'all' | PortRange[] {
  if (isAll(c)) return 'all';
  const out: PortRange[] = [];
  for (const p of PROTOCOLS) for (const [lo, hi] of c[p]) out.push(lo === hi ? { protocol: p, port: lo } : { protocol: p, port: lo, endPort: hi });
  return out;
}

/**
 * The set as text: `all`, `TCP 80,8000-8080; UDP 53`, or `none`.
 *
 * @example
 * formatConns(union(connsOf('TCP', 80), connsOf('UDP', 53))); // 'TCP 80; UDP 53'
 */
export function formatConns(c: ConnSet): string {
  if (isAll(c)) return 'all';
  if (isEmpty(c)) return 'none';
  const parts: string[] = [];
  for (const p of PROTOCOLS) {
    if (c[p].length === 0) continue;
    parts.push(isFull(c[p]) ? `${p} all` : `${p} ${c[p].map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`);
  }
  return parts.join('; ');
}

/** True when two sets hold the same pairs. */
export function sameConns(a: ConnSet, b: ConnSet): boolean {
  if (a === b) return true;
  for (const p of PROTOCOLS) {
    const x = a[p];
    const y = b[p];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i]?.[0] !== y[i]?.[0] || x[i]?.[1] !== y[i]?.[1]) return false;
  }
  return true;
}

/**
 * Reads a protocol as written in a policy (`TCP` when absent); undefined for anything else.
 *
 * @example
 * parseProtocol(undefined); // 'TCP'
 */
export function parseProtocol(v: unknown): Protocol | undefined {
  if (v === undefined || v === null) return 'TCP';
  if (typeof v !== 'string') return undefined;
  const up = v.toUpperCase();
  return (PROTOCOLS as readonly string[]).includes(up) ? (up as Protocol) : undefined;
}
