/**
 * TEST UTILITY: generates a realistic cluster of any size for benchmarks: per namespace,
 * Deployments with their ReplicaSets and Pods (Pods carry status and managed fields, as the
 * API server returns them, which dominates list payloads), Services, ConfigMaps, Secrets,
 * RBAC, a NetworkPolicy and a LimitRange; plus Nodes and cluster RBAC.
 */
import type { JsonObject } from '../../src/core/types.js';

function uidOf(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

/**
 * Generates `total` objects: namespaces of workloads, config and RBAC, plus cluster-scoped objects.
 *
 * @example
 * const server = await startFakeApiServer({ objects: generateCluster(20_000) });
 */
export function generateCluster(total: number): JsonObject[] {
  const out: JsonObject[] = [];
  let seq = 0;
  const managedFields = (manager: string): JsonObject[] => [
    {
      manager,
      operation: 'Update',
      apiVersion: 'v1',
      time: '2026-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
      },
    },
  ];
  // Keys in the order kube-apiserver writes ObjectMeta (its Go field order): managedFields last.
  const meta = (name: string, namespace?: string, extra: JsonObject = {}): JsonObject => ({
    name,
    ...(namespace ? { namespace } : {}),
    uid: uidOf(++seq),
    resourceVersion: String(100000 + seq),
    creationTimestamp: '2026-01-01T00:00:00Z',
    labels: { app: name.split('-').slice(0, 2).join('-'), 'app.kubernetes.io/part-of': 'bench' },
    ...extra,
    managedFields: managedFields('kube-controller-manager'),
  });
  const owner = (o: JsonObject): JsonObject => {
    const m = o.metadata as JsonObject;
    return {
      ownerReferences: [
        {
          apiVersion: o.apiVersion as string,
          kind: o.kind as string,
          name: m.name as string,
          uid: m.uid as string,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    };
  };
  const container = (name: string, i: number): JsonObject => ({
    name,
    image: i % 7 === 0 ? `registry.example.com/${name}:latest` : `registry.example.com/${name}:1.${i % 20}.0`,
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${name}-db`, key: 'password' } } },
    ],
    resources: i % 5 === 0 ? {} : { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: i % 3 === 0 ? { privileged: i % 9 === 0 } : { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
    volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  });
  const podSpec = (name: string, i: number): JsonObject => ({
    containers: [container(name, i)],
    volumes: [{ name: 'config', configMap: { name: `${name}-config`, defaultMode: 420 } }],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: i % 4 === 0 ? 'default' : 'app',
    securityContext: {},
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  });
  const podStatus = (name: string): JsonObject => ({
    phase: 'Running',
    conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
      type,
      status: 'True',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    })),
    hostIP: '192.168.1.10',
    podIP: '10.0.1.23',
    podIPs: [{ ip: '10.0.1.23' }],
    startTime: '2026-01-01T00:00:00Z',
    containerStatuses: [
      {
        name,
        state: { running: { startedAt: '2026-01-01T00:00:01Z' } },
        ready: true,
        restartCount: 0,
        image: `registry.example.com/${name}:1.0.0`,
        imageID: `registry.example.com/${name}@sha256:${'ab'.repeat(32)}`,
        containerID: `containerd://${'cd'.repeat(32)}`,
        started: true,
      },
    ],
    qosClass: 'Burstable',
  });

  // Cluster-scoped objects.
  for (let i = 0; i < 20; i++) out.push({ apiVersion: 'v1', kind: 'Node', metadata: meta(`node-${i}`), spec: { podCIDR: `10.0.${i}.0/24` } });
  for (let i = 0; i < 60; i++) {
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(`role-${i}`),
      rules: [{ apiGroups: [''], resources: i % 10 === 0 ? ['*'] : ['pods', 'services'], verbs: i % 15 === 0 ? ['*'] : ['get', 'list', 'watch'] }],
    });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(`role-${i}`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `role-${i}` },
      subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: `team-${i}` }],
    });
  }

  for (let n = 0; out.length < total; n++) {
    const ns = `team-${n}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(ns, undefined, { labels: { 'kubernetes.io/metadata.name': ns } }),
      spec: { finalizers: ['kubernetes'] },
    });
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', ns) });
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('app', ns), automountServiceAccountToken: false });
    for (let d = 0; d < 8; d++) {
      const name = `svc-${d}`;
      const spec = podSpec(name, n * 8 + d);
      const deploy = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta(name, ns),
        spec: { replicas: 4, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
        status: { replicas: 4, readyReplicas: 4, availableReplicas: 4, observedGeneration: 1 },
      };
      const rs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: meta(`${name}-6d8f7b9c5`, ns, owner(deploy)),
        spec: { replicas: 4, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
        status: { replicas: 4, readyReplicas: 4 },
      };
      out.push(deploy, rs);
      for (let p = 0; p < 4; p++) {
        out.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: meta(`${name}-6d8f7b9c5-${p}x${n}`, ns, owner(rs)),
          spec: { ...spec, nodeName: `node-${p % 20}` },
          status: podStatus(name),
        });
      }
      out.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(name, ns),
        spec: { type: d === 0 ? 'LoadBalancer' : 'ClusterIP', selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
      });
      out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${name}-config`, ns), data: { 'app.properties': `name=${name}\nport=8080\n` } });
      out.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: meta(`${name}-db`, ns),
        type: 'Opaque',
        data: { password: Buffer.from(`pw-${n}-${d}-generated-value`).toString('base64') },
      });
    }
    out.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny', ns),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('app', ns),
      rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list'] }],
    });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('app', ns),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app' },
      subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: ns }],
    });
    out.push({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('defaults', ns),
      spec: { limits: [{ type: 'Container', default: { cpu: '1', memory: '512Mi' } }] },
    });
  }
  return out.slice(0, total);
}
