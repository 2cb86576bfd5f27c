/**
 * Layers merged bottom-up into what a container sees (whiteouts and opaque directories applied,
 * the last writer of a path wins), then turned into the `ImageInventory` contract.
 * Whiteout semantics: https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts
 */
import type { ImageInventory, InstalledPackage, OsRelease } from '../packages/packages.js';
import type { FileAnalysis } from './analyzers/types.js';
import type { LayerResult } from './layer.js';
import { toInstalled } from './purl.js';

/** A surviving analysed file and the layer that wrote it. */
export interface MergedFile {
  readonly analysis: FileAnalysis;
  readonly layer: string;
}

function dropUnder(files: Map<string, MergedFile>, dir: string): void {
  if (dir === '') {
    files.clear();
    return;
  }
  const prefix = `${dir}/`;
  for (const k of files.keys()) if (k.startsWith(prefix)) files.delete(k);
}

/**
 * Applies layers in order (lowest first): a layer's opaque directories and whiteouts hide what
 * lower layers put there, then its own files are added.
 *
 * @example
 * mergeLayers([{ diffId: 'sha256:a', result: base }, { diffId: 'sha256:b', result: top }]).get('var/lib/dpkg/status')?.layer;
 */
export function mergeLayers(layers: readonly { readonly diffId: string; readonly result: LayerResult }[]): Map<string, MergedFile> {
  const files = new Map<string, MergedFile>();
  for (const { diffId, result } of layers) {
    for (const dir of result.opaque) dropUnder(files, dir);
    for (const w of result.whiteouts) {
      files.delete(w);
      dropUnder(files, w);
    }
    for (const r of result.removed) files.delete(r);
    for (const [path, analysis] of Object.entries(result.files)) files.set(path, { analysis, layer: diffId });
  }
  return files;
}

/** The image's metadata besides its layers. */
export interface ImageFacts {
  readonly ref: string;
  readonly digest?: string;
  readonly platform?: string;
  readonly created?: string;
}

/**
 * The inventory of a merged image: distro from `etc/os-release` (else `usr/lib/os-release`),
 * every package with its location and the layer that added it.
 *
 * @example
 * const inv = buildInventory({ ref: 'debian:12' }, mergeLayers(layers));
 */
export function buildInventory(facts: ImageFacts, files: ReadonlyMap<string, MergedFile>): ImageInventory {
  const os: OsRelease | undefined = files.get('etc/os-release')?.analysis.os ?? files.get('usr/lib/os-release')?.analysis.os;
  const packages: InstalledPackage[] = [];
  const seen = new Set<string>();
  const paths = [...files.keys()].sort();
  for (const path of paths) {
    const f = files.get(path) as MergedFile;
    for (const p of f.analysis.packages ?? []) {
      const key = `${p.type}\0${p.name}\0${p.version}\0${p.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      packages.push(toInstalled(p, os, [{ path: p.path, layer: f.layer }]));
    }
  }
  return {
    ref: facts.ref,
    ...(facts.digest ? { digest: facts.digest } : {}),
    ...(facts.platform ? { platform: facts.platform } : {}),
    ...(facts.created ? { created: facts.created } : {}),
    ...(os ? { os } : {}),
    packages,
  };
}
