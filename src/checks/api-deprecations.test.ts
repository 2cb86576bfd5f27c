import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_DEPRECATIONS, DEPRECATED_KINDS, deprecationOf, NEWEST_KNOWN_MINOR, parseKubernetesMinor, replacementAt, targetMinor } from './api-deprecations.js';

describe('api-deprecations table', () => {
  it('is consistent: one entry per apiVersion and kind, deprecated before removed, replacements served before the removal', () => {
    const keys = new Set<string>();
    for (const d of API_DEPRECATIONS) {
      const key = `${d.apiVersion} ${d.kind}`;
      assert.ok(!keys.has(key), `duplicate ${key}`);
      keys.add(key);
      assert.ok(d.deprecatedIn < d.removedIn, key);
      assert.ok(d.removedIn <= NEWEST_KNOWN_MINOR, key);
      if (d.replacement !== undefined) assert.ok((d.replacementSince ?? 99) < d.removedIn, key);
    }
    assert.ok(DEPRECATED_KINDS.includes('CronJob') && DEPRECATED_KINDS.includes('FlowSchema'));
  });

  it('lists the removals of the migration guide', () => {
    const removed = (apiVersion: string, kind: string): number | undefined => deprecationOf(apiVersion, kind)?.removedIn;
    assert.equal(removed('flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration'), 32);
    assert.equal(removed('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema'), 29);
    assert.equal(removed('storage.k8s.io/v1beta1', 'CSIStorageCapacity'), 27);
    assert.equal(removed('autoscaling/v2beta2', 'HorizontalPodAutoscaler'), 26);
    assert.equal(removed('policy/v1beta1', 'PodSecurityPolicy'), 25);
    assert.equal(removed('policy/v1beta1', 'PodDisruptionBudget'), 25);
    assert.equal(removed('batch/v1beta1', 'CronJob'), 25);
    assert.equal(removed('networking.k8s.io/v1beta1', 'Ingress'), 22);
    assert.equal(removed('storage.k8s.io/v1beta1', 'CSIDriver'), 22);
    assert.equal(removed('apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition'), 22);
    assert.equal(removed('extensions/v1beta1', 'Deployment'), 16);
    assert.equal(removed('apps/v1beta2', 'StatefulSet'), 16);
    // Still-served versions and custom groups are not in the table.
    assert.equal(deprecationOf('apps/v1', 'Deployment'), undefined);
    assert.equal(deprecationOf('storage.k8s.io/v1beta1', 'Foo'), undefined);
  });

  it('follows replacement chains to a version served at the target', () => {
    const fs = deprecationOf('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema');
    assert.ok(fs);
    assert.equal(replacementAt(fs, 32)?.apiVersion, 'flowcontrol.apiserver.k8s.io/v1');
    assert.equal(replacementAt(fs, 26)?.apiVersion, 'flowcontrol.apiserver.k8s.io/v1beta3');
    assert.equal(replacementAt(fs, 24)?.apiVersion, 'flowcontrol.apiserver.k8s.io/v1beta2');
    const psp = deprecationOf('policy/v1beta1', 'PodSecurityPolicy');
    assert.ok(psp);
    assert.equal(replacementAt(psp, 32), undefined);
  });

  it('parses versions as users and API servers write them', () => {
    assert.equal(parseKubernetesMinor('v1.29'), 29);
    assert.equal(parseKubernetesMinor('1.29'), 29);
    assert.equal(parseKubernetesMinor('v1.31.2'), 31);
    assert.equal(parseKubernetesMinor('v1.31.2-eks-1a2b3c'), 31);
    assert.equal(parseKubernetesMinor('v1.30.1+k3s1'), 30);
    for (const bad of ['latest', 'v2.1', '1', 'v1.x', 'v1.029', '']) assert.equal(parseKubernetesMinor(bad), undefined, bad);
    assert.equal(targetMinor(undefined), NEWEST_KNOWN_MINOR);
    assert.equal(targetMinor('v1.20'), 20);
  });
});
