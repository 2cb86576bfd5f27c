/**
 * VEX documents (OpenVEX, https://github.com/openvex/spec, and CycloneDX VEX,
 * https://cyclonedx.org/capabilities/vex/) reduced to statements scoped by package URL, and
 * their application to matched vulnerabilities: a `not_affected` / `fixed` (OpenVEX) or
 * `not_affected` / `false_positive` / `resolved` (CycloneDX) statement suppresses the finding
 * and stays attached to it so reports can show why.
 */
import type { PackageVulnerability } from '../packages/packages.js';
import { isObject } from '../core/object.js';
import { parsePurl, purlCovers, type PackageUrl } from './purl.js';

export interface VexStatement {
  /** The vulnerability id and its aliases as the statement names them. */
  readonly vulnerabilities: readonly string[];
  /** Package URLs the statement covers (products and their subcomponents). */
  readonly products: readonly string[];
  /** The status as the document states it (`not_affected`, `fixed`, `false_positive`, ...). */
  readonly status: string;
  readonly suppresses: boolean;
  readonly justification?: string;
  /** Impact or detail text; the action statement for `affected`. */
  readonly statement?: string;
  /** RFC 3339 time of the statement, when given: the latest statement wins. */
  readonly timestamp?: string;
  /** The document it came from (a file path). */
  readonly source: string;
}

/** A VEX document that cannot be read: the message names what is wrong. */
export class VexError extends Error {}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function openVexIds(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!isObject(v)) return [];
  const ids = [str(v.name), str(v['@id'])].filter((x): x is string => x !== undefined);
  if (Array.isArray(v.aliases)) for (const a of v.aliases) if (typeof a === 'string') ids.push(a);
  return ids;
}

function openVexProducts(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const p of v) {
    if (typeof p === 'string') {
      out.push(p);
      continue;
    }
    if (!isObject(p)) continue;
    const ids = [str(p['@id']), ...(isObject(p.identifiers) ? [str(p.identifiers.purl)] : [])].filter((x): x is string => x !== undefined);
    // A product with subcomponents scopes the statement to those components inside it.
    const subs = Array.isArray(p.subcomponents) ? openVexProducts(p.subcomponents) : [];
    out.push(...(subs.length > 0 ? subs : ids));
  }
  return out.filter((p) => p.startsWith('pkg:'));
}

function fromOpenVex(doc: Record<string, unknown>, source: string): VexStatement[] {
  if (!Array.isArray(doc.statements)) throw new VexError(`${source}: OpenVEX document without a statements array`);
  const docTime = str(doc.timestamp);
  return doc.statements.map((s, i) => {
    if (!isObject(s)) throw new VexError(`${source}: statements[${i}] is not an object`);
    const status = str(s.status);
    if (status === undefined) throw new VexError(`${source}: statements[${i}] has no status`);
    const vulnerabilities = openVexIds(s.vulnerability);
    if (vulnerabilities.length === 0) throw new VexError(`${source}: statements[${i}] names no vulnerability`);
    const statement = str(s.impact_statement) ?? str(s.action_statement) ?? str(s.status_notes);
    const justification = str(s.justification);
    const timestamp = str(s.timestamp) ?? docTime;
    return {
      vulnerabilities,
      products: openVexProducts(s.products),
      status,
      suppresses: status === 'not_affected' || status === 'fixed',
      ...(justification !== undefined ? { justification } : {}),
      ...(statement !== undefined ? { statement } : {}),
      ...(timestamp !== undefined ? { timestamp } : {}),
      source,
    };
  });
}

function fromCycloneDx(doc: Record<string, unknown>, source: string): VexStatement[] {
  if (!Array.isArray(doc.vulnerabilities)) throw new VexError(`${source}: CycloneDX document without a vulnerabilities array`);
  // `affects[].ref` names a bom-ref of this document (resolved to the component's purl) or a purl.
  const purlByRef = new Map<string, string>();
  const walk = (components: unknown): void => {
    if (!Array.isArray(components)) return;
    for (const c of components) {
      if (!isObject(c)) continue;
      const ref = str(c['bom-ref']);
      const purl = str(c.purl);
      if (ref !== undefined && purl !== undefined) purlByRef.set(ref, purl);
      walk(c.components);
    }
  };
  walk(doc.components);
  if (isObject(doc.metadata) && isObject(doc.metadata.component)) walk([doc.metadata.component]);
  const out: VexStatement[] = [];
  doc.vulnerabilities.forEach((v, i) => {
    if (!isObject(v)) throw new VexError(`${source}: vulnerabilities[${i}] is not an object`);
    const id = str(v.id);
    if (id === undefined) throw new VexError(`${source}: vulnerabilities[${i}] has no id`);
    const analysis = isObject(v.analysis) ? v.analysis : {};
    const state = str(analysis.state);
    if (state === undefined) return; // No analysis: a plain vulnerability list, not a statement.
    const ids = [id];
    if (Array.isArray(v.references)) for (const r of v.references) if (isObject(r) && str(r.id) !== undefined) ids.push(r.id as string);
    const products: string[] = [];
    if (Array.isArray(v.affects))
      for (const a of v.affects) {
        const ref = isObject(a) ? str(a.ref) : undefined;
        if (ref === undefined) continue;
        const fragment = ref.startsWith('urn:cdx:') && ref.includes('#') ? decodeURIComponent(ref.slice(ref.indexOf('#') + 1)) : ref;
        const purl = purlByRef.get(fragment) ?? (fragment.startsWith('pkg:') ? fragment : undefined);
        if (purl !== undefined) products.push(purl);
      }
    const justification = str(analysis.justification);
    const statement =
      str(analysis.detail) ?? (Array.isArray(analysis.response) ? analysis.response.filter((x) => typeof x === 'string').join(', ') || undefined : undefined);
    const timestamp = str(analysis.lastUpdated) ?? str(analysis.firstIssued);
    out.push({
      vulnerabilities: ids,
      products,
      status: state,
      suppresses: state === 'not_affected' || state === 'false_positive' || state === 'resolved' || state === 'resolved_with_pedigree',
      ...(justification !== undefined ? { justification } : {}),
      ...(statement !== undefined ? { statement } : {}),
      ...(timestamp !== undefined ? { timestamp } : {}),
      source,
    });
  });
  return out;
}

/**
 * Reads the statements of an OpenVEX or CycloneDX VEX document (already parsed JSON).
 * Throws {@link VexError} naming the document when it is neither.
 *
 * @example
 * parseVex({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ vulnerability: { name: 'CVE-2023-1' },
 *   products: [{ '@id': 'pkg:deb/debian/curl' }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }] }, 'vex.json');
 */
export function parseVex(doc: unknown, source: string): VexStatement[] {
  if (!isObject(doc)) throw new VexError(`${source}: not a JSON object`);
  if (typeof doc['@context'] === 'string' && doc['@context'].includes('openvex')) return fromOpenVex(doc, source);
  if (doc.bomFormat === 'CycloneDX') return fromCycloneDx(doc, source);
  if (Array.isArray(doc.statements)) return fromOpenVex(doc, source);
  throw new VexError(`${source}: neither an OpenVEX document (@context openvex) nor a CycloneDX BOM (bomFormat CycloneDX)`);
}

/**
 * Attaches the VEX statement that applies to each vulnerability (same id or alias, product
 * purl covering the package's); the latest statement wins. A suppressing statement marks the
 * finding suppressed through its `vex` field; a non-suppressing one (`affected`,
 * `under_investigation`) leaves it active.
 *
 * @example
 * applyVex(vulnerabilities, parseVex(doc, 'vex.json')).filter((v) => v.vex === undefined); // what still counts
 */
export function applyVex(vulns: readonly PackageVulnerability[], statements: readonly VexStatement[]): PackageVulnerability[] {
  if (statements.length === 0) return [...vulns];
  const parsed = statements.map((s) => ({ s, products: s.products.map(parsePurl).filter((p): p is PackageUrl => p !== undefined) }));
  return vulns.map((v) => {
    const ids = new Set([v.id, ...v.aliases]);
    const purl = parsePurl(v.purl);
    let chosen: VexStatement | undefined;
    for (const { s, products } of parsed) {
      if (!s.vulnerabilities.some((id) => ids.has(id))) continue;
      if (purl === undefined || !products.some((p) => purlCovers(p, purl))) continue;
      if (chosen === undefined || (s.timestamp ?? '') >= (chosen.timestamp ?? '')) chosen = s;
    }
    if (chosen === undefined || !chosen.suppresses) return v;
    return {
      ...v,
      vex: {
        status: chosen.status,
        ...(chosen.justification !== undefined ? { justification: chosen.justification } : {}),
        ...(chosen.statement !== undefined ? { statement: chosen.statement } : {}),
        source: chosen.source,
      },
    };
  });
}
