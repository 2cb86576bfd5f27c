/**
 * Java archives (jar, war, ear, par): Maven coordinates from `META-INF/maven/<g>/<a>/pom.properties`,
 * else the main section of `META-INF/MANIFEST.MF`; nested archives (`WEB-INF/lib/*.jar`,
 * Spring Boot `BOOT-INF/lib/*.jar`) are read recursively from memory. The zip reader is small
 * and in-house: central directory, then stored or deflated members, with output caps.
 * Zip format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
import { inflateRawSync } from 'node:zlib';
import type { FoundPackage } from './types.js';

const JAVA_ARCHIVE = /\.(jar|war|ear|par)$/i;

/** True for the archive extensions Java packages ship in. */
export function isJavaArchive(path: string): boolean {
  return JAVA_ARCHIVE.test(path);
}

interface ZipMember {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

/** Central directory of a zip held in memory; empty when the buffer is not a zip. */
export function zipMembers(zip: Buffer): ZipMember[] {
  // The end-of-central-directory record is within the last 64 KiB + 22 bytes (comment).
  const min = Math.max(0, zip.length - 65_557);
  let eocd = -1;
  for (let i = zip.length - 22; i >= min; i--)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd === -1) return [];
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: ZipMember[] = [];
  for (let i = 0; i < count && at + 46 <= zip.length; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) break;
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    out.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLen),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** A member's bytes, inflated with an output cap; undefined when unreadable or over the cap. */
export function zipRead(zip: Buffer, m: ZipMember, maxBytes: number): Buffer | undefined {
  const at = m.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50) return undefined;
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + m.compressedSize);
  if (m.size > maxBytes) return undefined;
  try {
    if (m.method === 0) return data;
    if (m.method === 8) return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch {
    return undefined;
  }
  return undefined;
}

function properties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:]?\s*(.*)$/.exec(t);
    if (m) out.set(m[1] as string, m[2] as string);
  }
  return out;
}

/** Main section of a MANIFEST.MF (72-byte lines continue with a leading space). */
function manifestMain(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (line.startsWith(' ') && last !== undefined) {
      out.set(last, (out.get(last) ?? '') + line.slice(1));
      continue;
    }
    const c = line.indexOf(':');
    if (c <= 0) continue;
    last = line.slice(0, c);
    out.set(last, line.slice(c + 1).trim());
  }
  return out;
}

/** Limits for reading archives from memory. */
export interface JavaLimits {
  /** Largest member inflated (nested jar or metadata file). */
  readonly maxMemberBytes: number;
  /** How deep nested archives are followed. */
  readonly maxDepth: number;
}

const DEFAULT_LIMITS: JavaLimits = { maxMemberBytes: 64 << 20, maxDepth: 3 };

/**
 * Maven packages in a Java archive and the archives nested in it.
 *
 * @example
 * parseJavaArchive(readFileSync('app.jar'), 'opt/app.jar'); // [{ type: 'maven', name: 'org.example:app', ... }]
 */
export function parseJavaArchive(zip: Buffer, path: string, limits: JavaLimits = DEFAULT_LIMITS, depth = 0): FoundPackage[] {
  const members = zipMembers(zip);
  const out: FoundPackage[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    if (!/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(m.name)) continue;
    const data = zipRead(zip, m, 1 << 20);
    if (!data) continue;
    const p = properties(data.toString('utf8'));
    const g = p.get('groupId');
    const a = p.get('artifactId');
    const v = p.get('version');
    if (!g || !a || !v || seen.has(`${g}:${a}`)) continue;
    seen.add(`${g}:${a}`);
    out.push({ type: 'maven', name: `${g}:${a}`, version: v, path });
  }
  if (out.length === 0) {
    const mf = members.find((m) => m.name === 'META-INF/MANIFEST.MF');
    const data = mf && zipRead(zip, mf, 1 << 20);
    if (data) {
      const main = manifestMain(data.toString('utf8'));
      const version = main.get('Implementation-Version') ?? main.get('Bundle-Version');
      const bsn = main.get('Bundle-SymbolicName')?.split(';')[0]?.trim();
      const dot = bsn?.lastIndexOf('.') ?? -1;
      // Maven coordinates need a group: the vendor id, else the OSGi symbolic name's prefix.
      const group = main.get('Implementation-Vendor-Id') ?? (bsn && dot > 0 ? bsn.slice(0, dot) : undefined);
      const artifact = main.get('Implementation-Title') ?? (bsn && dot > 0 ? bsn.slice(dot + 1) : undefined);
      if (version && group && artifact && !/\s/.test(artifact)) out.push({ type: 'maven', name: `${group}:${artifact}`, version, path });
    }
  }
  if (depth < limits.maxDepth) {
    for (const m of members) {
      if (!isJavaArchive(m.name)) continue;
      const inner = zipRead(zip, m, limits.maxMemberBytes);
      if (inner) out.push(...parseJavaArchive(inner, `${path}!/${m.name}`, limits, depth + 1));
    }
  }
  return out;
}
