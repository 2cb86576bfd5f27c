import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChecks } from '../core/engine.js';
import { Inventory } from '../core/inventory.js';
import type { JsonObject } from '../core/types.js';
import { celCheck, toCel } from './cel-check.js';

const check = celCheck(
  {
    id: 'ACME-0002',
    name: 'single-replica',
    title: 'One replica',
    severity: 'low',
    docs: { description: 'Workloads run more than one replica.', remediation: 'Raise spec.replicas.' },
    match: { kinds: ['Deployment'] },
    validations: [{ expression: 'object.spec.replicas > 1', message: 'one replica', path: '/spec/replicas' }],
  },
  'inline.yaml',
);

function statusOn(object: JsonObject): string {
  const inventory = new Inventory();
  inventory.add({ object });
  const [f] = runChecks(inventory, { checks: [check], includePassed: true }).findings;
  return f?.status ?? 'none';
}

describe('CEL checks', () => {
  it('convert objects afresh for each scan: no conversion outlives the evaluation that made it', () => {
    // The same object, changed between two scans (a long-running process re-scanning a
    // cluster): a conversion cached across scans would judge the old value.
    const object: JsonObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } };
    assert.equal(statusOn(object), 'fail');
    (object.spec as JsonObject).replicas = 3;
    assert.equal(statusOn(object), 'pass');
  });

  it('converts integral numbers to CEL ints and shares sub-trees within one conversion', () => {
    const spec = { replicas: 2, ratio: 0.5 };
    const memo = new Map<object, unknown>();
    const converted = toCel({ spec }, memo) as { spec: unknown };
    assert.deepEqual(converted, { spec: { replicas: 2n, ratio: 0.5 } });
    assert.equal(toCel(spec, memo), converted.spec);
  });
});
