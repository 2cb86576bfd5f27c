/**
 * One image scan in its own process (for peak RSS): prints {ms, packages, cachedLayers} as JSON.
 * Usage: node bench/images-child.mjs IMAGE CACHE_DIR
 */
import { LayerCache, scanImage } from '../dist/index.js';

const [image, cacheDir] = process.argv.slice(2);
const t0 = performance.now();
const r = await scanImage(image, { cache: new LayerCache(cacheDir, 1 << 30) });
const ms = performance.now() - t0;
process.stdout.write(
  `${JSON.stringify({ ms, packages: r.inventory.packages.length, cachedLayers: r.layers.filter((l) => l.cached).length, layers: r.layers.length })}\n`,
);
