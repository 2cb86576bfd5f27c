/**
 * `/metrics` in the Prometheus text format (version 0.0.4): open findings by cluster,
 * severity, check and namespace (from the store), the last scan's duration, objects and
 * coverage per cluster, and, for clusters this server watches, the monitor's watch lag, queue
 * and errors. Counting open findings pages through the store, so the result is cached briefly
 * and dropped whenever a scan is stored.
 */
import { SEVERITIES } from '../core/types.js';
import type { Store } from '../store/types.js';
import type { MonitorStatus } from './monitor/index.js';

/** What the metrics read from a cluster monitor (its `status()`). */
export type MonitorStatusLike = Pick<MonitorStatus, 'cluster' | 'ready' | 'watchLagMs' | 'queued' | 'coverage' | 'errors' | 'objects'>;

/** Request counters kept by the server. */
export interface RequestCounters {
  /** `method route status` -> count. */
  readonly requests: Map<string, number>;
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(l: Readonly<Record<string, string>>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

class Writer {
  readonly lines: string[] = [];
  family(name: string, type: 'gauge' | 'counter', help: string): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }
  sample(name: string, l: Readonly<Record<string, string>>, value: number): void {
    this.lines.push(`${name}${labels(l)} ${Number.isFinite(value) ? value : 'NaN'}`);
  }
}

/** Share of resource types read completely; undefined before the first list. */
function coverageRatio(c: MonitorStatusLike['coverage']): number | undefined {
  if (c.length === 0) return undefined;
  return c.filter((t) => t.status === 'ok').length / c.length;
}

/**
 * Renders the metrics.
 *
 * @example
 * const text = await renderMetrics(store, [monitor.status()], counters);
 */
export async function renderMetrics(
  store: Store,
  monitors: readonly MonitorStatusLike[],
  counters: RequestCounters,
  extra: Readonly<Record<string, number>> = {},
): Promise<string> {
  const w = new Writer();
  const bySeverity = new Map<string, number>();
  const byCheck = new Map<string, number>();
  const byNamespace = new Map<string, number>();
  const clusters = await store.listClusters();
  for (const c of clusters) for (const s of SEVERITIES) bySeverity.set(`${c.name}\0${s}`, 0);
  let cursor: string | undefined;
  do {
    const page = await store.listFindings({ status: 'open', limit: 500, ...(cursor ? { cursor } : {}) });
    for (const f of page.items) {
      const sev = `${f.cluster}\0${f.severity}`;
      bySeverity.set(sev, (bySeverity.get(sev) ?? 0) + 1);
      const chk = `${f.cluster}\0${f.check}\0${f.severity}`;
      byCheck.set(chk, (byCheck.get(chk) ?? 0) + 1);
      const ns = `${f.cluster}\0${f.namespace ?? ''}`;
      byNamespace.set(ns, (byNamespace.get(ns) ?? 0) + 1);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);

  w.family('palisade_findings_open', 'gauge', 'Open findings per cluster and severity.');
  for (const [k, v] of bySeverity) {
    const [cluster, severity] = k.split('\0') as [string, string];
    w.sample('palisade_findings_open', { cluster, severity }, v);
  }
  w.family('palisade_findings_open_by_check', 'gauge', 'Open findings per cluster, check and severity.');
  for (const [k, v] of byCheck) {
    const [cluster, check, severity] = k.split('\0') as [string, string, string];
    w.sample('palisade_findings_open_by_check', { cluster, check, severity }, v);
  }
  w.family('palisade_findings_open_by_namespace', 'gauge', 'Open findings per cluster and namespace ("" for cluster-scoped objects).');
  for (const [k, v] of byNamespace) {
    const [cluster, namespace] = k.split('\0') as [string, string];
    w.sample('palisade_findings_open_by_namespace', { cluster, namespace }, v);
  }

  const lastScans = [];
  for (const c of clusters) {
    const page = await store.listScans({ cluster: c.name, limit: 1 });
    const s = page.items[0];
    if (s) lastScans.push(s);
  }
  w.family('palisade_scan_duration_seconds', 'gauge', 'Duration of the last recorded scan per cluster.');
  for (const s of lastScans)
    w.sample('palisade_scan_duration_seconds', { cluster: s.cluster, kind: s.kind }, (Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000);
  w.family('palisade_scan_timestamp_seconds', 'gauge', 'End of the last recorded scan per cluster (Unix time).');
  for (const s of lastScans) w.sample('palisade_scan_timestamp_seconds', { cluster: s.cluster }, Date.parse(s.finishedAt) / 1000);
  w.family('palisade_scan_resources', 'gauge', 'Objects read by the last recorded scan per cluster.');
  for (const s of lastScans) w.sample('palisade_scan_resources', { cluster: s.cluster, kind: s.kind }, s.resources);
  w.family('palisade_coverage_ratio', 'gauge', 'Share of resource types read completely by the last scan (0..1).');
  for (const s of lastScans) w.sample('palisade_coverage_ratio', { cluster: s.cluster }, s.coverage.ratio);

  if (monitors.length > 0) {
    w.family('palisade_watch_ready', 'gauge', '1 when the first full scan of a watched cluster is stored.');
    for (const m of monitors) w.sample('palisade_watch_ready', { cluster: m.cluster }, m.ready ? 1 : 0);
    w.family('palisade_watch_lag_seconds', 'gauge', 'Seconds since the oldest change not yet rescanned (0 when none is pending).');
    for (const m of monitors) w.sample('palisade_watch_lag_seconds', { cluster: m.cluster }, m.watchLagMs / 1000);
    w.family('palisade_watch_queued', 'gauge', 'Changed objects waiting for a rescan.');
    for (const m of monitors) w.sample('palisade_watch_queued', { cluster: m.cluster }, m.queued);
    w.family('palisade_watch_objects', 'gauge', 'Objects the monitor holds in memory.');
    for (const m of monitors) w.sample('palisade_watch_objects', { cluster: m.cluster }, m.objects);
    w.family('palisade_watch_recent_errors', 'gauge', 'Errors in the monitor status (the last 20 at most).');
    for (const m of monitors) w.sample('palisade_watch_recent_errors', { cluster: m.cluster }, m.errors.length);
    const withCoverage = monitors.filter((m) => coverageRatio(m.coverage) !== undefined);
    if (withCoverage.length > 0) {
      w.family('palisade_watch_coverage_ratio', 'gauge', 'Share of resource types the monitor reads (0..1).');
      for (const m of withCoverage) w.sample('palisade_watch_coverage_ratio', { cluster: m.cluster }, coverageRatio(m.coverage) as number);
    }
  }

  w.family('palisade_http_requests_total', 'counter', 'HTTP requests answered, per method, route and status.');
  for (const [k, v] of counters.requests) {
    const [method, route, status] = k.split(' ') as [string, string, string];
    w.sample('palisade_http_requests_total', { method, route, status }, v);
  }
  for (const [name, value] of Object.entries(extra)) {
    w.family(name, name.endsWith('_total') ? 'counter' : 'gauge', name.replace(/_/g, ' '));
    w.sample(name, {}, value);
  }
  return `${w.lines.join('\n')}\n`;
}

/**
 * The process metrics of the Prometheus client libraries (resident memory, CPU, start time),
 * read at each scrape (they are not cached with the store's counts).
 *
 * @example
 * processMetrics(); // '# HELP process_resident_memory_bytes ...'
 */
export function processMetrics(): string {
  const w = new Writer();
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  w.family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.');
  w.sample('process_resident_memory_bytes', {}, mem.rss);
  w.family('process_heap_bytes', 'gauge', 'V8 heap used in bytes.');
  w.sample('process_heap_bytes', {}, mem.heapUsed);
  w.family('process_cpu_seconds_total', 'counter', 'User and system CPU time spent in seconds.');
  w.sample('process_cpu_seconds_total', {}, (cpu.user + cpu.system) / 1e6);
  w.family('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch in seconds.');
  w.sample('process_start_time_seconds', {}, Math.round(Date.now() / 1000 - process.uptime()));
  return `${w.lines.join('\n')}\n`;
}
