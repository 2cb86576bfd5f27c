/**
 * The image model shared by every source: manifests and indexes (OCI image spec and Docker
 * schema 2), platform selection and digest-verified blob streams.
 * https://github.com/opencontainers/image-spec/blob/main/manifest.md and image-index.md
 */
import { createHash } from 'node:crypto';
import { PalisadeError } from '../../core/errors.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

/** What a registry is asked for, in order of preference. */
export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(', ');

/** Largest manifest, index or config accepted (they are JSON documents of a few KiB). */
export const MAX_JSON_BYTES = 8 << 20;

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly size?: number;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One layer of a resolved image. */
export interface ImageLayer {
  /** Digest of the blob as stored (compressed), when the source has one. */
  readonly digest?: string;
  /** Uncompressed digest from the config's `rootfs.diff_ids`: the cache key. */
  readonly diffId: string;
  readonly size?: number;
  readonly mediaType?: string;
  /** Streams the blob; the stream throws at its end when the bytes do not match `digest`. */
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** An image ready to be analysed. */
export interface ResolvedImage {
  readonly ref: string;
  /** Manifest digest. */
  readonly digest?: string;
  readonly platform?: string;
  readonly created?: string;
  readonly layers: readonly ImageLayer[];
}

/**
 * Parses `os/arch[/variant]`.
 *
 * @example
 * parsePlatform('linux/arm64/v8'); // { os: 'linux', architecture: 'arm64', variant: 'v8' }
 */
export function parsePlatform(s: string): Platform {
  const [os, architecture, variant] = s.split('/');
  if (!os || !architecture || s.split('/').length > 3) throw new PalisadeError('usage', `--platform: "${s}" is not os/arch[/variant], e.g. linux/amd64`);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** The platform of this machine, as images name it (`linux/amd64`, `linux/arm64`). */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}

export function platformString(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** Checks bytes against a `sha256:` digest; other algorithms are refused rather than trusted. */
export function verifyDigest(bytes: Uint8Array, digest: string, what: string): void {
  const [alg, hex] = digest.split(':');
  if (alg !== 'sha256' && alg !== 'sha512') throw new PalisadeError('io', `${what}: unsupported digest algorithm in ${digest}`);
  const got = createHash(alg).update(bytes).digest('hex');
  if (got !== hex) throw new PalisadeError('io', `${what}: content digest ${alg}:${got} does not match ${digest}`);
}

/** Wraps a blob stream so it throws at its end when the bytes do not hash to `digest`. */
export async function* verified(stream: AsyncIterable<Uint8Array>, digest: string, what: string): AsyncGenerator<Uint8Array> {
  const [alg, hex] = digest.split(':');
  if (alg !== 'sha256' && alg !== 'sha512') throw new PalisadeError('io', `${what}: unsupported digest algorithm in ${digest}`);
  const h = createHash(alg);
  for await (const c of stream) {
    h.update(c);
    yield c;
  }
  const got = h.digest('hex');
  if (got !== hex) throw new PalisadeError('io', `${what}: blob digest ${alg}:${got} does not match ${digest}`);
}

export function parseJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new PalisadeError('io', `${what}: not JSON (${(e as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new PalisadeError('io', `${what}: not a JSON object`);
  return doc as Record<string, unknown>;
}

function descriptors(value: unknown, what: string): Descriptor[] {
  if (!Array.isArray(value)) throw new PalisadeError('io', `${what}: missing descriptor list`);
  return value.map((d, i) => {
    if (d === null || typeof d !== 'object' || typeof (d as Descriptor).digest !== 'string')
      throw new PalisadeError('io', `${what}: descriptor ${i} has no digest`);
    return d as Descriptor;
  });
}

/** Is this document an index (manifest list)? */
export function isIndex(doc: Record<string, unknown>, mediaType?: string): boolean {
  const mt = (doc.mediaType as string | undefined) ?? mediaType;
  return mt === MEDIA.ociIndex || mt === MEDIA.dockerList || (mt === undefined && Array.isArray(doc.manifests));
}

/**
 * Picks the manifest for a platform from an index; a variant is matched only when asked for
 * (`linux/arm64` takes `linux/arm64/v8`). Attestation manifests (`unknown/unknown`) are ignored.
 */
export function selectPlatform(index: Record<string, unknown>, want: Platform, what: string): Descriptor {
  const list = descriptors(index.manifests, what);
  const match = list.find(
    (d) =>
      d.platform &&
      d.platform.os === want.os &&
      d.platform.architecture === want.architecture &&
      (want.variant === undefined || d.platform.variant === want.variant),
  );
  if (match) return match;
  const have = list
    .filter((d) => d.platform && d.platform.os !== 'unknown')
    .map((d) => platformString(d.platform as Platform))
    .join(', ');
  throw new PalisadeError('usage', `${what}: no image for platform ${platformString(want)} (available: ${have || 'none listed'}); choose one with --platform`);
}

/** A parsed image manifest. */
export interface Manifest {
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

export function parseManifest(doc: Record<string, unknown>, what: string): Manifest {
  if (doc.schemaVersion === 1) throw new PalisadeError('io', `${what}: Docker schema 1 manifests are not supported (deprecated since 2017)`);
  const config = doc.config as Descriptor | undefined;
  if (config === undefined || typeof config.digest !== 'string') throw new PalisadeError('io', `${what}: manifest has no config descriptor`);
  return { config, layers: descriptors(doc.layers, what) };
}

/** The fields of an image config read here. */
export interface ImageConfig {
  readonly diffIds: readonly string[];
  readonly created?: string;
  readonly platform?: string;
}

export function parseConfig(doc: Record<string, unknown>, what: string): ImageConfig {
  const rootfs = doc.rootfs as { diff_ids?: unknown } | undefined;
  const ids = rootfs?.diff_ids;
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string' && /^sha256:[0-9a-f]{64}$/.test(x)))
    throw new PalisadeError('io', `${what}: image config has no valid rootfs.diff_ids`);
  const os = typeof doc.os === 'string' ? doc.os : undefined;
  const arch = typeof doc.architecture === 'string' ? doc.architecture : undefined;
  const variant = typeof doc.variant === 'string' ? doc.variant : undefined;
  return {
    diffIds: ids as string[],
    ...(typeof doc.created === 'string' ? { created: doc.created } : {}),
    ...(os && arch ? { platform: platformString({ os, architecture: arch, ...(variant ? { variant } : {}) }) } : {}),
  };
}

/** Reads a whole (small) stream, refusing more than `max` bytes. */
export async function readAll(stream: AsyncIterable<Uint8Array>, max: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    n += c.length;
    if (n > max) throw new PalisadeError('io', `${what}: larger than ${max} bytes`);
    chunks.push(Buffer.from(c));
  }
  return Buffer.concat(chunks, n);
}

/** A content-addressed store: an OCI layout directory, an archive, or a registry repository. */
export interface BlobStore {
  /** Human name for messages (`oci:/path`, `registry.example/app`). */
  readonly name: string;
  /** Streams a blob by digest (unverified: callers wrap it with `verified`). */
  blob(digest: string, mediaType?: string): Promise<AsyncIterable<Uint8Array>>;
}

/**
 * Resolves a manifest or index document (already digest-checked by the caller) to an image:
 * descends indexes by platform, verifies the config, and lists layers with their diff-ids.
 */
export async function resolveFrom(
  store: BlobStore,
  ref: string,
  root: { doc: Record<string, unknown>; digest: string; mediaType?: string },
  platform: Platform,
  fetchManifest: (d: Descriptor) => Promise<{ doc: Record<string, unknown>; digest: string }>,
): Promise<ResolvedImage> {
  let cur = root;
  for (let depth = 0; isIndex(cur.doc, cur.mediaType); depth++) {
    if (depth > 4) throw new PalisadeError('io', `${ref}: indexes nested more than 4 deep`);
    const d = selectPlatform(cur.doc, platform, ref);
    cur = { ...(await fetchManifest(d)), ...(d.mediaType ? { mediaType: d.mediaType } : {}) };
  }
  const manifest = parseManifest(cur.doc, `${ref} manifest ${cur.digest}`);
  const configBytes = await readAll(await store.blob(manifest.config.digest), MAX_JSON_BYTES, `${ref} config`);
  verifyDigest(configBytes, manifest.config.digest, `${ref} config`);
  const config = parseConfig(parseJson(configBytes, `${ref} config`), `${ref} config`);
  if (config.diffIds.length !== manifest.layers.length)
    throw new PalisadeError('io', `${ref}: manifest lists ${manifest.layers.length} layers but the config ${config.diffIds.length} diff-ids`);
  const layers: ImageLayer[] = manifest.layers.map((l, i) => ({
    digest: l.digest,
    diffId: config.diffIds[i] as string,
    ...(l.size !== undefined ? { size: l.size } : {}),
    ...(l.mediaType ? { mediaType: l.mediaType } : {}),
    open: async () => verified(await store.blob(l.digest, l.mediaType), l.digest, `${ref} layer ${i + 1}`),
  }));
  return {
    ref,
    digest: cur.digest,
    ...(config.platform ? { platform: config.platform } : {}),
    ...(config.created ? { created: config.created } : {}),
    layers,
  };
}
