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
import { aboveBound } from '../vuln/ranges.js';
import { comparatorFor } from '../vuln/versions.js';
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
  private readonly headStmt: Database.Statement<[string, string]>;
  private readonly affectedStmt: Database.Statement<[number]>;
  private readonly headManyStmt: Database.Statement<[string, string]>;
  private readonly affectedManyStmt: Database.Statement<[string]>;
  private readonly advisoryStmt: Database.Statement<[string]>;
  private readonly enrichmentStmt: Database.Statement<[string]>;
  /** Records already parsed, so that the matcher's advisory() needs no query. */
  private readonly records = new Map<string, AdvisoryRecord | undefined>();
  /**
   * The records column of each package row read, unparsed, by advisory id: most packages have
   * no finding, and their records (most of a row's bytes) are then never parsed.
   */
  private readonly pendingRecords = new Map<string, { text: string; parsed: boolean }>();

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
    this.headStmt = db.prepare('SELECT rowid AS id, ceiling, ceiling_inclusive AS inclusive FROM packages WHERE ecosystem = ? AND package = ?');
    this.affectedStmt = db.prepare('SELECT entries, records FROM packages WHERE rowid = ?');
    // Batched forms: one query per ecosystem for the heads, one for the rows still needed.
    this.headManyStmt = db.prepare(
      'SELECT p.package AS name, p.rowid AS id, p.ceiling, p.ceiling_inclusive AS inclusive FROM json_each(?) j JOIN packages p ON p.ecosystem = ? AND p.package = j.value',
    );
    this.affectedManyStmt = db.prepare('SELECT rowid AS id, entries, records FROM packages WHERE rowid IN (SELECT value FROM json_each(?))');
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

  /**
   * The entries of a package; none, without reading them, when `version` is above the highest
   * version they can affect (the package's stored ceiling).
   */
  affected(ecosystem: string, name: string, version?: string): AffectedPackage[] {
    const head = this.headStmt.get(ecosystem, name) as { id: number; ceiling: string | null; inclusive: number | null } | undefined;
    if (head === undefined) return [];
    if (version !== undefined && head.ceiling !== null) {
      const compare = comparatorFor(ecosystem);
      if (compare !== undefined && aboveBound(version, { version: head.ceiling, inclusive: head.inclusive === 1 }, compare)) return [];
    }
    const row = this.affectedStmt.get(head.id) as { entries: string; records: string } | undefined;
    return row === undefined ? [] : this.entriesOf(row, ecosystem, name);
  }

  /**
   * {@link affected} for many packages at once: one query per ecosystem and one for the rows
   * still needed after the ceilings, instead of two per package.
   */
  affectedMany(keys: readonly { readonly ecosystem: string; readonly name: string; readonly version?: string }[]): AffectedPackage[][] {
    const out: AffectedPackage[][] = keys.map(() => []);
    const byEcosystem = new Map<string, number[]>();
    for (let i = 0; i < keys.length; i++) {
      const eco = (keys[i] as (typeof keys)[number]).ecosystem;
      const list = byEcosystem.get(eco);
      if (list === undefined) byEcosystem.set(eco, [i]);
      else list.push(i);
    }
    const wanted = new Map<number, number[]>();
    type Head = { name: string; id: number; ceiling: string | null; inclusive: number | null };
    for (const [ecosystem, indexes] of byEcosystem) {
      const names = [...new Set(indexes.map((i) => (keys[i] as (typeof keys)[number]).name))];
      const heads = new Map((this.headManyStmt.all(JSON.stringify(names), ecosystem) as Head[]).map((h) => [h.name, h]));
      const compare = comparatorFor(ecosystem);
      for (const i of indexes) {
        const key = keys[i] as (typeof keys)[number];
        const head = heads.get(key.name);
        if (head === undefined) continue;
        if (key.version !== undefined && head.ceiling !== null && compare !== undefined) {
          if (aboveBound(key.version, { version: head.ceiling, inclusive: head.inclusive === 1 }, compare)) continue;
        }
        const list = wanted.get(head.id);
        if (list === undefined) wanted.set(head.id, [i]);
        else list.push(i);
      }
    }
    if (wanted.size === 0) return out;
    for (const row of this.affectedManyStmt.all(JSON.stringify([...wanted.keys()])) as { id: number; entries: string; records: string }[]) {
      for (const i of wanted.get(row.id) ?? []) {
        const key = keys[i] as (typeof keys)[number];
        out[i] = this.entriesOf(row, key.ecosystem, key.name);
      }
    }
    return out;
  }

  private entriesOf(row: { entries: string; records: string }, ecosystem: string, name: string): AffectedPackage[] {
    // Stored in their final shape but for the key: completed in place, no copies.
    const entries = JSON.parse(row.entries) as { -readonly [K in keyof AffectedPackage]: AffectedPackage[K] }[];
    const pending = { text: row.records, parsed: false };
    for (const e of entries) {
      e.ecosystem = ecosystem;
      e.name = name;
      if (!this.records.has(e.advisory)) this.pendingRecords.set(e.advisory, pending);
    }
    return entries;
  }

  advisory(id: string): AdvisoryRecord | undefined {
    if (this.records.has(id)) return this.records.get(id);
    const pending = this.pendingRecords.get(id);
    if (pending !== undefined && !pending.parsed) {
      pending.parsed = true;
      for (const [k, r] of Object.entries(JSON.parse(pending.text) as Record<string, AdvisoryRecord | null>))
        if (!this.records.has(k)) this.records.set(k, r ?? undefined);
      if (this.records.has(id)) return this.records.get(id);
    }
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
