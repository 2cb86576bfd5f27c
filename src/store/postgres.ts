/**
 * The PostgreSQL driver of the store: a `pg` Pool, `?` placeholders rewritten to `$n`,
 * BIGINT read as numbers (times are epoch milliseconds, well inside 2^53), transactions on one
 * pooled client, and bulk loads as `INSERT ... SELECT FROM unnest($1::type[], ...)` batches.
 */
import pg from 'pg';
import type { BulkColumn, Db, Param } from './db.js';

const INT8 = 20;
const NUMERIC = 1700;

/** Per-pool type parsers: BIGINT and NUMERIC (sums) as numbers; global pg.types stay untouched. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

const translated = new Map<string, string>();

/** `?` -> `$1..$n` (the store's statements have no `?` inside literals). */
function toPg(sql: string): string {
  let out = translated.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    translated.set(sql, out);
  }
  return out;
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** Rows per `unnest` batch: big enough to amortise the round trip, small enough for memory. */
const BATCH = 5000;

class PgConn implements Db {
  readonly dialect = 'postgres' as const;
  constructor(
    private readonly q: Queryable,
    private readonly pool: pg.Pool,
  ) {}

  async all<T>(sql: string, params?: readonly Param[]): Promise<T[]> {
    const r = await this.q.query(toPg(sql), params as unknown[] | undefined);
    return r.rows as T[];
  }
  async get<T>(sql: string, params?: readonly Param[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
  async run(sql: string, params?: readonly Param[]): Promise<number> {
    const r = await this.q.query(toPg(sql), params as unknown[] | undefined);
    return r.rowCount ?? 0;
  }
  async exec(sql: string): Promise<void> {
    await this.q.query(sql);
  }
  async bulkInsert(table: string, columns: readonly BulkColumn[], rows: readonly (readonly Param[])[]): Promise<void> {
    const names = columns.map((c) => c.name).join(', ');
    const arrays = columns.map((c, i) => `$${i + 1}::${c.pgType}[]`).join(', ');
    const sql = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const cols = columns.map((_, i) => batch.map((r) => (r[i] === undefined ? null : r[i])));
      await this.q.query(sql, cols);
    }
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.q !== this.pool) return fn(this); // nested: part of the outer transaction
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(new PgConn(client, this.pool));
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  async close(): Promise<void> {
    if (this.q === this.pool) await this.pool.end();
  }
}

/**
 * A pool on `url` (the password may come from `PGPASSWORD`, as libpq does).
 *
 * @example
 * const db = openPostgres('postgres://palisade@127.0.0.1:5432/palisade');
 */
export function openPostgres(url: string, options: { readonly max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, application_name: 'palisade' });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return new PgConn(pool, pool);
}
