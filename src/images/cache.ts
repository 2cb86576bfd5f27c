/**
 * The layer cache: one small JSON file per analysed layer, keyed by the layer's diff-id, the
 * analyser version and the byte cap (all change what a layer yields), so an image sharing base
 * layers with one scanned before only streams its new layers. Bounded: least recently used
 * entries are evicted past the size limit (peers' caches grow without bound; this one cannot).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ANALYZER_VERSION } from './analyzers/index.js';
import type { LayerResult } from './layer.js';

export const DEFAULT_CACHE_LIMIT = 256 << 20;

/** Default cache directory: `$XDG_CACHE_HOME/palisade/layers`, else `~/.cache/palisade/layers`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'palisade', 'layers');
}

function isLayerResult(v: unknown): v is LayerResult {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.files === 'object' &&
    Array.isArray(r.whiteouts) &&
    Array.isArray(r.opaque) &&
    Array.isArray(r.removed) &&
    Array.isArray(r.skipped) &&
    typeof r.bytes === 'number'
  );
}

/**
 * A directory of cached layer results.
 *
 * @example
 * const cache = new LayerCache(defaultCacheDir());
 * const hit = await cache.get('sha256:...', 128 << 20);
 */
export class LayerCache {
  constructor(
    readonly dir: string,
    readonly limitBytes: number = DEFAULT_CACHE_LIMIT,
  ) {}

  private file(diffId: string, maxFileBytes: number): string {
    const key = createHash('sha256').update(`${diffId}\0analyzers-v${ANALYZER_VERSION}\0${maxFileBytes}`).digest('hex');
    return join(this.dir, `${key}.json`);
  }

  /** The cached result, or undefined (missing or unreadable entries are misses, never errors). */
  async get(diffId: string, maxFileBytes: number): Promise<LayerResult | undefined> {
    const f = this.file(diffId, maxFileBytes);
    try {
      const v: unknown = JSON.parse(await readFile(f, 'utf8'));
      if (!isLayerResult(v)) return undefined;
      const now = new Date();
      await utimes(f, now, now).catch(() => {});
      return v;
    } catch {
      return undefined;
    }
  }

  /** Stores a result atomically (write then rename); failures to cache do not fail a scan. */
  async put(diffId: string, maxFileBytes: number, result: LayerResult): Promise<void> {
    const f = this.file(diffId, maxFileBytes);
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${f}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, JSON.stringify(result), { mode: 0o600 });
      await rename(tmp, f);
    } catch {
      // A read-only or full disk only costs speed.
    }
  }

  /** Deletes least recently used entries until the cache is under its limit; returns bytes freed. */
  async evict(): Promise<number> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch {
      return 0;
    }
    const entries = (
      await Promise.all(
        names.map(async (n) => {
          try {
            const s = await stat(join(this.dir, n));
            return { path: join(this.dir, n), size: s.size, used: s.mtimeMs };
          } catch {
            return undefined;
          }
        }),
      )
    ).filter((e) => e !== undefined);
    let total = entries.reduce((a, e) => a + e.size, 0);
    let freed = 0;
    entries.sort((a, b) => a.used - b.used);
    for (const e of entries) {
      if (total <= this.limitBytes) break;
      await unlink(e.path).catch(() => {});
      total -= e.size;
      freed += e.size;
    }
    return freed;
  }
}
