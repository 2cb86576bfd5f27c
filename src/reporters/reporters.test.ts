/**
 * Every registered reporter on a report the real pipeline produced (loader positions,
 * engine, exemption annotations, a crashing check), rather than on the hand-built sample.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCheck } from '../core/check.js';
import type { JsonObject } from '../core/types.js';
import { scanInventory } from '../scan.js';
import { inventoryOf } from '../../test/support/fixtures.js';
import { assertValidSarif } from './fixtures/sarif-schema.js';
import { formatNames, reporters } from './index.js';
import { jsonReporter } from './json.js';

const privileged = defineCheck({
  id: 'TEST-0001',
  name: 'test-privileged',
  title: 'Container runs privileged',
  severity: 'critical',
  category: 'workload',
  frameworks: ['cis:5.2.2'],
  docs: { description: 'Privileged containers can take over the node they run on.', remediation: 'Drop `privileged: true`.' },
  target: { kind: 'container' },
  evaluate: ({ container, resource }) => {
    const sc = container.container.securityContext as JsonObject | undefined;
    return sc?.privileged === true
      ? { path: '/securityContext/privileged', message: `container "${container.name}" of ${resource.ref.kind} ${resource.ref.name} is privileged` }
      : undefined;
  },
});

const crashes = defineCheck({
  id: 'TEST-0002',
  name: 'test-crashes',
  title: 'Always crashes on the pod named boom',
  severity: 'low',
  category: 'hygiene',
  frameworks: [],
  docs: { description: 'A check that throws, to exercise error findings.', remediation: 'None.' },
  target: { kind: 'pod' },
  evaluate: ({ resource }) => {
    if (resource.ref.name === 'boom') throw new Error('unexpected field');
    return undefined;
  },
});

const YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: boom
  annotations:
    palisade.dev/ignore.test-privileged: "debug pod, deleted after the incident"
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext: { privileged: true }
---
just: a config file
`;

function scanSample() {
  const { inventory, diagnostics, stats } = inventoryOf(YAML, 'deploy/app.yaml');
  return scanInventory(inventory, { extraChecks: [privileged, crashes], include: ['TEST-*'], sources: ['deploy/'], stats, diagnostics });
}

describe('reporter registry', () => {
  it('registers every format', () => {
    assert.deepEqual(formatNames().sort(), ['html', 'json', 'junit', 'markdown', 'sarif', 'table']);
    for (const [name, r] of Object.entries(reporters)) assert.equal(r.name, name);
  });

  it('renders a real scan in every format', () => {
    const report = scanSample();
    assert.equal(report.summary.totals.fail, 1);
    assert.equal(report.summary.totals.exempt, 1);
    assert.equal(report.summary.totals.error, 1);
    for (const r of Object.values(reporters)) {
      const out = r.render(report, { color: false });
      assert.ok(out.length > 0 && out.endsWith('\n'), `${r.name} ends with a newline`);
      assert.ok(out.includes('TEST-0001'), `${r.name} names the failing check`);
    }
  });

  it('keeps the JSON report complete, with findings sorted', () => {
    const report = scanSample();
    const parsed = JSON.parse(jsonReporter.render(report, { color: false }));
    assert.deepEqual(Object.keys(parsed).sort(), Object.keys(report).sort());
    assert.equal(parsed.findings.length, report.findings.length);
  });

  it('produces schema-valid SARIF pointing at the offending line', () => {
    const log = JSON.parse(reporters.sarif?.render(scanSample(), { color: false }) ?? '');
    assertValidSarif(log);
    const failing = log.runs[0].results.find((r: { suppressions?: unknown }) => !r.suppressions);
    assert.deepEqual(failing.locations[0].physicalLocation.artifactLocation, { uri: 'deploy/app.yaml', uriBaseId: 'SRCROOT' });
    assert.equal(failing.locations[0].physicalLocation.region.startLine, 13);
    const exempt = log.runs[0].results.find((r: { suppressions?: unknown }) => r.suppressions);
    assert.deepEqual(exempt.suppressions, [{ kind: 'inSource', justification: 'debug pod, deleted after the incident' }]);
  });

  it('shows the load statistics in the table summary', () => {
    const out = reporters.table?.render(scanSample(), { color: false }) ?? '';
    assert.match(out, /│ Non-Kubernetes documents skipped +1 /);
    assert.match(out, /│ Errors +1 {2}\(1 check error, 0 loading errors\)/);
  });
});
