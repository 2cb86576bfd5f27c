/**
 * The store's logic, once for both dialects (see `db.ts`): the semantics the two backends
 * share are the semantics of this file.
 *
 * Recording a scan is one transaction of set-based statements, whatever its size:
 * 1. the scan's findings go to a staging table, which learns each finding's previous state;
 * 2. open findings the scan's scope no longer reports are resolved (full scans: the whole
 *    cluster; incremental scans: the objects of `scope`), with a `resolved` event each;
 * 3. the staged findings are upserted (one row per (cluster, fingerprint)) and their state
 *    changes become events (`opened`, `reopened`, `severity-changed`, `excepted`, `unexcepted`);
 * 4. the changes, grouped, update `open_counts` (per cluster, and per namespace, check and
 *    kind), from which the scan's counts, the trend points and the findings list's totals are
 *    read without counting every finding.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FixOperation } from '../core/check.js';
import { PalisadeError } from '../core/errors.js';
import { isSeverity, type JsonObject, type ResourceTypeCoverage, SEVERITIES, type Severity } from '../core/types.js';
import { type BulkColumn, type Db, likeSubstring, type Param } from './db.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type {
  AuditEntry,
  ClusterRecord,
  ExceptionInput,
  ExceptionRecord,
  FindingEvent,
  FindingFilter,
  FindingInput,
  Page,
  PruneResult,
  Role,
  ScanCounts,
  ScanInput,
  ScanRecord,
  Store,
  StoredFinding,
  TokenRecord,
  TrendPoint,
} from './types.js';

// ---------------------------------------------------------------------------------- helpers

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const isoOf = (ms: number): string => new Date(ms).toISOString();

function msOf(value: string, what: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new PalisadeError('usage', `${what}: not an ISO 8601 time: ${JSON.stringify(value).slice(0, 80)}`);
  return ms;
}

/** Risk ranks sort after severity; a finding without one sorts after every ranked one. */
const NO_RANK = 999_999_999;
const SEV_STEP = 1_000_000_000;
const prioOf = (severity: number, rank: number | null): number => severity * SEV_STEP + Math.min(Math.max(rank ?? NO_RANK, 0), NO_RANK);

const sevIndex = (s: Severity): number => SEVERITIES.indexOf(s);
const sevName = (i: number): Severity => SEVERITIES[i] ?? 'info';
const SEV_CASE = (col: string): string => `CASE ${col} ${SEVERITIES.map((s, i) => `WHEN ${i} THEN '${s}'`).join(' ')} END`;

const fixableIn = (f: FindingInput['fixable']): number | null => (f === null ? null : f === 'unsafe' ? 2 : f ? 1 : 0);
const fixableOut = (n: number | null): FindingInput['fixable'] => (n === null ? null : n === 2 ? 'unsafe' : n === 1);

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

function clampLimit(limit: number | undefined, fallback = 50): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(500, Math.max(1, Math.floor(limit)));
}

/** Opaque cursors: base64url of JSON naming what they page through. */
function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, check: (v: unknown) => boolean): unknown {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!check(value)) throw new PalisadeError('usage', 'invalid cursor: pass the nextCursor of the previous page with the same filters and sort');
  return value;
}

/** Splits `apiVersion/kind/namespace/name` from the right (only apiVersion may hold a `/`). */
function parseScopeKey(key: string): readonly [string, string, string, string] {
  const parts = key.split('/');
  if (parts.length < 4) throw new PalisadeError('usage', `scope key ${JSON.stringify(key)}: expected apiVersion/kind/namespace/name`);
  const name = parts.pop() as string;
  const namespace = parts.pop() as string;
  const kind = parts.pop() as string;
  return [parts.join('/'), kind, namespace, name];
}

const hashToken = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();
const newId = (): string => randomBytes(6).toString('hex');

/** How often `verifyToken` writes `last_used_at` (not on every request). */
const LAST_USED_RESOLUTION_MS = 60_000;

// ------------------------------------------------------------------------------------- rows

interface ClusterRow {
  id: number;
  name: string;
  source: string;
  created_at: number;
  last_scan_at: number | null;
}

interface ScanRow {
  id: number;
  cluster: string;
  kind: string;
  started_at: number;
  finished_at: number;
  resources: number;
  checks_run: number;
  open_critical: number;
  open_high: number;
  open_medium: number;
  open_low: number;
  open_info: number;
  opened: number;
  resolved: number;
  coverage_ratio: number;
  incomplete: string;
}

interface FindingRow {
  rid: number;
  cluster_id: number;
  fingerprint: string;
  status: number;
  prio: number;
  severity: number;
  check_id: string;
  api_version: string;
  kind: string;
  namespace: string;
  name: string;
  container: string | null;
  pointer: string;
  message: string;
  evidence: string | null;
  fix: string | null;
  fixable: number | null;
  rank: number | null;
  group_id: string | null;
  exception_id: string | null;
  first_seen: number;
  last_seen: number;
  resolved_at: number | null;
  check_name: string | null;
  title: string | null;
  category: string | null;
  frameworks: string | null;
}

interface ExceptionRow {
  id: string;
  cluster: string | null;
  check_id: string;
  namespace: string | null;
  kind: string | null;
  name: string | null;
  reason: string;
  expires: string | null;
  created_by: string;
  created_at: number;
  revoked_by: string | null;
  revoked_at: number | null;
}

interface TokenRow {
  id: string;
  name: string;
  role: string;
  hash: Uint8Array;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: string | null;
}

interface GroupRow {
  namespace: string;
  check_id: string;
  kind: string;
  severity: number;
  excepted: number;
  n: number;
}

const FINDING_COLUMNS = `f.rid, f.cluster_id, f.fingerprint, f.status, f.prio, f.severity, f.check_id, f.api_version, f.kind,
  f.namespace, f.name, f.container, f.pointer, f.message, f.evidence, f.fix, f.fixable, f.rank, f.group_id, f.exception_id,
  f.first_seen, f.last_seen, f.resolved_at, c.name AS check_name, c.title, c.category, c.frameworks`;

/**
 * What a scan stages for each finding: its identity, what the counts group by, and a hash of
 * everything stored, so that unchanged findings (most of them, scan after scan) are compared
 * in SQL and only touched to move `last_seen`; full rows are sent only for new or changed ones.
 */
const STAGE_COLUMNS: readonly BulkColumn[] = [
  { name: 'fingerprint', pgType: 'text' },
  { name: 'hash', pgType: 'text' },
  { name: 'severity', pgType: 'integer' },
  { name: 'check_id', pgType: 'text' },
  { name: 'kind', pgType: 'text' },
  { name: 'namespace', pgType: 'text' },
  { name: 'excepted', pgType: 'integer' },
  { name: 'exception_id', pgType: 'text' },
];

const STAGE_DDL = `fingerprint TEXT PRIMARY KEY, hash TEXT NOT NULL, severity INTEGER NOT NULL, check_id TEXT NOT NULL, kind TEXT NOT NULL,
  namespace TEXT NOT NULL, excepted INTEGER NOT NULL, exception_id TEXT, prev_rid BIGINT, prev_status INTEGER, prev_severity INTEGER,
  prev_excepted INTEGER, prev_exception_id TEXT, prev_namespace TEXT, prev_check_id TEXT, prev_kind TEXT, prev_hash TEXT`;

/** Stored columns of a finding besides its identity and lifecycle, in bulk-insert order. */
const CONTENT = [
  ['prio', 'bigint'],
  ['severity', 'integer'],
  ['check_id', 'text'],
  ['api_version', 'text'],
  ['kind', 'text'],
  ['namespace', 'text'],
  ['name', 'text'],
  ['container', 'text'],
  ['pointer', 'text'],
  ['message', 'text'],
  ['evidence', 'text'],
  ['fix', 'text'],
  ['fixable', 'integer'],
  ['rank', 'integer'],
  ['group_id', 'text'],
  ['exception_id', 'text'],
  ['content_hash', 'text'],
] as const;
const CONTENT_COLUMNS: readonly BulkColumn[] = [
  { name: 'fingerprint', pgType: 'text' },
  { name: 'prev_rid', pgType: 'bigint' },
  ...CONTENT.map(([name, pgType]) => ({ name, pgType })),
];
const CONTENT_DDL = `fingerprint TEXT NOT NULL, prev_rid BIGINT, prio BIGINT NOT NULL, severity INTEGER NOT NULL, check_id TEXT NOT NULL,
  api_version TEXT NOT NULL, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, container TEXT, pointer TEXT NOT NULL,
  message TEXT NOT NULL, evidence TEXT, fix TEXT, fixable INTEGER, rank INTEGER, group_id TEXT, exception_id TEXT, content_hash TEXT NOT NULL`;

/** A finding's stored columns (the `CONTENT` order, hash last). */
function contentOf(f: FindingInput): Param[] {
  const sev = sevIndex(f.severity);
  const row: Param[] = [
    prioOf(sev, f.rank),
    sev,
    f.check,
    f.apiVersion,
    f.kind,
    f.namespace ?? '',
    f.name,
    f.container ?? null,
    f.pointer,
    f.message,
    f.evidence === null || f.evidence === undefined ? null : JSON.stringify(f.evidence),
    f.fix === null || f.fix === undefined ? null : JSON.stringify(f.fix),
    fixableIn(f.fixable ?? null),
    f.rank ?? null,
    f.groupId ?? null,
    f.exceptionId ?? null,
  ];
  row.push(createHash('sha256').update(JSON.stringify(row)).digest('base64url').slice(0, 22));
  return row;
}

/** The sort keys of the findings list: columns (then `rid`), and the direction of `order: 'desc'`. */
const SORTS: Readonly<
  Record<NonNullable<FindingFilter['sort']>, { readonly cols: readonly string[]; readonly desc: 'ASC' | 'DESC'; readonly order: 'asc' | 'desc' }>
> = {
  // `prio` grows as severity falls: most severe first is ascending.
  severity: { cols: ['prio'], desc: 'ASC', order: 'desc' },
  firstSeen: { cols: ['first_seen'], desc: 'DESC', order: 'desc' },
  lastSeen: { cols: ['last_seen'], desc: 'DESC', order: 'desc' },
  check: { cols: ['check_id', 'prio'], desc: 'DESC', order: 'asc' },
  resource: { cols: ['namespace', 'kind', 'name'], desc: 'DESC', order: 'asc' },
};

type Key = readonly (string | number)[];

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

// ------------------------------------------------------------------------------------ store

/** Options of {@link SqlStore}. */
export interface SqlStoreOptions {
  /** How errors name the store: `sqlite:/path` or the masked PostgreSQL URL. */
  readonly label: string;
  /** A secret that must never appear in an error (the PostgreSQL password). */
  readonly secret?: string | null;
  /** The clock (tests). */
  readonly now?: () => number;
}

/**
 * The {@link Store} over a {@link Db}; `openStore` (index.ts) makes one for a URL.
 *
 * @example
 * const store = new SqlStore(SqliteDb.open('/tmp/p.db'), { label: 'sqlite:/tmp/p.db' });
 * await store.migrate();
 */
export class SqlStore implements Store {
  readonly kind: 'sqlite' | 'postgres';
  private readonly label: string;
  private readonly secret: string | null;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    options: SqlStoreOptions,
  ) {
    this.kind = db.dialect;
    this.label = options.label;
    this.secret = options.secret ?? null;
    this.now = options.now ?? Date.now;
  }

  /** Runs `fn`, turning a database error into one line naming the store (never its password). */
  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PalisadeError) throw err;
      let msg = oneLine(err instanceof Error ? err.message : String(err));
      if (this.secret !== null && this.secret !== '') msg = msg.split(this.secret).join('***');
      const code = (err as { code?: unknown }).code;
      throw new PalisadeError('io', `store ${this.label}: ${what}: ${msg}${typeof code === 'string' && !msg.includes(code) ? ` (${code})` : ''}`);
    }
  }

  // ------------------------------------------------------------------------------- schema

  migrate(): Promise<number> {
    return this.guard('migrate', async () => {
      for (const m of MIGRATIONS) {
        const applied = await this.db.transaction(async (tx) => {
          // Replicas starting together: one migrates, the others wait and then see it applied.
          if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(?)', [0x70616c]);
          await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
          const newest = await this.schemaVersion(tx);
          if (newest > SCHEMA_VERSION) {
            throw new PalisadeError(
              'config-invalid',
              `store ${this.label} has schema version ${newest}, newer than this palisade knows (${SCHEMA_VERSION}): upgrade palisade`,
            );
          }
          const done = await tx.get('SELECT version FROM schema_migrations WHERE version = ?', [m.version]);
          if (done !== undefined) return false;
          await tx.exec(tx.dialect === 'sqlite' ? m.sqlite : m.postgres);
          await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, this.now()]);
          return true;
        });
        if (applied && this.db.dialect === 'sqlite') await this.db.exec('PRAGMA optimize');
      }
      return this.schemaVersion(this.db);
    });
  }

  private async schemaVersion(db: Db): Promise<number> {
    const row = await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    return row?.v ?? 0;
  }

  close(): Promise<void> {
    return this.guard('close', () => this.db.close());
  }

  // ----------------------------------------------------------------------------- clusters

  private toCluster(r: ClusterRow): ClusterRecord {
    return { name: r.name, createdAt: isoOf(r.created_at), lastScanAt: iso(r.last_scan_at), source: r.source === 'agent' ? 'agent' : 'server' };
  }

  ensureCluster(name: string, source: ClusterRecord['source']): Promise<ClusterRecord> {
    return this.guard('ensure cluster', async () => {
      if (name === '') throw new PalisadeError('usage', 'cluster name is empty');
      await this.db.run('INSERT INTO clusters (name, source, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET source = excluded.source', [
        name,
        source,
        this.now(),
      ]);
      return this.toCluster((await this.db.get<ClusterRow>('SELECT * FROM clusters WHERE name = ?', [name])) as ClusterRow);
    });
  }

  listClusters(): Promise<readonly ClusterRecord[]> {
    return this.guard('list clusters', async () => (await this.db.all<ClusterRow>('SELECT * FROM clusters ORDER BY name')).map((r) => this.toCluster(r)));
  }

  private async clusterId(db: Db, name: string): Promise<number | undefined> {
    return (await db.get<{ id: number }>('SELECT id FROM clusters WHERE name = ?', [name]))?.id;
  }

  // -------------------------------------------------------------------------------- scans

  private toScan(r: ScanRow): ScanRecord {
    return {
      id: String(r.id),
      cluster: r.cluster,
      kind: r.kind === 'incremental' ? 'incremental' : 'full',
      startedAt: isoOf(r.started_at),
      finishedAt: isoOf(r.finished_at),
      resources: r.resources,
      checksRun: r.checks_run,
      counts: {
        open: { critical: r.open_critical, high: r.open_high, medium: r.open_medium, low: r.open_low, info: r.open_info },
        opened: r.opened,
        resolved: r.resolved,
      },
      coverage: { ratio: r.coverage_ratio, incomplete: JSON.parse(r.incomplete) as ResourceTypeCoverage[] },
    };
  }

  private async scanById(db: Db, id: number): Promise<ScanRecord | undefined> {
    const r = await db.get<ScanRow>('SELECT s.*, c.name AS cluster FROM scans s JOIN clusters c ON c.id = s.cluster_id WHERE s.id = ?', [id]);
    return r === undefined ? undefined : this.toScan(r);
  }

  recordScan(input: ScanInput): Promise<ScanRecord> {
    return this.guard('record scan', async () => {
      if (input.kind !== 'full' && input.kind !== 'incremental')
        throw new PalisadeError('usage', `scan kind ${JSON.stringify(input.kind)}: expected full or incremental`);
      if (typeof input.cluster !== 'string' || input.cluster === '') throw new PalisadeError('usage', 'scan without a cluster name');
      const startedAt = msOf(input.startedAt, 'startedAt');
      const finishedAt = msOf(input.finishedAt, 'finishedAt');
      // The last report of a fingerprint wins; a scan reports each identity once.
      const byFingerprint = new Map<string, FindingInput>();
      for (const f of input.findings) {
        if (typeof f.fingerprint !== 'string' || f.fingerprint === '') throw new PalisadeError('usage', `finding of ${f.check} without a fingerprint`);
        if (!isSeverity(f.severity)) throw new PalisadeError('usage', `finding ${f.fingerprint}: unknown severity ${JSON.stringify(f.severity)}`);
        byFingerprint.set(f.fingerprint, f);
      }
      const scope = input.kind === 'incremental' ? (input.scope ?? []).map(parseScopeKey) : [];
      const coverage = input.coverage ?? [];
      const counted = coverage.filter((c) => c.status !== 'skipped');
      const incomplete = counted.filter((c) => c.status !== 'ok');
      const ratio = counted.length === 0 ? 1 : (counted.length - incomplete.length) / counted.length;

      return this.db.transaction(async (db) => {
        const key = input.idempotencyKey ?? null;
        if (key !== null) {
          const seen = await db.get<{ id: number }>('SELECT id FROM scans WHERE idempotency_key = ?', [key]);
          if (seen !== undefined) return { ...((await this.scanById(db, seen.id)) as ScanRecord), duplicate: true };
        }
        // A scan for an unknown cluster registers it: agents' clusters appear with their first push.
        await db.run('INSERT INTO clusters (name, source, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [
          input.cluster,
          key !== null ? 'agent' : 'server',
          this.now(),
        ]);
        // Locks the cluster's row: two replicas recording the same cluster take turns.
        const cluster = (await db.get<{ id: number }>(`SELECT id FROM clusters WHERE name = ?${db.dialect === 'postgres' ? ' FOR UPDATE' : ''}`, [
          input.cluster,
        ])) as { id: number };
        const inserted = await db.get<{ id: number }>(
          `INSERT INTO scans (cluster_id, kind, started_at, finished_at, resources, checks_run, coverage_ratio, incomplete, idempotency_key)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
          [cluster.id, input.kind, startedAt, finishedAt, input.resources, input.checksRun, ratio, JSON.stringify(incomplete), key],
        );
        if (inserted === undefined) {
          // Another replica recorded the same key meanwhile.
          const seen = (await db.get<{ id: number }>('SELECT id FROM scans WHERE idempotency_key = ?', [key])) as { id: number };
          return { ...((await this.scanById(db, seen.id)) as ScanRecord), duplicate: true };
        }
        const scanId = inserted.id;
        await this.upsertChecks(db, byFingerprint.values());
        const counts = await this.applyFindings(db, cluster.id, scanId, input.kind, finishedAt, [...byFingerprint.values()], scope);
        await db.run(`UPDATE scans SET open_critical = ?, open_high = ?, open_medium = ?, open_low = ?, open_info = ?, opened = ?, resolved = ? WHERE id = ?`, [
          counts.open.critical,
          counts.open.high,
          counts.open.medium,
          counts.open.low,
          counts.open.info,
          counts.opened,
          counts.resolved,
          scanId,
        ]);
        await db.run('UPDATE clusters SET last_scan_at = ? WHERE id = ? AND (last_scan_at IS NULL OR last_scan_at < ?)', [finishedAt, cluster.id, finishedAt]);
        return (await this.scanById(db, scanId)) as ScanRecord;
      });
    });
  }

  /** Check metadata is stored once per check id; only what changed is written. */
  private async upsertChecks(db: Db, findings: Iterable<FindingInput>): Promise<void> {
    const wanted = new Map<string, [string, string, string, string]>();
    for (const f of findings) wanted.set(f.check, [f.checkName ?? f.check, f.title ?? '', f.category ?? '', JSON.stringify(f.frameworks ?? [])]);
    if (wanted.size === 0) return;
    const have = new Map<string, string>();
    for (const r of await db.all<{ id: string; name: string; title: string; category: string; frameworks: string }>('SELECT * FROM checks')) {
      have.set(r.id, JSON.stringify([r.name, r.title, r.category, r.frameworks]));
    }
    for (const [id, meta] of wanted) {
      if (have.get(id) === JSON.stringify(meta)) continue;
      await db.run(
        `INSERT INTO checks (id, name, title, category, frameworks) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, title = excluded.title, category = excluded.category, frameworks = excluded.frameworks`,
        [id, ...meta],
      );
    }
  }

  private async applyFindings(
    db: Db,
    clusterId: number,
    scanId: number,
    kind: ScanInput['kind'],
    at: number,
    findings: readonly FindingInput[],
    scope: readonly (readonly [string, string, string, string])[],
  ): Promise<ScanCounts> {
    const pg = db.dialect === 'postgres';
    // 1. Stage the scan's findings (identity, grouping columns, content hash).
    const temp = `stage (${STAGE_DDL}); scope (api_version TEXT, kind TEXT, namespace TEXT, name TEXT); content (${CONTENT_DDL});
      gone (rid BIGINT PRIMARY KEY); count_delta (dim TEXT, key TEXT, severity INTEGER, excepted INTEGER, n BIGINT)`;
    const tables = temp.split(/;\s*(?=\w+ \()/);
    if (pg) await db.exec(tables.map((t) => `CREATE TEMP TABLE ${t} ON COMMIT DROP`).join('; '));
    else {
      await db.exec(tables.map((t) => `CREATE TEMP TABLE IF NOT EXISTS ${t}`).join('; '));
      await db.exec('DELETE FROM stage; DELETE FROM scope; DELETE FROM content; DELETE FROM gone; DELETE FROM count_delta');
    }
    const content = new Map<string, Param[]>();
    const rows: Param[][] = findings.map((f) => {
      const c = contentOf(f);
      content.set(f.fingerprint, c);
      return [f.fingerprint, c[CONTENT.length - 1] as string, c[1] as number, f.check, f.kind, f.namespace ?? '', f.exceptionId ? 1 : 0, f.exceptionId ?? null];
    });
    await db.bulkInsert('stage', STAGE_COLUMNS, rows);
    if (scope.length > 0) {
      await db.bulkInsert(
        'scope',
        [
          { name: 'api_version', pgType: 'text' },
          { name: 'kind', pgType: 'text' },
          { name: 'namespace', pgType: 'text' },
          { name: 'name', pgType: 'text' },
        ],
        scope.map((k) => [...k]),
      );
    }
    if (pg) await db.exec('ANALYZE stage; ANALYZE scope');
    // Each staged finding learns its stored state (one unique-index lookup per finding).
    await db.run(
      `UPDATE stage SET (prev_rid, prev_status, prev_severity, prev_excepted, prev_exception_id, prev_namespace, prev_check_id, prev_kind, prev_hash) =
       (SELECT f.rid, f.status, f.severity, CASE WHEN f.exception_id IS NULL THEN 0 ELSE 1 END, f.exception_id, f.namespace, f.check_id, f.kind, f.content_hash
        FROM findings f WHERE f.cluster_id = ? AND f.fingerprint = stage.fingerprint)`,
      [clusterId],
    );

    const delta = new Map<string, { row: Omit<GroupRow, 'n'>; n: number }>();
    const add = (g: Omit<GroupRow, 'n'>, n: number): void => {
      const k = JSON.stringify([g.namespace, g.check_id, g.kind, g.severity, g.excepted]);
      const d = delta.get(k);
      if (d === undefined)
        delta.set(k, { row: { namespace: g.namespace, check_id: g.check_id, kind: g.kind, severity: Number(g.severity), excepted: Number(g.excepted) }, n });
      else d.n += n;
    };

    // 2. What opens and what changes, counted.
    let opened = 0;
    for (const g of await db.all<GroupRow>(
      `SELECT namespace, check_id, kind, severity, excepted, COUNT(*) AS n FROM stage
       WHERE prev_rid IS NULL OR prev_status = 1 GROUP BY namespace, check_id, kind, severity, excepted`,
    )) {
      add(g, Number(g.n));
      opened += Number(g.n);
    }
    let changed = 0;
    for (const g of await db.all<GroupRow & { pn: string; pc: string; pk: string; ps: number; pe: number }>(
      `SELECT prev_namespace AS pn, prev_check_id AS pc, prev_kind AS pk, prev_severity AS ps, prev_excepted AS pe,
         namespace, check_id, kind, severity, excepted, COUNT(*) AS n FROM stage
       WHERE prev_status = 0 AND prev_hash <> hash
       GROUP BY prev_namespace, prev_check_id, prev_kind, prev_severity, prev_excepted, namespace, check_id, kind, severity, excepted`,
    )) {
      changed += Number(g.n);
      add({ namespace: g.pn, check_id: g.pc, kind: g.pk, severity: g.ps, excepted: g.pe }, -Number(g.n));
      add(g, Number(g.n));
    }

    // 3. Write: full rows for new, reopened and changed findings; only last_seen for the rest.
    // A full scan resolves what it did not report: with every reported finding now at
    // last_seen = at, that is an index range, unless an earlier sighting has the same time.
    const sameTime =
      kind === 'full' &&
      (await db.get('SELECT 1 AS x FROM findings WHERE cluster_id = ? AND status = 0 AND last_seen = ? LIMIT 1', [clusterId, at])) !== undefined;
    if (opened + changed > 0) {
      const need = await db.all<{ fingerprint: string; prev_rid: number | null }>(
        'SELECT fingerprint, prev_rid FROM stage WHERE prev_rid IS NULL OR prev_status = 1 OR prev_hash <> hash',
      );
      await db.bulkInsert(
        'content',
        CONTENT_COLUMNS,
        need.map((n) => [n.fingerprint, n.prev_rid === null ? null : Number(n.prev_rid), ...(content.get(n.fingerprint) as Param[])]),
      );
      const cols = CONTENT.map(([c]) => c);
      await db.run(
        `INSERT INTO findings (cluster_id, fingerprint, status, ${cols.join(', ')}, first_seen, last_seen)
         SELECT ?, fingerprint, 0, ${cols.join(', ')}, ?, ? FROM content WHERE prev_rid IS NULL`,
        [clusterId, at, at],
      );
      await db.run(
        `UPDATE findings SET status = 0, ${cols.map((c) => `${c} = content.${c}`).join(', ')}, last_seen = ?, resolved_at = NULL
         FROM content WHERE findings.rid = content.prev_rid`,
        [at],
      );
    }
    await db.run('UPDATE findings SET last_seen = ? WHERE rid IN (SELECT prev_rid FROM stage WHERE prev_status = 0 AND prev_hash = hash) AND last_seen <> ?', [
      at,
      at,
    ]);
    // PostgreSQL plans the joins below from statistics: refresh them after a large change
    // (autovacuum would, later), or a table it believes empty gets a nested loop per row.
    if (pg && (kind === 'full' || opened > 10_000)) await db.exec('ANALYZE findings');

    // 4. Resolve what the scope no longer reports.
    if (kind === 'full' && !sameTime) {
      await db.run('INSERT INTO gone (rid) SELECT rid FROM findings WHERE cluster_id = ? AND status = 0 AND (last_seen < ? OR last_seen > ?)', [
        clusterId,
        at,
        at,
      ]);
    } else if (kind === 'full') {
      await db.run(
        'INSERT INTO gone (rid) SELECT f.rid FROM findings f WHERE f.cluster_id = ? AND f.status = 0 AND NOT EXISTS (SELECT 1 FROM stage s WHERE s.fingerprint = f.fingerprint)',
        [clusterId],
      );
    } else if (scope.length > 0) {
      await db.run(
        `INSERT INTO gone (rid) SELECT DISTINCT f.rid FROM scope c JOIN findings f ON f.cluster_id = ? AND f.status = 0 AND f.namespace = c.namespace
           AND f.kind = c.kind AND f.name = c.name AND f.api_version = c.api_version
         WHERE NOT EXISTS (SELECT 1 FROM stage s WHERE s.fingerprint = f.fingerprint)`,
        [clusterId],
      );
    }
    let resolved = 0;
    for (const g of await db.all<GroupRow>(
      `SELECT f.namespace, f.check_id, f.kind, f.severity, CASE WHEN f.exception_id IS NULL THEN 0 ELSE 1 END AS excepted, COUNT(*) AS n
       FROM gone g JOIN findings f ON f.rid = g.rid GROUP BY f.namespace, f.check_id, f.kind, f.severity, CASE WHEN f.exception_id IS NULL THEN 0 ELSE 1 END`,
    )) {
      add(g, -Number(g.n));
      resolved += Number(g.n);
    }
    if (resolved > 0) {
      await db.run(`INSERT INTO events (finding_rid, scan_id, at, event) SELECT rid, ?, ?, 'resolved' FROM gone`, [scanId, at]);
      await db.run('UPDATE findings SET status = 1, resolved_at = ? WHERE rid IN (SELECT rid FROM gone)', [at]);
    }

    // 5. Events of the reported findings.
    if (opened > 0) {
      await db.run(
        `INSERT INTO events (finding_rid, scan_id, at, event) SELECT f.rid, ?, ?, 'opened' FROM stage s
         JOIN findings f ON f.cluster_id = ? AND f.fingerprint = s.fingerprint WHERE s.prev_rid IS NULL`,
        [scanId, at, clusterId],
      );
      await db.run(`INSERT INTO events (finding_rid, scan_id, at, event) SELECT prev_rid, ?, ?, 'reopened' FROM stage WHERE prev_status = 1`, [scanId, at]);
    }
    if (changed > 0) {
      const json = (pairs: string): string => (pg ? `json_build_object(${pairs})::text` : `json_object(${pairs})`);
      const emit = (event: string, detail: string, cond: string): Promise<number> =>
        db.run(
          `INSERT INTO events (finding_rid, scan_id, at, event, detail) SELECT prev_rid, ?, ?, '${event}', ${detail} FROM stage WHERE prev_status = 0 AND ${cond}`,
          [scanId, at],
        );
      await emit('severity-changed', json(`'from', ${SEV_CASE('prev_severity')}, 'to', ${SEV_CASE('severity')}`), 'prev_severity <> severity');
      await emit(
        'excepted',
        json(`'exceptionId', exception_id`),
        'exception_id IS NOT NULL AND (prev_exception_id IS NULL OR prev_exception_id <> exception_id)',
      );
      await emit('unexcepted', json(`'exceptionId', prev_exception_id`), 'exception_id IS NULL AND prev_exception_id IS NOT NULL');
    }

    // 6. Current open counts, then the scan's counts and trend points.
    const changes = [...delta.values()].filter((d) => d.n !== 0);
    if (changes.length > 0) {
      // Each change counts in the cluster's total and under its namespace, check and kind.
      const perDim = new Map<string, Param[]>();
      for (const d of changes) {
        for (const [dim, key] of [
          ['all', ''],
          ['namespace', d.row.namespace],
          ['check', d.row.check_id],
          ['kind', d.row.kind],
        ] as const) {
          const k = JSON.stringify([dim, key, d.row.severity, d.row.excepted]);
          const row = perDim.get(k);
          if (row === undefined) perDim.set(k, [dim, key, d.row.severity, d.row.excepted, d.n]);
          else row[4] = (row[4] as number) + d.n;
        }
      }
      await db.bulkInsert(
        'count_delta',
        [
          { name: 'dim', pgType: 'text' },
          { name: 'key', pgType: 'text' },
          { name: 'severity', pgType: 'integer' },
          { name: 'excepted', pgType: 'integer' },
          { name: 'n', pgType: 'bigint' },
        ],
        [...perDim.values()].filter((r) => r[4] !== 0),
      );
      await db.run(
        `INSERT INTO open_counts (cluster_id, dim, key, severity, excepted, count)
         SELECT ?, dim, key, severity, excepted, n FROM count_delta WHERE true
         ON CONFLICT (cluster_id, dim, key, severity, excepted) DO UPDATE SET count = open_counts.count + excluded.count`,
        [clusterId],
      );
    }
    const open: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const r of await db.all<{ severity: number; n: number }>(
      `SELECT severity, SUM(count) AS n FROM open_counts WHERE cluster_id = ? AND dim = 'all' AND excepted = 0 GROUP BY severity`,
      [clusterId],
    )) {
      open[sevName(Number(r.severity))] = Number(r.n);
    }
    // Trend points are written when the counts moved (and on every full scan), so that watch
    // mode's many small scans that change nothing add no rows.
    if (changes.length > 0 || kind === 'full') {
      await db.bulkInsert(
        'scan_counts',
        [
          { name: 'scan_id', pgType: 'bigint' },
          { name: 'dim', pgType: 'text' },
          { name: 'key', pgType: 'text' },
          { name: 'count', pgType: 'bigint' },
        ],
        SEVERITIES.map((sev) => [scanId, 'severity', sev, open[sev]]),
      );
      await db.run(
        `INSERT INTO scan_counts (scan_id, dim, key, count) SELECT ?, dim, key, SUM(count) FROM open_counts
         WHERE cluster_id = ? AND dim IN ('check', 'namespace') AND excepted = 0 GROUP BY dim, key`,
        [scanId, clusterId],
      );
    }
    return { open, opened, resolved };
  }

  listScans(filter: { readonly cluster?: string; readonly limit?: number; readonly cursor?: string }): Promise<Page<ScanRecord>> {
    return this.guard('list scans', async () => {
      const limit = clampLimit(filter.limit);
      const where: string[] = [];
      const params: Param[] = [];
      if (filter.cluster !== undefined) {
        where.push('c.name = ?');
        params.push(filter.cluster);
      }
      const total = Number(
        (
          await this.db.get<{ n: number }>(
            `SELECT COUNT(*) AS n FROM scans s JOIN clusters c ON c.id = s.cluster_id${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
            params,
          )
        )?.n ?? 0,
      );
      if (filter.cursor !== undefined) {
        const c = decodeCursor(filter.cursor, (v) => Array.isArray(v) && v[0] === 'scans' && typeof v[1] === 'number') as [string, number];
        where.push('s.id < ?');
        params.push(c[1]);
      }
      const rows = await this.db.all<ScanRow>(
        `SELECT s.*, c.name AS cluster FROM scans s JOIN clusters c ON c.id = s.cluster_id${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY s.id DESC LIMIT ?`,
        [...params, limit + 1],
      );
      const items = rows.slice(0, limit).map((r) => this.toScan(r));
      const last = rows[limit - 1];
      return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(['scans', last.id]) : null, total };
    });
  }

  getScan(id: string): Promise<ScanRecord | undefined> {
    return this.guard('get scan', async () => {
      if (!/^[0-9]{1,15}$/.test(id)) return undefined;
      return this.scanById(this.db, Number(id));
    });
  }

  // ----------------------------------------------------------------------------- findings

  private toFinding(r: FindingRow, cluster: string): StoredFinding {
    return {
      id: r.fingerprint,
      fingerprint: r.fingerprint,
      cluster,
      status: r.status === 0 ? 'open' : 'resolved',
      check: r.check_id,
      checkName: r.check_name ?? r.check_id,
      title: r.title ?? '',
      severity: sevName(r.severity),
      category: r.category ?? '',
      apiVersion: r.api_version,
      kind: r.kind,
      namespace: r.namespace === '' ? null : r.namespace,
      name: r.name,
      container: r.container,
      pointer: r.pointer,
      message: r.message,
      evidence: parseJson<JsonObject>(r.evidence),
      frameworks: parseJson<string[]>(r.frameworks) ?? [],
      fix: parseJson<FixOperation[]>(r.fix),
      fixable: fixableOut(r.fixable),
      rank: r.rank,
      groupId: r.group_id,
      exceptionId: r.exception_id,
      firstSeen: isoOf(r.first_seen),
      lastSeen: isoOf(r.last_seen),
      resolvedAt: iso(r.resolved_at),
    };
  }

  listFindings(filter: FindingFilter): Promise<Page<StoredFinding>> {
    return this.guard('list findings', async () => {
      const db = this.db;
      const limit = clampLimit(filter.limit);
      const sortName = filter.sort ?? 'severity';
      const sort = SORTS[sortName];
      if (sort === undefined) throw new PalisadeError('usage', `sort ${JSON.stringify(sortName)}: expected severity, firstSeen, lastSeen, check or resource`);
      const order = filter.order ?? sort.order;
      const dir = order === 'desc' ? sort.desc : sort.desc === 'ASC' ? 'DESC' : 'ASC';
      const statusName = filter.status ?? 'open';
      const statuses = statusName === 'all' ? [0, 1] : statusName === 'resolved' ? [1] : [0];

      const clusters = await db.all<{ id: number; name: string }>(
        filter.cluster === undefined ? 'SELECT id, name FROM clusters' : 'SELECT id, name FROM clusters WHERE name = ?',
        filter.cluster === undefined ? [] : [filter.cluster],
      );
      const clusterName = new Map(clusters.map((c) => [c.id, c.name]));

      // Filters shared by the branch queries and the count.
      const where: string[] = [];
      const params: Param[] = [];
      if (filter.namespace !== undefined) {
        where.push('f.namespace = ?');
        params.push(filter.namespace);
      }
      let checkId: string | undefined;
      if (filter.check !== undefined) {
        // A check's id or its name.
        const byName = await db.get<{ id: string }>('SELECT id FROM checks WHERE name = ?', [filter.check]);
        checkId = byName?.id ?? filter.check;
        where.push('f.check_id = ?');
        params.push(checkId);
      }
      if (filter.kind !== undefined) {
        where.push('f.kind = ?');
        params.push(filter.kind);
      }
      const severities = (filter.severity ?? []).filter(isSeverity).map(sevIndex);
      if (filter.severity !== undefined && filter.severity.length > 0 && severities.length < filter.severity.length) {
        throw new PalisadeError('usage', `severity: expected ${SEVERITIES.join(', ')}`);
      }
      if (severities.length > 0 && severities.length < SEVERITIES.length) {
        where.push(`f.severity IN (${severities.map(() => '?').join(', ')})`);
        params.push(...severities);
        // The same as a range of the sort key `prio`, which an index can seek to.
        where.push('f.prio >= ? AND f.prio < ?');
        params.push(Math.min(...severities) * SEV_STEP, (Math.max(...severities) + 1) * SEV_STEP);
      }
      const q = filter.q?.trim();
      if (q !== undefined && q !== '') {
        const like = db.dialect === 'postgres' ? 'ILIKE' : 'LIKE';
        const pattern = likeSubstring(q);
        where.push(`(f.message ${like} ? ESCAPE '\\' OR f.name ${like} ? ESCAPE '\\' OR c.name ${like} ? ESCAPE '\\')`);
        params.push(pattern, pattern, pattern);
      }

      let after: Key | undefined;
      if (filter.cursor !== undefined) {
        const c = decodeCursor(
          filter.cursor,
          (v) =>
            Array.isArray(v) &&
            v[0] === 'findings' &&
            v[1] === sortName &&
            v[2] === order &&
            Array.isArray(v[3]) &&
            v[3].length === sort.cols.length + 1 &&
            v[3].every((x: unknown) => typeof x === 'string' || typeof x === 'number'),
        ) as [string, string, string, Key];
        after = c[3];
      }

      const total = await this.countFindings(db, [...clusterName.keys()], statuses, where, params, { ...filter, check: checkId }, severities);

      const cols = [...sort.cols, 'rid'];
      // SQLite's planner prefers an index in sort order even when an equality filter matches
      // few rows far apart in it; then reading the few rows through the filter's index and
      // sorting them is faster (`+col` keeps the sort index out of the plan).
      const fewRows = db.dialect === 'sqlite' && total < 5000 && (filter.namespace !== undefined || filter.check !== undefined || filter.kind !== undefined);
      const orderBy = cols.map((c) => `${fewRows ? '+' : ''}f.${c} ${dir}`).join(', ');
      const branchWhere = [...where];
      const branchParams = [...params];
      if (after !== undefined) {
        branchWhere.push(`(${cols.map((c) => `f.${c}`).join(', ')}) ${dir === 'ASC' ? '>' : '<'} (${cols.map(() => '?').join(', ')})`);
        branchParams.push(...after);
      }
      const sql = `SELECT ${FINDING_COLUMNS} FROM findings f LEFT JOIN checks c ON c.id = f.check_id
        WHERE f.cluster_id = ? AND f.status = ?${branchWhere.map((w) => ` AND ${w}`).join('')} ORDER BY ${orderBy} LIMIT ?`;
      // One ordered index range per (cluster, status), merged here: each branch reads at most a page.
      const rows: FindingRow[] = [];
      for (const id of clusterName.keys())
        for (const status of statuses) rows.push(...(await db.all<FindingRow>(sql, [id, status, ...branchParams, limit + 1])));
      const keyOf = (r: FindingRow): Key => cols.map((c) => (r as unknown as Record<string, string | number>)[c] as string | number);
      const sign = dir === 'ASC' ? 1 : -1;
      rows.sort((a, b) => sign * compareKeys(keyOf(a), keyOf(b)));
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => this.toFinding(r, clusterName.get(r.cluster_id) ?? '')),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor(['findings', sortName, order, keyOf(last)]) : null,
        total,
      };
    });
  }

  /**
   * Totals of open findings filtered by at most one of namespace, check and kind (and by
   * severity) come from `open_counts`; other filters, statuses and text search count rows.
   */
  private async countFindings(
    db: Db,
    clusterIds: readonly number[],
    statuses: readonly number[],
    where: readonly string[],
    params: readonly Param[],
    filter: Pick<FindingFilter, 'namespace' | 'kind' | 'q'> & { readonly check: string | undefined },
    severities: readonly number[],
  ): Promise<number> {
    if (clusterIds.length === 0) return 0;
    const clusterIn = `cluster_id IN (${clusterIds.map(() => '?').join(', ')})`;
    const searching = filter.q !== undefined && filter.q.trim() !== '';
    const dims = (
      [
        ['namespace', filter.namespace],
        ['check', filter.check],
        ['kind', filter.kind],
      ] as const
    ).filter(([, v]) => v !== undefined);
    let total = 0;
    for (const status of statuses) {
      if (status === 0 && !searching && dims.length <= 1) {
        const [dim, key] = dims[0] ?? ['all', ''];
        const cw = [clusterIn, 'dim = ?', 'key = ?'];
        const cp: Param[] = [...clusterIds, dim, key as string];
        if (severities.length > 0 && severities.length < SEVERITIES.length) {
          cw.push(`severity IN (${severities.map(() => '?').join(', ')})`);
          cp.push(...severities);
        }
        const r = await db.get<{ n: number | null }>(`SELECT SUM(count) AS n FROM open_counts WHERE ${cw.join(' AND ')}`, cp);
        total += Number(r?.n ?? 0);
      } else {
        const r = await db.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM findings f LEFT JOIN checks c ON c.id = f.check_id WHERE f.${clusterIn} AND f.status = ?${where.map((w) => ` AND ${w}`).join('')}`,
          [...clusterIds, status, ...params],
        );
        total += Number(r?.n ?? 0);
      }
    }
    return total;
  }

  getFinding(cluster: string, id: string): Promise<StoredFinding | undefined> {
    return this.guard('get finding', async () => {
      const r = await this.db.get<FindingRow>(
        `SELECT ${FINDING_COLUMNS} FROM findings f JOIN clusters k ON k.id = f.cluster_id LEFT JOIN checks c ON c.id = f.check_id WHERE k.name = ? AND f.fingerprint = ?`,
        [cluster, id],
      );
      return r === undefined ? undefined : this.toFinding(r, cluster);
    });
  }

  findingHistory(cluster: string, id: string): Promise<readonly FindingEvent[]> {
    return this.guard('finding history', async () => {
      const rows = await this.db.all<{ scan_id: number | null; at: number; event: FindingEvent['event']; detail: string | null }>(
        `SELECT e.scan_id, e.at, e.event, e.detail FROM events e JOIN findings f ON f.rid = e.finding_rid JOIN clusters k ON k.id = f.cluster_id
         WHERE k.name = ? AND f.fingerprint = ? ORDER BY e.at, e.id`,
        [cluster, id],
      );
      return rows.map((r) => ({
        findingId: id,
        scanId: r.scan_id === null ? '' : String(r.scan_id),
        at: isoOf(r.at),
        event: r.event,
        detail: parseJson<JsonObject>(r.detail),
      }));
    });
  }

  trends(query: { readonly cluster?: string; readonly by: 'severity' | 'check' | 'namespace'; readonly since?: string }): Promise<readonly TrendPoint[]> {
    return this.guard('trends', async () => {
      if (query.by !== 'severity' && query.by !== 'check' && query.by !== 'namespace') {
        throw new PalisadeError('usage', `trends by ${JSON.stringify(query.by)}: expected severity, check or namespace`);
      }
      const where = ['sc.dim = ?'];
      const params: Param[] = [query.by];
      if (query.cluster !== undefined) {
        where.push('k.name = ?');
        params.push(query.cluster);
      }
      if (query.since !== undefined) {
        where.push('s.finished_at >= ?');
        params.push(msOf(query.since, 'since'));
      }
      const rows = await this.db.all<{ scan_id: number; at: number; cluster: string; key: string; count: number }>(
        `SELECT s.id AS scan_id, s.finished_at AS at, k.name AS cluster, sc.key, sc.count FROM scan_counts sc
         JOIN scans s ON s.id = sc.scan_id JOIN clusters k ON k.id = s.cluster_id
         WHERE ${where.join(' AND ')} ORDER BY s.finished_at, s.id, sc.key`,
        params,
      );
      return rows.map((r) => ({ scanId: String(r.scan_id), at: isoOf(r.at), cluster: r.cluster, key: r.key, count: Number(r.count) }));
    });
  }

  // ------------------------------------------------------------------------ cluster state

  putClusterState(cluster: string, snapshot: Uint8Array): Promise<void> {
    return this.guard('put cluster state', async () => {
      await this.db.transaction(async (db) => {
        await db.run('INSERT INTO clusters (name, source, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [cluster, 'server', this.now()]);
        const id = (await this.clusterId(db, cluster)) as number;
        await db.run(
          'INSERT INTO cluster_state (cluster_id, snapshot, updated_at) VALUES (?, ?, ?) ON CONFLICT (cluster_id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at',
          [id, Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength), this.now()],
        );
      });
    });
  }

  getClusterState(cluster: string): Promise<Uint8Array | undefined> {
    return this.guard('get cluster state', async () => {
      const r = await this.db.get<{ snapshot: Uint8Array }>('SELECT s.snapshot FROM cluster_state s JOIN clusters k ON k.id = s.cluster_id WHERE k.name = ?', [
        cluster,
      ]);
      return r === undefined ? undefined : new Uint8Array(r.snapshot);
    });
  }

  // ----------------------------------------------------------------------------- exceptions

  private toException(r: ExceptionRow): ExceptionRecord {
    return {
      id: r.id,
      cluster: r.cluster,
      check: r.check_id,
      namespace: r.namespace,
      kind: r.kind,
      name: r.name,
      reason: r.reason,
      expires: r.expires,
      createdBy: r.created_by,
      createdAt: isoOf(r.created_at),
      revokedBy: r.revoked_by,
      revokedAt: iso(r.revoked_at),
    };
  }

  private async audit(db: Db, actor: string, action: AuditEntry['action'], target: string, detail: JsonObject | null): Promise<void> {
    await db.run('INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)', [
      this.now(),
      actor,
      action,
      target,
      detail === null ? null : JSON.stringify(detail),
    ]);
  }

  createException(input: ExceptionInput, actor: string): Promise<ExceptionRecord> {
    return this.guard('create exception', async () => {
      if (typeof input.reason !== 'string' || input.reason.trim() === '') throw new PalisadeError('usage', 'an exception needs a reason');
      if (typeof input.check !== 'string' || input.check === '') throw new PalisadeError('usage', 'an exception needs a check (id, name or *)');
      if (input.expires !== null && input.expires !== undefined) msOf(input.expires, 'expires');
      const id = newId();
      const now = this.now();
      return this.db.transaction(async (db) => {
        await db.run(
          `INSERT INTO exceptions (id, cluster, check_id, namespace, kind, name, reason, expires, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            input.cluster ?? null,
            input.check,
            input.namespace ?? null,
            input.kind ?? null,
            input.name ?? null,
            input.reason,
            input.expires ?? null,
            actor,
            now,
          ],
        );
        await this.audit(db, actor, 'exception.create', id, {
          cluster: input.cluster ?? null,
          check: input.check,
          namespace: input.namespace ?? null,
          kind: input.kind ?? null,
          name: input.name ?? null,
          reason: input.reason,
          expires: input.expires ?? null,
        });
        return this.toException((await db.get<ExceptionRow>('SELECT * FROM exceptions WHERE id = ?', [id])) as ExceptionRow);
      });
    });
  }

  listExceptions(options: { readonly includeRevoked?: boolean } = {}): Promise<readonly ExceptionRecord[]> {
    return this.guard('list exceptions', async () => {
      const rows = await this.db.all<ExceptionRow>(
        `SELECT * FROM exceptions${options.includeRevoked ? '' : ' WHERE revoked_at IS NULL'} ORDER BY created_at, id`,
      );
      return rows.map((r) => this.toException(r));
    });
  }

  revokeException(id: string, actor: string): Promise<ExceptionRecord | undefined> {
    return this.guard('revoke exception', async () =>
      this.db.transaction(async (db) => {
        const changed = await db.run('UPDATE exceptions SET revoked_by = ?, revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [actor, this.now(), id]);
        if (changed > 0) await this.audit(db, actor, 'exception.revoke', id, null);
        const r = await db.get<ExceptionRow>('SELECT * FROM exceptions WHERE id = ?', [id]);
        return r === undefined ? undefined : this.toException(r);
      }),
    );
  }

  // --------------------------------------------------------------------------------- tokens

  private toToken(r: TokenRow): TokenRecord {
    const role: Role = r.role === 'admin' || r.role === 'agent' ? r.role : 'viewer';
    return {
      id: r.id,
      name: r.name,
      role,
      createdAt: isoOf(r.created_at),
      createdBy: r.created_by,
      lastUsedAt: iso(r.last_used_at),
      revokedAt: iso(r.revoked_at),
    };
  }

  createToken(name: string, role: Role, actor: string): Promise<{ readonly token: string; readonly record: TokenRecord }> {
    return this.guard('create token', async () => {
      if (role !== 'viewer' && role !== 'admin' && role !== 'agent')
        throw new PalisadeError('usage', `role ${JSON.stringify(role)}: expected viewer, admin or agent`);
      if (typeof name !== 'string' || name.trim() === '') throw new PalisadeError('usage', 'a token needs a name');
      const token = `pal_${randomBytes(32).toString('base64url')}`;
      const id = newId();
      return this.db.transaction(async (db) => {
        await db.run('INSERT INTO tokens (id, name, role, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)', [
          id,
          name,
          role,
          hashToken(token),
          this.now(),
          actor,
        ]);
        await this.audit(db, actor, 'token.create', id, { name, role });
        return { token, record: this.toToken((await db.get<TokenRow>('SELECT * FROM tokens WHERE id = ?', [id])) as TokenRow) };
      });
    });
  }

  verifyToken(secret: string): Promise<TokenRecord | undefined> {
    return this.guard('verify token', async () => {
      if (typeof secret !== 'string' || !secret.startsWith('pal_') || secret.length > 200) return undefined;
      const hash = hashToken(secret);
      const r = await this.db.get<TokenRow>('SELECT * FROM tokens WHERE hash = ?', [hash]);
      if (r === undefined) return undefined;
      const stored = Buffer.from(r.hash);
      if (stored.length !== hash.length || !timingSafeEqual(stored, hash) || r.revoked_at !== null) return undefined;
      const now = this.now();
      if (r.last_used_at === null || now - r.last_used_at >= LAST_USED_RESOLUTION_MS) {
        await this.db.run('UPDATE tokens SET last_used_at = ? WHERE id = ?', [now, r.id]);
        r.last_used_at = now;
      }
      return this.toToken(r);
    });
  }

  listTokens(): Promise<readonly TokenRecord[]> {
    return this.guard('list tokens', async () => (await this.db.all<TokenRow>('SELECT * FROM tokens ORDER BY created_at, id')).map((r) => this.toToken(r)));
  }

  revokeToken(id: string, actor: string): Promise<TokenRecord | undefined> {
    return this.guard('revoke token', async () =>
      this.db.transaction(async (db) => {
        const changed = await db.run('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [this.now(), id]);
        if (changed > 0) await this.audit(db, actor, 'token.revoke', id, null);
        const r = await db.get<TokenRow>('SELECT * FROM tokens WHERE id = ?', [id]);
        return r === undefined ? undefined : this.toToken(r);
      }),
    );
  }

  listAudit(options: { readonly limit?: number; readonly cursor?: string } = {}): Promise<Page<AuditEntry>> {
    return this.guard('list audit', async () => {
      const limit = clampLimit(options.limit);
      const total = Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit'))?.n ?? 0);
      let before = Number.MAX_SAFE_INTEGER;
      if (options.cursor !== undefined) {
        before = (decodeCursor(options.cursor, (v) => Array.isArray(v) && v[0] === 'audit' && typeof v[1] === 'number') as [string, number])[1];
      }
      const rows = await this.db.all<AuditRow>('SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?', [before, limit + 1]);
      const items = rows.slice(0, limit).map((r) => ({
        id: String(r.id),
        at: isoOf(r.at),
        actor: r.actor,
        action: r.action as AuditEntry['action'],
        target: r.target,
        detail: parseJson<JsonObject>(r.detail),
      }));
      const last = rows[limit - 1];
      return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(['audit', last.id]) : null, total };
    });
  }

  // ---------------------------------------------------------------------------- retention

  prune(before: string): Promise<PruneResult> {
    return this.guard('prune', async () => {
      const cutoff = msOf(before, 'prune before');
      const result = await this.db.transaction(async (db) => {
        const oldScans = `finished_at < ? AND id NOT IN (SELECT MAX(id) FROM scans GROUP BY cluster_id)`;
        await db.run(`DELETE FROM scan_counts WHERE scan_id IN (SELECT id FROM scans WHERE ${oldScans})`, [cutoff]);
        const scans = await db.run(`DELETE FROM scans WHERE ${oldScans}`, [cutoff]);
        const oldFindings = 'status = 1 AND resolved_at < ?';
        const events = await db.run(`DELETE FROM events WHERE finding_rid IN (SELECT rid FROM findings WHERE ${oldFindings})`, [cutoff]);
        const findings = await db.run(`DELETE FROM findings WHERE ${oldFindings}`, [cutoff]);
        // Keys whose count fell to zero only served trend points of pruned scans.
        await db.run('DELETE FROM open_counts WHERE count = 0');
        return { scans, findings, events };
      });
      if (this.db.dialect === 'sqlite') {
        // Compaction: give the freed pages back to the file system.
        await this.db.exec('PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE)');
      }
      return result;
    });
  }
}
