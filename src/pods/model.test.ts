import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { buildPodsModel } from './model.js';

const YAML = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: nginx, image: nginx:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db, tier: back}}
spec: {containers: [{name: pg, image: postgres:16}], initContainers: [{name: init, image: busybox}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, labels: {app: web}}
`;

describe('pods model', () => {
  const pods = buildPodsModel(inventoryOf(YAML).inventory);

  it('lists every pod spec with its containers and string labels', () => {
    assert.deepEqual(
      pods.all.map((p) => `${p.resource.ref.name} ${p.pod.pointer} ${p.containers.map((c) => c.name).join(',')} ${JSON.stringify(p.labels)}`),
      ['web /spec/template/spec nginx {"app":"web","tier":"front"}', 'db /spec init,pg {"app":"db","tier":"back"}'],
    );
  });

  it('matches selectors on every label pair, an empty selector matching all', () => {
    const names = (sel: Record<string, string>) => pods.matching(sel).map((p) => p.resource.ref.name);
    assert.deepEqual(names({ app: 'web' }), ['web']);
    assert.deepEqual(names({ tier: 'back', app: 'db' }), ['db']);
    assert.deepEqual(names({ app: 'web', tier: 'back' }), []);
    assert.deepEqual(names({ app: 'nope' }), []);
    assert.deepEqual(names({}), ['web', 'db']);
  });

  it('matches in one namespace plus the pods that name none, in inventory order', () => {
    const many = buildPodsModel(
      inventoryOf(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: web}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: loose, labels: {app: web}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: y, labels: {app: web, tier: front}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: x, labels: {app: web, tier: front}}
spec: {containers: [{name: c, image: i}]}
`).inventory,
    );
    const names = (ns: string, sel: Record<string, string>) => many.matchingIn(ns, sel).map((p) => p.resource.ref.name);
    // What matching() gives, filtered to the namespace and the namespace-less, in the same order.
    for (const ns of ['x', 'y', 'z'])
      for (const sel of [{ app: 'web' }, { app: 'web', tier: 'front' }, {}, { app: 'nope' }])
        assert.deepEqual(
          names(ns, sel),
          many
            .matching(sel)
            .filter((p) => p.resource.ref.namespace === undefined || p.resource.ref.namespace === ns)
            .map((p) => p.resource.ref.name),
          `${ns} ${JSON.stringify(sel)}`,
        );
    assert.deepEqual(names('x', { app: 'web' }), ['a', 'loose', 'c']);
  });
});
