import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import {
  addOperation,
  capabilitiesOf,
  describeContainer,
  effectiveSecurityContext,
  effectiveSetting,
  hasCapability,
  isLongRunning,
  isUnder,
  normaliseCapability,
  normaliseHostPath,
  resourceBound,
  runtimeSocketOf,
  volumeMounts,
} from './security-context.js';
import type { JsonObject } from '../core/types.js';
import { type ContainerTarget, containersOf, podSpecsOf } from '../core/workloads.js';

function containers(text: string): { all: ContainerTarget[]; inventory: ReturnType<typeof inventoryOf>['inventory'] } {
  const { inventory } = inventoryOf(text);
  return { all: inventory.all.flatMap((r) => podSpecsOf(r).flatMap((p) => containersOf(p))), inventory };
}

function byName(list: readonly ContainerTarget[], name: string): ContainerTarget {
  const c = list.find((x) => x.name === name);
  assert.ok(c, `no container ${name}`);
  return c;
}

const POD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      securityContext: {runAsUser: 1000, runAsNonRoot: true, fsGroup: 2000}
      initContainers:
        - name: sidecar
          image: proxy
          restartPolicy: Always
        - name: migrate
          image: migrate
      containers:
        - name: own
          image: app
          securityContext: {runAsUser: 10001, readOnlyRootFilesystem: true, runAsNonRoot: null}
        - name: inherits
          image: app
          volumeMounts: [{name: data, mountPath: /data, readOnly: true}]
`;

describe('effective security context', () => {
  const { all } = containers(POD);
  it('prefers the container value and falls back to the pod', () => {
    assert.deepEqual(effectiveSetting(byName(all, 'own'), 'runAsUser'), {
      value: 10001,
      level: 'container',
      pointer: '/spec/template/spec/containers/0/securityContext/runAsUser',
    });
    assert.deepEqual(effectiveSetting(byName(all, 'inherits'), 'runAsUser'), {
      value: 1000,
      level: 'pod',
      pointer: '/spec/template/spec/securityContext/runAsUser',
    });
  });
  it('treats null as unset and does not inherit container-only or pod-only fields', () => {
    assert.equal(effectiveSetting(byName(all, 'own'), 'runAsNonRoot')?.level, 'pod');
    assert.equal(effectiveSetting(byName(all, 'inherits'), 'readOnlyRootFilesystem'), undefined);
    const sc = effectiveSecurityContext(byName(all, 'inherits'));
    assert.deepEqual(Object.keys(sc).sort(), ['runAsNonRoot', 'runAsUser']);
  });
  it('names containers by list', () => {
    assert.equal(describeContainer(byName(all, 'migrate')), 'init container "migrate" of Deployment shop/web');
    assert.equal(describeContainer(byName(all, 'own')), 'container "own" of Deployment shop/web');
  });
  it('tells long-running containers from run-to-completion ones', () => {
    assert.equal(isLongRunning(byName(all, 'sidecar')), true);
    assert.equal(isLongRunning(byName(all, 'migrate')), false);
    assert.equal(isLongRunning(byName(all, 'own')), true);
    const job = containers('apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {template: {spec: {containers: [{name: c, image: x}]}}}\n');
    assert.equal(isLongRunning(byName(job.all, 'c')), false);
    const never = containers('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {restartPolicy: Never, containers: [{name: c, image: x}]}\n');
    assert.equal(isLongRunning(byName(never.all, 'c')), false);
  });
  it('lists the mounts of a volume', () => {
    const [pod] = podSpecsOf(byName(all, 'own').pod.resource);
    assert.ok(pod);
    assert.deepEqual(
      volumeMounts(pod, 'data').map((m) => [m.container.name, m.pointer, m.readOnly]),
      [['inherits', '/spec/template/spec/containers/1/volumeMounts/0', true]],
    );
  });
});

describe('capabilities', () => {
  const c = (caps: JsonObject): JsonObject => ({ securityContext: { capabilities: caps } });
  it('normalises case and the CAP_ prefix', () => {
    assert.equal(normaliseCapability(' cap_sys_admin'), 'SYS_ADMIN');
    assert.equal(normaliseCapability('NET_RAW'), 'NET_RAW');
    assert.deepEqual(
      capabilitiesOf(c({ add: ['CAP_NET_ADMIN', 7], drop: ['all'] })).add.map((e) => [e.name, e.raw, e.path]),
      [['NET_ADMIN', 'CAP_NET_ADMIN', '/securityContext/capabilities/add/0']],
    );
    assert.equal(capabilitiesOf({}).hasDropList, false);
  });
  it('applies add ALL, drop ALL, named adds, then named drops, like the runtimes', () => {
    assert.equal(hasCapability({}, 'NET_RAW'), true);
    assert.equal(hasCapability({}, 'SYS_ADMIN'), false);
    assert.equal(hasCapability(c({ drop: ['ALL'] }), 'NET_RAW'), false);
    assert.equal(hasCapability(c({ drop: ['ALL'], add: ['cap_net_raw'] }), 'NET_RAW'), true);
    assert.equal(hasCapability(c({ add: ['NET_RAW'], drop: ['NET_RAW'] }), 'NET_RAW'), false);
    assert.equal(hasCapability(c({ add: ['ALL'] }), 'SYS_ADMIN'), true);
    assert.equal(hasCapability(c({ add: ['ALL'], drop: ['ALL'] }), 'SYS_ADMIN'), false);
  });
});

describe('host paths', () => {
  it('normalises slashes, dots and ..', () => {
    assert.equal(normaliseHostPath('//var/./run/../run/docker.sock/'), '/var/run/docker.sock');
    assert.equal(normaliseHostPath('/'), '/');
    assert.equal(normaliseHostPath('/../..'), '/');
    assert.equal(normaliseHostPath('C:\\data'), undefined);
  });
  it('compares paths by component', () => {
    assert.equal(isUnder('/etc/ssl', '/etc'), true);
    assert.equal(isUnder('/etcetera', '/etc'), false);
    assert.equal(isUnder('/anything', '/'), true);
  });
  it('finds runtime sockets, their directories and Windows pipes', () => {
    assert.equal(runtimeSocketOf('/var/run//docker.sock'), '/var/run/docker.sock');
    assert.equal(runtimeSocketOf('/run/containerd/'), '/run/containerd');
    assert.equal(runtimeSocketOf('/run/containerd/io.containerd.runtime.v2.task'), '/run/containerd');
    assert.equal(runtimeSocketOf('\\\\.\\PIPE\\docker_engine'), '\\\\.\\pipe\\docker_engine');
    assert.equal(runtimeSocketOf('/run'), undefined);
    assert.equal(runtimeSocketOf('/var/log'), undefined);
  });
});

describe('resourceBound', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a}
spec:
  resources: {limits: {memory: 1Gi}}
  containers:
    - name: own
      image: x
      resources: {limits: {cpu: 500m}}
    - name: bare
      image: x
---
apiVersion: v1
kind: LimitRange
metadata: {name: lr, namespace: a}
spec:
  limits:
    - type: Container
      max: {cpu: '2'}
      min: {ephemeral-storage: 100Mi}
---
apiVersion: v1
kind: LimitRange
metadata: {name: other, namespace: b}
spec:
  limits:
    - type: Container
      default: {ephemeral-storage: 1Gi}
`;
  const { all, inventory } = containers(text);
  const own = byName(all, 'own');
  const bare = byName(all, 'bare');
  it('finds the container value, and defaults requests to limits', () => {
    assert.equal(resourceBound(own, 'limits', 'cpu', inventory), 'container');
    assert.equal(resourceBound(own, 'requests', 'cpu', inventory), 'container-limit');
  });
  it('honours pod-level resources for cpu and memory', () => {
    assert.equal(resourceBound(bare, 'limits', 'memory', inventory), 'pod');
    assert.equal(resourceBound(bare, 'requests', 'memory', inventory), 'pod');
  });
  it('applies LimitRange defaulting of the same namespace only', () => {
    assert.equal(resourceBound(bare, 'limits', 'cpu', inventory), 'limit-range');
    assert.equal(resourceBound(bare, 'requests', 'ephemeral-storage', inventory), 'limit-range');
    assert.equal(resourceBound(bare, 'limits', 'ephemeral-storage', inventory), undefined);
  });
});

describe('addOperation', () => {
  const root: JsonObject = {
    spec: {
      containers: [
        { name: 'a', securityContext: null },
        { name: 'b', securityContext: { capabilities: { drop: ['X'] } } },
      ],
    },
  };
  it('adds the missing part at the deepest existing parent', () => {
    assert.deepEqual(addOperation({ spec: {} }, '/spec/securityContext/runAsNonRoot', true), {
      op: 'add',
      path: '/spec/securityContext',
      value: { runAsNonRoot: true },
    });
  });
  it('replaces a null parent and an existing leaf', () => {
    assert.deepEqual(addOperation(root, '/spec/containers/0/securityContext/readOnlyRootFilesystem', true), {
      op: 'replace',
      path: '/spec/containers/0/securityContext',
      value: { readOnlyRootFilesystem: true },
    });
    assert.deepEqual(addOperation(root, '/spec/containers/1/securityContext/capabilities/drop', ['ALL']), {
      op: 'replace',
      path: '/spec/containers/1/securityContext/capabilities/drop',
      value: ['ALL'],
    });
  });
  it('appends to arrays', () => {
    assert.deepEqual(addOperation(root, '/spec/containers/1/securityContext/capabilities/drop/-', 'NET_RAW'), {
      op: 'add',
      path: '/spec/containers/1/securityContext/capabilities/drop/-',
      value: 'NET_RAW',
    });
  });
});
