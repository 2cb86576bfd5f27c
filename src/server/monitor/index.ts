/**
 * Continuous scanning of one cluster: list + watch, incremental rescans, scans for the store.
 * See `types.ts` for the contract and docs/server.md (Continuous scanning and agents).
 */
export type { ClusterMonitor, MonitorError, MonitorOptions, MonitorStatus, WatchState } from './types.js';
export { monitorCluster, resolveMonitorTarget } from './monitor.js';
