/**
 * `scan --images`: every image of every workload resolved, deduplicated by manifest digest,
 * scanned once with bounded concurrency, before the engine runs; the results become the
 * engine's `images` and `vulnerabilities` model inputs ({@link imageInputs}), which the catalogue
 * checks PAL-1000 to PAL-1003 read through the `images` model. Vulnerability matching is
 * injected (`match`), so this module does not depend on the vulnerability database.
 */
import type { Inventory } from '../core/inventory.js';
import type { ModelInputs } from '../core/models.js';
import type { Resource } from '../core/types.js';
import type { ScannedImage } from '../image-scan/model.js';
import { containersOf, podSpecsOf } from '../core/workloads.js';
import type { ImageInventory, PackageVulnerability } from '../packages/packages.js';
import { analyzeImage, type ImageScanOptions, openImage } from './image.js';

/** One container running an image. */
export interface ImageUse {
  readonly image: string;
  readonly resource: Resource;
  readonly container: string;
  /** Pointer to the container's `image` field. */
  readonly pointer: string;
}

/**
 * Every container image of every workload. Pods and ReplicaSets owned by a controller are left
 * out when their owner is in the inventory (the finding belongs on the Deployment, not on each Pod).
 *
 * @example
 * imageUses(inventory).map((u) => u.image); // ['nginx:1.27', 'ghcr.io/org/api@sha256:...']
 */
export function imageUses(inventory: Inventory): ImageUse[] {
  const out: ImageUse[] = [];
  const present = new Set<string>();
  for (const r of inventory.all) present.add(`${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name}`);
  for (const r of inventory.all) {
    const owners = (r.object.metadata as { ownerReferences?: { kind?: string; name?: string }[] } | undefined)?.ownerReferences ?? [];
    if (owners.some((o) => present.has(`${o.kind}/${r.ref.namespace ?? ''}/${o.name}`))) continue;
    for (const pod of podSpecsOf(r))
      for (const c of containersOf(pod)) {
        const image = c.container.image;
        if (typeof image === 'string' && image.trim() !== '') out.push({ image: image.trim(), resource: r, container: c.name, pointer: `${c.pointer}/image` });
      }
  }
  return out;
}

export type { ScannedImage } from '../image-scan/model.js';

/** How `scanImages` words a matching failure (the image itself was read). */
const MATCH_FAILED = 'vulnerability matching failed: ';

/** Options of `scanImages`. */
export interface ScanImagesOptions extends ImageScanOptions {
  /** Matches an inventory against a vulnerability database; without it, no vulnerability findings. */
  readonly match?: (inventory: ImageInventory) => Promise<readonly PackageVulnerability[]>;
  /** Images resolved and analysed at once. Default 3. */
  readonly concurrency?: number;
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Scans images by reference: each resolved to its manifest digest, each digest analysed (and
 * matched) once however many references name it. Failures are recorded per image, never thrown.
 *
 * @example
 * const results = await scanImages(['nginx:1.27', 'nginx@sha256:...'], { match: (inv) => matcher.match(inv) });
 * results.get('nginx:1.27')?.vulnerabilities?.length;
 */
export async function scanImages(refs: readonly string[], options: ScanImagesOptions = {}): Promise<Map<string, ScannedImage>> {
  const unique = [...new Set(refs)];
  const limit = options.concurrency ?? 3;
  const resolved = new Map<string, Awaited<ReturnType<typeof openImage>> | { error: string }>();
  await pool(unique, limit, async (ref) => {
    try {
      resolved.set(ref, await openImage(ref, options));
    } catch (e) {
      resolved.set(ref, { error: (e as Error).message });
    }
  });
  // One analysis per digest: references by tag and by digest of the same image share it.
  const byDigest = new Map<string, string[]>();
  for (const [ref, r] of resolved) {
    const key = 'error' in r ? `error:${ref}` : (r.digest ?? `ref:${ref}`);
    byDigest.set(key, [...(byDigest.get(key) ?? []), ref]);
  }
  const out = new Map<string, ScannedImage>();
  await pool([...byDigest.values()], limit, async (group) => {
    const first = group[0] as string;
    const r = resolved.get(first);
    if (r === undefined) return;
    if ('error' in r) {
      out.set(first, { ref: first, error: r.error });
      return;
    }
    let result: ScannedImage;
    try {
      const { inventory } = await analyzeImage(r, options, first);
      let vulnerabilities: readonly PackageVulnerability[] | undefined;
      let error: string | undefined;
      if (options.match) {
        try {
          vulnerabilities = await options.match(inventory);
        } catch (e) {
          error = `${MATCH_FAILED}${(e as Error).message}`;
        }
      }
      result = { ref: first, inventory, ...(vulnerabilities ? { vulnerabilities } : {}), ...(error ? { error } : {}) };
    } catch (e) {
      result = { ref: first, error: (e as Error).message };
    }
    for (const ref of group) out.set(ref, { ...result, ref, ...(result.inventory ? { inventory: { ...result.inventory, ref } } : {}) });
  });
  return out;
}

/** Options of {@link imageInputs}. */
export interface ImageInputOptions {
  /** The time of the scan (the ring's clock), which image ages are measured from. Default now. */
  readonly now?: Date;
  /**
   * Whether a vulnerability matcher ran: only then is the `vulnerabilities` input given, so that
   * PAL-1002 and PAL-1003 are skipped, never passed, without a database.
   */
  readonly matched: boolean;
  /** The database matched against, for messages. */
  readonly database?: string;
}

/**
 * The engine's model inputs from scanned images: `images` (inventories, or why one could not be
 * read) and, when a matcher ran, `vulnerabilities`. Hand them to `scan`/`scanLoaded` as
 * `inputs`; the `images` model indexes them and the catalogue checks PAL-1000 to PAL-1003 read it.
 *
 * @example
 * const scanned = await scanImages(imageUses(inventory).map((u) => u.image));
 * const report = scanLoaded(loaded, { inputs: imageInputs(scanned, { matched: false }) });
 */
export function imageInputs(
  scanned: ReadonlyMap<string, ScannedImage>,
  options: ImageInputOptions,
): Pick<ModelInputs, 'images'> & Partial<Pick<ModelInputs, 'vulnerabilities'>> {
  const images: Record<string, Omit<ScannedImage, 'vulnerabilities'>> = {};
  const matches: Record<string, { vulnerabilities?: readonly PackageVulnerability[]; error?: string }> = {};
  for (const [ref, s] of scanned) {
    // A matching failure belongs to the vulnerability input: the image itself was read.
    const matchFailed = s.inventory !== undefined && s.error?.startsWith(MATCH_FAILED) === true;
    images[ref] = {
      ref: s.ref,
      ...(s.inventory ? { inventory: s.inventory } : {}),
      ...(s.error !== undefined && !matchFailed ? { error: s.error } : {}),
    };
    if (s.inventory) matches[ref] = matchFailed ? { error: (s.error as string).slice(MATCH_FAILED.length) } : { vulnerabilities: s.vulnerabilities ?? [] };
  }
  return {
    images: { scannedAt: (options.now ?? new Date()).toISOString(), images },
    ...(options.matched ? { vulnerabilities: { ...(options.database !== undefined ? { database: options.database } : {}), images: matches } } : {}),
  };
}
