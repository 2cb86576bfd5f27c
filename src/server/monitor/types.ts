/**
 * The contract of the cluster monitor: what `palisade serve` (watching its own clusters) and
 * `palisade agent` (pushing to a central server) run for each cluster. The monitor lists and
 * watches the resource types a scan reads, keeps the objects in memory, rescans what a change
 * affects and hands each scan to `onScan` as a store `ScanInput` plus the cluster's snapshot.
 */
import type { ScanOptions } from '../../scan.js';
import type { ResourceTypeCoverage } from '../../core/types.js';
import type { ExceptionRecord, ScanInput } from '../../store/types.js';

/** Options of {@link monitorCluster}. */
export interface MonitorOptions {
  /** `--kubeconfig FILE`: this file only, instead of `KUBECONFIG` and ~/.kube/config. */
  readonly kubeconfig?: string;
  /** The kubeconfig context to watch; default the current context. */
  readonly context?: string;
  /**
   * `--in-cluster`: the pod's service account (token and CA from the standard mount, server
   * from `KUBERNETES_SERVICE_HOST/PORT`), ignoring any kubeconfig.
   */
  readonly inCluster?: boolean;
  /** Environment (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_*`); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory of the in-cluster service-account files (tests); default the standard mount. */
  readonly serviceAccountDir?: string;
  /**
   * The name scans are recorded under (`ScanInput.cluster`, the agent's `--cluster-name`);
   * default the context name (`in-cluster` for `inCluster`).
   */
  readonly clusterName?: string;
  /** Milliseconds between full scans (after the first one at start); default 6 hours. */
  readonly fullEvery?: number;
  /**
   * Stored exceptions, read before every scan and applied as waivers (a waived finding is
   * still reported, with `exceptionId` set). Default: none.
   */
  readonly exceptions?: () => Promise<readonly ExceptionRecord[]>;
  /**
   * Called with every scan, one at a time, in order: the store record and the cluster's
   * snapshot (the `palisade snapshot` format, gzip-compressed, Secrets redacted). A rejected
   * promise is recorded in `status().errors` and the monitor continues; the caller keeps its
   * own retry (the agent's outbox) when it must not lose a scan.
   */
  readonly onScan: (scan: ScanInput, snapshot: Uint8Array) => Promise<void>;
  /** Which checks run, as for `palisade scan` (configuration, include/exclude, frameworks). */
  readonly scan?: Pick<ScanOptions, 'config' | 'include' | 'exclude' | 'framework' | 'frameworks' | 'extraChecks'>;
  /** Only these namespaces (`--namespace`). */
  readonly namespaces?: readonly string[];
  /** Never these namespaces (`--exclude-namespace`). */
  readonly excludeNamespaces?: readonly string[];
  /** False: Secrets are neither listed nor watched. Default true. */
  readonly secrets?: boolean;
  /**
   * Milliseconds changes are collected before an incremental rescan (events of one object
   * coalesce); default 100.
   */
  readonly debounceMs?: number;
  /**
   * Most distinct changed objects queued; beyond it the queue is dropped and a full scan
   * replaces it (memory stays bounded under a flood). Default 50,000.
   */
  readonly maxQueue?: number;
  /** Reconnect back-off of a failed watch or list: first delay and cap, in ms (default 500 and 30,000), with full jitter. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Server-side timeout of one watch request, in seconds (default 300, as client-go's 5-10 min). */
  readonly watchTimeoutSeconds?: number;
  /** Page size of lists (default 500). */
  readonly pageSize?: number;
  /** Called for each error also recorded in the status (a log line). */
  readonly onError?: (error: MonitorError) => void;
}

/** One error the monitor met and recovered from (or is retrying). */
export interface MonitorError {
  readonly at: string;
  /** `deployments.apps`, or `discovery`, `scan`, `onScan`, `exceptions`. */
  readonly where: string;
  readonly message: string;
}

/** The state of one watched resource type. */
export interface WatchState {
  /** `deployments.apps` (kubectl's name). */
  readonly type: string;
  /** `listing`, `watching`, `backoff` (waiting to reconnect), `forbidden` (not readable: in coverage), `stopped`. */
  readonly state: 'listing' | 'watching' | 'backoff' | 'forbidden' | 'stopped';
  /** The last resourceVersion seen (list, event or bookmark). */
  readonly resourceVersion: string | null;
  readonly objects: number;
  /** Relists after 410 Gone (and after errors a watch could not resume from). */
  readonly relists: number;
  /** Watch reconnects (dropped connections, server timeouts, errors). */
  readonly reconnects: number;
}

/** What {@link ClusterMonitor.status} reports. */
export interface MonitorStatus {
  /** The name scans are recorded under. */
  readonly cluster: string;
  /** The API server URL. */
  readonly server: string;
  /** True once the first full scan was handed to `onScan`. */
  readonly ready: boolean;
  readonly running: boolean;
  readonly lastFullScanAt: string | null;
  readonly lastScanAt: string | null;
  /** Scans handed to `onScan` so far (full and incremental). */
  readonly scans: number;
  /**
   * How far the findings lag the cluster: milliseconds since the oldest change not yet
   * rescanned (0 when none is pending).
   */
  readonly watchLagMs: number;
  /** Changed objects waiting for a rescan. */
  readonly queued: number;
  /** Objects held in memory. */
  readonly objects: number;
  /** Per resource type, as a scan reports it (forbidden types say so). */
  readonly coverage: readonly ResourceTypeCoverage[];
  readonly watches: readonly WatchState[];
  /** The most recent errors (at most 20), oldest first. */
  readonly errors: readonly MonitorError[];
}

/** A running monitor of one cluster. */
export interface ClusterMonitor {
  /**
   * Connects, lists every type, runs and delivers the first full scan, then watches. Resolves
   * once the first full scan was delivered; rejects (with a one-line `PalisadeError`) when the
   * cluster cannot be reached or refuses the credentials at start.
   */
  start(): Promise<void>;
  /** Stops watches and timers; waits for a scan in progress to be delivered. */
  stop(): Promise<void>;
  status(): MonitorStatus;
  /** Runs a full scan now (besides the schedule); resolves when it was delivered. */
  scanNow(): Promise<void>;
}
