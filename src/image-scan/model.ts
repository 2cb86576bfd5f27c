/**
 * The `images` model: what `scan --images` learnt about each image the workloads run, indexed
 * by the reference as the workload writes it. The data comes from the I/O ring as the scan's
 * `images` and `vulnerabilities` inputs (pulled, analysed and matched before the engine runs);
 * the provider only indexes it, so the model stays pure and the checks PAL-1000 to PAL-1003
 * are ordinary catalogue checks.
 */
import type { Inventory } from '../core/inventory.js';
import type { ModelProvider, ScanInputs } from '../core/models.js';
import type { ImageInventory, PackageVulnerability } from '../packages/packages.js';

/** What pulling and analysing one image gave. */
export interface ScannedImage {
  /** The reference as the workload wrote it. */
  readonly ref: string;
  /** The image's inventory; absent when it could not be read. */
  readonly inventory?: ImageInventory;
  /** Matched vulnerabilities, when a matcher ran. */
  readonly vulnerabilities?: readonly PackageVulnerability[];
  /** Why the image could not be scanned (or matched). */
  readonly error?: string;
}

/**
 * The `images` model input: the scanned images, keyed by reference as written in the workload
 * (trimmed), and the ring's clock at the scan, which ages are measured from.
 *
 * @example
 * const images: ImageScanResults = { scannedAt: '2026-12-03T10:00:00Z', images: { 'nginx:1.27': { ref: 'nginx:1.27', inventory } } };
 */
export interface ImageScanResults {
  /** RFC 3339 time of the scan (the ring's clock, passed in: the model reads no clock). */
  readonly scannedAt: string;
  readonly images: Readonly<Record<string, Omit<ScannedImage, 'vulnerabilities'>>>;
}

/**
 * The `vulnerabilities` model input: per image reference, the vulnerabilities a database
 * matched against its inventory, or why matching failed. Given only when a matcher ran, so
 * that the vulnerability checks never pass for want of a database.
 */
export interface VulnerabilityMatches {
  /** The database matched against (a path or a name), for messages. */
  readonly database?: string;
  readonly images: Readonly<Record<string, { readonly vulnerabilities?: readonly PackageVulnerability[]; readonly error?: string }>>;
}

declare module '../core/models.js' {
  interface Models {
    images: ImagesModel;
  }
  interface ModelInputs {
    images: ImageScanResults;
    vulnerabilities: VulnerabilityMatches;
  }
}

/** What is known about one image, as the checks read it. */
export interface ImageFacts {
  readonly ref: string;
  readonly inventory?: ImageInventory;
  /** Why the image could not be read. */
  readonly error?: string;
  /** Days since the image was built, when its config records `created`. */
  readonly ageDays?: number;
  /** Matched vulnerabilities; absent when no matcher ran or matching failed. */
  readonly vulnerabilities?: readonly PackageVulnerability[];
  /** Why matching failed for this image. */
  readonly matchError?: string;
}

/**
 * The images of one scan, by reference.
 *
 * @example
 * const model = buildImagesModel(inputs);
 * model.of('nginx:1.27')?.ageDays; // 412
 */
export class ImagesModel {
  readonly #facts = new Map<string, ImageFacts>();
  /** Whether vulnerabilities were matched in this scan. */
  readonly vulnerabilitiesMatched: boolean;

  constructor(images: ImageScanResults, vulnerabilities?: VulnerabilityMatches) {
    const now = Date.parse(images.scannedAt);
    this.vulnerabilitiesMatched = vulnerabilities !== undefined;
    for (const [ref, scanned] of Object.entries(images.images)) {
      const created = scanned.inventory?.created ? Date.parse(scanned.inventory.created) : Number.NaN;
      const match = vulnerabilities && Object.hasOwn(vulnerabilities.images, ref) ? vulnerabilities.images[ref] : undefined;
      this.#facts.set(ref.trim(), {
        ref,
        ...(scanned.inventory ? { inventory: scanned.inventory } : {}),
        ...(scanned.error !== undefined ? { error: scanned.error } : {}),
        ...(Number.isFinite(created) && Number.isFinite(now) ? { ageDays: Math.floor((now - created) / 86_400_000) } : {}),
        ...(match?.vulnerabilities ? { vulnerabilities: match.vulnerabilities } : {}),
        ...(match?.error !== undefined ? { matchError: match.error } : {}),
      });
    }
  }

  /** The facts of the image a container names (its `image` field), if it was scanned. */
  of(image: string): ImageFacts | undefined {
    return this.#facts.get(image.trim());
  }
}

/**
 * Builds the model from the scan's inputs. Throws without the `images` input: the engine does
 * not select a check that requires it then, so the throw only reaches a misconfigured caller.
 */
export function buildImagesModel(inputs: ScanInputs): ImagesModel {
  if (!inputs.images) throw new Error('the scan was not given the images input (run with --images)');
  return new ImagesModel(inputs.images, inputs.vulnerabilities);
}

/**
 * The provider of the `images` model, registered in src/checks/models.ts.
 *
 * @example
 * runChecks(inventory, { checks, models: [imagesModelProvider], inputs: { images } });
 */
export const imagesModelProvider: ModelProvider<'images'> = {
  name: 'images',
  // Built from the ring's input, not from cluster data: no kind's gap degrades it.
  reads: [],
  build: (_inventory: Inventory, _models, inputs: ScanInputs) => buildImagesModel(inputs),
};

/**
 * How image findings name their container: `Deployment shop/web container api`.
 *
 * @example
 * containerLabel({ kind: 'Deployment', namespace: 'shop', name: 'web' }, 'api');
 */
export function containerLabel(ref: { readonly kind: string; readonly namespace?: string | undefined; readonly name: string }, container: string): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} container ${container}`;
}

/**
 * The vulnerabilities that count: neither suppressed by a VEX statement nor ruled out by the
 * advisory (`not-affected`, `withdrawn`).
 */
export function activeVulnerabilities(vulnerabilities: readonly PackageVulnerability[]): PackageVulnerability[] {
  return vulnerabilities.filter((v) => v.vex === undefined && v.status !== 'not-affected' && v.status !== 'withdrawn');
}
