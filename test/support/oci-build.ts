/**
 * TEST UTILITY: builds container images by hand, without a Docker engine: tar layers (ustar
 * with pax records for long names), gzip or zstd compression, OCI configs, manifests and
 * indexes; writes them as an OCI layout, an oci-archive, a `docker save` tar, or pushes them to
 * a registry over the HTTP API v2.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One tar entry to write. */
export interface TarFile {
  readonly path: string;
  readonly data?: string | Uint8Array;
  readonly type?: 'file' | 'dir' | 'symlink';
  readonly mode?: number;
  readonly linkname?: string;
}

function octal(n: number, len: number): string {
  return `${n.toString(8).padStart(len - 1, '0')}\0`;
}

function header(name: string, size: number, flag: string, mode: number, linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136);
  h.write('        ', 148);
  h.write(flag, 156);
  h.write(linkname.slice(0, 100), 157);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7), 148);
  h[155] = 0x20;
  return h;
}

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512);
}

/** An uncompressed tar of the entries, in order (long paths get a pax `path` record). */
export function tarOf(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const data = f.data === undefined ? Buffer.alloc(0) : Buffer.from(f.data);
    if (Buffer.byteLength(f.path) > 99) {
      const rec = (len: number) => `${len} path=${f.path}\n`;
      let len = rec(0).length;
      while (rec(len).length !== len) len = rec(len).length;
      const pax = Buffer.from(rec(len));
      parts.push(header('PaxHeader', pax.length, 'x', 0o644), pax, pad(pax.length));
    }
    const flag = f.type === 'dir' ? '5' : f.type === 'symlink' ? '2' : '0';
    const size = flag === '0' ? data.length : 0;
    parts.push(header(f.path, size, flag, f.mode ?? (f.type === 'dir' ? 0o755 : 0o644), f.linkname ?? ''));
    if (size > 0) parts.push(data, pad(size));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A valid zstd frame holding the bytes in raw (stored) blocks: RFC 8878 sections 3.1.1 and 3.1.1.2. */
export function zstdRaw(data: Uint8Array): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from([0x00, 0x58])];
  // Frame header descriptor 0x00: no checksum, no content size, window descriptor follows (0x58 = 2 MiB window).
  const BLOCK = 128 * 1024 - 1;
  let at = 0;
  do {
    const n = Math.min(BLOCK, data.length - at);
    const last = at + n >= data.length ? 1 : 0;
    const h = (n << 3) | (0 << 1) | last;
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), Buffer.from(data.subarray(at, at + n)));
    at += n;
  } while (at < data.length);
  return Buffer.concat(parts);
}

export function sha256(b: Uint8Array): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

export type Compression = 'gzip' | 'zstd' | 'none';

const LAYER_MEDIA: Record<Compression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

/** A built image: its blobs by digest, manifest bytes and digest. */
export interface BuiltImage {
  readonly blobs: Map<string, Buffer>;
  readonly manifest: Buffer;
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly layerTars: readonly Buffer[];
  readonly diffIds: readonly string[];
  readonly platform: { os: string; architecture: string; variant?: string };
}

/** Builds an OCI image from uncompressed layer tars. */
export function buildImage(
  layers: readonly (Buffer | { tar: Buffer; compression: Compression })[],
  opts: { compression?: Compression; platform?: { os: string; architecture: string; variant?: string }; created?: string } = {},
): BuiltImage {
  const platform = opts.platform ?? { os: 'linux', architecture: 'amd64' };
  const blobs = new Map<string, Buffer>();
  const descs: { mediaType: string; digest: string; size: number }[] = [];
  const diffIds: string[] = [];
  const tars: Buffer[] = [];
  for (const l of layers) {
    const tar = Buffer.isBuffer(l) ? l : l.tar;
    const c = Buffer.isBuffer(l) ? (opts.compression ?? 'gzip') : l.compression;
    const blob = c === 'gzip' ? gzipSync(tar) : c === 'zstd' ? zstdRaw(tar) : tar;
    const d = sha256(blob);
    blobs.set(d, blob);
    descs.push({ mediaType: LAYER_MEDIA[c], digest: d, size: blob.length });
    diffIds.push(sha256(tar));
    tars.push(tar);
  }
  const config = Buffer.from(
    JSON.stringify({
      created: opts.created ?? '2026-01-15T10:00:00Z',
      ...platform,
      config: {},
      rootfs: { type: 'layers', diff_ids: diffIds },
    }),
  );
  const configDigest = sha256(config);
  blobs.set(configDigest, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: descs,
    }),
  );
  const manifestDigest = sha256(manifest);
  blobs.set(manifestDigest, manifest);
  return { blobs, manifest, manifestDigest, configDigest, layerTars: tars, diffIds, platform };
}

/** An OCI index over several images (one per platform). */
export function buildIndex(images: readonly BuiltImage[]): { index: Buffer; digest: string } {
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: images.map((i) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: i.manifestDigest,
        size: i.manifest.length,
        platform: i.platform,
      })),
    }),
  );
  return { index, digest: sha256(index) };
}

/** Writes an OCI image layout directory holding the images (and an optional index as the only entry). */
export function writeOciLayout(dir: string, images: readonly BuiltImage[], opts: { index?: { index: Buffer; digest: string }; name?: string } = {}): void {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  for (const img of images) for (const [d, b] of img.blobs) writeFileSync(join(dir, 'blobs', 'sha256', d.slice(7)), b);
  const ann = opts.name ? { annotations: { 'org.opencontainers.image.ref.name': opts.name } } : {};
  if (opts.index) writeFileSync(join(dir, 'blobs', 'sha256', opts.index.digest.slice(7)), opts.index.index);
  const manifests = opts.index
    ? [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: opts.index.digest, size: opts.index.index.length, ...ann }]
    : images.map((i) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: i.manifestDigest, size: i.manifest.length, ...ann }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

/** A tar of an OCI layout (an `oci-archive`). */
export function ociArchiveOf(images: readonly BuiltImage[], name?: string): Buffer {
  const files: TarFile[] = [{ path: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' }];
  for (const img of images) for (const [d, b] of img.blobs) files.push({ path: `blobs/sha256/${d.slice(7)}`, data: b });
  const ann = name ? { annotations: { 'org.opencontainers.image.ref.name': name } } : {};
  files.push({
    path: 'index.json',
    data: JSON.stringify({
      schemaVersion: 2,
      manifests: images.map((i) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: i.manifestDigest, size: i.manifest.length, ...ann })),
    }),
  });
  return tarOf(files);
}

/** A `docker save` tar in the classic layout (`<id>/layer.tar`, uncompressed, `<config hex>.json`). */
export function dockerSaveOf(img: BuiltImage, tag: string): Buffer {
  const config = img.blobs.get(img.configDigest) as Buffer;
  const files: TarFile[] = [];
  const layerPaths = img.layerTars.map((t, i) => {
    const p = `${createHash('sha256').update(`layer${i}`).digest('hex')}/layer.tar`;
    files.push({ path: p, data: t });
    return p;
  });
  files.push({ path: `${img.configDigest.slice(7)}.json`, data: config });
  files.push({ path: 'manifest.json', data: JSON.stringify([{ Config: `${img.configDigest.slice(7)}.json`, RepoTags: [tag], Layers: layerPaths }]) });
  return tarOf(files);
}

/** Pushes an image (and optionally an index over several) to a registry: monolithic blob uploads, then manifests. */
export async function pushImage(
  base: string,
  repo: string,
  tag: string,
  images: readonly BuiltImage[],
  opts: { authorization?: () => Promise<string | undefined>; index?: { index: Buffer; digest: string } } = {},
): Promise<void> {
  const auth = async (): Promise<Record<string, string>> => {
    const a = await opts.authorization?.();
    return a ? { authorization: a } : {};
  };
  for (const img of images) {
    for (const [digest, blob] of img.blobs) {
      if (digest === img.manifestDigest) continue;
      const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: await auth() });
      if (start.status !== 202) throw new Error(`upload start: HTTP ${start.status} ${await start.text()}`);
      const loc = new URL(start.headers.get('location') as string, base);
      loc.searchParams.set('digest', digest);
      const put = await fetch(loc, { method: 'PUT', body: blob, headers: { ...(await auth()), 'content-type': 'application/octet-stream' } });
      if (put.status !== 201) throw new Error(`upload ${digest}: HTTP ${put.status} ${await put.text()}`);
    }
    const ref = opts.index ? img.manifestDigest : tag;
    const res = await fetch(`${base}/v2/${repo}/manifests/${ref}`, {
      method: 'PUT',
      body: img.manifest,
      headers: { ...(await auth()), 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    });
    if (res.status !== 201) throw new Error(`manifest: HTTP ${res.status} ${await res.text()}`);
  }
  if (opts.index) {
    const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
      method: 'PUT',
      body: opts.index.index,
      headers: { ...(await auth()), 'content-type': 'application/vnd.oci.image.index.v1+json' },
    });
    if (res.status !== 201) throw new Error(`index: HTTP ${res.status} ${await res.text()}`);
  }
}

/** Root filesystems used by several tests. */
export const ROOTFS = {
  debianOsRelease: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
  dpkgStatus: [
    'Package: libcurl4\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nSource: curl\nVersion: 7.88.1-10+deb12u5\nDescription: easy-to-use client-side URL transfer library\n multi-line description\n',
    'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl (3.0.11-1~deb12u2)\nVersion: 3.0.11-1~deb12u2\n',
    'Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\nSource: bash (5.2.15-2)\n',
    'Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2024a-0+deb12u1\n',
    'Package: oldpkg\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0-1\n',
  ].join('\n'),
  alpineOsRelease: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
  apkInstalled: [
    'C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nS:383152\nI:622592\nT:the musl c library\nL:MIT\no:musl\nF:lib\nR:libc.musl-x86_64.so.1\n',
    'P:libcrypto3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\n',
    'P:busybox-binsh\nV:1.36.1-r15\nA:x86_64\nL:GPL-2.0-only\no:busybox\n',
  ].join('\n'),
};
