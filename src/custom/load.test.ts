import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PalisadeError } from '../core/errors.js';
import { runOn } from '../../test/support/fixtures.js';
import { loadCustomChecks } from './load.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'palisade-custom-'));
  for (const [n, c] of Object.entries(files)) writeFileSync(join(d, n), c);
  return d;
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: app
          image: nginx:1
        - name: side
          image: envoy:1
          securityContext: {privileged: false}
`;

const CEL = `id: ACME-0001
name: team-label
title: Workload has no team label
severity: low
category: ownership
docs:
  description: Every workload names its owning team so that findings reach someone.
  remediation: Add metadata.labels.team.
match:
  kinds: [Deployment, StatefulSet]
validations:
  - expression: has(object.metadata.labels.team)
    messageExpression: '"Deployment " + object.metadata.name + " has no team label"'
    path: /metadata/labels
  - expression: object.spec.replicas >= 2
    message: fewer than two replicas
    path: /spec/replicas
---
id: ACME-0002
name: container-sc
title: Container without securityContext
severity: medium
category: hardening
docs: {description: Every container declares a securityContext explicitly., remediation: Add one.}
match: {target: container}
validations:
  - expression: has(container.securityContext)
    message: no securityContext
    path: /securityContext
`;

const MODULE = `export default {
  id: 'ACME-0100', name: 'no-envoy', title: 'Envoy sidecar present', severity: 'info', category: 'mesh', frameworks: [],
  docs: { description: 'Reports containers running the envoy image as a module check.', remediation: 'Nothing to do.' },
  target: { kind: 'container' },
  evaluate: ({ container }) => String(container.container.image).startsWith('envoy') ? { path: '/image', message: 'envoy in ' + container.name } : undefined,
};
`;

describe('loadCustomChecks', () => {
  it('loads CEL checks from YAML and module checks, which then run like built-in ones', async () => {
    const { checks } = await loadCustomChecks([dir({ 'policies.yaml': CEL, 'envoy.mjs': MODULE, 'notes.txt': 'ignored' })]);
    assert.deepEqual(checks.map((c) => c.id).sort(), ['ACME-0001', 'ACME-0002', 'ACME-0100']);
    const findings = runOn(checks, DEPLOY).filter((f) => f.status === 'fail');
    assert.deepEqual(findings.map((f) => `${f.check} ${f.pointer} ${f.message}`).sort(), [
      'ACME-0001 /metadata/labels Deployment web has no team label',
      'ACME-0001 /spec/replicas fewer than two replicas',
      'ACME-0002 /spec/template/spec/containers/0/securityContext no securityContext',
      'ACME-0100 /spec/template/spec/containers/1/image envoy in side',
    ]);
  });

  it('rejects a CEL expression that does not parse, naming the file', async () => {
    const d = dir({ 'bad.yaml': CEL.replace('has(container.securityContext)', 'has(container.') });
    await assert.rejects(
      loadCustomChecks([d]),
      (err: unknown) => err instanceof PalisadeError && /bad\.yaml#2: validations\[0\]\.expression: CEL expression does not parse/.test(err.message),
    );
  });

  it('rejects ids that collide with built-in checks or each other', async () => {
    await assert.rejects(loadCustomChecks([dir({ 'a.yaml': CEL.replace('ACME-0002', 'ACME-0001') })]), /already defined/);
    await assert.rejects(
      loadCustomChecks([dir({ 'a.yaml': CEL.replace('name: team-label', 'name: image-latest-tag') })]),
      /already defined in built-in catalogue/,
    );
  });

  it('rejects invalid metadata and missing directories', async () => {
    await assert.rejects(loadCustomChecks([dir({ 'm.mjs': MODULE.replace("severity: 'info'", "severity: 'urgent'") })]), /severity "urgent"/);
    await assert.rejects(loadCustomChecks(['/nonexistent/palisade-checks']), /does not exist/);
  });

  it('turns a CEL runtime error into an error finding, not a crash', async () => {
    const { checks } = await loadCustomChecks([
      dir({ 'e.yaml': CEL.split('---')[0]?.replace('object.spec.replicas >= 2', 'object.metadata.name + 1 == "x"') ?? '' }),
    ]);
    const findings = runOn(checks, DEPLOY);
    assert.ok(findings.some((f) => f.status === 'error' && /no such overload/.test(f.message)));
  });
});
