/**
 * `palisade serve` as a running process: migrates the store, listens, starts one monitor per
 * watched cluster (each scan: notification check, `recordScan`, `putClusterState`), prunes
 * history past the retention on a timer, and announces exceptions about to expire. The CLI
 * command only parses flags and calls {@link startServe}.
 */
import type { AddressInfo } from 'node:net';
import type { ScanInput } from '../store/types.js';
import type { ClusterMonitor, MonitorOptions } from './monitor/index.js';
import type { Notifier } from './notify.js';
import { type ApiServer, type ApiServerOptions, createApiServer } from './server.js';

/** One cluster to watch: the monitor's target options. */
export type WatchTarget = Pick<MonitorOptions, 'kubeconfig' | 'context' | 'inCluster' | 'clusterName'>;

/** Options of {@link startServe}. */
export interface ServeOptions extends Omit<ApiServerOptions, 'monitors' | 'watching'> {
  readonly host: string;
  readonly port: number;
  /** Clusters to watch; empty: serve stored data only (`--no-watch`). */
  readonly targets: readonly WatchTarget[];
  /** Creates a monitor (the real one: `monitorCluster`). */
  readonly monitorCluster: (options: MonitorOptions) => ClusterMonitor;
  /** Milliseconds between full scans (`--full-every`). */
  readonly fullEveryMs?: number;
  /** History kept, in milliseconds (`--retain`); absent: kept forever. */
  readonly retainMs?: number;
  /** How often pruning and the expiry check run (default 1 hour). */
  readonly housekeepingMs?: number;
  readonly notifier?: Notifier;
  readonly warn: (line: string) => void;
}

/** A running server. */
export interface RunningServe {
  readonly api: ApiServer;
  readonly url: string;
  readonly monitors: readonly ClusterMonitor[];
  /** Stops monitors, timers and the server; closes the store. */
  close(): Promise<void>;
}

/**
 * Starts the server and the monitors. Resolves once listening; the monitors' first scans run
 * in the background (`/readyz` says when they are stored).
 *
 * @example
 * const running = await startServe({ store, host: '127.0.0.1', port: 8443, targets: [{ context: 'prod' }], monitorCluster, warn: console.error });
 */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const { store, notifier, warn } = options;
  await store.migrate();
  const monitors: ClusterMonitor[] = [];
  const api = createApiServer({ ...options, monitors: () => monitors.map((m) => m.status()), watching: options.targets.length > 0 });
  api.setStoreReady(true);

  const ensured = new Set<string>();
  const onScan = async (scan: ScanInput, snapshot: Uint8Array): Promise<void> => {
    if (!ensured.has(scan.cluster)) {
      await store.ensureCluster(scan.cluster, 'server');
      ensured.add(scan.cluster);
    }
    const critical = notifier ? await notifier.newCritical(store, scan) : [];
    const record = await store.recordScan(scan);
    await store.putClusterState(scan.cluster, snapshot);
    api.scanStored(record);
    notifier?.criticalFindings(scan.cluster, record, critical);
  };
  for (const target of options.targets) {
    monitors.push(
      options.monitorCluster({
        ...target,
        ...(options.fullEveryMs !== undefined ? { fullEvery: options.fullEveryMs } : {}),
        exceptions: () => store.listExceptions(),
        onScan,
        onError: (e) => warn(`${target.clusterName ?? target.context ?? (target.inCluster ? 'in-cluster' : 'current context')}: ${e.where}: ${e.message}`),
      }),
    );
  }

  const server = api.server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => warn(`server: ${err.message}`));
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${bound.port}`;

  // Monitors start in the background: the API serves stored data while the first scans run.
  for (const m of monitors)
    m.start().catch((err: unknown) => warn(`cannot watch ${m.status().cluster || 'cluster'}: ${err instanceof Error ? err.message : String(err)}`));

  const housekeeping = async (): Promise<void> => {
    try {
      if (options.retainMs !== undefined) {
        const before = new Date(Date.now() - options.retainMs).toISOString();
        const pruned = await store.prune(before);
        if (pruned.scans + pruned.findings + pruned.events > 0)
          warn(`retention: removed ${pruned.scans} scans, ${pruned.findings} resolved findings and ${pruned.events} events older than ${before}`);
      }
      if (notifier) await notifier.checkExpiring(store, new Date());
    } catch (err) {
      warn(`housekeeping: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  await housekeeping();
  const timer = setInterval(() => void housekeeping(), options.housekeepingMs ?? 3_600_000);
  timer.unref();

  let closed: Promise<void> | undefined;
  return {
    api,
    url,
    monitors,
    close: () => {
      closed ??= (async () => {
        clearInterval(timer);
        await Promise.allSettled(monitors.map((m) => m.stop()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 5000).unref();
        });
        await notifier?.drain();
        await store.close();
      })();
      return closed;
    },
  };
}
