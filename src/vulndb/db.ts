/**
 * Reading the vulnerability database: the {@link AdvisoryLookup} the matcher uses, backed by
 * prepared statements on the (ecosystem, package) index, and the status `palisade db status`
 * shows. Opened read-only; a file of another schema version is refused with a rebuild hint.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PalisadeError } from '../core/errors.js';
import type { AdvisoryRecord, AffectedPackage } from '../vuln/advisory.js';
import type { AdvisoryLookup, KevEntry } from '../vuln/match.js';
import { SCHEMA_VERSION } from './schema.js';

export interface DbSource {
  readonly kind: string;
  readonly path: string;
  readonly records: number;
  readonly newest?: string;
  readonly detail?: string;
}

export interface DbStatus {
  readonly path: string;
  readonly schemaVersion: number;
  readonly builtAt: string;
  /** Whole days between the build and `now`. */
  readonly ageDays: number;
  readonly advisories: number;
  readonly affected: number;
  readonly ecosystems: readonly { readonly ecosystem: string; readonly entries: number }[];
  readonly kev: number;
  readonly epss: number;
  readonly sources: readonly DbSource[];
}

/** Age past which commands warn that the database is stale (they never fail on it). */
export const STALE_AFTER_DAYS = 7;

/** The SQLite vulnerability database, open for matching. */
export class VulnDb implements AdvisoryLookup {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly affectedStmt: Database.Statement<[string, string]>;
  private readonly advisoryStmt: Database.Statement<[string]>;
  private readonly aliasStmt: Database.Statement<[string]>;
  private readonly kevStmt: Database.Statement<[string]>;
  private readonly epssStmt: Database.Statement<[string]>;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
    this.affectedStmt = db.prepare('SELECT advisory, ecosystem, package, data FROM affected WHERE ecosystem = ? AND package = ?');
    this.advisoryStmt = db.prepare('SELECT data FROM advisories WHERE id = ?');
    this.aliasStmt = db.prepare('SELECT a.data FROM aliases x JOIN advisories a ON a.id = x.id WHERE x.alias = ?');
    this.kevStmt = db.prepare('SELECT cve, date_added, ransomware FROM kev WHERE cve = ?');
    this.epssStmt = db.prepare('SELECT score FROM epss WHERE cve = ?');
  }

  /**
   * Opens a database built by `palisade db build`.
   *
   * @example
   * const db = VulnDb.open(defaultDbPath());
   */
  static open(path: string): VulnDb {
    if (!existsSync(path))
      throw new PalisadeError(
        'path-not-found',
        `no vulnerability database at ${path}: build one with palisade db build --osv DIR_OR_ZIP (see docs/vulnerabilities.md)`,
      );
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
      const version = Number(row?.value);
      if (version !== SCHEMA_VERSION) {
        db.close();
        throw new PalisadeError(
          'config-invalid',
          `${path}: database schema ${row?.value ?? 'unknown'}, this palisade reads schema ${SCHEMA_VERSION}: rebuild it with palisade db build`,
        );
      }
    } catch (err) {
      if (err instanceof PalisadeError) throw err;
      throw new PalisadeError('config-invalid', `${path}: not a Palisade vulnerability database (${err instanceof Error ? err.message : String(err)})`);
    }
    return new VulnDb(path, db);
  }

  affected(ecosystem: string, name: string): AffectedPackage[] {
    const rows = this.affectedStmt.all(ecosystem, name) as { advisory: string; ecosystem: string; package: string; data: string }[];
    return rows.map((r) => ({
      ...(JSON.parse(r.data) as Omit<AffectedPackage, 'advisory' | 'ecosystem' | 'name'>),
      advisory: r.advisory,
      ecosystem: r.ecosystem,
      name: r.package,
    }));
  }

  advisory(id: string): AdvisoryRecord | undefined {
    const row = this.advisoryStmt.get(id) as { data: string } | undefined;
    return row !== undefined ? (JSON.parse(row.data) as AdvisoryRecord) : undefined;
  }

  related(ids: readonly string[]): AdvisoryRecord[] {
    const out = new Map<string, AdvisoryRecord>();
    for (const id of ids) {
      const direct = this.advisory(id);
      if (direct !== undefined) out.set(direct.id, direct);
      for (const row of this.aliasStmt.all(id) as { data: string }[]) {
        const r = JSON.parse(row.data) as AdvisoryRecord;
        out.set(r.id, r);
      }
    }
    return [...out.values()];
  }

  kev(ids: readonly string[]): KevEntry | undefined {
    for (const id of ids) {
      if (!id.startsWith('CVE-')) continue;
      const row = this.kevStmt.get(id) as { cve: string; date_added: string | null; ransomware: number } | undefined;
      if (row !== undefined) return { cve: row.cve, ...(row.date_added !== null ? { dateAdded: row.date_added } : {}), ransomware: row.ransomware === 1 };
    }
    return undefined;
  }

  epss(ids: readonly string[]): number | undefined {
    for (const id of ids) {
      if (!id.startsWith('CVE-')) continue;
      const row = this.epssStmt.get(id) as { score: number } | undefined;
      if (row !== undefined) return row.score;
    }
    return undefined;
  }

  /**
   * What the database holds and how old it is.
   *
   * @example
   * VulnDb.open(path).status().ageDays; // 2
   */
  status(now: Date = new Date()): DbStatus {
    const meta = new Map((this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const builtAt = meta.get('built_at') ?? '';
    const built = Date.parse(builtAt);
    const count = (sql: string): number => (this.db.prepare(sql).get() as { n: number }).n;
    const sources = (
      this.db.prepare('SELECT kind, path, records, newest, detail FROM sources').all() as {
        kind: string;
        path: string;
        records: number;
        newest: string | null;
        detail: string | null;
      }[]
    ).map((s) => ({
      kind: s.kind,
      path: s.path,
      records: s.records,
      ...(s.newest !== null ? { newest: s.newest } : {}),
      ...(s.detail !== null ? { detail: s.detail } : {}),
    }));
    const ecosystems = (
      this.db.prepare('SELECT ecosystem, count(*) AS n FROM affected GROUP BY ecosystem ORDER BY ecosystem').all() as { ecosystem: string; n: number }[]
    ).map((r) => ({ ecosystem: r.ecosystem, entries: r.n }));
    return {
      path: this.path,
      schemaVersion: Number(meta.get('schema_version')),
      builtAt,
      ageDays: Number.isFinite(built) ? Math.max(0, Math.floor((now.getTime() - built) / 86_400_000)) : Number.POSITIVE_INFINITY,
      advisories: count('SELECT count(*) AS n FROM advisories'),
      affected: count('SELECT count(*) AS n FROM affected'),
      ecosystems,
      kev: count('SELECT count(*) AS n FROM kev'),
      epss: count('SELECT count(*) AS n FROM epss'),
      sources,
    };
  }

  close(): void {
    this.db.close();
  }
}
