import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './pdb-selector-matches-nothing.js';

const WORKLOAD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web, tier: fe}}, spec: {containers: [{name: web, image: i}]}}
`;
const pdb = (selector: string): string => `${WORKLOAD}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec: {minAvailable: 1, selector: ${selector}}
`;
const status = (selector: string): string[] =>
  runOn([check], pdb(selector))
    .filter((f) => f.resource.kind === 'PodDisruptionBudget')
    .map((f) => f.status);

describe('pdb-selector-matches-nothing', () => {
  it('follows matchExpressions and never reports the empty selector', () => {
    assert.deepEqual(status('{matchExpressions: [{key: tier, operator: In, values: [fe]}]}'), ['pass']);
    assert.deepEqual(status('{matchExpressions: [{key: tier, operator: NotIn, values: [fe]}]}'), ['fail']);
    assert.deepEqual(status('{}'), ['pass']);
  });
});
