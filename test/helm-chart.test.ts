/**
 * The Helm chart in deploy/helm/palisade-admission, without the helm binary (none is installed
 * here): its templates are rendered with the subset of Go templates it uses
 * (test/support/helm-lite.ts) and parsed as YAML, for the default values and with each option
 * on. The objects must be those `palisade admission manifests` prints for the same settings,
 * so that the chart and the command cannot drift apart. What helm itself would add (its
 * template functions beyond that subset, `helm lint`) is not covered.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { admissionManifests, type CertificateSource } from '../src/admission/manifests.js';
import type { JsonObject } from '../src/core/types.js';
import { VERSION } from '../src/version.js';
import { renderTemplate } from './support/helm-lite.js';

const CHART = fileURLToPath(new URL('../deploy/helm/palisade-admission/', import.meta.url));
const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { version: string; appVersion: string; name: string };
const defaults = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;

type Values = Record<string, unknown>;

function merge(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      v !== null && typeof v === 'object' && !Array.isArray(v) && cur !== null && typeof cur === 'object' && !Array.isArray(cur)
        ? merge(cur as Values, v as Values)
        : v;
  }
  return out;
}

/** Renders every template and parses the documents, failing on any YAML error. */
function renderChart(overrides: Values): JsonObject[] {
  const scope = {
    Values: merge(defaults, overrides),
    Release: { Name: 'palisade-admission', Namespace: 'palisade' },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const objects: JsonObject[] = [];
  for (const file of readdirSync(join(CHART, 'templates')).sort()) {
    if (!file.endsWith('.yaml')) continue;
    const text = renderTemplate(readFileSync(join(CHART, 'templates', file), 'utf8'), scope);
    for (const doc of parseAllDocuments(text)) {
      assert.deepEqual(doc.errors, [], `${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const value = doc.toJSON() as JsonObject | null;
      if (value !== null) objects.push(value);
    }
  }
  return objects;
}

const key = (o: JsonObject): string => `${String(o.kind)}/${String((o.metadata as JsonObject).name)}`;
const sorted = (objects: JsonObject[]): JsonObject[] => [...objects].sort((a, b) => key(a).localeCompare(key(b)));

const CA = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';

describe('Helm chart deploy/helm/palisade-admission', () => {
  it('is the version of the package', () => {
    assert.equal(chart.appVersion, VERSION);
    assert.equal(chart.version, VERSION);
  });

  const cases: { name: string; values: Values; certificate: CertificateSource; mutating: boolean; config?: string }[] = [
    {
      name: 'defaults with a CA bundle',
      values: { tls: { caBundle: Buffer.from(CA).toString('base64') } },
      certificate: { kind: 'ca-bundle', caPem: CA },
      mutating: false,
    },
    {
      name: 'cert-manager and mutating',
      values: { certManager: { enabled: true }, mutating: { enabled: true } },
      certificate: { kind: 'cert-manager' },
      mutating: true,
    },
    {
      name: 'with a configuration',
      values: { tls: { caBundle: Buffer.from(CA).toString('base64') }, config: 'failOn: critical\n' },
      certificate: { kind: 'ca-bundle', caPem: CA },
      mutating: false,
      config: 'failOn: critical\n',
    },
  ];
  for (const c of cases) {
    it(`renders the objects of palisade admission manifests: ${c.name}`, () => {
      const rendered = renderChart(c.values);
      const expected = admissionManifests({
        namespace: 'palisade',
        image: `kube-palisade:${VERSION}`,
        replicas: 2,
        failOn: 'high',
        defaultMode: 'warn',
        failurePolicy: 'Fail',
        mutating: c.mutating,
        certificate: c.certificate,
        ...(c.config !== undefined ? { config: c.config } : {}),
      });
      assert.deepEqual(sorted(rendered).map(key), sorted(expected).map(key));
      assert.deepEqual(sorted(rendered), sorted(expected));
    });
  }

  it('refuses to render registrations without a CA bundle or cert-manager', () => {
    assert.throws(() => renderChart({}), /required: set tls.caBundle/);
  });
});
