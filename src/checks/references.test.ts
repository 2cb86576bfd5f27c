import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChecks } from '../core/engine.js';
import { scopeModelProvider } from './scope-model.js';
import { Inventory } from '../core/inventory.js';
import type { JsonObject } from '../core/types.js';
import { podSpecsOf } from '../core/workloads.js';
import configmapNotFound from './configmap-not-found/configmap-not-found.js';
import { podReferences } from './references.js';
import secretNotFound from './secret-not-found/secret-not-found.js';
import serviceAccountNotFound from './service-account-not-found/service-account-not-found.js';

const POD: JsonObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    serviceAccount: 'legacy-name',
    imagePullSecrets: [{ name: 'pull' }],
    containers: [{ name: 'web', image: 'i', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'tokens', key: 't' } } }] }],
    ephemeralContainers: [{ name: 'debug', image: 'i', envFrom: [{ configMapRef: { name: 'debug-env' } }] }],
  },
};

describe('pod references', () => {
  it('collects references from every place a pod spec names an object, ephemeral containers included', () => {
    const inventory = new Inventory();
    const pod = podSpecsOf(inventory.add({ object: POD }))[0];
    assert.ok(pod);
    assert.deepEqual(
      podReferences(pod).map((r) => `${r.kind} ${r.name} ${r.pointer}`),
      [
        'ServiceAccount legacy-name /spec/serviceAccount',
        'Secret pull /spec/imagePullSecrets/0/name',
        'Secret tokens /spec/containers/0/env/0/valueFrom/secretKeyRef/name',
        'ConfigMap debug-env /spec/ephemeralContainers/0/envFrom/0/configMapRef/name',
      ],
    );
  });

  it('in a cluster scan, reports references even when the namespace has no object of the kind', () => {
    const inventory = new Inventory({ cluster: 'prod' });
    inventory.add({ object: POD });
    const fails = runChecks(inventory, { models: [scopeModelProvider], checks: [serviceAccountNotFound, secretNotFound, configmapNotFound] }).findings;
    assert.deepEqual(fails.map((f) => `${f.name} ${f.status} ${f.pointer}`).sort(), [
      'configmap-not-found fail /spec/ephemeralContainers/0/envFrom/0/configMapRef/name',
      'secret-not-found fail /spec/containers/0/env/0/valueFrom/secretKeyRef/name',
      'secret-not-found fail /spec/imagePullSecrets/0/name',
      'service-account-not-found fail /spec/serviceAccount',
    ]);
    assert.equal(
      fails.find((f) => f.name === 'secret-not-found')?.message,
      'Pod shop/web uses Secret pull (imagePullSecrets), which does not exist in namespace shop',
    );
  });

  it('reports an error, not a finding, when the cluster scan could not read Secrets', () => {
    const inventory = new Inventory({ cluster: 'prod' });
    inventory.add({ object: POD });
    const gaps = new Map([['Secret', { reason: 'secrets: forbidden (403)' }]]);
    const findings = runChecks(inventory, { models: [scopeModelProvider], checks: [secretNotFound], gaps, includePassed: true }).findings;
    assert.ok(findings.length > 0);
    assert.deepEqual(
      findings.filter((f) => f.status !== 'error').map((f) => f.message),
      [],
    );
  });

  it('in a manifest scan, trusts only namespaces where the scan defines objects of the kind', () => {
    const inventory = new Inventory();
    inventory.add({ object: POD });
    assert.deepEqual(
      runChecks(inventory, { models: [scopeModelProvider], checks: [serviceAccountNotFound, secretNotFound, configmapNotFound] }).findings.map(
        (f) => f.pointer,
      ),
      [],
    );
    inventory.add({ object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull', namespace: 'shop' } } });
    assert.deepEqual(
      runChecks(inventory, { models: [scopeModelProvider], checks: [secretNotFound] }).findings.map((f) => f.pointer),
      ['/spec/containers/0/env/0/valueFrom/secretKeyRef/name'],
    );
  });
});

describe('pod references: Secrets created at runtime', () => {
  it('skips Secrets where a Role of the namespace may create them, as certificate generator Jobs do', () => {
    const inventory = new Inventory();
    inventory.add({ object: POD });
    inventory.add({ object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'shop' } } });
    assert.equal(runChecks(inventory, { models: [scopeModelProvider], checks: [secretNotFound] }).findings.length, 2);
    inventory.add({
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'certgen', namespace: 'shop' },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create'] }],
      },
    });
    assert.deepEqual(runChecks(inventory, { models: [scopeModelProvider], checks: [secretNotFound] }).findings, []);
  });
});
