/**
 * Alert formats: a table for people, JSON lines for pipelines (one object per alert), and a
 * SARIF 2.1.0 log for SIEM import. Slack and generic webhook payloads are in ./sinks.ts.
 */
import type { AuditAlert } from '../audit-rules/engine.js';
import type { AnyAuditRule } from '../audit-rules/rule.js';
import { VERSION } from '../version.js';

export type AlertFormat = 'table' | 'json' | 'sarif';

/** One JSON line. */
export function jsonLine(a: AuditAlert): string {
  return `${JSON.stringify(a)}\n`;
}

const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One table row (fixed-width columns, the message last). */
export function tableRow(a: AuditAlert): string {
  return `${a.time.slice(0, 19).replace('T', ' ')}  ${a.severity.toUpperCase().padEnd(8)}  ${a.rule.padEnd(9)}  ${cut(a.user || '(unauthenticated)', 28).padEnd(28)}  ${a.message}\n`;
}

export const TABLE_HEADER = `${'TIME (UTC)'.padEnd(19)}  ${'SEVERITY'.padEnd(8)}  ${'RULE'.padEnd(9)}  ${'USER'.padEnd(28)}  MESSAGE\n`;

const LEVEL: Readonly<Record<string, 'error' | 'warning' | 'note'>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/**
 * A SARIF 2.1.0 log of the alerts: one result per alert, the rule catalogue as the driver's
 * rules, the request as a logical location, the audit facts as result properties.
 *
 * @example
 * JSON.stringify(sarifLog(alerts, builtinAuditRules));
 */
export function sarifLog(alerts: readonly AuditAlert[], rules: readonly AnyAuditRule[]): object {
  const used = new Set(alerts.map((a) => a.rule));
  const list = rules.filter((r) => used.has(r.id));
  const index = new Map(list.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'palisade-audit',
            version: VERSION,
            informationUri: 'https://github.com/palisade-dev/palisade/blob/main/docs/audit.md',
            rules: list.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.docs.description },
              help: { text: r.docs.remediation },
              defaultConfiguration: { level: LEVEL[r.severity] ?? 'warning' },
              properties: { severity: r.severity, category: r.category, tags: r.frameworks },
            })),
          },
        },
        results: alerts.map((a) => ({
          ruleId: a.rule,
          ...(index.has(a.rule) ? { ruleIndex: index.get(a.rule) } : {}),
          level: LEVEL[a.severity] ?? 'warning',
          message: { text: a.message },
          locations: [
            {
              logicalLocations: [
                {
                  name: a.objectRef?.name ?? a.requestURI,
                  fullyQualifiedName: a.objectRef?.resource
                    ? `${a.objectRef.resource}${a.objectRef.subresource ? `/${a.objectRef.subresource}` : ''}/${a.objectRef.namespace ? `${a.objectRef.namespace}/` : ''}${a.objectRef.name ?? ''}`
                    : a.requestURI,
                  kind: 'resource',
                },
              ],
            },
          ],
          partialFingerprints: { auditID: a.auditID },
          properties: {
            severity: a.severity,
            auditID: a.auditID,
            time: a.time,
            user: a.user,
            ...(a.impersonatedBy ? { impersonatedBy: a.impersonatedBy } : {}),
            verb: a.verb,
            code: a.code,
            sourceIPs: a.sourceIPs,
            requestURI: a.requestURI,
          },
        })),
      },
    ],
  };
}
