/**
 * SBOMs of an image inventory: CycloneDX 1.5 JSON (https://cyclonedx.org/docs/1.5/json/) and
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/). Every component carries its package
 * URL; distro packages name their source package.
 */
import { randomUUID } from 'node:crypto';
import type { ImageInventory, InstalledPackage } from '../packages/packages.js';
import { VERSION } from '../version.js';

export type SbomFormat = 'cyclonedx' | 'spdx';
export const SBOM_FORMATS: readonly SbomFormat[] = ['cyclonedx', 'spdx'];

/** Options that make output reproducible in tests. */
export interface SbomOptions {
  /** Document timestamp. Default: now. */
  readonly now?: Date;
  /** Serial number / namespace UUID. Default: random. */
  readonly uuid?: string;
}

function timestamp(o: SbomOptions): string {
  return (o.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A single SPDX licence id or a simple expression of ids (what `licenseDeclared` accepts). */
const SPDX_EXPRESSION = /^\(?[A-Za-z0-9.+-]+(?:\s+(?:AND|OR|WITH)\s+\(?[A-Za-z0-9.+-]+\)?)*\)?$/;

function cdxLicenses(p: InstalledPackage): unknown[] | undefined {
  if (!p.licenses || p.licenses.length === 0) return undefined;
  return p.licenses.map((l) => (/\s(AND|OR|WITH)\s/.test(l) && SPDX_EXPRESSION.test(l) ? { expression: l } : { license: { name: l } }));
}

function properties(p: InstalledPackage): { name: string; value: string }[] {
  const out = [{ name: 'palisade:ecosystem', value: p.ecosystem }];
  if (p.source) out.push({ name: 'palisade:source-package', value: p.source.name }, { name: 'palisade:source-version', value: p.source.version });
  for (const l of p.locations) {
    out.push({ name: 'palisade:location', value: l.path });
    if (l.layer) out.push({ name: 'palisade:layer', value: l.layer });
  }
  return out;
}

/**
 * A CycloneDX 1.5 BOM: the image as metadata component, the OS and every package as components.
 *
 * @example
 * JSON.stringify(toCycloneDx(inventory)); // {"bomFormat":"CycloneDX","specVersion":"1.5",...}
 */
export function toCycloneDx(inv: ImageInventory, options: SbomOptions = {}): Record<string, unknown> {
  const imageRef = `image:${inv.digest ?? inv.ref}`;
  const seen = new Map<string, number>();
  const refOf = (purl: string) => {
    const n = seen.get(purl) ?? 0;
    seen.set(purl, n + 1);
    return n === 0 ? purl : `${purl}#${n + 1}`;
  };
  const components: Record<string, unknown>[] = [];
  if (inv.os) {
    components.push({
      type: 'operating-system',
      'bom-ref': `os:${inv.os.id}@${inv.os.versionId ?? ''}`,
      name: inv.os.id,
      ...(inv.os.versionId ? { version: inv.os.versionId } : {}),
      ...(inv.os.prettyName ? { description: inv.os.prettyName } : {}),
    });
  }
  for (const p of inv.packages) {
    const licenses = cdxLicenses(p);
    components.push({
      type: 'library',
      'bom-ref': refOf(p.purl),
      name: p.name,
      version: p.version,
      purl: p.purl,
      ...(licenses ? { licenses } : {}),
      properties: properties(p),
    });
  }
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${options.uuid ?? randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: timestamp(options),
      tools: { components: [{ type: 'application', name: 'palisade', version: VERSION }] },
      component: {
        type: 'container',
        'bom-ref': imageRef,
        name: inv.ref,
        ...(inv.digest ? { version: inv.digest } : {}),
        properties: [
          ...(inv.platform ? [{ name: 'palisade:platform', value: inv.platform }] : []),
          ...(inv.created ? [{ name: 'palisade:created', value: inv.created }] : []),
        ],
      },
    },
    components,
    dependencies: [{ ref: imageRef, dependsOn: components.map((c) => c['bom-ref'] as string) }],
  };
}

/**
 * An SPDX 2.3 document: the image as a CONTAINER package that CONTAINS every package.
 *
 * @example
 * toSpdx(inventory).spdxVersion; // 'SPDX-2.3'
 */
export function toSpdx(inv: ImageInventory, options: SbomOptions = {}): Record<string, unknown> {
  const uuid = options.uuid ?? randomUUID();
  const image = {
    SPDXID: 'SPDXRef-Image',
    name: inv.ref,
    ...(inv.digest ? { versionInfo: inv.digest } : {}),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    primaryPackagePurpose: 'CONTAINER',
    ...(inv.digest ? { checksums: [{ algorithm: 'SHA256', checksumValue: inv.digest.replace(/^sha256:/, '') }] } : {}),
  };
  const packages: Record<string, unknown>[] = [image];
  const relationships: Record<string, unknown>[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image' }];
  if (inv.os) {
    packages.push({
      SPDXID: 'SPDXRef-OperatingSystem',
      name: inv.os.id,
      ...(inv.os.versionId ? { versionInfo: inv.os.versionId } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'OPERATING-SYSTEM',
    });
    relationships.push({ spdxElementId: 'SPDXRef-Image', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-OperatingSystem' });
  }
  inv.packages.forEach((p, i) => {
    const id = `SPDXRef-Package-${i + 1}`;
    const lic = p.licenses?.length === 1 && SPDX_EXPRESSION.test(p.licenses[0] as string) ? (p.licenses[0] as string) : undefined;
    packages.push({
      SPDXID: id,
      name: p.name,
      versionInfo: p.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: lic ?? 'NOASSERTION',
      ...(!lic && p.licenses && p.licenses.length > 0 ? { licenseComments: `As recorded: ${p.licenses.join('; ')}` } : {}),
      ...(p.source ? { sourceInfo: `built from source package ${p.source.name} ${p.source.version}` } : {}),
      primaryPackagePurpose: p.ecosystem.includes(':') || /^(Debian|Alpine|Ubuntu|Red Hat)/.test(p.ecosystem) ? 'INSTALL' : 'LIBRARY',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl }],
      comment: `found at ${p.locations.map((l) => l.path).join(', ')}`,
    });
    relationships.push({ spdxElementId: 'SPDXRef-Image', relationshipType: 'CONTAINS', relatedSpdxElement: id });
  });
  const safeName = inv.ref.replace(/[^A-Za-z0-9._-]+/g, '-');
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: inv.ref,
    documentNamespace: `https://spdx.org/spdxdocs/palisade/${safeName}-${uuid}`,
    creationInfo: { created: timestamp(options), creators: [`Tool: palisade-${VERSION}`] },
    packages,
    relationships,
  };
}

/** The SBOM in a format, as JSON text. */
export function renderSbom(inv: ImageInventory, format: SbomFormat, options: SbomOptions = {}): string {
  return `${JSON.stringify(format === 'spdx' ? toSpdx(inv, options) : toCycloneDx(inv, options), null, 2)}\n`;
}
