/**
 * TEST UTILITY: a small, realistic cluster as the API server would return it (status,
 * managed fields, owner references with uids, server-set metadata), for cluster-source tests
 * and the benchmark's object generator.
 */
import type { JsonObject } from '../../src/core/types.js';

let uidSeq = 0;
const uid = (): string => `00000000-0000-4000-8000-${String(++uidSeq).padStart(12, '0')}`;

const managed = [
  { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: {} },
];

function meta(name: string, namespace?: string, extra: JsonObject = {}): JsonObject {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    uid: uid(),
    resourceVersion: '1',
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: managed,
    ...extra,
  };
}

function ownedBy(owner: JsonObject): JsonObject {
  const m = owner.metadata as JsonObject;
  return {
    ownerReferences: [
      {
        apiVersion: owner.apiVersion as string,
        kind: owner.kind as string,
        name: m.name as string,
        uid: m.uid as string,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  };
}

function podSpec(image: string, extra: JsonObject = {}): JsonObject {
  return {
    containers: [{ name: 'app', image, resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } } }],
    ...extra,
  };
}

function pod(name: string, namespace: string, spec: JsonObject, owner?: JsonObject): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, namespace, owner ? ownedBy(owner) : {}),
    spec: { ...spec, nodeName: 'node-1', serviceAccountName: 'default' },
    status: { phase: 'Running', podIP: '10.0.0.1' },
  };
}

/**
 * Objects of a small cluster: three application namespaces, a Deployment with its ReplicaSet
 * and Pods, a DaemonSet mounting the container runtime socket, a CronJob with a Job and Pod,
 * a bare Pod, an Argo Rollout (custom resource with a pod template) with its ReplicaSet and
 * Pods, Secrets (one holding a private key in an Opaque Secret), a ConfigMap holding a
 * password, RBAC with wildcards, a NetworkPolicy, a LoadBalancer Service and an Ingress.
 *
 * @example
 * const server = await startFakeApiServer({ objects: fixtureClusterObjects() });
 */
export function fixtureClusterObjects(): JsonObject[] {
  uidSeq = 0;
  const out: JsonObject[] = [];
  for (const ns of ['default', 'kube-system', 'shop', 'payments']) {
    out.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(ns, undefined, { labels: { 'kubernetes.io/metadata.name': ns } }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', ns) });
  }
  out.push({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta('node-1', undefined, { labels: { 'kubernetes.io/hostname': 'node-1' } }),
    spec: { podCIDR: '10.0.0.0/24' },
    status: { nodeInfo: { kubeletVersion: 'v1.31.0' }, addresses: [{ type: 'InternalIP', address: '192.168.1.10' }] },
  });

  // shop/web: Deployment -> ReplicaSet -> 2 Pods, image without tag.
  const webSpec = podSpec('nginx');
  const web: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web', 'shop', {
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}', team: 'shop' },
    }),
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: webSpec } },
    status: { replicas: 2, readyReplicas: 2 },
  };
  const webRs: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('web-5d4f8', 'shop', { labels: { app: 'web' }, ...ownedBy(web) }),
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: webSpec } },
    status: { replicas: 2 },
  };
  out.push(web, webRs, pod('web-5d4f8-a1', 'shop', webSpec, webRs), pod('web-5d4f8-b2', 'shop', webSpec, webRs));
  out.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('web', 'shop'),
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
  });
  out.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta('web', 'shop'),
    spec: {
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
    },
  });
  out.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta('default-deny', 'shop'),
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
  out.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('web-config', 'shop'),
    data: { 'application.properties': 'db.user=app\ndb.password=Sup3r-S3cret-Pa55\n' },
  });
  out.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('db', 'shop', { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}' } }),
    type: 'Opaque',
    data: { username: Buffer.from('app').toString('base64'), password: Buffer.from('hunter2-but-longer').toString('base64') },
  });
  out.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('signing-key', 'payments'),
    type: 'Opaque',
    data: { 'key.pem': Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n').toString('base64') },
  });

  // kube-system/node-agent: DaemonSet mounting the container runtime socket.
  const agentSpec = podSpec('registry.example.com/agent:1.2.3', {
    volumes: [{ name: 'sock', hostPath: { path: '/var/run/containerd/containerd.sock' } }],
  });
  (agentSpec.containers as JsonObject[])[0] = {
    ...((agentSpec.containers as JsonObject[])[0] as JsonObject),
    volumeMounts: [{ name: 'sock', mountPath: '/run/containerd.sock' }],
  };
  const agent: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta('node-agent', 'kube-system'),
    spec: { selector: { matchLabels: { app: 'node-agent' } }, template: { metadata: { labels: { app: 'node-agent' } }, spec: agentSpec } },
    status: { desiredNumberScheduled: 1 },
  };
  out.push(agent, pod('node-agent-x7k2p', 'kube-system', agentSpec, agent));

  // payments: CronJob -> Job -> Pod; a bare debug Pod; a LimitRange.
  const reportSpec = podSpec('registry.example.com/report:latest', { restartPolicy: 'OnFailure' });
  const cron: JsonObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta('nightly-report', 'payments'),
    spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec: reportSpec } } } },
  };
  const job: JsonObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('nightly-report-28900000', 'payments', ownedBy(cron)),
    spec: { template: { spec: reportSpec } },
    status: { succeeded: 1 },
  };
  out.push(cron, job, pod('nightly-report-28900000-q8z4d', 'payments', reportSpec, job));
  out.push(pod('debug', 'payments', podSpec('busybox:latest')));
  out.push({
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta('defaults', 'payments'),
    spec: { limits: [{ type: 'Container', default: { cpu: '1', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
  });

  // payments/checkout: an Argo Rollout (custom resource embedding a pod template).
  out.push({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: meta('rollouts.argoproj.io'),
    spec: {
      group: 'argoproj.io',
      names: { plural: 'rollouts', singular: 'rollout', kind: 'Rollout', listKind: 'RolloutList' },
      scope: 'Namespaced',
      versions: [
        { name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      ],
    },
  });
  const checkoutSpec = podSpec('registry.example.com/checkout', {
    volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }],
  });
  (checkoutSpec.containers as JsonObject[])[0] = {
    ...((checkoutSpec.containers as JsonObject[])[0] as JsonObject),
    volumeMounts: [{ name: 'docker', mountPath: '/var/run/docker.sock' }],
  };
  const rollout: JsonObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: meta('checkout', 'payments'),
    spec: { replicas: 3, selector: { matchLabels: { app: 'checkout' } }, template: { metadata: { labels: { app: 'checkout' } }, spec: checkoutSpec } },
    status: { phase: 'Healthy' },
  };
  const checkoutRs: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('checkout-7c9d', 'payments', ownedBy(rollout)),
    spec: { replicas: 3, selector: { matchLabels: { app: 'checkout' } }, template: { metadata: { labels: { app: 'checkout' } }, spec: checkoutSpec } },
  };
  out.push(rollout, checkoutRs);
  for (const s of ['a', 'b', 'c']) out.push(pod(`checkout-7c9d-${s}`, 'payments', checkoutSpec, checkoutRs));

  // RBAC.
  out.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta('ops-everything'),
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  });
  out.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta('ops-everything'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ops-everything' },
    subjects: [{ kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  out.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta('secret-reader', 'shop'),
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
  });
  out.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('secret-reader', 'shop'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }],
  });
  return out;
}
