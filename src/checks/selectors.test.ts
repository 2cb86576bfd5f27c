import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChecks } from '../core/engine.js';
import { scopeModelProvider } from './scope-model.js';
import { Inventory } from '../core/inventory.js';
import type { JsonObject } from '../core/types.js';
import networkPolicy from './networkpolicy-selector-matches-nothing/networkpolicy-selector-matches-nothing.js';
import pdb from './pdb-selector-matches-nothing/pdb-selector-matches-nothing.js';
import { describeSelector, isEmptySelector, parseSelector, selectorMatches } from './selectors.js';
import service from './service-selector-matches-nothing/service-selector-matches-nothing.js';

describe('label selectors', () => {
  it('implement matchLabels and the four matchExpressions operators', () => {
    const s = parseSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(selectorMatches(s, { app: 'web', tier: 'fe', team: 'x' }), true);
    assert.equal(selectorMatches(s, { app: 'web', tier: 'fe', team: 'x', env: 'prod' }), true);
    assert.equal(selectorMatches(s, { app: 'web', tier: 'fe', team: 'x', env: 'dev' }), false);
    assert.equal(selectorMatches(s, { app: 'web', tier: 'db', team: 'x' }), false);
    assert.equal(selectorMatches(s, { app: 'web', tier: 'fe' }), false);
    assert.equal(selectorMatches(s, { app: 'web', tier: 'fe', team: 'x', legacy: '' }), false);
    assert.equal(selectorMatches(s, { app: 'api', tier: 'fe', team: 'x' }), false);
    assert.equal(describeSelector(s), 'app=web, tier in (fe,be), env notin (dev), team, !legacy');
  });

  it('reads plain Service selectors, numbers as strings, and flags unreadable ones', () => {
    assert.equal(selectorMatches(parseSelector({ version: 2 }, true), { version: '2' }), true);
    assert.equal(isEmptySelector(parseSelector({}, true)), true);
    assert.equal(parseSelector({ matchExpressions: [{ key: 'a', operator: 'Near' }] }).kind, 'invalid');
    assert.equal(parseSelector('app=web').kind, 'invalid');
  });
});

const deployment = (ns: string | undefined, labels: JsonObject): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...(ns ? { namespace: ns } : {}) },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
});
const svc = (ns: string, selector: JsonObject): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: ns },
  spec: { selector },
});

describe('selectors that match nothing', () => {
  it('in a cluster scan, a namespace without workloads is known to be empty', () => {
    const inventory = new Inventory({ cluster: 'prod' });
    inventory.add({ object: svc('billing', { app: 'billing' }) });
    const findings = runChecks(inventory, { models: [scopeModelProvider], checks: [service] }).findings;
    assert.deepEqual(
      findings.map((f) => `${f.status} ${f.resource.namespace}/${f.resource.name}`),
      ['fail billing/web'],
    );
  });

  it('in a manifest scan, a namespace without workloads is skipped', () => {
    const inventory = new Inventory();
    inventory.add({ object: svc('billing', { app: 'billing' }) });
    assert.deepEqual(runChecks(inventory, { models: [scopeModelProvider], checks: [service] }).findings, []);
  });

  it('turns a would-be finding into an error when the cluster scan could not read the pods', () => {
    const inventory = new Inventory({ cluster: 'prod' });
    inventory.add({ object: svc('shop', { app: 'web' }) });
    inventory.add({
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'p', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { app: 'web' } } },
      },
    });
    const gaps = new Map([['Pod', { reason: 'pods: forbidden (403)' }]]);
    const findings = runChecks(inventory, { models: [scopeModelProvider], checks: [service, networkPolicy], gaps }).findings;
    assert.ok(findings.length > 0);
    assert.deepEqual(
      findings.filter((f) => f.status !== 'error'),
      [],
    );
  });

  it('never matches namespace-less objects with namespaced workloads', () => {
    const inventory = new Inventory();
    inventory.add({ object: deployment('shop', { app: 'web' }) });
    inventory.add({ object: deployment(undefined, { app: 'other' }) });
    inventory.add({
      object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } },
    });
    const findings = runChecks(inventory, { models: [scopeModelProvider], checks: [pdb] }).findings;
    assert.deepEqual(
      findings.map((f) => `${f.status} ${f.resource.name} ${f.pointer}`),
      ['fail web /spec/selector'],
    );
  });
});

describe('selectors that match nothing: what counts as a pod', () => {
  const at = (file: string) => ({ file, line: 1, column: 1 });

  it('does not require controller-added labels of templates', () => {
    const inventory = new Inventory();
    inventory.add({
      object: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'redis', namespace: 'db' },
        spec: { selector: { matchLabels: { app: 'redis' } }, template: { metadata: { labels: { app: 'redis' } }, spec: { containers: [] } } },
      },
    });
    inventory.add({ object: svc('db', { app: 'redis', 'statefulset.kubernetes.io/pod-name': 'redis-0' }) });
    inventory.add({
      object: { ...svc('db', { app: 'sentinel', 'statefulset.kubernetes.io/pod-name': 'redis-0' }), metadata: { name: 'other', namespace: 'db' } },
    });
    assert.deepEqual(
      runChecks(inventory, { models: [scopeModelProvider], checks: [service] }).findings.map((f) => f.resource.name),
      ['other'],
    );
  });

  it('counts custom resources whose labels match as the owners of operator-made pods', () => {
    const inventory = new Inventory();
    inventory.add({ object: deployment('monitoring', { app: 'grafana' }) });
    inventory.add({
      object: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Alertmanager',
        metadata: { name: 'main', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'alertmanager' } },
      },
    });
    inventory.add({ object: svc('monitoring', { 'app.kubernetes.io/name': 'alertmanager' }) });
    assert.deepEqual(runChecks(inventory, { models: [scopeModelProvider], checks: [service] }).findings, []);
  });

  it('groups namespace-less manifests by directory, so unrelated projects in one scan never meet', () => {
    const inventory = new Inventory();
    inventory.add({ object: deployment(undefined, { app: 'web' }), location: at('projects/a/deploy.yaml') });
    inventory.add({ object: { ...svc('x', { app: 'web' }), metadata: { name: 'web' } }, location: at('projects/b/service.yaml') });
    inventory.add({ object: deployment(undefined, { app: 'api' }), location: at('projects/b/api.yaml') });
    assert.deepEqual(
      runChecks(inventory, { models: [scopeModelProvider], checks: [service] }).findings.map((f) => `${f.resource.name} ${f.location?.file}`),
      ['web projects/b/service.yaml'],
    );
  });
});
