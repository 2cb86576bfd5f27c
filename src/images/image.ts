/**
 * Scanning one image: resolve the target (directory, archive or registry reference), analyse
 * each layer once (or take it from the cache), merge, and build the inventory.
 */
import { existsSync, statSync } from 'node:fs';
import { PalisadeError } from '../core/errors.js';
import type { ImageInventory } from '../packages/packages.js';
import type { LayerCache } from './cache.js';
import { buildInventory, mergeLayers } from './inventory.js';
import { analyzeLayer, DEFAULT_MAX_FILE_BYTES, type LayerLimits, type LayerResult } from './layer.js';
import { openArchive, openOciLayout } from './sources/local.js';
import { hostPlatform, parsePlatform, type ResolvedImage } from './sources/oci.js';
import { openRegistryImage, type RegistryOptions } from './sources/registry.js';

/** Options of an image scan. */
export interface ImageScanOptions extends RegistryOptions, LayerLimits {
  /** `os/arch[/variant]` to pick from a multi-platform image. Default: this machine's (`linux/amd64` on x64). */
  readonly platform?: string;
  /** Layer cache; none when undefined. */
  readonly cache?: LayerCache;
  /** Layers analysed at once (gzip inflates on libuv's thread pool, so 2 overlap). Default 2. */
  readonly layerConcurrency?: number;
}

/** What scanning one image produced. */
export interface ImageScanResult {
  readonly inventory: ImageInventory;
  readonly layers: readonly { readonly diffId: string; readonly cached: boolean; readonly bytes: number }[];
  /** Files an analyser wanted but that were over the byte cap (and so not analysed). */
  readonly skipped: readonly { readonly path: string; readonly size: number }[];
}

type Target = { kind: 'oci'; path: string; tag?: string } | { kind: 'archive'; path: string; tag?: string } | { kind: 'registry'; ref: string };

function splitTag(spec: string): { path: string; tag?: string } {
  if (existsSync(spec)) return { path: spec };
  // The tag may itself hold colons (`FILE:repo:tag`): the path is the shortest prefix that exists.
  for (let colon = spec.indexOf(':'); colon > 0; colon = spec.indexOf(':', colon + 1))
    if (existsSync(spec.slice(0, colon))) return { path: spec.slice(0, colon), tag: spec.slice(colon + 1) };
  return { path: spec };
}

/**
 * How a target is read: `oci:DIR[:name]`, `oci-archive:FILE[:tag]`, `docker-archive:FILE[:tag]`,
 * `docker://REF`, `registry:REF`; without a prefix, an existing directory is an OCI layout, an
 * existing file an archive, and anything else a registry reference.
 *
 * @example
 * parseTarget('docker://nginx:1.27'); // { kind: 'registry', ref: 'nginx:1.27' }
 */
export function parseTarget(target: string): Target {
  const m = /^(oci|oci-archive|docker-archive|docker|registry):(?:\/\/)?(.*)$/.exec(target);
  if (m) {
    const rest = m[2] as string;
    if (m[1] === 'docker' || m[1] === 'registry') return { kind: 'registry', ref: rest };
    const { path, tag } = splitTag(rest);
    if (!existsSync(path)) throw new PalisadeError('path-not-found', `${target}: ${path} does not exist`);
    return { kind: m[1] === 'oci' ? 'oci' : 'archive', path, ...(tag ? { tag } : {}) };
  }
  const { path, tag } = splitTag(target);
  if (existsSync(path)) return { kind: statSync(path).isDirectory() ? 'oci' : 'archive', path, ...(tag ? { tag } : {}) };
  if (target.startsWith('.') || target.startsWith('/') || target.endsWith('.tar'))
    throw new PalisadeError('path-not-found', `${target}: no such file or directory`);
  return { kind: 'registry', ref: target };
}

/**
 * Resolves a target to an image (manifest, config and layer list; no layer is read yet).
 *
 * @example
 * const image = await openImage('127.0.0.1:5000/app:1.0', { platform: 'linux/arm64' });
 */
export async function openImage(target: string, options: ImageScanOptions = {}): Promise<ResolvedImage> {
  const platform = options.platform !== undefined ? parsePlatform(options.platform) : hostPlatform();
  const t = parseTarget(target);
  if (t.kind === 'oci') return openOciLayout(t.path, t.tag, platform);
  if (t.kind === 'archive') return openArchive(t.path, t.tag, platform);
  return openRegistryImage(t.ref, platform, options);
}

async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/**
 * Analyses a resolved image: each layer streamed once (verified against its digest and diff-id)
 * unless the cache has it, then merged bottom-up into an inventory.
 */
export async function analyzeImage(image: ResolvedImage, options: ImageScanOptions = {}, ref: string = image.ref): Promise<ImageScanResult> {
  const maxFile = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const layers = await inPool(image.layers, options.layerConcurrency ?? 2, async (layer, i) => {
    const hit = await options.cache?.get(layer.diffId, maxFile);
    if (hit) return { diffId: layer.diffId, result: hit, cached: true };
    const result: LayerResult = await analyzeLayer(await layer.open(), {
      ...options,
      expectedDiffId: layer.diffId,
      label: `${image.ref} layer ${i + 1} (${layer.diffId.slice(0, 19)})`,
    });
    await options.cache?.put(layer.diffId, maxFile, result);
    return { diffId: layer.diffId, result, cached: false };
  });
  await options.cache?.evict();
  const inventory = buildInventory(
    {
      ref,
      ...(image.digest ? { digest: image.digest } : {}),
      ...(image.platform ? { platform: image.platform } : {}),
      ...(image.created ? { created: image.created } : {}),
    },
    mergeLayers(layers),
  );
  return {
    inventory,
    layers: layers.map((l) => ({ diffId: l.diffId, cached: l.cached, bytes: l.result.bytes })),
    skipped: layers.flatMap((l) => l.result.skipped),
  };
}

/**
 * Scans one image: `palisade image` in a function.
 *
 * @example
 * const { inventory } = await scanImage('oci:./build/app-oci');
 * inventory.packages.length; // 137
 */
export async function scanImage(target: string, options: ImageScanOptions = {}): Promise<ImageScanResult> {
  const image = await openImage(target, options);
  return analyzeImage(image, options, target);
}
