/**
 * Alert sinks besides stdout: a generic webhook (the alert JSON, batched) and a
 * Slack-compatible incoming webhook (`{text, blocks}`). Deliveries are queued with a bound:
 * when a sink is slower than the alerts, the oldest pending alerts are dropped and counted,
 * never held without limit. A failed delivery is reported once per sink and retried on the
 * next batch; it never stops detection.
 */
import type { AuditAlert } from '../audit-rules/engine.js';

export type SinkKind = 'webhook' | 'slack';

export interface SinkOptions {
  readonly kind: SinkKind;
  readonly url: string;
  /** Called with a one-line warning (failed delivery, dropped alerts). */
  readonly warn: (message: string) => void;
  /** Most alerts waiting for delivery. */
  readonly maxQueue?: number;
  /** Alerts per request (webhook) or per Slack message. */
  readonly batchSize?: number;
  readonly timeoutMs?: number;
}

const EMOJI: Readonly<Record<string, string>> = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_yellow_circle:',
  info: ':white_circle:',
};

/** The Slack message of a batch of alerts. */
export function slackPayload(alerts: readonly AuditAlert[]): object {
  const lines = alerts.map(
    (a) =>
      `${EMOJI[a.severity] ?? ''} *${a.severity.toUpperCase()}* \`${a.rule}\` ${a.title}\n>${a.message}\n>user \`${a.user || '(unauthenticated)'}\` · ${a.verb} · auditID \`${a.auditID}\``,
  );
  return {
    text:
      alerts.length === 1
        ? `[${(alerts[0] as AuditAlert).severity}] ${(alerts[0] as AuditAlert).rule}: ${(alerts[0] as AuditAlert).message}`
        : `${alerts.length} Palisade audit alerts`,
    blocks: lines.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 2900) } })),
  };
}

/** The generic webhook body: `{source, alerts}`. */
export function webhookPayload(alerts: readonly AuditAlert[]): object {
  return { source: 'palisade-audit', alerts };
}

/**
 * A queued sink.
 *
 * @example
 * const sink = new AlertSink({ kind: 'slack', url, warn: console.error }); sink.push(alert); await sink.flush();
 */
export class AlertSink {
  readonly #opts: SinkOptions;
  #queue: AuditAlert[] = [];
  #running: Promise<void> | undefined;
  #failing = false;
  dropped = 0;
  delivered = 0;

  constructor(opts: SinkOptions) {
    this.#opts = opts;
  }

  push(alert: AuditAlert): void {
    this.#queue.push(alert);
    const max = this.#opts.maxQueue ?? 10_000;
    if (this.#queue.length > max) {
      const over = this.#queue.length - max;
      this.#queue.splice(0, over);
      this.dropped += over;
    }
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  async #drain(): Promise<void> {
    const batch = this.#opts.batchSize ?? (this.#opts.kind === 'slack' ? 20 : 100);
    while (this.#queue.length > 0) {
      const alerts = this.#queue.splice(0, batch);
      const body = JSON.stringify(this.#opts.kind === 'slack' ? slackPayload(alerts) : webhookPayload(alerts));
      try {
        const res = await fetch(this.#opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.#opts.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        this.delivered += alerts.length;
        this.#failing = false;
      } catch (err) {
        this.dropped += alerts.length;
        if (!this.#failing)
          this.#opts.warn(
            `${this.#opts.kind} sink ${redactUrl(this.#opts.url)}: delivery failed (${err instanceof Error ? err.message : String(err)}); alerts of this batch are lost`,
          );
        this.#failing = true;
      }
    }
  }

  /** Waits until the queue is empty. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }
}

/** A webhook URL without its path (Slack URLs carry their secret in the path) or credentials. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(invalid URL)';
  }
}
