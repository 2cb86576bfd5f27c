/**
 * Versioned schema migrations, one ordered list per dialect with the same versions. Applied
 * versions are rows of `schema_migrations`; `migrate` runs the missing ones in order, each in
 * its own transaction, and refuses a database whose schema is newer than this code knows
 * (an older palisade against a store an upgraded one migrated).
 *
 * Layout, the same in both dialects (times are epoch milliseconds):
 * - `clusters`; `scans` (with their per-severity open counts and the idempotency key);
 * - `checks`: a check's name, title, category and frameworks once, not once per finding;
 * - `findings`: one row per (cluster, fingerprint) with `status` 0 open / 1 resolved,
 *   `severity` 0 critical .. 4 info, `prio` (severity then risk rank: the default sort key),
 *   `namespace` '' for cluster-scoped objects, first/last seen and resolved at, and a hash of
 *   the stored content (a scan rewrites only the findings whose content changed);
 * - `events`: state changes of findings; `open_counts`: open findings per cluster, severity and
 *   waived or not, in total (`dim` 'all') and per namespace, check and kind (`dim` and `key`),
 *   kept current by each scan, from which the list's totals, scan counts and trend points are
 *   read without counting a million rows; `scan_counts`: the trend points;
 * - `exceptions`, `tokens` (SHA-256 hashes), `audit`, `cluster_state` (the latest snapshot).
 *
 * Indexes: every findings index leads with (cluster_id, status), then a sort key and `rid`;
 * the list query reads one (cluster, status) branch per index range and merges the branches.
 */

/** One migration: the same version and purpose in both dialects. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

const FINDING_INDEXES = `
CREATE INDEX findings_by_prio ON findings (cluster_id, status, prio, rid);
CREATE INDEX findings_by_first ON findings (cluster_id, status, first_seen, rid);
CREATE INDEX findings_by_last ON findings (cluster_id, status, last_seen, rid);
CREATE INDEX findings_by_check ON findings (cluster_id, status, check_id, prio, rid);
CREATE INDEX findings_by_resource ON findings (cluster_id, status, namespace, kind, name, rid);
CREATE INDEX events_by_finding ON events (finding_rid, id);
CREATE INDEX events_by_scan ON events (scan_id);
CREATE INDEX scans_by_cluster ON scans (cluster_id, id);
CREATE INDEX scans_by_time ON scans (finished_at);
CREATE INDEX audit_by_time ON audit (at);
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sqlite: `
CREATE TABLE clusters (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_scan_at INTEGER
);
CREATE TABLE scans (
  id INTEGER PRIMARY KEY,
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  resources INTEGER NOT NULL,
  checks_run INTEGER NOT NULL,
  open_critical INTEGER NOT NULL DEFAULT 0,
  open_high INTEGER NOT NULL DEFAULT 0,
  open_medium INTEGER NOT NULL DEFAULT 0,
  open_low INTEGER NOT NULL DEFAULT 0,
  open_info INTEGER NOT NULL DEFAULT 0,
  opened INTEGER NOT NULL DEFAULT 0,
  resolved INTEGER NOT NULL DEFAULT 0,
  coverage_ratio REAL NOT NULL,
  incomplete TEXT NOT NULL,
  idempotency_key TEXT UNIQUE
);
CREATE TABLE checks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  frameworks TEXT NOT NULL
);
CREATE TABLE findings (
  rid INTEGER PRIMARY KEY,
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  prio INTEGER NOT NULL,
  severity INTEGER NOT NULL,
  check_id TEXT NOT NULL,
  api_version TEXT NOT NULL,
  kind TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  container TEXT,
  pointer TEXT NOT NULL,
  message TEXT NOT NULL,
  evidence TEXT,
  fix TEXT,
  fixable INTEGER,
  rank INTEGER,
  group_id TEXT,
  exception_id TEXT,
  content_hash TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  resolved_at INTEGER,
  UNIQUE (cluster_id, fingerprint)
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  finding_rid INTEGER NOT NULL,
  scan_id INTEGER,
  at INTEGER NOT NULL,
  event TEXT NOT NULL,
  detail TEXT
);
CREATE TABLE open_counts (
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  dim TEXT NOT NULL,
  key TEXT NOT NULL,
  severity INTEGER NOT NULL,
  excepted INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (cluster_id, dim, key, severity, excepted)
) WITHOUT ROWID;
CREATE TABLE scan_counts (
  scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  dim TEXT NOT NULL,
  key TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (scan_id, dim, key)
) WITHOUT ROWID;
CREATE TABLE exceptions (
  id TEXT PRIMARY KEY,
  cluster TEXT,
  check_id TEXT NOT NULL,
  namespace TEXT,
  kind TEXT,
  name TEXT,
  reason TEXT NOT NULL,
  expires TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_by TEXT,
  revoked_at INTEGER
);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  hash BLOB NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT
);
CREATE TABLE cluster_state (
  cluster_id INTEGER PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
  snapshot BLOB NOT NULL,
  updated_at INTEGER NOT NULL
);
${FINDING_INDEXES}`,
    postgres: `
CREATE TABLE clusters (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_scan_at BIGINT
);
CREATE TABLE scans (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cluster_id BIGINT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  resources INTEGER NOT NULL,
  checks_run INTEGER NOT NULL,
  open_critical INTEGER NOT NULL DEFAULT 0,
  open_high INTEGER NOT NULL DEFAULT 0,
  open_medium INTEGER NOT NULL DEFAULT 0,
  open_low INTEGER NOT NULL DEFAULT 0,
  open_info INTEGER NOT NULL DEFAULT 0,
  opened INTEGER NOT NULL DEFAULT 0,
  resolved INTEGER NOT NULL DEFAULT 0,
  coverage_ratio DOUBLE PRECISION NOT NULL,
  incomplete TEXT NOT NULL,
  idempotency_key TEXT UNIQUE
);
CREATE TABLE checks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  frameworks TEXT NOT NULL
);
CREATE TABLE findings (
  rid BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cluster_id BIGINT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  status SMALLINT NOT NULL,
  prio BIGINT NOT NULL,
  severity SMALLINT NOT NULL,
  check_id TEXT NOT NULL,
  api_version TEXT NOT NULL,
  kind TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  container TEXT,
  pointer TEXT NOT NULL,
  message TEXT NOT NULL,
  evidence TEXT,
  fix TEXT,
  fixable SMALLINT,
  rank INTEGER,
  group_id TEXT,
  exception_id TEXT,
  content_hash TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  resolved_at BIGINT,
  UNIQUE (cluster_id, fingerprint)
);
CREATE TABLE events (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  finding_rid BIGINT NOT NULL,
  scan_id BIGINT,
  at BIGINT NOT NULL,
  event TEXT NOT NULL,
  detail TEXT
);
CREATE TABLE open_counts (
  cluster_id BIGINT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  dim TEXT NOT NULL,
  key TEXT NOT NULL,
  severity SMALLINT NOT NULL,
  excepted SMALLINT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (cluster_id, dim, key, severity, excepted)
);
CREATE TABLE scan_counts (
  scan_id BIGINT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  dim TEXT NOT NULL,
  key TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (scan_id, dim, key)
);
CREATE TABLE exceptions (
  id TEXT PRIMARY KEY,
  cluster TEXT,
  check_id TEXT NOT NULL,
  namespace TEXT,
  kind TEXT,
  name TEXT,
  reason TEXT NOT NULL,
  expires TEXT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_by TEXT,
  revoked_at BIGINT
);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  hash BYTEA NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE TABLE audit (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT
);
CREATE TABLE cluster_state (
  cluster_id BIGINT PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
  snapshot BYTEA NOT NULL,
  updated_at BIGINT NOT NULL
);
${FINDING_INDEXES}`,
  },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);
