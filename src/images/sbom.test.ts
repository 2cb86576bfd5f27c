// biome-ignore-all lint/suspicious/noExplicitAny: the documents are walked as untyped JSON, as a schema validator would
/**
 * Structural tests of the SBOMs against the rules of CycloneDX 1.5 and SPDX 2.3 that matter to
 * consumers (the JSON schemas are not vendored: the required fields, enums and reference
 * integrity they check are asserted here).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageInventory } from '../packages/packages.js';
import { toCycloneDx, toSpdx } from './sbom.js';

const inv: ImageInventory = {
  ref: 'registry.example/app:1.0',
  digest: `sha256:${'a'.repeat(64)}`,
  platform: 'linux/amd64',
  created: '2026-01-15T10:00:00Z',
  os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  packages: [
    {
      ecosystem: 'Debian:12',
      name: 'libcurl4',
      version: '7.88.1-10+deb12u5',
      source: { name: 'curl', version: '7.88.1-10+deb12u5' },
      purl: 'pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12&upstream=curl',
      locations: [{ path: 'var/lib/dpkg/status', layer: `sha256:${'b'.repeat(64)}` }],
    },
    {
      ecosystem: 'npm',
      name: 'lodash',
      version: '4.17.21',
      purl: 'pkg:npm/lodash@4.17.21',
      locations: [{ path: 'a/node_modules/lodash/package.json' }],
      licenses: ['MIT'],
    },
    {
      ecosystem: 'npm',
      name: 'lodash',
      version: '4.17.21',
      purl: 'pkg:npm/lodash@4.17.21',
      locations: [{ path: 'b/node_modules/lodash/package.json' }],
      licenses: ['Apache 2.0'],
    },
    { ecosystem: 'PyPI', name: 'x', version: '1', purl: 'pkg:pypi/x@1', locations: [{ path: 'p' }], licenses: ['MIT OR Apache-2.0'] },
  ],
};
const fixed = { now: new Date('2026-02-01T00:00:00Z'), uuid: '3b241101-e2bb-4255-8caf-4136c566a962' };

describe('CycloneDX 1.5', () => {
  const bom = toCycloneDx(inv, fixed) as Record<string, any>;
  it('has the required top-level fields and a valid serial number', () => {
    assert.equal(bom.bomFormat, 'CycloneDX');
    assert.equal(bom.specVersion, '1.5');
    assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(bom.version, 1);
    assert.equal(bom.metadata.timestamp, '2026-02-01T00:00:00Z');
    assert.equal(bom.metadata.component.type, 'container');
  });
  it('every component has a known type, a unique bom-ref and its purl; dependencies resolve', () => {
    const refs = bom.components.map((c: any) => c['bom-ref']);
    assert.equal(new Set(refs).size, refs.length);
    for (const c of bom.components) assert.ok(['library', 'operating-system'].includes(c.type));
    for (const c of bom.components.filter((c: any) => c.type === 'library')) assert.match(c.purl, /^pkg:[a-z]+\//);
    const all = new Set([...refs, bom.metadata.component['bom-ref']]);
    for (const d of bom.dependencies) for (const r of [d.ref, ...d.dependsOn]) assert.ok(all.has(r), r);
    const curl = bom.components.find((c: any) => c.name === 'libcurl4');
    assert.ok(curl.properties.some((p: any) => p.name === 'palisade:source-package' && p.value === 'curl'));
  });
  it('licences: names, or an expression for SPDX expressions', () => {
    const [a, b, c] = bom.components.filter((x: any) => x.licenses).map((x: any) => x.licenses[0]);
    assert.deepEqual(a, { license: { name: 'MIT' } });
    assert.deepEqual(b, { license: { name: 'Apache 2.0' } });
    assert.deepEqual(c, { expression: 'MIT OR Apache-2.0' });
  });
});

describe('SPDX 2.3', () => {
  const doc = toSpdx(inv, fixed) as Record<string, any>;
  it('document creation information', () => {
    assert.equal(doc.spdxVersion, 'SPDX-2.3');
    assert.equal(doc.dataLicense, 'CC0-1.0');
    assert.equal(doc.SPDXID, 'SPDXRef-DOCUMENT');
    assert.match(doc.documentNamespace, /^https:\/\/[^#\s]+$/);
    assert.deepEqual(doc.creationInfo.creators, ['Tool: palisade-0.1.0']);
  });
  it('packages: unique SPDX ids, required fields, purl external refs, relationships resolve', () => {
    const ids = doc.packages.map((p: any) => p.SPDXID);
    assert.equal(new Set(ids).size, ids.length);
    for (const p of doc.packages) {
      assert.match(p.SPDXID, /^SPDXRef-[A-Za-z0-9.-]+$/);
      assert.equal(typeof p.name, 'string');
      assert.equal(p.downloadLocation, 'NOASSERTION');
    }
    const pkgs = doc.packages.slice(2);
    assert.deepEqual(
      pkgs.map((p: any) => p.externalRefs[0].referenceLocator),
      inv.packages.map((p) => p.purl),
    );
    assert.deepEqual(
      pkgs.map((p: any) => p.licenseDeclared),
      ['NOASSERTION', 'MIT', 'NOASSERTION', 'MIT OR Apache-2.0'],
    );
    assert.equal(pkgs[2].licenseComments, 'As recorded: Apache 2.0');
    const known = new Set([...ids, 'SPDXRef-DOCUMENT']);
    for (const r of doc.relationships) {
      assert.ok(known.has(r.spdxElementId) && known.has(r.relatedSpdxElement));
      assert.ok(['DESCRIBES', 'CONTAINS'].includes(r.relationshipType));
    }
    assert.equal(doc.relationships.filter((r: any) => r.relationshipType === 'CONTAINS').length, inv.packages.length + 1);
  });
});
