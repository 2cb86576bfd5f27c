import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_CONFIG } from '../../config/config.js';
import { runChecks } from '../../core/engine.js';
import { validateCheckParams } from '../../scan.js';
import { inventoryOf } from '../../../test/support/fixtures.js';
import deprecated from '../deprecated-api-version/deprecated-api-version.js';
import removed from './removed-api-version.js';

const CRONJOB = `apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec:
  schedule: "0 3 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: job, image: registry.example.com/job:1.0}]}}}}
`;

function statuses(kubernetesVersion: string | undefined, params?: Record<string, string>): string[] {
  const { inventory } = inventoryOf(CRONJOB);
  const { findings } = runChecks(inventory, {
    checks: [removed, deprecated],
    includePassed: true,
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    ...(params ? { params: { 'PAL-0226': params, 'PAL-0227': params } } : {}),
  });
  return findings.map((f) => `${f.name}:${f.status}${f.status === 'fail' ? `:${f.severity}` : ''}`).sort();
}

describe('removed-api-version and deprecated-api-version', () => {
  it('judge batch/v1beta1 CronJob by the target version', () => {
    // Before batch/v1 existed nothing is reported.
    assert.deepEqual(statuses('v1.20'), ['deprecated-api-version:pass', 'removed-api-version:pass']);
    // Deprecated from v1.21; medium when the removal (v1.25) is at most two releases away.
    assert.deepEqual(statuses('v1.21'), ['deprecated-api-version:fail:low', 'removed-api-version:pass']);
    assert.deepEqual(statuses('v1.23'), ['deprecated-api-version:fail:medium', 'removed-api-version:pass']);
    assert.deepEqual(statuses('v1.25'), ['deprecated-api-version:pass', 'removed-api-version:fail:high']);
    // Without a version: the newest the table knows, where it is removed.
    assert.deepEqual(statuses(undefined), ['deprecated-api-version:pass', 'removed-api-version:fail:high']);
  });

  it('prefers the scan version over the params default, and rejects a malformed param', () => {
    assert.deepEqual(statuses('v1.24', { kubernetesVersion: 'v1.30' }), ['deprecated-api-version:fail:medium', 'removed-api-version:pass']);
    assert.deepEqual(statuses(undefined, { kubernetesVersion: '1.24' }), ['deprecated-api-version:fail:medium', 'removed-api-version:pass']);
    assert.deepEqual(statuses(undefined, { kubernetesVersion: 'soon' }), ['deprecated-api-version:error', 'removed-api-version:error']);
  });

  it('names the replacement, the removal release and the target, and fixes only schema-compatible versions', () => {
    const { inventory } = inventoryOf(`${CRONJOB}---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
`);
    const fails = runChecks(inventory, { checks: [removed], kubernetesVersion: 'v1.30' }).findings;
    const cron = fails.find((f) => f.resource.kind === 'CronJob');
    assert.equal(cron?.message, 'CronJob nightly uses batch/v1beta1, which Kubernetes v1.25 stopped serving (target v1.30): migrate to batch/v1');
    assert.deepEqual(cron?.fix, [{ op: 'replace', path: '/apiVersion', value: 'batch/v1' }]);
    const pdb = fails.find((f) => f.resource.kind === 'PodDisruptionBudget');
    assert.match(pdb?.message ?? '', /migrate to policy\/v1 \(an empty spec.selector selects every pod/);
    assert.equal(pdb?.fix, undefined);
    assert.deepEqual(pdb?.evidence, { apiVersion: 'policy/v1beta1', removedIn: 'v1.25', targetVersion: 'v1.30', replacement: 'policy/v1' });
  });

  it('validates params.kubernetesVersion in the configuration at load', () => {
    const config = (params: Record<string, string>) => ({ ...EMPTY_CONFIG, checks: { 'removed-api-version': { params } } });
    validateCheckParams([removed], config({ kubernetesVersion: 'v1.24' }));
    assert.throws(() => validateCheckParams([removed], config({ kubernetesVersion: 'soon' })), /checks\.removed-api-version\.params/);
    assert.throws(() => validateCheckParams([removed], config({ version: 'v1.24' })), /checks\.removed-api-version\.params/);
  });
});
