/**
 * The pss report and its renderings, without the CLI.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { renderPssJson, renderPssTable } from '../reporters/pss.js';
import { pssReport } from './report.js';

const YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
              hostPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
`;

describe('pss report', () => {
  const { inventory } = inventoryOf(YAML, 'web.yaml');

  it('evaluates pod-bearing objects only and locates violations', () => {
    const report = pssReport(inventory.all, 'baseline', { kind: 'minor', minor: 30 });
    assert.equal(report.version, 'v1.30');
    assert.equal(report.effectiveVersion, 'v1.30');
    assert.deepEqual(report.summary, { objects: 1, allowed: 0, denied: 1 });
    assert.deepEqual(report.results[0]?.violations, [
      {
        control: 'hostPorts',
        title: 'Host Ports',
        reason: 'container "web" must not set hostPort 80 (ports[0])',
        pointers: ['/spec/template/spec/containers/0/ports/0/hostPort'],
        location: { file: 'web.yaml', line: 13 },
      },
    ]);
    assert.equal(JSON.parse(renderPssJson(report)).results[0].resource.kind, 'Deployment');
  });

  it('colours the table only when asked', () => {
    const report = pssReport(inventory.all, 'baseline', { kind: 'latest' });
    assert.ok(!renderPssTable(report, false).includes('\u001b['));
    assert.ok(renderPssTable(report, true).includes('\u001b[1;31mDENIED'));
  });

  it('says so when nothing carries a pod spec', () => {
    const report = pssReport([], 'restricted', { kind: 'latest' });
    assert.deepEqual(report.summary, { objects: 0, allowed: 0, denied: 0 });
    assert.match(renderPssTable(report, false), /^no objects with a pod spec found\n/);
  });
});
