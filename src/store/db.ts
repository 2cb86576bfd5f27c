/**
 * The small SQL driver both stores run on: SQLite (better-sqlite3, synchronous, wrapped in
 * promises) and PostgreSQL (`pg` Pool). Statements are written once with `?` placeholders
 * (translated to `$1, $2, ...` for PostgreSQL); what differs between the dialects (DDL, JSON
 * building, case-insensitive LIKE, bulk loading) is behind {@link Db} methods, so the store's
 * logic (`sql-store.ts`) is one piece of code with the same semantics on both.
 */

/** A value bound to a placeholder. */
export type Param = string | number | bigint | null | Uint8Array;

/** A column of a bulk insert, with its PostgreSQL array type. */
export interface BulkColumn {
  readonly name: string;
  readonly pgType: 'text' | 'bigint' | 'integer' | 'double precision' | 'bytea';
}

/** A connection (or a transaction on one). */
export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly Param[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly Param[]): Promise<T | undefined>;
  /** Runs a statement; returns the number of rows changed. */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  /** Runs several statements (DDL), no parameters. */
  exec(sql: string): Promise<void>;
  /** Inserts many rows into `table` quickly (prepared loop in SQLite, `unnest` batches in PostgreSQL). */
  bulkInsert(table: string, columns: readonly BulkColumn[], rows: readonly (readonly Param[])[]): Promise<void>;
  /**
   * Runs `fn` in one transaction (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: one pooled client).
   * Statements of other callers wait until it ends, so nothing interleaves.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Serialises async critical sections (SQLite has one connection). */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async lock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => {
      release = r;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** `LIKE` pattern for a substring, with `\` escaping `%`, `_` and itself. */
export function likeSubstring(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
