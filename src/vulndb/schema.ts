/**
 * The database layout. Bump SCHEMA_VERSION when a table or a stored JSON shape changes:
 * an older or newer file is then refused with a message to rebuild it (`palisade db build`),
 * never misread.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (kind TEXT NOT NULL, path TEXT NOT NULL, records INTEGER NOT NULL, newest TEXT, detail TEXT);
CREATE TABLE advisories (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE aliases (alias TEXT NOT NULL, id TEXT NOT NULL);
CREATE TEMP TABLE affected (ecosystem TEXT NOT NULL, package TEXT NOT NULL, advisory TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE packages (ecosystem TEXT NOT NULL, package TEXT NOT NULL, entries TEXT NOT NULL, count INTEGER NOT NULL);
CREATE TABLE kev (cve TEXT PRIMARY KEY, date_added TEXT, ransomware INTEGER NOT NULL);
CREATE TABLE epss (cve TEXT PRIMARY KEY, score REAL NOT NULL, percentile REAL);
CREATE TABLE enrichment (id TEXT PRIMARY KEY, severity TEXT, label TEXT, kev_date TEXT, ransomware INTEGER, epss REAL);
`;

/**
 * `affected` is a staging table of the build (TEMP: never written to the file): one row per
 * advisory entry. The build folds it into `packages`, one row per (ecosystem, package) holding
 * every entry with its advisory record as one JSON array, so a match costs one indexed read and
 * one JSON.parse per installed package instead of a row and a parse per entry.
 *
 * `enrichment` joins, per vulnerability id (every id and alias of a record that states a
 * severity, every KEV and EPSS CVE), what the matcher adds to a finding: one point query per
 * finding instead of one per feed.
 */

/** Built after the bulk insert: cheaper than maintaining them row by row. */
export const INDEXES = `
CREATE UNIQUE INDEX packages_key ON packages (ecosystem, package);
CREATE INDEX aliases_alias ON aliases (alias);
`;
