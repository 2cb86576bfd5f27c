/**
 * Notifications of `palisade serve`: new critical findings (after a scan is stored) and
 * exceptions about to expire, posted to a generic webhook (JSON, `--notify-webhook`) and to a
 * Slack-compatible incoming webhook (`{"text": ...}`, `--notify-slack`). Delivery never blocks a
 * scan: messages go to a bounded queue that one loop drains, each message is retried with
 * exponential backoff, and a message that still fails is dropped with a warning.
 */
import type { ExceptionRecord, FindingInput, ScanInput, ScanRecord, Store } from '../store/types.js';

/** Options of {@link Notifier}. */
export interface NotifierOptions {
  readonly webhook?: string;
  readonly slack?: string;
  /** Attempts per message (default 4). */
  readonly attempts?: number;
  /** First retry delay, doubled each time (default 1 s). */
  readonly backoffMs?: number;
  /** Deadline of one POST (default 10 s). */
  readonly timeoutMs?: number;
  /** Messages waiting at most (default 100); older ones are dropped first. */
  readonly maxQueue?: number;
  /** Exceptions expiring within this many days are announced once (default 7). */
  readonly expiryDays?: number;
  /** The public URL of the dashboard, for links (optional). */
  readonly dashboardUrl?: string;
  readonly warn?: (line: string) => void;
}

/** One message: the generic JSON body and the Slack text. */
export interface Notification {
  readonly event: 'critical-findings' | 'exceptions-expiring';
  readonly body: Record<string, unknown>;
  readonly text: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * The notifier.
 *
 * @example
 * const notifier = new Notifier({ webhook: 'https://hooks.example/palisade' });
 * const fresh = await notifier.newCritical(store, scan);
 * const record = await store.recordScan(scan);
 * notifier.criticalFindings('prod', record, fresh);
 */
export class Notifier {
  readonly #queue: Notification[] = [];
  readonly #announced = new Set<string>();
  #draining: Promise<void> | undefined;
  #sent = 0;
  #failed = 0;

  constructor(readonly options: NotifierOptions) {}

  /** Messages delivered and given up on, for /metrics. */
  get stats(): { readonly sent: number; readonly failed: number; readonly queued: number } {
    return { sent: this.#sent, failed: this.#failed, queued: this.#queue.length };
  }

  /**
   * The critical findings of a scan that are not open in the store yet (new or reopened).
   * Called before `recordScan`, which then opens them.
   */
  async newCritical(store: Store, scan: ScanInput): Promise<FindingInput[]> {
    const out: FindingInput[] = [];
    for (const f of scan.findings) {
      if (f.severity !== 'critical' || f.exceptionId !== null) continue;
      const stored = await store.getFinding(scan.cluster, f.fingerprint);
      if (stored?.status !== 'open') out.push(f);
    }
    return out;
  }

  /** Announces new critical findings of a stored scan. */
  criticalFindings(cluster: string, record: ScanRecord, findings: readonly FindingInput[]): void {
    if (findings.length === 0) return;
    const shown = findings.slice(0, 20);
    const lines = shown.map((f) => `• ${f.check} ${f.title}: ${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`);
    if (findings.length > shown.length) lines.push(`… and ${findings.length - shown.length} more`);
    const link = this.options.dashboardUrl ? `\n${this.options.dashboardUrl}#/findings?cluster=${encodeURIComponent(cluster)}&severity=critical` : '';
    this.#enqueue({
      event: 'critical-findings',
      body: {
        event: 'critical-findings',
        cluster,
        scanId: record.id,
        at: record.finishedAt,
        count: findings.length,
        findings: shown.map((f) => ({
          id: f.fingerprint,
          check: f.check,
          title: f.title,
          severity: f.severity,
          kind: f.kind,
          namespace: f.namespace,
          name: f.name,
          message: f.message,
        })),
      },
      text: `Palisade: ${findings.length} new critical finding${findings.length === 1 ? '' : 's'} in cluster ${cluster}\n${lines.join('\n')}${link}`,
    });
  }

  /** Announces, once per exception and process, the active exceptions that expire within the window. */
  async checkExpiring(store: Store, now: Date): Promise<ExceptionRecord[]> {
    const days = this.options.expiryDays ?? 7;
    const horizon = now.getTime() + days * 86_400_000;
    const soon = (await store.listExceptions()).filter((e) => {
      if (e.revokedAt !== null || e.expires === null || this.#announced.has(e.id)) return false;
      const t = Date.parse(e.expires);
      return t > now.getTime() && t <= horizon;
    });
    if (soon.length === 0) return [];
    for (const e of soon) this.#announced.add(e.id);
    this.#enqueue({
      event: 'exceptions-expiring',
      body: {
        event: 'exceptions-expiring',
        withinDays: days,
        exceptions: soon.map((e) => ({
          id: e.id,
          cluster: e.cluster,
          check: e.check,
          namespace: e.namespace,
          kind: e.kind,
          name: e.name,
          reason: e.reason,
          expires: e.expires,
          createdBy: e.createdBy,
        })),
      },
      text: `Palisade: ${soon.length} exception${soon.length === 1 ? '' : 's'} expire${soon.length === 1 ? 's' : ''} within ${days} days\n${soon
        .map((e) => `• ${e.check} ${e.namespace ?? '*'}/${e.name ?? '*'} (${e.cluster ?? 'every cluster'}) expires ${e.expires}: ${e.reason}`)
        .join('\n')}`,
    });
    return soon;
  }

  /** Waits until the queue is empty (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  #enqueue(n: Notification): void {
    if (this.options.webhook === undefined && this.options.slack === undefined) return;
    const max = this.options.maxQueue ?? 100;
    while (this.#queue.length >= max) {
      const dropped = this.#queue.shift();
      this.#failed++;
      this.options.warn?.(`notification queue full: dropped a ${dropped?.event} message`);
    }
    this.#queue.push(n);
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
  }

  async #drain(): Promise<void> {
    for (let n = this.#queue.shift(); n !== undefined; n = this.#queue.shift()) {
      if (this.options.webhook !== undefined) await this.#deliver(this.options.webhook, n.body, n.event, 'webhook');
      if (this.options.slack !== undefined) await this.#deliver(this.options.slack, { text: n.text }, n.event, 'slack');
    }
  }

  async #deliver(url: string, body: unknown, event: string, target: string): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    let delay = this.options.backoffMs ?? 1000;
    let last = '';
    for (let i = 1; i <= attempts; i++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'palisade-serve' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.#sent++;
          return;
        }
        last = `HTTP ${res.status}`;
        // Client errors other than throttling will not heal by retrying.
        if (res.status >= 400 && res.status < 500 && res.status !== 429) break;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      if (i < attempts) {
        await sleep(delay);
        delay *= 2;
      }
    }
    this.#failed++;
    this.options.warn?.(`notification ${event} to the ${target} failed: ${last}`);
  }
}
