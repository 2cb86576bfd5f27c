/**
 * What `palisade vuln match` reads besides the database: the installed packages (a CycloneDX
 * or SPDX JSON SBOM whose components carry package URLs, or a JSON list of installed packages
 * as `src/packages/packages.ts` defines them) and VEX documents. Every error names the file
 * and the entry.
 */
import { readFileSync } from 'node:fs';
import { isObject } from '../core/object.js';
import { PalisadeError } from '../core/errors.js';
import type { InstalledPackage } from '../packages/packages.js';
import { packageFromPurl } from '../vuln/ecosystem.js';
import { parsePurl } from '../vuln/purl.js';
import { parseVex, VexError, type VexStatement } from '../vuln/vex.js';

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PalisadeError(code === 'ENOENT' ? 'path-not-found' : 'io', `${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PalisadeError('config-invalid', `${what} ${path}: not valid JSON (${(err as Error).message})`);
  }
}

/** Packages of an SBOM, and the components skipped (no purl, no version, a type not matched). */
export interface SbomPackages {
  readonly packages: InstalledPackage[];
  readonly skipped: number;
}

/**
 * Reads a CycloneDX (1.4+) or SPDX 2.3 JSON SBOM. The source package of a distro component
 * comes from its purl's `upstream` qualifier, or Trivy's `aquasecurity:trivy:SrcName`/`SrcVersion`
 * properties.
 *
 * @example
 * loadSbom('image.cdx.json').packages.length;
 */
export function loadSbom(path: string): SbomPackages {
  const doc = readJson(path, '--sbom');
  if (!isObject(doc)) throw new PalisadeError('config-invalid', `--sbom ${path}: not a JSON object`);
  const packages: InstalledPackage[] = [];
  let skipped = 0;
  const add = (purl: string | undefined, props: Record<string, string>, location: string): void => {
    const parsed = purl !== undefined ? parsePurl(purl) : undefined;
    if (purl === undefined || parsed === undefined) {
      skipped++;
      return;
    }
    const srcName = props['aquasecurity:trivy:SrcName'] ?? props['palisade:source:name'];
    const srcVersion = props['aquasecurity:trivy:SrcVersion'] ?? props['palisade:source:version'];
    const pkg = packageFromPurl(
      parsed,
      purl,
      srcName !== undefined ? { name: srcName, ...(srcVersion !== undefined ? { version: srcVersion } : {}) } : undefined,
    );
    if (pkg === undefined) skipped++;
    else packages.push({ ...pkg, locations: [{ path: location }] });
  };
  if (doc.bomFormat === 'CycloneDX') {
    const walk = (components: unknown, at: string): void => {
      if (!Array.isArray(components)) return;
      components.forEach((c, i) => {
        if (!isObject(c)) return;
        const props: Record<string, string> = {};
        if (Array.isArray(c.properties))
          for (const p of c.properties) if (isObject(p) && typeof p.name === 'string' && typeof p.value === 'string') props[p.name] = p.value;
        add(typeof c.purl === 'string' ? c.purl : undefined, props, `${path}#${at}[${i}]`);
        walk(c.components, `${at}[${i}].components`);
      });
    };
    walk(doc.components, '/components');
  } else if (typeof doc.spdxVersion === 'string') {
    if (Array.isArray(doc.packages))
      doc.packages.forEach((p, i) => {
        if (!isObject(p) || !Array.isArray(p.externalRefs)) {
          skipped++;
          return;
        }
        const ref = p.externalRefs.find((r) => isObject(r) && r.referenceType === 'purl');
        add(isObject(ref) && typeof ref.referenceLocator === 'string' ? ref.referenceLocator : undefined, {}, `${path}#/packages[${i}]`);
      });
  } else throw new PalisadeError('config-invalid', `--sbom ${path}: neither a CycloneDX BOM (bomFormat) nor an SPDX document (spdxVersion)`);
  return { packages, skipped };
}

/**
 * Reads a JSON array of installed packages, or an object with a `packages` array (an image inventory).
 *
 * @example
 * loadPackageList('packages.json')[0]?.ecosystem; // 'Debian:12'
 */
export function loadPackageList(path: string): InstalledPackage[] {
  const doc = readJson(path, '--packages');
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.packages) ? doc.packages : undefined;
  if (list === undefined) throw new PalisadeError('config-invalid', `--packages ${path}: expected an array of packages or an object with a packages array`);
  return list.map((p, i) => {
    const where = `--packages ${path}: packages[${i}]`;
    if (!isObject(p)) throw new PalisadeError('config-invalid', `${where} is not an object`);
    for (const k of ['ecosystem', 'name', 'version'] as const)
      if (typeof p[k] !== 'string' || p[k] === '') throw new PalisadeError('config-invalid', `${where} needs a string ${k}`);
    const source =
      isObject(p.source) && typeof p.source.name === 'string'
        ? { name: p.source.name, version: typeof p.source.version === 'string' ? p.source.version : (p.version as string) }
        : undefined;
    const purl =
      typeof p.purl === 'string' && p.purl !== '' ? p.purl : `pkg:generic/${encodeURIComponent(p.name as string)}@${encodeURIComponent(p.version as string)}`;
    return {
      ecosystem: p.ecosystem as string,
      name: p.name as string,
      version: p.version as string,
      ...(source !== undefined ? { source } : {}),
      purl,
      locations: Array.isArray(p.locations)
        ? (p.locations.filter((l) => isObject(l) && typeof l.path === 'string') as unknown as InstalledPackage['locations'])
        : [],
    };
  });
}

/**
 * Reads VEX documents (OpenVEX or CycloneDX VEX JSON).
 *
 * @example
 * loadVex(['vex/openvex.json']).length;
 */
export function loadVex(paths: readonly string[]): VexStatement[] {
  const out: VexStatement[] = [];
  for (const path of paths) {
    try {
      out.push(...parseVex(readJson(path, '--vex'), path));
    } catch (err) {
      if (err instanceof VexError) throw new PalisadeError('config-invalid', `--vex ${err.message}`);
      throw err;
    }
  }
  return out;
}
