/**
 * Packages compiled into executables: Go's build info (module path, dependencies and Go version,
 * the `.go.buildinfo` blob `debug/buildinfo` reads) and Rust's cargo-auditable data (the
 * zlib-compressed JSON dependency list in the ELF section `.dep-v0`).
 *
 * Go layout (Go >= 1.18, inline strings): a 32-byte header `\xff Go buildinf:`, pointer size at
 * byte 14, flags at byte 15 (bit 2 = inline), then two uvarint-prefixed strings, the Go version
 * and the module info; see https://go.dev/src/debug/buildinfo/buildinfo.go. Binaries of Go
 * before 1.18 store pointers instead and are not read. cargo-auditable format:
 * https://github.com/rust-secure-code/cargo-auditable/blob/master/PARAMETERS.md
 */
import { inflateSync } from 'node:zlib';
import type { FoundPackage } from './types.js';

const GO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/** True when the bytes start with the ELF magic. */
export function isElf(head: Uint8Array): boolean {
  return ELF_MAGIC.every((b, i) => head[i] === b);
}

function uvarint(buf: Uint8Array, at: number): [value: number, next: number] {
  let x = 0;
  let s = 1;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i] as number;
    x += (b & 0x7f) * s;
    if (b < 0x80) return [x, i + 1];
    s *= 128;
  }
  return [-1, at];
}

/** The Go version and module lines of a Go >= 1.18 executable, or undefined. */
export function readGoBuildInfo(bin: Buffer): { goVersion: string; modinfo: string } | undefined {
  let at = bin.indexOf(GO_MAGIC);
  while (at !== -1) {
    const flags = bin[at + 15] as number;
    if (flags & 2) {
      const [vlen, p1] = uvarint(bin, at + 32);
      if (vlen >= 0 && p1 + vlen <= bin.length) {
        const goVersion = bin.toString('utf8', p1, p1 + vlen);
        const [mlen, p2] = uvarint(bin, p1 + vlen);
        if (mlen >= 0 && p2 + mlen <= bin.length) {
          let modinfo = bin.toString('utf8', p2, p2 + mlen);
          // Sentinels of 16 bytes wrap the module info when it is present.
          if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n') modinfo = modinfo.slice(16, -16);
          return { goVersion, modinfo };
        }
      }
    }
    at = bin.indexOf(GO_MAGIC, at + 1);
  }
  return undefined;
}

/**
 * Go modules of an executable: the main module (when versioned), its dependencies (with
 * `=>` replacements applied) and the standard library as `stdlib` at the Go version.
 *
 * @example
 * parseGoBinary(readFileSync('/usr/local/bin/app'), 'usr/local/bin/app');
 */
export function parseGoBinary(bin: Buffer, path: string): FoundPackage[] {
  const info = readGoBuildInfo(bin);
  if (info === undefined) return [];
  const out: FoundPackage[] = [];
  const goVersion = info.goVersion.replace(/^go/, '').split(/\s/)[0] ?? '';
  if (goVersion !== '') out.push({ type: 'golang', name: 'stdlib', version: `v${goVersion}`, path });
  for (const line of info.modinfo.split('\n')) {
    const f = line.split('\t');
    if ((f[0] === 'mod' || f[0] === 'dep') && f[1] && f[2] && f[2] !== '(devel)') out.push({ type: 'golang', name: f[1], version: f[2], path });
    else if (f[0] === '=>' && f[1] && f[2] && out.length > 0) {
      // A replacement applies to the dep just above it.
      out[out.length - 1] = { type: 'golang', name: f[1], version: f[2], path };
    }
  }
  return out;
}

/** Contents of a named ELF section, or undefined (32- and 64-bit, either byte order). */
export function elfSection(bin: Buffer, name: string): Buffer | undefined {
  if (bin.length < 64 || !isElf(bin)) return undefined;
  const is64 = bin[4] === 2;
  const le = bin[5] === 1;
  const u16 = (o: number) => (le ? bin.readUInt16LE(o) : bin.readUInt16BE(o));
  const u32 = (o: number) => (le ? bin.readUInt32LE(o) : bin.readUInt32BE(o));
  const u64 = (o: number) => Number(le ? bin.readBigUInt64LE(o) : bin.readBigUInt64BE(o));
  const shoff = is64 ? u64(0x28) : u32(0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  if (shoff === 0 || shoff + shnum * shentsize > bin.length || shstrndx >= shnum) return undefined;
  const sec = (i: number) => {
    const b = shoff + i * shentsize;
    return is64 ? { name: u32(b), offset: u64(b + 0x18), size: u64(b + 0x20) } : { name: u32(b), offset: u32(b + 0x10), size: u32(b + 0x14) };
  };
  const strtab = sec(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const s = sec(i);
    const nameAt = strtab.offset + s.name;
    const end = bin.indexOf(0, nameAt);
    if (end === -1 || bin.toString('latin1', nameAt, end) !== name) continue;
    if (s.offset + s.size > bin.length) return undefined;
    return bin.subarray(s.offset, s.offset + s.size);
  }
  return undefined;
}

/** Largest inflated cargo-auditable JSON accepted (the format caps it at 8 MiB). */
const MAX_AUDIT_JSON = 8 << 20;

/**
 * Crates recorded by cargo-auditable in a Rust executable (build-only dependencies left out).
 *
 * @example
 * parseCargoAuditable(readFileSync('/usr/bin/rg'), 'usr/bin/rg');
 */
export function parseCargoAuditable(bin: Buffer, path: string): FoundPackage[] {
  const section = elfSection(bin, '.dep-v0');
  if (section === undefined) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(inflateSync(section, { maxOutputLength: MAX_AUDIT_JSON }).toString('utf8'));
  } catch {
    return [];
  }
  const pkgs = (doc as { packages?: unknown }).packages;
  if (!Array.isArray(pkgs)) return [];
  const out: FoundPackage[] = [];
  for (const p of pkgs as Record<string, unknown>[]) {
    if (typeof p.name !== 'string' || typeof p.version !== 'string' || p.kind === 'build') continue;
    // Local path crates (the binary itself, workspace members) have no registry identity.
    if (p.source !== undefined && p.source !== 'crates.io') continue;
    out.push({ type: 'cargo', name: p.name, version: p.version, path });
  }
  return out;
}

/** Both binary analysers over one ELF executable. */
export function parseExecutable(bin: Buffer, path: string): FoundPackage[] {
  if (!isElf(bin)) return [];
  const go = parseGoBinary(bin, path);
  return go.length > 0 ? go : parseCargoAuditable(bin, path);
}
