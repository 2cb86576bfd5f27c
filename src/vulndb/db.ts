/**
 * Reading the vulnerability database: the {@link AdvisoryLookup} the matcher uses, backed by
 * prepared statements on the (ecosystem, package) index, and the status `palisade db status`
 * shows. Opened read-only; a file of another schema version is refused with a rebuild hint.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PalisadeError } from '../core/errors.js';
import type { AdvisoryRecord, AffectedPackage, SeverityScore } from '../vuln/advisory.js';
import type { AdvisoryLookup, Enrichment } from '../vuln/match.js';
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
  private readonly enrichmentStmt: Database.Statement<[string]>;
  /** Records read with their package entries, so that the matcher's advisory() needs no query. */
  private readonly records = new Map<string, AdvisoryRecord | undefined>();

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
    this.affectedStmt = db.prepare('SELECT entries FROM packages WHERE ecosystem = ? AND package = ?');
    this.advisoryStmt = db.prepare('SELECT data FROM advisories WHERE id = ?');
    this.enrichmentStmt = db.prepare('SELECT e.id, severity, label, kev_date, ransomware, epss FROM json_each(?) j JOIN enrichment e ON e.id = j.value');
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
    const row = this.affectedStmt.get(ecosystem, name) as { entries: string } | undefined;
    if (row === undefined) return [];
    const entries = JSON.parse(row.entries) as {
      advisory: string;
      data: Omit<AffectedPackage, 'advisory' | 'ecosystem' | 'name'>;
      record: AdvisoryRecord | null;
    }[];
    return entries.map((e) => {
      if (!this.records.has(e.advisory)) this.records.set(e.advisory, e.record ?? undefined);
      return { ...e.data, advisory: e.advisory, ecosystem, name };
    });
  }

  advisory(id: string): AdvisoryRecord | undefined {
    if (this.records.has(id)) return this.records.get(id);
    const row = this.advisoryStmt.get(id) as { data: string } | undefined;
    const record = row !== undefined ? (JSON.parse(row.data) as AdvisoryRecord) : undefined;
    this.records.set(id, record);
    return record;
  }

  enrichment(ids: readonly string[]): Map<string, Enrichment> {
    const out = new Map<string, Enrichment>();
    if (ids.length === 0) return out;
    type Row = { id: string; severity: string | null; label: string | null; kev_date: string | null; ransomware: number | null; epss: number | null };
    for (const row of this.enrichmentStmt.all(JSON.stringify(ids)) as Row[]) {
      const kev =
        row.ransomware !== null ? { cve: row.id, ...(row.kev_date !== null ? { dateAdded: row.kev_date } : {}), ransomware: row.ransomware === 1 } : undefined;
      out.set(row.id, {
        ...(row.severity !== null ? { severity: JSON.parse(row.severity) as SeverityScore[] } : {}),
        ...(row.label !== null ? { severityLabel: row.label } : {}),
        ...(kev !== undefined ? { kev } : {}),
        ...(row.epss !== null ? { epss: row.epss } : {}),
      });
    }
    return out;
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
      this.db.prepare('SELECT ecosystem, sum(count) AS n FROM packages GROUP BY ecosystem ORDER BY ecosystem').all() as { ecosystem: string; n: number }[]
    ).map((r) => ({ ecosystem: r.ecosystem, entries: r.n }));
    return {
      path: this.path,
      schemaVersion: Number(meta.get('schema_version')),
      builtAt,
      ageDays: Number.isFinite(built) ? Math.max(0, Math.floor((now.getTime() - built) / 86_400_000)) : Number.POSITIVE_INFINITY,
      advisories: count('SELECT count(*) AS n FROM advisories'),
      affected: count('SELECT coalesce(sum(count), 0) AS n FROM packages'),
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
