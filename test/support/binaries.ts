/**
 * TEST UTILITY: the binary fixtures analysers read, written by hand: zip archives (jars),
 * minimal ELF executables with a Go build-info blob or a cargo-auditable `.dep-v0` section,
 * and rpm header blobs for an rpmdb.sqlite.
 */
import { deflateRawSync, deflateSync } from 'node:zlib';

/** A zip (deflated members) of the files, in order. */
export function zipOf(files: readonly { name: string; data: string | Uint8Array; store?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const raw = Buffer.from(f.data);
    const data = f.store ? raw : deflateRawSync(raw);
    const name = Buffer.from(f.name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(f.store ? 0 : 8, 8);
    lh.writeUInt32LE(0, 14); // CRC not checked by readers of metadata; zeros are accepted here
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(raw.length, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(f.store ? 0 : 8, 10);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(raw.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** A minimal 64-bit little-endian ELF with named sections (enough for section lookup). */
export function elfWithSections(sections: readonly { name: string; data: Buffer }[], filler = Buffer.alloc(0)): Buffer {
  const names = Buffer.concat([Buffer.from('\0.shstrtab\0'), ...sections.map((s) => Buffer.from(`${s.name}\0`))]);
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(header);
  let at = 64 + filler.length;
  const offsets: number[] = [];
  const bodies: Buffer[] = [filler];
  for (const s of sections) {
    offsets.push(at);
    bodies.push(s.data);
    at += s.data.length;
  }
  const strtabAt = at;
  bodies.push(names);
  at += names.length;
  const shoff = at;
  const count = sections.length + 2;
  const sh = Buffer.alloc(64 * count);
  let nameOff = '\0.shstrtab\0'.length;
  sections.forEach((s, i) => {
    const b = 64 * (i + 1);
    sh.writeUInt32LE(nameOff, b);
    sh.writeBigUInt64LE(BigInt(offsets[i] as number), b + 0x18);
    sh.writeBigUInt64LE(BigInt(s.data.length), b + 0x20);
    nameOff += s.name.length + 1;
  });
  const sb = 64 * (count - 1);
  sh.writeUInt32LE(1, sb);
  sh.writeBigUInt64LE(BigInt(strtabAt), sb + 0x18);
  sh.writeBigUInt64LE(BigInt(names.length), sb + 0x20);
  header.writeBigUInt64LE(BigInt(shoff), 0x28);
  header.writeUInt16LE(64, 0x3a);
  header.writeUInt16LE(count, 0x3c);
  header.writeUInt16LE(count - 1, 0x3e);
  return Buffer.concat([header, ...bodies, sh]);
}

/** An ELF holding a Go >= 1.18 build-info blob (inline strings) in `.go.buildinfo`. */
export function goBinary(goVersion: string, modinfo: string): Buffer {
  const head = Buffer.alloc(32);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(head);
  head[14] = 8;
  head[15] = 2;
  const sentinel = Buffer.alloc(16, 0x30);
  sentinel[15] = 0x0a;
  // Go wraps the module info (which ends with a newline) in two 16-byte sentinels.
  const mod = Buffer.concat([sentinel, Buffer.from(modinfo.endsWith('\n') ? modinfo : `${modinfo}\n`), Buffer.alloc(16, 0x31)]);
  const v = Buffer.from(goVersion);
  const blob = Buffer.concat([head, uvarint(v.length), v, uvarint(mod.length), mod]);
  return elfWithSections([{ name: '.go.buildinfo', data: blob }], Buffer.alloc(100, 0x90));
}

/** An ELF with cargo-auditable data. */
export function rustBinary(packages: readonly Record<string, unknown>[]): Buffer {
  return elfWithSections([
    { name: '.text', data: Buffer.alloc(64, 0xc3) },
    { name: '.dep-v0', data: deflateSync(JSON.stringify({ packages })) },
  ]);
}

/** An rpm header blob (as rpmdb.sqlite stores it) with string tags and an optional epoch. */
export function rpmHeader(tags: Record<number, string>, epoch?: number): Buffer {
  const entries: Buffer[] = [];
  const store: Buffer[] = [];
  let off = 0;
  const add = (tag: number, type: number, data: Buffer) => {
    const e = Buffer.alloc(16);
    e.writeInt32BE(tag, 0);
    e.writeUInt32BE(type, 4);
    e.writeInt32BE(off, 8);
    e.writeUInt32BE(1, 12);
    entries.push(e);
    store.push(data);
    off += data.length;
  };
  if (epoch !== undefined) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(epoch);
    add(1003, 4, b);
  }
  for (const [tag, value] of Object.entries(tags)) add(Number(tag), 6, Buffer.from(`${value}\0`));
  const data = Buffer.concat(store);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(entries.length, 0);
  head.writeUInt32BE(data.length, 4);
  return Buffer.concat([head, ...entries, data]);
}
