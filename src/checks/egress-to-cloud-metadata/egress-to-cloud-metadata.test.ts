import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './egress-to-cloud-metadata.js';

const WORKLOAD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api:1.0}]}
`;

const fails = (text: string) => runOn([check], text).filter((f) => f.status === 'fail');

describe('egress-to-cloud-metadata', () => {
  it('says why: no egress isolation, or a rule that allows the address', () => {
    assert.equal(
      fails(WORKLOAD)[0]?.message,
      'Deployment shop/api can connect to the cloud metadata service 169.254.169.254:80: no NetworkPolicy isolates its egress',
    );
    const broad = `${WORKLOAD}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 169.254.0.0/16}}], ports: [{port: 80}]}]}
`;
    assert.equal(fails(broad)[0]?.message, 'Deployment shop/api can connect to the cloud metadata service 169.254.169.254:80: its egress policies allow it');
  });

  it('passes when only another port is allowed, and skips namespaces with CNI-specific policies', () => {
    const port443 = `${WORKLOAD}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 443}]}]}
`;
    assert.deepEqual(fails(port443), []);
    const cilium = `${WORKLOAD}---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: egress, namespace: shop}
spec: {endpointSelector: {}}
`;
    assert.deepEqual(fails(cilium), []);
  });
});
