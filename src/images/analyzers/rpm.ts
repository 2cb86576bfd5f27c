/**
 * rpm's SQLite database (RHEL 9+, Fedora 33+, CoreOS): table `Packages(hnum, blob)`, each blob an
 * rpm header without its lead. Header layout from rpm's `lib/header.c` and the RPM file format
 * (https://rpm-software-management.github.io/rpm/manual/format_header.html): big-endian index
 * count and data length, 16-byte index entries (tag, type, offset, count), then the data store.
 * BerkeleyDB (`Packages`) and NDB (`Packages.db`) databases are not read yet.
 */
import Database from 'better-sqlite3';
import type { FoundPackage } from './types.js';

export const RPMDB_PATHS = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite', 'usr/share/rpm/rpmdb.sqlite'] as const;

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, license: 1014, arch: 1022, sourceRpm: 1044 } as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_I18N = 9;

/** The fields read from one rpm header. */
export interface RpmHeader {
  readonly name?: string;
  readonly version?: string;
  readonly release?: string;
  readonly epoch?: number;
  readonly arch?: string;
  readonly license?: string;
  readonly sourceRpm?: string;
}

/**
 * Reads the package tags of an rpm header blob (as stored in rpmdb.sqlite).
 *
 * @example
 * parseRpmHeader(blob).name; // 'openssl-libs'
 */
export function parseRpmHeader(blob: Uint8Array): RpmHeader {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.length < 8) throw new Error('rpm header shorter than 8 bytes');
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  const storeAt = 8 + il * 16;
  if (il > 100_000 || storeAt + dl > blob.length) throw new Error(`rpm header: ${il} entries and ${dl} data bytes do not fit in ${blob.length} bytes`);
  const store = blob.subarray(storeAt, storeAt + dl);
  const dec = new TextDecoder();
  const str = (off: number): string => {
    let end = off;
    while (end < store.length && store[end] !== 0) end++;
    return dec.decode(store.subarray(off, end));
  };
  const out: Record<string, string | number> = {};
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = view.getInt32(at);
    const type = view.getUint32(at + 4);
    const off = view.getInt32(at + 8);
    if (off < 0 || off >= store.length) continue;
    const key = (Object.keys(TAG) as (keyof typeof TAG)[]).find((k) => TAG[k] === tag);
    if (key === undefined) continue;
    if (type === TYPE_INT32 && key === 'epoch' && off + 4 <= store.length) out[key] = new DataView(store.buffer, store.byteOffset + off, 4).getInt32(0);
    else if (type === TYPE_STRING || type === TYPE_I18N) out[key] = str(off);
  }
  return out as RpmHeader;
}

/** Source package name and version from a source rpm file name (`openssl-3.0.7-27.el9.src.rpm`). */
export function splitSourceRpm(file: string): { name: string; version: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(file);
  return m ? { name: m[1] as string, version: `${m[2]}-${m[3]}` } : undefined;
}

/**
 * Installed packages of an rpmdb.sqlite file held in memory.
 *
 * @example
 * parseRpmSqlite(readFileSync('rpmdb.sqlite'), 'var/lib/rpm/rpmdb.sqlite');
 */
export function parseRpmSqlite(data: Uint8Array, path: string): FoundPackage[] {
  const copy = Buffer.from(data);
  // A WAL-mode database cannot be deserialised into memory: mark it rollback-journal (bytes 18-19).
  if (copy.length > 19 && copy[18] === 2) {
    copy[18] = 1;
    copy[19] = 1;
  }
  const db = new Database(copy, { readonly: true });
  try {
    const out: FoundPackage[] = [];
    for (const row of db.prepare('SELECT blob FROM Packages').iterate() as Iterable<{ blob: Buffer }>) {
      const h = parseRpmHeader(row.blob);
      // gpg-pubkey pseudo-packages are keys, not software.
      if (!h.name || !h.version || h.name === 'gpg-pubkey') continue;
      const version = h.release ? `${h.version}-${h.release}` : h.version;
      const src = h.sourceRpm ? splitSourceRpm(h.sourceRpm) : undefined;
      out.push({
        type: 'rpm',
        name: h.name,
        version,
        ...(h.epoch !== undefined ? { epoch: h.epoch } : {}),
        ...(h.arch ? { arch: h.arch } : {}),
        ...(src ? { source: src } : {}),
        ...(h.license ? { licenses: [h.license] } : {}),
        path,
      });
    }
    return out;
  } finally {
    db.close();
  }
}
