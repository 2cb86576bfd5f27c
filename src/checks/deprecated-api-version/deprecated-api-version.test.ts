import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runChecks } from '../../core/engine.js';
import { inventoryOf } from '../../../test/support/fixtures.js';
import check from './deprecated-api-version.js';

describe('deprecated-api-version', () => {
  it('names the removal release and the replacement, with a fix only where the schema is unchanged', () => {
    const text = readFileSync(new URL('./fixtures/fail.deprecated.yaml', import.meta.url), 'utf8');
    const { findings } = runChecks(inventoryOf(text).inventory, { checks: [check], kubernetesVersion: 'v1.24' });
    const cron = findings.find((f) => f.resource.kind === 'CronJob');
    assert.equal(cron?.message, 'CronJob nightly uses batch/v1beta1, deprecated in the target v1.24 and no longer served from v1.25: migrate to batch/v1');
    assert.equal(cron?.severity, 'medium');
    assert.deepEqual(cron?.fix, [{ op: 'replace', path: '/apiVersion', value: 'batch/v1' }]);
    const hpa = findings.find((f) => f.resource.kind === 'HorizontalPodAutoscaler');
    assert.equal(hpa?.fix, undefined);
    assert.match(hpa?.message ?? '', /no longer served from v1.26: migrate to autoscaling\/v2/);
  });

  it('mentions when the replacement is not yet served by the target', () => {
    const { inventory } = inventoryOf('apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec: {}\n');
    const [f] = runChecks(inventory, { checks: [check], kubernetesVersion: 'v1.15' }).findings;
    assert.match(f?.message ?? '', /migrate to networking.k8s.io\/v1 \(served from v1.19\)/);
    assert.equal(f?.fix, undefined);
    assert.equal(f?.severity, 'low');
  });
});
