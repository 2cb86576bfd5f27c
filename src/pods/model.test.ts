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
});
