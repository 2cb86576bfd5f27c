/** Small formatting helpers shared by the views. */
// The engine's own list (src/core/types.ts is pure: it bundles for the browser as it is).
export { isSeverity, SEVERITIES } from '../../src/core/types.js';

/** `2026-12-03 15:04 UTC` (with `seconds`, `15:04:05`): one fixed form, whatever the browser's locale. */
export function time(iso: string | null | undefined, seconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d
    .toISOString()
    .slice(0, seconds ? 19 : 16)
    .replace('T', ' ')} UTC`;
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

export function resourceName(f: { kind: string; namespace: string | null; name: string }): string {
  return `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
