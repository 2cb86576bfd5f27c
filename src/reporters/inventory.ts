/**
 * The terminal rendering of `palisade inventory`.
 */
import { describeCoverageGap } from '../core/report.js';
import type { InventorySummary } from '../summary/inventory.js';

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const qualified = (e: { cluster?: string; namespace?: string; name: string }, multi: boolean): string =>
  `${multi && e.cluster !== undefined ? `${e.cluster}:` : ''}${e.namespace !== undefined ? `${e.namespace}/` : ''}${e.name}`;

/**
 * Renders the summary for a terminal.
 *
 * @example
 * process.stdout.write(renderInventoryText(summary));
 */
export function renderInventoryText(s: InventorySummary): string {
  const multi = (s.clusters?.length ?? 0) > 1;
  const out: string[] = [];
  out.push(`Sources: ${s.sources.join(', ')}`);
  for (const c of s.clusters ?? []) {
    out.push(
      `Cluster ${c.cluster}${c.server ? ` (${c.server})` : ''}: Kubernetes ${c.kubernetesVersion ?? 'version unknown'}, ${c.total} objects` +
        `${c.coveragePercent !== undefined ? `, coverage ${c.coveragePercent}%` : ''}`,
    );
  }
  out.push(`Objects: ${s.total} in ${Object.keys(s.counts).length} kinds and ${Object.keys(s.namespaces).length} namespaces`);
  out.push(
    '',
    table(
      ['KIND', 'COUNT'],
      Object.entries(s.counts).map(([k, n]) => [k, String(n)]),
    ),
  );
  const nsRows = Object.entries(s.namespaces).map(([ns, per]) => {
    const total = Object.values(per).reduce((a, b) => a + b, 0);
    const top = Object.entries(per)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    return [ns, String(total), top];
  });
  if (nsRows.length > 0) out.push('', table(['NAMESPACE', 'OBJECTS', 'KINDS'], nsRows));
  out.push('', `Workloads (${s.workloads.length}):`);
  if (s.workloads.length > 0)
    out.push(
      table(
        ['KIND', 'NAME', 'PODS', 'SERVICE ACCOUNT', 'IMAGES'],
        s.workloads.map((w) => [w.kind, qualified(w, multi), w.pods !== undefined ? String(w.pods) : '-', w.serviceAccount, w.images.join(', ')]),
      ),
    );
  out.push('', `Service accounts (${s.serviceAccounts.length}):`);
  if (s.serviceAccounts.length > 0)
    out.push(
      table(
        ['NAME', 'USED BY', 'AUTOMOUNT TOKEN'],
        s.serviceAccounts.map((a) => [qualified(a, multi), String(a.usedBy), a.automountToken === null ? 'default (yes)' : a.automountToken ? 'yes' : 'no']),
      ),
    );
  out.push('', `Exposed services (${s.exposedServices.length}):`);
  if (s.exposedServices.length > 0)
    out.push(
      table(
        ['KIND', 'NAME', 'TYPE', 'PORTS', 'HOSTS', 'ADDRESSES'],
        s.exposedServices.map((e) => [e.kind, qualified(e, multi), e.type, e.ports.join(', '), e.hosts.join(', '), e.addresses.join(', ')]),
      ),
    );
  if (s.coverage) {
    const gaps = s.coverage.types.filter((t) => t.status !== 'ok');
    out.push('', `Coverage: ${s.coverage.percent}% of resource types read${gaps.length > 0 ? ':' : ''}`);
    for (const t of gaps) out.push(`  ${multi && t.cluster ? `${t.cluster}: ` : ''}${describeCoverageGap(t)}`);
  }
  return `${out.join('\n')}\n`;
}
