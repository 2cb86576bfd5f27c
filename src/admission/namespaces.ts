/**
 * Where the webhook learns namespace labels (`palisade.dev/enforce`, `-severity`): a file of
 * Namespace objects for offline use (`--namespaces FILE`, e.g. `kubectl get ns -o yaml`), or
 * the live cluster (`--cluster`): listed at start, listed again every resync interval, and a
 * namespace not yet seen (created since the last list) fetched on first use.
 */
import { PalisadeError } from '../core/errors.js';
import { isObject } from '../core/object.js';
import type { JsonObject } from '../core/types.js';

/** Labels of one namespace. */
export type Labels = Readonly<Record<string, string>>;

/** A source of namespace labels. */
export interface NamespaceLabelSource {
  /** The labels of a namespace; undefined when it is unknown. */
  labels(name: string): Promise<Labels | undefined>;
  /** True once the source can answer (the first list is done). */
  readonly ready: boolean;
  /** Stops background work. */
  close(): void;
}

/** Labels of a Namespace object (string values only). */
export function labelsOf(object: JsonObject): Labels {
  const meta = isObject(object.metadata) ? object.metadata : {};
  const raw = isObject(meta.labels) ? meta.labels : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}

function nameOf(object: JsonObject): string | undefined {
  const meta = isObject(object.metadata) ? object.metadata : {};
  return typeof meta.name === 'string' && meta.name !== '' ? meta.name : undefined;
}

/**
 * Labels from Namespace objects loaded once (a file): unknown namespaces have no labels.
 *
 * @example
 * const source = new StaticNamespaces([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { 'palisade.dev/enforce': 'enforce' } } }]);
 */
export class StaticNamespaces implements NamespaceLabelSource {
  readonly #labels = new Map<string, Labels>();
  readonly ready = true;

  constructor(namespaces: readonly JsonObject[]) {
    for (const ns of namespaces) {
      const name = nameOf(ns);
      if (name !== undefined) this.#labels.set(name, labelsOf(ns));
    }
  }

  get size(): number {
    return this.#labels.size;
  }

  async labels(name: string): Promise<Labels | undefined> {
    return this.#labels.get(name);
  }

  close(): void {}
}

/** What {@link ClusterNamespaces} needs of an API client (the cluster source's `ApiClient`). */
export interface NamespaceGetter {
  get<T = unknown>(path: string): Promise<T>;
  /** Closes idle connections (called by {@link ClusterNamespaces.close}). */
  close?(): void;
}

/** Options of {@link ClusterNamespaces}. */
export interface ClusterNamespacesOptions {
  /** Time between two full lists, in milliseconds (default 60 s). */
  readonly resyncMs?: number;
  /** Called when a list or a get fails (the cache keeps what it had). */
  readonly onError?: (err: unknown) => void;
}

/**
 * Namespace labels read from the API server and cached. A namespace missing from the cache is
 * fetched on demand (once at a time per name): the API server sends a namespace's first
 * objects right after creating it, before the next resync.
 *
 * @example
 * const ns = new ClusterNamespaces(apiClient, { resyncMs: 30_000 });
 * await ns.start();
 * await ns.labels('prod');
 */
export class ClusterNamespaces implements NamespaceLabelSource {
  readonly #client: NamespaceGetter;
  readonly #resyncMs: number;
  readonly #onError: (err: unknown) => void;
  #labels = new Map<string, Labels>();
  readonly #pending = new Map<string, Promise<Labels | undefined>>();
  #timer: NodeJS.Timeout | undefined;
  #ready = false;

  constructor(client: NamespaceGetter, options: ClusterNamespacesOptions = {}) {
    this.#client = client;
    this.#resyncMs = options.resyncMs ?? 60_000;
    this.#onError = options.onError ?? (() => {});
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Lists the namespaces once (throws when that fails), then again every resync interval. */
  async start(): Promise<void> {
    await this.#list();
    this.#ready = true;
    this.#timer = setInterval(() => {
      this.#list().catch((err: unknown) => this.#onError(err));
    }, this.#resyncMs);
    this.#timer.unref();
  }

  async #list(): Promise<void> {
    const list = await this.#client.get<{ items?: unknown }>('/api/v1/namespaces');
    if (!Array.isArray(list.items)) throw new PalisadeError('cluster-unreachable', 'GET /api/v1/namespaces: the answer has no items');
    const next = new Map<string, Labels>();
    for (const item of list.items) {
      if (!isObject(item)) continue;
      const name = nameOf(item);
      if (name !== undefined) next.set(name, labelsOf(item));
    }
    this.#labels = next;
  }

  async labels(name: string): Promise<Labels | undefined> {
    const known = this.#labels.get(name);
    if (known !== undefined) return known;
    let p = this.#pending.get(name);
    if (!p) {
      p = this.#client
        .get<unknown>(`/api/v1/namespaces/${encodeURIComponent(name)}`)
        .then((ns) => {
          if (!isObject(ns)) return undefined;
          const labels = labelsOf(ns);
          this.#labels.set(name, labels);
          return labels;
        })
        .catch((err: unknown) => {
          this.#onError(err);
          return undefined;
        })
        .finally(() => this.#pending.delete(name));
      this.#pending.set(name, p);
    }
    return p;
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#client.close?.();
  }
}

/** No namespace source: every namespace takes the default mode. */
export const NO_NAMESPACES: NamespaceLabelSource = {
  labels: async () => undefined,
  ready: true,
  close: () => {},
};
