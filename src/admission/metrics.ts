/**
 * Prometheus metrics of the webhook, in the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Labels take only values from
 * fixed sets (paths, outcomes, modes, severities), never object or user names, so that the
 * number of series stays bounded whatever the cluster sends.
 */

/** Upper bounds of the latency histogram, in seconds. */
export const LATENCY_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

class Counter {
  readonly #values = new Map<string, { labels: Record<string, string>; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Record<string, string>, by = 1): void {
    const key = labelText(labels);
    const cur = this.#values.get(key);
    if (cur) cur.value += by;
    else this.#values.set(key, { labels, value: by });
  }
  get(labels: Record<string, string>): number {
    return this.#values.get(labelText(labels))?.value ?? 0;
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const { labels, value } of this.#values.values()) out += `${this.name}${labelText(labels)} ${value}\n`;
    return out;
  }
}

class Histogram {
  readonly #series = new Map<string, { labels: Record<string, string>; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}
  observe(labels: Record<string, string>, value: number): void {
    const key = labelText(labels);
    let s = this.#series.get(key);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= (this.buckets[i] as number)) (s.counts[i] as number)++;
    s.sum += value;
    s.count++;
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const s of this.#series.values()) {
      this.buckets.forEach((b, i) => {
        out += `${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}\n`;
      });
      out += `${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}\n`;
      out += `${this.name}_sum${labelText(s.labels)} ${s.sum}\n`;
      out += `${this.name}_count${labelText(s.labels)} ${s.count}\n`;
    }
    return out;
  }
}

/**
 * The webhook's metrics.
 *
 * @example
 * const m = new AdmissionMetrics();
 * m.requests.inc({ path: 'validate', code: '200' });
 * res.end(m.render());
 */
export class AdmissionMetrics {
  /** HTTP requests to the webhook paths, by path and status code. */
  readonly requests = new Counter('palisade_admission_requests_total', 'Admission HTTP requests by path and HTTP status code.');
  /** Decisions, by path, outcome, mode, operation and dry-run. */
  readonly verdicts = new Counter(
    'palisade_admission_verdicts_total',
    'Admission decisions by path, outcome (allowed, denied, warned, audited, patched, exempt, skipped), mode and dry run.',
  );
  /** Failing findings seen, by severity. */
  readonly findings = new Counter('palisade_admission_findings_total', 'Failing findings of evaluated objects by severity.');
  /** Time from the end of the request body to the response, by path. */
  readonly latency = new Histogram('palisade_admission_request_duration_seconds', 'Time to decide an admission request, in seconds.', LATENCY_BUCKETS);

  /** The exposition text. */
  render(): string {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    return (
      this.requests.render() +
      this.verdicts.render() +
      this.findings.render() +
      this.latency.render() +
      '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\n' +
      `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}\n` +
      '# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\n' +
      `process_resident_memory_bytes ${mem.rss}\n` +
      '# HELP nodejs_heap_used_bytes V8 heap used in bytes.\n# TYPE nodejs_heap_used_bytes gauge\n' +
      `nodejs_heap_used_bytes ${mem.heapUsed}\n`
    );
  }
}
