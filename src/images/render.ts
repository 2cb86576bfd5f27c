/**
 * Text rendering of image inventories for `palisade image` (the JSON output is the
 * `ImageInventory` contract itself).
 */
import type { ImageInventory } from '../packages/packages.js';

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ')).join('\n');
}

/**
 * The image's facts and its packages as an aligned table.
 *
 * @example
 * process.stdout.write(renderImageTable(inventory));
 */
export function renderImageTable(inv: ImageInventory, notes: readonly string[] = []): string {
  const lines = [`Image:     ${inv.ref}`];
  if (inv.digest) lines.push(`Digest:    ${inv.digest}`);
  if (inv.platform) lines.push(`Platform:  ${inv.platform}`);
  if (inv.created) lines.push(`Created:   ${inv.created}`);
  lines.push(`OS:        ${inv.os ? (inv.os.prettyName ?? `${inv.os.id} ${inv.os.versionId ?? ''}`.trim()) : 'unknown (no os-release)'}`);
  const byEco = new Map<string, number>();
  for (const p of inv.packages) byEco.set(p.ecosystem, (byEco.get(p.ecosystem) ?? 0) + 1);
  lines.push(`Packages:  ${inv.packages.length}${byEco.size > 0 ? ` (${[...byEco].map(([e, n]) => `${e}: ${n}`).join(', ')})` : ''}`);
  for (const n of notes) lines.push(`Note:      ${n}`);
  if (inv.packages.length > 0) {
    lines.push('');
    const rows = [['ECOSYSTEM', 'NAME', 'VERSION', 'SOURCE', 'PATH']];
    for (const p of inv.packages)
      rows.push([
        p.ecosystem,
        p.name,
        p.version,
        p.source && (p.source.name !== p.name || p.source.version !== p.version) ? `${p.source.name} ${p.source.version}` : '',
        p.locations[0]?.path ?? '',
      ]);
    lines.push(table(rows));
  }
  return `${lines.join('\n')}\n`;
}
