import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { buildNetworkModel } from '../network/model.js';
import { renderExposure, renderMatrix } from './network.js';

const CLUSTER = `apiVersion: v1
kind: Pod
metadata: {name: "web", namespace: a, labels: {app: web}}
spec: {containers: [{name: w, image: w, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: a, labels: {app: db}}
spec: {containers: [{name: d, image: d}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]
  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]
`;

describe('network reporters', () => {
  const model = buildNetworkModel(inventoryOf(CLUSTER).inventory);

  it('table, CSV, DOT and Mermaid list the same single connection', () => {
    const m = () => model.matrix();
    assert.equal(renderMatrix(m(), 'table'), 'SOURCE      DESTINATION  PORTS\na/web[Pod]  a/db[Pod]    TCP 5432\n');
    assert.equal(renderMatrix(m(), 'csv'), 'src,dst,ports\na/web[Pod],a/db[Pod],TCP 5432\n');
    assert.equal(
      renderMatrix(m(), 'dot'),
      [
        'digraph palisade_network {',
        '  rankdir=LR;',
        '  node [shape=box, fontname="Helvetica"];',
        '  subgraph cluster_0 {',
        '    label="a";',
        '    n0 [label="web[Pod]"];',
        '    n1 [label="db[Pod]"];',
        '  }',
        '  n0 -> n1 [label="TCP 5432"];',
        '}',
        '',
      ].join('\n'),
    );
    assert.equal(renderMatrix(m(), 'mermaid'), 'flowchart LR\n  n0["a/web[Pod]"]\n  n1["a/db[Pod]"]\n  n0 -->|"TCP 5432"| n1\n');
    assert.deepEqual(JSON.parse(renderMatrix(m(), 'json')), {
      connections: [
        { src: { namespace: 'a', name: 'web', kind: 'Pod' }, dst: { namespace: 'a', name: 'db', kind: 'Pod' }, ports: [{ protocol: 'TCP', port: 5432 }] },
      ],
    });
  });

  it('says so when nothing is allowed or exposed', () => {
    const closed = buildNetworkModel(
      inventoryOf(
        `${CLUSTER}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: none, namespace: a}
spec: {podSelector: {}, policyTypes: [Ingress]}
`.replace('ports: [{port: 5432}]', 'ports: [{port: 5432, protocol: SCTP}]'),
      ).inventory,
    );
    assert.match(renderMatrix(closed.matrix({ namespaces: ['b'] }), 'table'), /^No allowed connections\.\n$/);
    assert.equal(renderMatrix(closed.matrix({ namespaces: ['b'] }), 'json'), '{\n  "connections": []\n}\n');
    assert.equal(renderExposure([], 'table'), 'No workload is exposed outside the cluster.\n');
  });
});
