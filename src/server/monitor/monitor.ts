/**
 * The cluster monitor (list + watch, incremental rescans). The implementation lands in the
 * next commits; this file fixes the signature other modules code against.
 */
import { PalisadeError } from '../../core/errors.js';
import type { ClusterMonitor, MonitorOptions } from './types.js';

/**
 * Creates a monitor of one cluster; nothing happens until `start()`.
 *
 * @example
 * const monitor = monitorCluster({ context: 'prod', onScan: async (scan, snapshot) => { await store.recordScan(scan); } });
 * await monitor.start();
 */
export function monitorCluster(options: MonitorOptions): ClusterMonitor {
  void options;
  throw new PalisadeError('usage', 'monitorCluster: work in progress on branch wip/monitor');
}
