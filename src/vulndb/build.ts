/**
 * `palisade db build`: reads the feeds the user downloaded (OSV directories or `all.zip`
 * files, the Debian security tracker, Alpine secdb, CISA KEV, EPSS) and writes one SQLite
 * database. Offline by design: no network access. The file is written beside the target and
 * renamed over it at the end, so a failed build never leaves a half-written database in use.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { parse as parseYaml } from 'yaml';
import yauzl from 'yauzl';
import { PalisadeError } from '../core/errors.js';
import type { AdvisoryRecord, AffectedPackage, SeverityScore } from '../vuln/advisory.js';
import { FeedError, type FeedChunk, parseAlpineSecdb, parseDebianList, parseDebianTrackerJson, parseEpss, parseKev, parseOsv } from './feeds.js';
import { evaluateAffected, higherBound, type UpperBound, upperBound } from '../vuln/ranges.js';
import { comparatorFor } from '../vuln/versions.js';
import { INDEXES, SCHEMA, SCHEMA_VERSION } from './schema.js';

export interface BuildOptions {
  /** OSV directories (searched recursively for .json/.yaml/.yml records), `all.zip` files or single records. */
  readonly osv: readonly string[];
  /** Debian security tracker JSON export, or DSA/DLA list files (plain or .gz). */
  readonly debianTracker?: readonly string[];
  /** Alpine secdb directories (searched for .json/.yaml) or files. */
  readonly alpineSecdb?: readonly string[];
  readonly kev?: string;
  readonly epss?: string;
  readonly out: string;
  /** Build time recorded in the database (tests pin it). */
  readonly now?: Date;
}

export interface SourceSummary {
  readonly kind: string;
  readonly path: string;
  readonly records: number;
  readonly newest?: string;
  readonly detail?: string;
}

export interface BuildSummary {
  readonly out: string;
  readonly advisories: number;
  readonly affected: number;
  readonly kev: number;
  readonly epss: number;
  readonly sources: readonly SourceSummary[];
  /** Files or records skipped, one line each (the first 20 are kept). */
  readonly warnings: readonly string[];
  readonly skipped: number;
}

/** Reads a file, gunzipping `.gz`. */
function readText(path: string): string {
  const raw = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

function parseDoc(text: string, file: string): unknown {
  try {
    // Every YAML scalar as a string (failsafe schema): versions such as 2.10 must not become numbers.
    return /\.ya?ml(\.gz)?$/.test(file) ? parseYaml(text, { schema: 'failsafe' }) : JSON.parse(text);
  } catch (err) {
    throw new FeedError(`${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

function walk(dir: string, accept: (name: string) => boolean, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, accept, out);
    else if (e.isFile() && accept(e.name)) out.push(p);
  }
  return out;
}

function mustExist(path: string, flag: string): void {
  if (!existsSync(path)) throw new PalisadeError('path-not-found', `${flag} ${path}: no such file or directory`);
}

/** Yields the JSON entries of an OSV `all.zip`, one at a time (the archive is never unpacked). */
async function* zipEntries(path: string): AsyncGenerator<{ name: string; text: string }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, z) => (err || z === undefined ? reject(err ?? new Error('cannot open')) : resolve(z))),
  ).catch((err: unknown) => {
    throw new FeedError(`${path}: not a readable zip archive (${err instanceof Error ? err.message : String(err)})`);
  });
  const queue: Array<{ name: string; text: string } | Error | null> = [];
  let wake: (() => void) | undefined;
  const push = (x: { name: string; text: string } | Error | null): void => {
    queue.push(x);
    wake?.();
  };
  zip.on('entry', (entry: yauzl.Entry) => {
    if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) {
      zip.readEntry();
      return;
    }
    zip.openReadStream(entry, (err, stream) => {
      if (err || stream === undefined) return push(err ?? new Error(`cannot read ${entry.fileName}`));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (e) => push(e));
      stream.on('end', () => push({ name: entry.fileName, text: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  zip.on('end', () => push(null));
  zip.on('error', (e: Error) => push(e));
  zip.readEntry();
  for (;;) {
    if (queue.length === 0) await new Promise<void>((r) => (wake = r));
    wake = undefined;
    const next = queue.shift();
    if (next === undefined) continue;
    if (next === null) return;
    if (next instanceof Error) throw new FeedError(`${path}: ${next.message}`);
    yield next;
    zip.readEntry();
  }
}

/**
 * Builds the database and returns what went in.
 *
 * @example
 * await buildVulnDb({ osv: ['osv/PyPI/all.zip'], kev: 'known_exploited_vulnerabilities.json', out: defaultDbPath() });
 */
export async function buildVulnDb(options: BuildOptions): Promise<BuildSummary> {
  for (const p of options.osv) mustExist(p, '--osv');
  for (const p of options.debianTracker ?? []) mustExist(p, '--debian-tracker');
  for (const p of options.alpineSecdb ?? []) mustExist(p, '--alpine-secdb');
  if (options.kev !== undefined) mustExist(options.kev, '--kev');
  if (options.epss !== undefined) mustExist(options.epss, '--epss');
  if (options.osv.length + (options.debianTracker?.length ?? 0) + (options.alpineSecdb?.length ?? 0) === 0)
    throw new PalisadeError('usage', 'nothing to build from: give at least one of --osv, --debian-tracker, --alpine-secdb');

  mkdirSync(dirname(options.out), { recursive: true });
  const tmp = `${options.out}.building-${process.pid}`;
  rmSync(tmp, { force: true });
  const db = new Database(tmp);
  try {
    // A fresh file renamed into place at the end: no journal needed, and no WAL side files to ship.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(SCHEMA);
    const summary = await fill(db, options);
    db.exec(INDEXES);
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('schema_version', String(SCHEMA_VERSION));
    meta.run('built_at', (options.now ?? new Date()).toISOString());
    db.exec('ANALYZE');
    db.close();
    renameSync(tmp, options.out);
    return { ...summary, out: options.out };
  } catch (err) {
    if (db.open) db.close();
    rmSync(tmp, { force: true });
    if (err instanceof FeedError) throw new PalisadeError('config-invalid', err.message);
    throw err;
  }
}

async function fill(db: Database.Database, options: BuildOptions): Promise<Omit<BuildSummary, 'out'>> {
  const insertAdvisory = db.prepare('INSERT OR REPLACE INTO advisories (id, data) VALUES (?, ?)');
  const insertAlias = db.prepare('INSERT INTO aliases (alias, id) VALUES (?, ?)');
  const insertAffected = db.prepare('INSERT INTO affected (ecosystem, package, advisory, data) VALUES (?, ?, ?, ?)');
  const insertSource = db.prepare('INSERT INTO sources (kind, path, records, newest, detail) VALUES (?, ?, ?, ?, ?)');
  const warnings: string[] = [];
  let skipped = 0;
  const warn = (w: string): void => {
    skipped++;
    if (warnings.length < 20) warnings.push(w);
  };
  // Distro feeds describe a CVE in several files (DSA and DLA, three Alpine branches): merge
  // those records in memory and write them once at the end. OSV ids are unique: written at once.
  const merged = new Map<string, AdvisoryRecord>();
  // Severities stated by records, under each of their ids, for findings whose own feed has none.
  const severities = new Map<string, { severity: SeverityScore[]; label?: string }>();
  const noteSeverity = (r: AdvisoryRecord): void => {
    if (r.severity.length === 0 && r.severityLabel === undefined) return;
    for (const id of [r.id, ...r.aliases]) {
      const prev = severities.get(id);
      if (prev === undefined) severities.set(id, { severity: [...r.severity], ...(r.severityLabel !== undefined ? { label: r.severityLabel } : {}) });
      else {
        prev.severity.push(...r.severity);
        if (prev.label === undefined && r.severityLabel !== undefined) prev.label = r.severityLabel;
      }
    }
  };
  const osvIds = new Set<string>();
  let affectedCount = 0;
  const sources: SourceSummary[] = [];

  // Per (ecosystem, package): the highest version its entries can affect; undefined once one is open-ended.
  const ceilings = new Map<string, { ecosystem: string; name: string; bound: UpperBound | null | undefined }>();
  const writeAffected = (entry: AffectedPackage): void => {
    const a = pruneVersions(entry);
    const { advisory, ecosystem, name, ...rest } = a;
    insertAffected.run(ecosystem, name, advisory, JSON.stringify(rest));
    affectedCount++;
    const key = `${ecosystem}\u0000${name}`;
    const compare = comparatorFor(ecosystem);
    const b = upperBound(a, compare);
    const c = ceilings.get(key);
    if (c === undefined) ceilings.set(key, { ecosystem, name, bound: b });
    else if (c.bound !== undefined && compare !== undefined) {
      if (b === undefined) c.bound = undefined;
      else if (b !== null) c.bound = higherBound(c.bound, b, compare);
    }
  };
  const addChunk = (chunk: FeedChunk, file: string): { records: number; newest?: string } => {
    let newest: string | undefined;
    for (const r of chunk.records) {
      const date = r.modified ?? r.published;
      // Go's repository copy dates every record 0001-01-01: not a date worth showing.
      if (date !== undefined && !date.startsWith('0001') && (newest === undefined || date > newest)) newest = date;
      if (r.source === 'osv') {
        if (osvIds.has(r.id)) {
          warn(`${file}: ${r.id} already read from another file: skipped`);
          return { records: 0 };
        }
        osvIds.add(r.id);
        noteSeverity(r);
        insertAdvisory.run(r.id, JSON.stringify(r));
        for (const alias of r.aliases) insertAlias.run(alias, r.id);
      } else {
        const prev = merged.get(r.id);
        merged.set(r.id, prev === undefined ? r : mergeRecords(prev, r));
      }
    }
    for (const a of chunk.affected) writeAffected(a);
    return { records: chunk.records.length, ...(newest !== undefined ? { newest } : {}) };
  };
  const newer = (a: string | undefined, b: string | undefined): string | undefined => (a === undefined ? b : b === undefined ? a : a > b ? a : b);

  db.exec('BEGIN');
  for (const input of options.osv) {
    let records = 0;
    let newest: string | undefined;
    const take = (doc: unknown, file: string): void => {
      // Non-record files sit beside the records in some repositories (pypa's triage lists).
      if (doc === null || typeof doc !== 'object' || !('id' in doc)) {
        warn(`${file}: not an OSV record (no id): skipped`);
        return;
      }
      try {
        const r = addChunk(parseOsv(doc, file), file);
        records += r.records;
        newest = newer(newest, r.newest);
      } catch (err) {
        if (!(err instanceof FeedError)) throw err;
        warn(err.message);
      }
    };
    const parseEntry = (text: string, file: string): void => {
      try {
        take(parseDoc(text, file), file);
      } catch (err) {
        if (!(err instanceof FeedError)) throw err;
        warn(err.message);
      }
    };
    if (statSync(input).isDirectory()) {
      for (const f of walk(input, (n) => /\.(json|ya?ml)$/.test(n))) parseEntry(readFileSync(f, 'utf8'), f);
    } else if (extname(input) === '.zip') {
      for await (const e of zipEntries(input)) parseEntry(e.text, `${input}:${e.name}`);
    } else parseEntry(readText(input), input);
    if (records === 0) warn(`--osv ${input}: no OSV records found`);
    sources.push({ kind: 'osv', path: input, records, ...(newest !== undefined ? { newest } : {}) });
  }
  for (const input of options.debianTracker ?? []) {
    const text = readText(input);
    const chunk = text.trimStart().startsWith('{') ? parseDebianTrackerJson(parseDoc(text, input), input) : parseDebianList(text, input);
    const r = addChunk(chunk, input);
    const kind = chunk.records[0]?.source ?? 'debian-tracker';
    sources.push({
      kind,
      path: input,
      records: r.records,
      ...(r.newest !== undefined ? { newest: r.newest } : {}),
      detail: `${chunk.affected.length} package entries`,
    });
  }
  for (const input of options.alpineSecdb ?? []) {
    const files = statSync(input).isDirectory() ? walk(input, (n) => /\.(json|ya?ml)$/.test(n)) : [input];
    for (const f of files) {
      const chunk = parseAlpineSecdb(parseDoc(readText(f), f), f);
      const r = addChunk(chunk, f);
      sources.push({ kind: 'alpine-secdb', path: f, records: r.records, detail: `${chunk.affected.length} package entries` });
    }
  }
  const insertMerged = db.prepare('INSERT OR IGNORE INTO advisories (id, data) VALUES (?, ?)');
  for (const r of merged.values()) {
    // An OSV record of the same id says more than a distro feed's stub: it wins.
    if (insertMerged.run(r.id, JSON.stringify(r)).changes === 0) continue;
    for (const alias of r.aliases) insertAlias.run(alias, r.id);
  }
  let kevCount = 0;
  if (options.kev !== undefined) {
    const kev = parseKev(parseDoc(readText(options.kev), options.kev), options.kev);
    const ins = db.prepare('INSERT OR REPLACE INTO kev (cve, date_added, ransomware) VALUES (?, ?, ?)');
    for (const row of kev.rows) ins.run(row.cve, row.dateAdded ?? null, row.ransomware ? 1 : 0);
    kevCount = kev.rows.length;
    sources.push({
      kind: 'kev',
      path: options.kev,
      records: kevCount,
      ...(kev.released !== undefined ? { newest: kev.released } : {}),
      ...(kev.version !== undefined ? { detail: `catalog ${kev.version}` } : {}),
    });
  }
  let epssCount = 0;
  if (options.epss !== undefined) {
    const epss = parseEpss(readText(options.epss), options.epss);
    const ins = db.prepare('INSERT OR REPLACE INTO epss (cve, score, percentile) VALUES (?, ?, ?)');
    for (const row of epss.rows) ins.run(row.cve, row.score, row.percentile ?? null);
    epssCount = epss.rows.length;
    sources.push({ kind: 'epss', path: options.epss, records: epssCount, ...(epss.date !== undefined ? { newest: epss.date } : {}) });
  }
  const insertCeiling = db.prepare('INSERT INTO ceilings (ecosystem, package, ceiling, inclusive) VALUES (?, ?, ?, ?)');
  for (const c of ceilings.values()) {
    // An entry that affects nothing (bound null) sets no ceiling of its own: the package is above it whatever its version, '0' excluded.
    const b = c.bound === null ? { version: '0', inclusive: true } : c.bound;
    insertCeiling.run(c.ecosystem, c.name, b?.version ?? null, b === undefined ? null : b.inclusive ? 1 : 0);
  }
  // Fold the staged entries into one row per package: the entries, each with the identity it is
  // grouped under (the record's id when a CVE, else its first CVE alias, else its id: as
  // src/vuln/match.ts groups) and whether its record is withdrawn; and the records apart.
  db.exec(`INSERT INTO packages (ecosystem, package, ceiling, ceiling_inclusive, count, entries, records)
    SELECT f.ecosystem, f.package, (SELECT c.ceiling FROM ceilings c WHERE c.ecosystem = f.ecosystem AND c.package = f.package),
      (SELECT c.inclusive FROM ceilings c WHERE c.ecosystem = f.ecosystem AND c.package = f.package), count(*),
      json_group_array(json_set(json(f.data), '$.advisory', f.advisory, '$.identity', f.identity, '$.withdrawn', json(f.withdrawn))),
      json_group_object(f.advisory, json(coalesce(f.record, 'null')))
    FROM (
      SELECT a.rowid AS r, a.ecosystem, a.package, a.advisory, a.data, v.data AS record,
        CASE
          WHEN v.data IS NULL THEN a.advisory
          WHEN substr(json_extract(v.data, '$.id'), 1, 4) = 'CVE-' THEN json_extract(v.data, '$.id')
          ELSE coalesce((SELECT j.value FROM json_each(v.data, '$.aliases') j WHERE substr(j.value, 1, 4) = 'CVE-' ORDER BY j.key LIMIT 1), json_extract(v.data, '$.id'))
        END AS identity,
        CASE WHEN json_extract(v.data, '$.withdrawn') IS NOT NULL THEN 'true' ELSE 'false' END AS withdrawn
      FROM affected a LEFT JOIN advisories v ON v.id = a.advisory ORDER BY a.rowid
    ) f
    GROUP BY f.ecosystem, f.package`);
  const insertSeverity = db.prepare('INSERT INTO enrichment (id, severity, label) VALUES (?, ?, ?)');
  for (const [id, s] of severities) insertSeverity.run(id, s.severity.length > 0 ? JSON.stringify(s.severity) : null, s.label ?? null);
  db.exec(`INSERT INTO enrichment (id, kev_date, ransomware) SELECT cve, date_added, ransomware FROM kev WHERE true
    ON CONFLICT (id) DO UPDATE SET kev_date = excluded.kev_date, ransomware = excluded.ransomware`);
  db.exec('INSERT INTO enrichment (id, epss) SELECT cve, score FROM epss WHERE true ON CONFLICT (id) DO UPDATE SET epss = excluded.epss');
  for (const s of sources) insertSource.run(s.kind, s.path, s.records, s.newest ?? null, s.detail ?? null);
  db.exec('COMMIT');
  const advisories = (db.prepare('SELECT count(*) AS n FROM advisories').get() as { n: number }).n;
  return { advisories, affected: affectedCount, kev: kevCount, epss: epssCount, sources, warnings, skipped };
}

/**
 * Drops an entry's `versions` list when its ranges already cover every listed version: OSV
 * producers list both, and the lists (hundreds of versions per PyPI entry) would otherwise be
 * stored and parsed on every match. A list that says more than the ranges is kept whole.
 */
export function pruneVersions(entry: AffectedPackage): AffectedPackage {
  if (entry.versions.length === 0 || !entry.ranges.some((r) => r.type === 'ECOSYSTEM' || r.type === 'SEMVER')) return entry;
  const compare = comparatorFor(entry.ecosystem);
  if (compare === undefined) return entry;
  const rangesOnly = { ...entry, versions: [] };
  for (const v of entry.versions) if (evaluateAffected(rangesOnly, v, compare).affected !== true) return entry;
  return rangesOnly;
}

function mergeRecords(a: AdvisoryRecord, b: AdvisoryRecord): AdvisoryRecord {
  const aliases = [...new Set([...a.aliases, ...b.aliases])].filter((x) => x !== a.id);
  const summary = a.summary ?? b.summary;
  const dates = [a.published, b.published].filter((d): d is string => d !== undefined).sort();
  const published = dates[0];
  return { ...a, aliases, ...(summary !== undefined ? { summary } : {}), ...(published !== undefined ? { published } : {}) };
}
