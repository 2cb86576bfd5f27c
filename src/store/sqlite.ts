/**
 * The SQLite driver of the store: one better-sqlite3 connection in WAL mode, prepared
 * statements cached by text, and a mutex so that an open transaction (whose body awaits) is
 * never interleaved with another caller's statements. The file and its directory are created
 * private to the user (0700 directory, 0600 file: the store holds token hashes and findings).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BulkColumn, type Db, Mutex, type Param } from './db.js';

function bind(params: readonly Param[] | undefined): unknown[] {
  return params === undefined ? [] : (params as unknown[]);
}

class SqliteTx implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly cache = new Map<string, Database.Statement>();
  constructor(readonly raw: Database.Database) {}

  stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (s === undefined) {
      s = this.raw.prepare(sql);
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, s);
    }
    return s;
  }

  async all<T>(sql: string, params?: readonly Param[]): Promise<T[]> {
    return this.stmt(sql).all(...bind(params)) as T[];
  }

  async get<T>(sql: string, params?: readonly Param[]): Promise<T | undefined> {
    return this.stmt(sql).get(...bind(params)) as T | undefined;
  }

  async run(sql: string, params?: readonly Param[]): Promise<number> {
    const s = this.stmt(sql);
    if (s.reader) {
      s.all(...bind(params));
      return 0;
    }
    return s.run(...bind(params)).changes;
  }

  async exec(sql: string): Promise<void> {
    this.raw.exec(sql);
  }

  async bulkInsert(table: string, columns: readonly BulkColumn[], rows: readonly (readonly Param[])[]): Promise<void> {
    const s = this.stmt(`INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    for (const row of rows) s.run(...(row as unknown[]));
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return runTransaction(this.raw, this, fn);
  }

  async close(): Promise<void> {}
}

async function runTransaction<T>(raw: Database.Database, tx: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (raw.inTransaction) return fn(tx); // nested: part of the outer transaction
  raw.exec('BEGIN IMMEDIATE');
  try {
    const out = await fn(tx);
    raw.exec('COMMIT');
    return out;
  } catch (err) {
    if (raw.inTransaction) raw.exec('ROLLBACK');
    throw err;
  }
}

/** The SQLite connection; every call waits for a running transaction to end. */
export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly tx: SqliteTx;
  private readonly mutex = new Mutex();

  private constructor(readonly raw: Database.Database) {
    this.tx = new SqliteTx(raw);
  }

  /**
   * Opens (creating when absent) the database file with WAL journaling.
   *
   * @example
   * const db = SqliteDb.open('/home/me/.local/share/palisade/palisade.db');
   */
  static open(path: string): SqliteDb {
    if (path !== ':memory:') {
      const dir = dirname(path);
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!existsSync(path)) {
        closeSync(openSync(path, 'a', 0o600));
        chmodSync(path, 0o600); // the umask may have widened it
      }
    }
    const raw = new Database(path, { fileMustExist: path !== ':memory:' });
    // A new database compacts in place after prune (incremental vacuum); must precede any table.
    raw.pragma('auto_vacuum = INCREMENTAL');
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 10000');
    raw.pragma('cache_size = -65536'); // 64 MiB page cache
    raw.pragma('temp_store = MEMORY');
    return new SqliteDb(raw);
  }

  all<T>(sql: string, params?: readonly Param[]): Promise<T[]> {
    return this.mutex.lock(() => this.tx.all<T>(sql, params));
  }
  get<T>(sql: string, params?: readonly Param[]): Promise<T | undefined> {
    return this.mutex.lock(() => this.tx.get<T>(sql, params));
  }
  run(sql: string, params?: readonly Param[]): Promise<number> {
    return this.mutex.lock(() => this.tx.run(sql, params));
  }
  exec(sql: string): Promise<void> {
    return this.mutex.lock(() => this.tx.exec(sql));
  }
  bulkInsert(table: string, columns: readonly BulkColumn[], rows: readonly (readonly Param[])[]): Promise<void> {
    return this.mutex.lock(() => this.tx.bulkInsert(table, columns, rows));
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.mutex.lock(() => runTransaction(this.raw, this.tx, fn));
  }
  async close(): Promise<void> {
    await this.mutex.lock(async () => {
      if (this.raw.open) {
        try {
          this.raw.pragma('analysis_limit = 1000');
          this.raw.pragma('optimize');
        } finally {
          this.raw.close();
        }
      }
    });
  }
}
