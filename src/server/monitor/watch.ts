/**
 * List + watch of one resource type, as client-go's reflector does it: list (paged), then
 * watch from the list's resourceVersion with bookmarks, resume from the last resourceVersion
 * seen after a dropped connection or a server timeout, relist on 410 Gone (the version was
 * compacted away), and back off with full jitter between failed attempts.
 */
import type { ApiClient, ApiStream } from '../../sources/cluster/http.js';
import { ApiError } from '../../sources/cluster/http.js';
import type { ResourceType } from '../../sources/cluster/discovery.js';
import { typeName } from '../../sources/cluster/discovery.js';
import { pruneFieldsFor } from '../../sources/cluster/prune.js';
import { normalizeObject } from '../../sources/normalize.js';
import { isObject } from '../../core/object.js';
import type { JsonObject, ResourceTypeCoverage } from '../../core/types.js';
import type { WatchState } from './types.js';

/** What a watcher reports to the monitor. */
export interface WatchSink {
  /** The complete list of the type (first list and relists): replaces what was held. */
  replace(type: ResourceType, objects: readonly JsonObject[]): void;
  /** One object added or changed. */
  upsert(type: ResourceType, object: JsonObject): void;
  /** One object deleted. */
  remove(type: ResourceType, object: JsonObject): void;
  /** The type's coverage changed (listed, forbidden, failed). */
  coverage(type: ResourceType, coverage: ResourceTypeCoverage): void;
  error(where: string, message: string): void;
}

/** Options of a {@link TypeWatcher}. */
export interface WatchOptions {
  readonly pageSize: number;
  readonly timeoutSeconds: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Namespaces never held (`--exclude-namespace`); others are dropped unless in `namespaces`. */
  readonly excludeNamespaces: ReadonlySet<string>;
  readonly namespaces: ReadonlySet<string> | undefined;
}

/** `/api/v1/pods`, `/apis/apps/v1/deployments`. */
export function collectionPath(t: ResourceType): string {
  return `${t.group === '' ? `/api/${t.version}` : `/apis/${t.group}/${t.version}`}/${t.resource}`;
}

function base(t: ResourceType): Omit<ResourceTypeCoverage, 'status' | 'objects'> {
  return { group: t.group, version: t.version, resource: t.resource, kind: t.kind, namespaced: t.namespaced };
}

/** A promise that resolves after `ms`, early when `signal` fires. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** Full jitter (AWS's "exponential backoff and jitter"): uniform in [0, min(cap, base * 2^n)]. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}

function describe(err: unknown): string {
  return err instanceof ApiError ? err.describe() : err instanceof Error ? err.message : String(err);
}

/** Lists and watches one type until stopped. */
export class TypeWatcher {
  readonly type: ResourceType;
  readonly name: string;
  #state: WatchState['state'] = 'listing';
  #rv: string | null = null;
  #objects = 0;
  #relists = 0;
  #reconnects = 0;
  #stream: ApiStream | undefined;
  readonly #abort = new AbortController();
  readonly #client: ApiClient;
  readonly #sink: WatchSink;
  readonly #options: WatchOptions;
  readonly #watchable: boolean;
  /** Resolves once the first list finished (or the type turned out unreadable). */
  readonly listed: Promise<void>;
  #listed!: () => void;
  #loop: Promise<void> | undefined;

  constructor(client: ApiClient, type: ResourceType, sink: WatchSink, options: WatchOptions) {
    this.#client = client;
    this.type = type;
    this.name = typeName(type);
    this.#sink = sink;
    this.#options = options;
    this.#watchable = type.verbs.includes('watch');
    this.listed = new Promise((r) => {
      this.#listed = r;
    });
  }

  state(): WatchState {
    return { type: this.name, state: this.#state, resourceVersion: this.#rv, objects: this.#objects, relists: this.#relists, reconnects: this.#reconnects };
  }

  /** Starts the loop; `listed` resolves after the first list. */
  start(): void {
    this.#loop ??= this.#run().catch((err: unknown) => {
      // The loop handles its own errors; anything here is a bug worth surfacing, not a crash.
      this.#sink.error(this.name, `watch loop ended: ${describe(err)}`);
      this.#state = 'stopped';
      this.#listed();
    });
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#stream?.abort();
    await this.#loop;
    this.#state = 'stopped';
  }

  /** Whether the type ended unreadable (forbidden): the monitor lists it again on the full-scan schedule. */
  get forbidden(): boolean {
    return this.#state === 'forbidden';
  }

  #keep(o: JsonObject): boolean {
    const m = isObject(o.metadata) ? o.metadata : {};
    const ns = this.type.namespaced
      ? typeof m.namespace === 'string'
        ? m.namespace
        : ''
      : typeof m.name === 'string' && this.type.kind === 'Namespace'
        ? m.name
        : undefined;
    if (ns === undefined) return true;
    if (this.#options.excludeNamespaces.has(ns)) return false;
    return this.#options.namespaces === undefined || this.#options.namespaces.has(ns);
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let needList = true;
    let failures = 0;
    while (!signal.aborted) {
      if (needList) {
        this.#state = 'listing';
        try {
          await this.#list();
          needList = false;
          failures = 0;
          this.#listed();
        } catch (err) {
          if (signal.aborted) break;
          if (err instanceof ApiError && (err.status === 403 || err.status === 401)) {
            // Not readable with these credentials: recorded in the coverage, not retried in a loop.
            this.#state = 'forbidden';
            this.#sink.replace(this.type, []);
            this.#objects = 0;
            this.#sink.coverage(this.type, { ...base(this.type), status: 'forbidden', objects: 0, reason: describe(err) });
            this.#listed();
            return;
          }
          this.#sink.error(this.name, `list failed: ${describe(err)}`);
          this.#sink.coverage(this.type, { ...base(this.type), status: 'failed', objects: this.#objects, reason: describe(err) });
          // A type that cannot be listed at start must not hold the first scan back forever.
          if (failures >= 2) this.#listed();
          this.#state = 'backoff';
          await sleep(backoffDelay(failures++, this.#options.initialBackoffMs, this.#options.maxBackoffMs), signal);
          continue;
        }
      }
      if (!this.#watchable) {
        // Listed only: refreshed by the full scans (the monitor relists it then).
        this.#state = 'stopped';
        return;
      }
      this.#state = 'watching';
      const outcome = await this.#watch();
      if (signal.aborted) break;
      if (outcome === 'gone') {
        this.#relists++;
        needList = true;
        continue;
      }
      this.#reconnects++;
      if (outcome === 'ended') {
        // The server's timeout: resume at once, as client-go does.
        failures = 0;
        continue;
      }
      this.#sink.error(this.name, `watch: ${outcome.message}`);
      if (outcome.forbidden) {
        // Listable but not watchable: poll by relisting after a back-off.
        needList = true;
      }
      this.#state = 'backoff';
      await sleep(backoffDelay(failures++, this.#options.initialBackoffMs, this.#options.maxBackoffMs), signal);
    }
    this.#state = 'stopped';
  }

  /** Lists every page; the objects replace what was held, the list's resourceVersion is where the watch starts. */
  async #list(): Promise<void> {
    const path = collectionPath(this.type);
    const objects: JsonObject[] = [];
    let cont: string | undefined;
    let rv: string | undefined;
    let restarted = false;
    // Fields that normalisation drops are cut before parsing, as `palisade scan` lists (prune.ts).
    const prune = pruneFieldsFor(this.type);
    for (;;) {
      let page: { items?: unknown; metadata?: { continue?: unknown; resourceVersion?: unknown } };
      try {
        page = await this.#client.get(path, { limit: String(this.#options.pageSize), continue: cont }, prune ? { prune } : {});
      } catch (err) {
        if (err instanceof ApiError && err.status === 410 && cont !== undefined && !restarted) {
          // The continue token expired: start the list again, once.
          restarted = true;
          objects.length = 0;
          cont = undefined;
          continue;
        }
        throw err;
      }
      if (rv === undefined && typeof page.metadata?.resourceVersion === 'string') rv = page.metadata.resourceVersion;
      for (const item of Array.isArray(page.items) ? page.items : []) {
        if (!isObject(item)) continue;
        const o = normalizeObject(item, { apiVersion: this.type.groupVersion, kind: this.type.kind });
        if (this.#keep(o)) objects.push(o);
      }
      const next = page.metadata?.continue;
      if (typeof next !== 'string' || next === '') break;
      cont = next;
    }
    this.#rv = rv ?? null;
    this.#objects = objects.length;
    this.#sink.replace(this.type, objects);
    this.#sink.coverage(this.type, { ...base(this.type), status: 'ok', objects: objects.length });
  }

  /** One watch request; resolves with why it ended. */
  async #watch(): Promise<'ended' | 'gone' | { message: string; forbidden: boolean }> {
    let gone = false;
    let failure: { message: string; forbidden: boolean } | undefined;
    const onLine = (line: string): void => {
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch {
        failure = { message: 'the server sent a line that is not JSON', forbidden: false };
        this.#stream?.abort();
        return;
      }
      if (!isObject(event) || typeof event.type !== 'string' || !isObject(event.object)) return;
      const raw = event.object;
      if (event.type === 'ERROR') {
        const code = typeof raw.code === 'number' ? raw.code : 0;
        if (code === 410) gone = true;
        else failure = { message: `the server sent an error: ${typeof raw.message === 'string' ? raw.message : code}`, forbidden: code === 403 };
        this.#stream?.abort();
        return;
      }
      const meta = isObject(raw.metadata) ? raw.metadata : {};
      if (typeof meta.resourceVersion === 'string') this.#rv = meta.resourceVersion;
      if (event.type === 'BOOKMARK') return;
      const o = normalizeObject(raw, { apiVersion: this.type.groupVersion, kind: this.type.kind });
      if (!this.#keep(o)) return;
      if (event.type === 'DELETED') {
        this.#objects = Math.max(0, this.#objects - 1);
        this.#sink.remove(this.type, o);
      } else if (event.type === 'ADDED' || event.type === 'MODIFIED') {
        if (event.type === 'ADDED') this.#objects++;
        this.#sink.upsert(this.type, o);
      }
    };
    try {
      this.#stream = await this.#client.stream(
        collectionPath(this.type),
        {
          watch: '1',
          allowWatchBookmarks: 'true',
          resourceVersion: this.#rv ?? undefined,
          timeoutSeconds: String(this.#options.timeoutSeconds),
        },
        onLine,
      );
      await this.#stream.done;
    } catch (err) {
      if (err instanceof ApiError && err.status === 410) return 'gone';
      return { message: describe(err), forbidden: err instanceof ApiError && (err.status === 403 || err.status === 401) };
    } finally {
      this.#stream = undefined;
    }
    if (gone) return 'gone';
    return failure ?? 'ended';
  }
}
