/**
 * Opening a store from its URL (`--store`): SQLite by default, PostgreSQL for a central server.
 * Both are the same {@link SqlStore} over a different driver, so they behave alike.
 */
import { PalisadeError } from '../core/errors.js';
import { openPostgres } from './postgres.js';
import { SqlStore } from './sql-store.js';
import { SqliteDb } from './sqlite.js';
import type { Store } from './types.js';
import { describeStore, parseStoreUrl } from './url.js';

export { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export { SqlStore } from './sql-store.js';
export type * from './types.js';
export { defaultStorePath, describeStore, maskPassword, parseStoreUrl, type StoreLocation } from './url.js';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Run pending migrations before returning (default true). */
  readonly migrate?: boolean;
  /** Environment for the default path (`XDG_DATA_HOME`, `HOME`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The clock (tests). */
  readonly now?: () => number;
  /** Pool size for PostgreSQL (default 10). */
  readonly poolSize?: number;
}

/**
 * Opens the store at `url` (`sqlite:FILE`, `postgres://...`, or `undefined` for the default
 * SQLite file) and migrates it. Errors are one line naming the store, the password masked.
 *
 * @example
 * const store = await openStore('sqlite:/var/lib/palisade/palisade.db');
 * await store.recordScan(scan);
 * await store.close();
 */
export async function openStore(url: string | undefined, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseStoreUrl(url, options.env);
  const label = describeStore(location);
  let store: SqlStore;
  if (location.kind === 'sqlite') {
    let db: SqliteDb;
    try {
      db = SqliteDb.open(location.path);
    } catch (err) {
      throw new PalisadeError('io', `store ${label}: cannot open: ${(err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ')}`);
    }
    store = new SqlStore(db, { label, ...(options.now ? { now: options.now } : {}) });
  } else {
    const db = openPostgres(location.url, options.poolSize !== undefined ? { max: options.poolSize } : {});
    store = new SqlStore(db, { label, secret: location.password, ...(options.now ? { now: options.now } : {}) });
  }
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
  }
  return store;
}
