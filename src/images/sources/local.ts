/**
 * Images on disk: an OCI image-layout directory, an `oci-archive` tar (the same layout in a
 * tar), and a `docker save` tar (`manifest.json` naming the config and layer files). Tars are
 * indexed by header and blobs streamed from their offsets: nothing is extracted.
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PalisadeError } from '../../core/errors.js';
import { indexTarFile, type TarIndexEntry } from '../tar.js';
import {
  type BlobStore,
  type Descriptor,
  type ImageLayer,
  MAX_JSON_BYTES,
  type Platform,
  parseConfig,
  parseJson,
  type ResolvedImage,
  readAll,
  resolveFrom,
  verified,
  verifyDigest,
} from './oci.js';

const READ_CHUNK = 1 << 20;

function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  if (!alg || !hex || !/^[a-z0-9]+$/.test(alg) || !/^[a-f0-9]+$/.test(hex)) throw new PalisadeError('io', `invalid digest "${digest}"`);
  return `blobs/${alg}/${hex}`;
}

class DirStore implements BlobStore {
  constructor(readonly dir: string) {}
  get name(): string {
    return `oci:${this.dir}`;
  }
  async blob(digest: string): Promise<AsyncIterable<Uint8Array>> {
    const p = join(this.dir, blobPath(digest));
    try {
      await stat(p);
    } catch {
      throw new PalisadeError('io', `${this.name}: blob ${digest} is missing`);
    }
    return createReadStream(p, { highWaterMark: READ_CHUNK });
  }
}

class TarStore implements BlobStore {
  constructor(
    readonly file: string,
    readonly index: Map<string, TarIndexEntry>,
  ) {}
  get name(): string {
    return this.file;
  }
  has(path: string): boolean {
    return this.index.has(path);
  }
  async file_(path: string): Promise<AsyncIterable<Uint8Array>> {
    const e = this.index.get(path);
    if (e === undefined) throw new PalisadeError('io', `${this.file}: ${path} is missing from the archive`);
    if (e.size === 0) return (async function* () {})();
    return createReadStream(this.file, { start: e.offset, end: e.offset + e.size - 1, highWaterMark: READ_CHUNK });
  }
  async blob(digest: string): Promise<AsyncIterable<Uint8Array>> {
    return this.file_(blobPath(digest));
  }
}

/** Picks the manifest of an OCI layout's index.json: by `ref.name` annotation, else by platform, else the only one. */
async function resolveLayout(store: BlobStore, indexBytes: Buffer, ref: string, tag: string | undefined, platform: Platform): Promise<ResolvedImage> {
  const index = parseJson(indexBytes, `${ref} index.json`);
  const list = (Array.isArray(index.manifests) ? index.manifests : []) as Descriptor[];
  const fetchManifest = async (d: Descriptor) => {
    const bytes = await readAll(await store.blob(d.digest), MAX_JSON_BYTES, `${ref} manifest`);
    verifyDigest(bytes, d.digest, `${ref} manifest`);
    return { doc: parseJson(bytes, `${ref} manifest ${d.digest}`), digest: d.digest };
  };
  let chosen: Descriptor | undefined;
  if (tag !== undefined) {
    chosen = list.find((d) => d.annotations?.['org.opencontainers.image.ref.name'] === tag);
    if (!chosen) {
      const names = list.map((d) => d.annotations?.['org.opencontainers.image.ref.name']).filter(Boolean);
      throw new PalisadeError('usage', `${ref}: no manifest named "${tag}" in index.json (names: ${names.join(', ') || 'none'})`);
    }
  } else if (list.length === 1) chosen = list[0];
  if (chosen === undefined) {
    // Several manifests without a name: treat index.json itself as an index and select by platform.
    return resolveFrom(store, ref, { doc: index, digest: '' }, platform, fetchManifest);
  }
  const root = await fetchManifest(chosen);
  return resolveFrom(store, ref, { ...root, ...(chosen.mediaType ? { mediaType: chosen.mediaType } : {}) }, platform, fetchManifest);
}

/**
 * Opens an OCI image-layout directory (`DIR` or `DIR:name` to pick a manifest by its
 * `org.opencontainers.image.ref.name`).
 *
 * @example
 * const image = await openOciLayout('./app-oci', undefined, { os: 'linux', architecture: 'amd64' });
 */
export async function openOciLayout(dir: string, tag: string | undefined, platform: Platform): Promise<ResolvedImage> {
  let indexBytes: Buffer;
  try {
    indexBytes = await readFile(join(dir, 'index.json'));
  } catch {
    throw new PalisadeError('usage', `${dir}: not an OCI image layout (no index.json)`);
  }
  return resolveLayout(new DirStore(dir), indexBytes, `oci:${dir}`, tag, platform);
}

/**
 * Opens a tar: a `docker save` archive (has `manifest.json`) or an `oci-archive` (has
 * `index.json` and `oci-layout`). `tag` picks an image by `RepoTags` or `ref.name`.
 *
 * @example
 * const image = await openArchive('image.tar', undefined, { os: 'linux', architecture: 'amd64' });
 */
export async function openArchive(file: string, tag: string | undefined, platform: Platform): Promise<ResolvedImage> {
  const store = new TarStore(file, await indexTarFile(file));
  if (store.has('manifest.json')) return openDockerSave(store, tag);
  if (store.has('index.json')) {
    const bytes = await readAll(await store.file_('index.json'), MAX_JSON_BYTES, `${file} index.json`);
    return resolveLayout(store, bytes, `oci-archive:${file}`, tag, platform);
  }
  throw new PalisadeError('usage', `${file}: neither a docker save archive (manifest.json) nor an OCI archive (index.json)`);
}

async function openDockerSave(store: TarStore, tag: string | undefined): Promise<ResolvedImage> {
  const file = store.file;
  const bytes = await readAll(await store.file_('manifest.json'), MAX_JSON_BYTES, `${file} manifest.json`);
  let list: unknown;
  try {
    list = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new PalisadeError('io', `${file}: manifest.json is not JSON`);
  }
  if (!Array.isArray(list) || list.length === 0) throw new PalisadeError('io', `${file}: manifest.json lists no image`);
  const entries = list as { Config?: string; RepoTags?: string[]; Layers?: string[] }[];
  let entry = entries[0];
  if (tag !== undefined) {
    entry = entries.find((e) => e.RepoTags?.some((t) => t === tag || t.endsWith(`/${tag}`) || t.split(':')[1] === tag));
    if (!entry) throw new PalisadeError('usage', `${file}: no image tagged "${tag}" (tags: ${entries.flatMap((e) => e.RepoTags ?? []).join(', ') || 'none'})`);
  } else if (entries.length > 1) {
    throw new PalisadeError(
      'usage',
      `${file} holds ${entries.length} images: pick one with ${file}:TAG (tags: ${entries.flatMap((e) => e.RepoTags ?? []).join(', ')})`,
    );
  }
  if (!entry || typeof entry.Config !== 'string' || !Array.isArray(entry.Layers))
    throw new PalisadeError('io', `${file}: manifest.json entry has no Config or Layers`);
  const configBytes = await readAll(await store.file_(entry.Config), MAX_JSON_BYTES, `${file} config`);
  // Config files are named by their digest (`<hex>.json` or `blobs/sha256/<hex>`): check it.
  const hex = /([a-f0-9]{64})(?:\.json)?$/.exec(entry.Config)?.[1];
  if (hex) verifyDigest(configBytes, `sha256:${hex}`, `${file} config`);
  const config = parseConfig(parseJson(configBytes, `${file} config`), `${file} config`);
  if (config.diffIds.length !== entry.Layers.length)
    throw new PalisadeError('io', `${file}: ${entry.Layers.length} layers but ${config.diffIds.length} diff-ids`);
  const layers: ImageLayer[] = entry.Layers.map((path, i) => {
    const blobHex = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(path)?.[1];
    return {
      ...(blobHex ? { digest: `sha256:${blobHex}` } : {}),
      diffId: config.diffIds[i] as string,
      open: async () => {
        const s = await store.file_(path);
        // Named blobs are checked against their name; legacy `<id>/layer.tar` files by the diff-id.
        return blobHex ? verified(s, `sha256:${blobHex}`, `${file} layer ${i + 1}`) : s;
      },
    };
  });
  return {
    ref: `docker-archive:${file}${tag ? `:${tag}` : ''}`,
    ...(config.platform ? { platform: config.platform } : {}),
    ...(config.created ? { created: config.created } : {}),
    layers,
  };
}
