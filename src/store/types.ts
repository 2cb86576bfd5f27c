/**
 * The store of `palisade serve`: clusters, scans, findings with their history, trends,
 * exceptions, API tokens and the audit log of changes. Two implementations pass one test
 * suite: SQLite (better-sqlite3, the default, a file under the user's data directory) and
 * PostgreSQL (`pg`). The server, the agent endpoint and the dashboard's API read and write
 * only through this interface, so a central server keeps no state outside the database.
 *
 * Findings are stored once per identity (a fingerprint), not once per scan: a scan updates
 * `lastSeen`, opens new findings, resolves the ones its scope no longer reports and records
 * the state changes as events. The store therefore grows with change, not with time.
 */
import type { FixOperation } from '../core/check.js';
import type { JsonObject, ResourceTypeCoverage, Severity } from '../core/types.js';

/**
 * Who may do what through the API: viewers read, admins also change exceptions and tokens,
 * agents only push scans (`POST /api/v1/ingest`).
 */
export type Role = 'viewer' | 'admin' | 'agent';

/** A cluster known to the store (a kubeconfig context name, or an agent's `--cluster-name`). */
export interface ClusterRecord {
  readonly name: string;
  readonly createdAt: string;
  /** ISO time of the last recorded scan. */
  readonly lastScanAt: string | null;
  /** `server` when `palisade serve` watches it itself, `agent` when an agent pushes it. */
  readonly source: 'server' | 'agent';
}

/** One failing finding as a scan hands it to the store. */
export interface FindingInput {
  /**
   * Stable identity: a hash of cluster, check id, resource (apiVersion, kind, namespace,
   * name), container and pointer. The same problem in the next scan has the same fingerprint.
   */
  readonly fingerprint: string;
  readonly check: string;
  readonly checkName: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** `null` for cluster-scoped objects. */
  readonly namespace: string | null;
  readonly name: string;
  readonly container: string | null;
  readonly pointer: string;
  readonly message: string;
  /** Already redacted by the engine: never a Secret value. */
  readonly evidence: JsonObject | null;
  readonly frameworks: readonly string[];
  readonly fix: readonly FixOperation[] | null;
  readonly fixable: boolean | 'unsafe' | null;
  /** The report's risk rank and problem group, when the scan computed them. */
  readonly rank: number | null;
  readonly groupId: string | null;
  /** Set when a stored exception waived it: the exception's id. */
  readonly exceptionId: string | null;
}

/** A scan to record. */
export interface ScanInput {
  readonly cluster: string;
  /** `full` replaces every open finding of the cluster; `incremental` only those of `scope`. */
  readonly kind: 'full' | 'incremental';
  readonly startedAt: string;
  readonly finishedAt: string;
  /**
   * For `incremental` scans: the keys (`apiVersion/kind/namespace/name`, namespace empty for
   * cluster-scoped) of the objects rescanned. Open findings on these objects that the scan
   * does not report are resolved; findings on other objects are left as they are.
   */
  readonly scope?: readonly string[];
  readonly findings: readonly FindingInput[];
  /** Objects scanned (the whole inventory for full scans). */
  readonly resources: number;
  readonly checksRun: number;
  readonly coverage: readonly ResourceTypeCoverage[];
  /**
   * Agents send `agentId:scanId:sequence`: a scan recorded twice with the same key is stored
   * once (the second call returns the first record with `duplicate: true`).
   */
  readonly idempotencyKey?: string;
}

/** Counts kept per scan, for the scans list and the trend charts. */
export interface ScanCounts {
  /** Open findings after the scan, per severity. */
  readonly open: Readonly<Record<Severity, number>>;
  /** Findings this scan opened (new or reopened), and resolved. */
  readonly opened: number;
  readonly resolved: number;
}

/** A recorded scan. */
export interface ScanRecord {
  readonly id: string;
  readonly cluster: string;
  readonly kind: 'full' | 'incremental';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly resources: number;
  readonly checksRun: number;
  readonly counts: ScanCounts;
  /** Share of resource types read completely (0..1), and the types that were not. */
  readonly coverage: { readonly ratio: number; readonly incomplete: readonly ResourceTypeCoverage[] };
  /** True when this call found the scan already recorded under its idempotency key. */
  readonly duplicate?: boolean;
}

/** A finding as stored, with its lifecycle. */
export interface StoredFinding extends FindingInput {
  /** The fingerprint; unique per cluster. */
  readonly id: string;
  readonly cluster: string;
  readonly status: 'open' | 'resolved';
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly resolvedAt: string | null;
}

/** One state change of a finding. */
export interface FindingEvent {
  readonly findingId: string;
  readonly scanId: string;
  readonly at: string;
  readonly event: 'opened' | 'resolved' | 'reopened' | 'severity-changed' | 'excepted' | 'unexcepted';
  /** For `severity-changed`: `{ from, to }`; for excepted: `{ exceptionId }`. */
  readonly detail: JsonObject | null;
}

/** Filters of the findings list; every field optional. */
export interface FindingFilter {
  readonly cluster?: string;
  readonly namespace?: string;
  readonly check?: string;
  readonly kind?: string;
  readonly severity?: readonly Severity[];
  /** Default `open`. */
  readonly status?: 'open' | 'resolved' | 'all';
  /** Case-insensitive substring of the message, the object's name or the check's name. */
  readonly q?: string;
  /** Default `severity` (most severe first, then rank, then id). A leading `-` is not used: see `order`. */
  readonly sort?: 'severity' | 'firstSeen' | 'lastSeen' | 'check' | 'resource';
  readonly order?: 'asc' | 'desc';
  /** 1..500, default 50. */
  readonly limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  readonly cursor?: string;
}

/** A page of a cursor-paginated list. */
export interface Page<T> {
  readonly items: readonly T[];
  /** `null` on the last page. */
  readonly nextCursor: string | null;
  /** Total matching the filter (without the cursor). */
  readonly total: number;
}

/** One point of a trend series: open findings of `key` after scan `scanId`. */
export interface TrendPoint {
  readonly scanId: string;
  readonly at: string;
  readonly cluster: string;
  /** The severity, check id or namespace, per `by`. */
  readonly key: string;
  readonly count: number;
}

/** A stored exception: waives matching findings from the next scan on. */
export interface ExceptionRecord {
  readonly id: string;
  /** `null`: every cluster. */
  readonly cluster: string | null;
  /** Check id or name; `*` for every check. */
  readonly check: string;
  readonly namespace: string | null;
  readonly kind: string | null;
  /** Object name; glob `*` allowed. */
  readonly name: string | null;
  readonly reason: string;
  /** ISO date; `null` never expires. */
  readonly expires: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly revokedBy: string | null;
  readonly revokedAt: string | null;
}

export type ExceptionInput = Pick<ExceptionRecord, 'cluster' | 'check' | 'namespace' | 'kind' | 'name' | 'reason' | 'expires'>;

/** An API token (the secret itself is shown once, at creation, and stored hashed). */
export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** A change made through the API or the CLI: who, what, when. */
export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: 'exception.create' | 'exception.revoke' | 'token.create' | 'token.revoke' | 'cluster.delete';
  readonly target: string;
  readonly detail: JsonObject | null;
}

/** What `prune` removed. */
export interface PruneResult {
  readonly scans: number;
  readonly findings: number;
  readonly events: number;
}

/**
 * The store. Every method is async (PostgreSQL is); the SQLite implementation runs its
 * statements synchronously inside. Writes of one scan are one transaction.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs pending versioned migrations; returns the schema version reached. */
  migrate(): Promise<number>;
  close(): Promise<void>;

  ensureCluster(name: string, source: ClusterRecord['source']): Promise<ClusterRecord>;
  listClusters(): Promise<readonly ClusterRecord[]>;

  /** Records a scan and updates the findings' lifecycle (see `ScanInput`). */
  recordScan(input: ScanInput): Promise<ScanRecord>;
  listScans(filter: { readonly cluster?: string; readonly limit?: number; readonly cursor?: string }): Promise<Page<ScanRecord>>;
  getScan(id: string): Promise<ScanRecord | undefined>;

  listFindings(filter: FindingFilter): Promise<Page<StoredFinding>>;
  getFinding(cluster: string, id: string): Promise<StoredFinding | undefined>;
  findingHistory(cluster: string, id: string): Promise<readonly FindingEvent[]>;
  /** Open findings per severity, check or namespace after each scan since `since`. */
  trends(query: { readonly cluster?: string; readonly by: 'severity' | 'check' | 'namespace'; readonly since?: string }): Promise<readonly TrendPoint[]>;

  /**
   * The latest inventory of a cluster as a snapshot document (the format of
   * `palisade snapshot`, gzip-compressed by the caller or not): what the RBAC, network,
   * inventory and attack-path views of the API are computed from. One per cluster, replaced.
   */
  putClusterState(cluster: string, snapshot: Uint8Array): Promise<void>;
  getClusterState(cluster: string): Promise<Uint8Array | undefined>;

  createException(input: ExceptionInput, actor: string): Promise<ExceptionRecord>;
  /** Active exceptions only, unless `includeRevoked`; expired ones are active=false but listed. */
  listExceptions(options?: { readonly includeRevoked?: boolean }): Promise<readonly ExceptionRecord[]>;
  revokeException(id: string, actor: string): Promise<ExceptionRecord | undefined>;

  /** Creates a token; returns the secret once. */
  createToken(name: string, role: Role, actor: string): Promise<{ readonly token: string; readonly record: TokenRecord }>;
  /** The token's record when the secret is valid and not revoked (constant-time compare of hashes). */
  verifyToken(secret: string): Promise<TokenRecord | undefined>;
  listTokens(): Promise<readonly TokenRecord[]>;
  revokeToken(id: string, actor: string): Promise<TokenRecord | undefined>;

  listAudit(options?: { readonly limit?: number; readonly cursor?: string }): Promise<Page<AuditEntry>>;

  /**
   * Retention and compaction: removes scans older than `before` (keeping each cluster's
   * latest), resolved findings resolved before it, and their events.
   */
  prune(before: string): Promise<PruneResult>;
}
