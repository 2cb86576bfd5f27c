/**
 * The database layout. Bump SCHEMA_VERSION when a table or a stored JSON shape changes:
 * an older or newer file is then refused with a message to rebuild it (`palisade db build`),
 * never misread.
 */
export const SCHEMA_VERSION = 2;

export const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (kind TEXT NOT NULL, path TEXT NOT NULL, records INTEGER NOT NULL, newest TEXT, detail TEXT);
CREATE TABLE advisories (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE aliases (alias TEXT NOT NULL, id TEXT NOT NULL);
CREATE TEMP TABLE affected (ecosystem TEXT NOT NULL, package TEXT NOT NULL, advisory TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE packages (ecosystem TEXT NOT NULL, package TEXT NOT NULL, ceiling TEXT, ceiling_inclusive INTEGER, count INTEGER NOT NULL, entries TEXT NOT NULL, records TEXT NOT NULL);
CREATE TEMP TABLE ceilings (ecosystem TEXT NOT NULL, package TEXT NOT NULL, ceiling TEXT, inclusive INTEGER, PRIMARY KEY (ecosystem, package));
CREATE TABLE kev (cve TEXT PRIMARY KEY, date_added TEXT, ransomware INTEGER NOT NULL);
CREATE TABLE epss (cve TEXT PRIMARY KEY, score REAL NOT NULL, percentile REAL);
CREATE TABLE enrichment (id TEXT PRIMARY KEY, severity TEXT, label TEXT, kev_date TEXT, ransomware INTEGER, epss REAL);
`;

/**
 * `affected` is a staging table of the build (TEMP: never written to the file): one row per
 * advisory entry. The build folds it into `packages`, one row per (ecosystem, package): its
 * entries as one JSON array, each with what grouping and judging need from its advisory record
 * (`identity`, the CVE it is about; `withdrawn`), and the advisory records themselves in a second
 * JSON column (`records`, an object by id). A match costs one indexed read and one small
 * JSON.parse per installed package; the records (summaries, aliases, CVSS vectors: most of the
 * bytes) are parsed only for the packages that have findings.
 * (Schema 1 held the records inside the entries: every lookup parsed them.)
 *
 * `ceiling` is the highest version any entry of the package can affect (`ceiling_inclusive`:
 * that version itself too), NULL when some entry is open-ended: an installed version above it
 * needs neither the entries nor their parse (src/vuln/ranges.ts `upperBound`). Stored before
 * the JSON columns, so that reading it touches no overflow page.
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
