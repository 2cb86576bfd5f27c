/**
 * Deterministic synthetic Kubernetes manifests for the benchmark.
 *
 * Objects come from a seeded PRNG (mulberry32), never Math.random, so two runs on any
 * machine write byte-identical files and the figures stay comparable. The mix imitates a
 * large multi-team cluster: workloads of four kinds with 1-3 containers whose security
 * contexts range from hardened to careless, and the Services, ConfigMaps, Secrets,
 * Ingresses, RBAC objects, ServiceAccounts and NetworkPolicies around them.
 *
 * Usage as a script: node bench/generate.mjs <dir> [objects] [perFile]
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import { listManifests, readTexts } from './lib.mjs';

/** Bump when the generator's output changes, so cached sets are regenerated. */
export const GENERATOR_VERSION = 1;
const SEED = 0x9a115ade;

/** mulberry32: small, fast, good enough for test data. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => next() < p;
  const str = (n, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
    return s;
  };
  const weighted = (table) => {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [v, w] of table) {
      r -= w;
      if (r < 0) return v;
    }
    return table[table.length - 1][0];
  };
  return { next, int, pick, chance, str, weighted };
}

const KIND_MIX = [
  ['Deployment', 18],
  ['StatefulSet', 4],
  ['DaemonSet', 2],
  ['CronJob', 4],
  ['Service', 16],
  ['ConfigMap', 14],
  ['Secret', 9],
  ['Ingress', 5],
  ['ServiceAccount', 9],
  ['Role', 5],
  ['RoleBinding', 6],
  ['ClusterRole', 1],
  ['ClusterRoleBinding', 1],
  ['NetworkPolicy', 5],
  ['Namespace', 1],
];

const TEAMS = ['payments', 'search', 'checkout', 'identity', 'catalog', 'billing', 'media', 'ml', 'growth', 'platform', 'data', 'mobile'];
const COMPONENTS = ['api', 'worker', 'frontend', 'gateway', 'indexer', 'scheduler', 'cache', 'consumer', 'exporter', 'sync'];
const REGISTRIES = ['', 'docker.io/library/', 'ghcr.io/acme/', 'registry.k8s.io/', 'quay.io/acme/', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/'];
const IMAGES = ['nginx', 'redis', 'postgres', 'node', 'python', 'envoy', 'busybox', 'app', 'service', 'fluent-bit', 'kafka', 'grafana'];
const CAPS = ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW', 'SYS_PTRACE', 'CHOWN', 'NET_BIND_SERVICE', 'ALL'];
const RESOURCES = ['pods', 'services', 'configmaps', 'secrets', 'deployments', 'jobs', 'events', 'endpoints', 'pods/log', 'pods/exec', '*'];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', '*'];

function generator(seed) {
  const r = prng(seed);
  let serial = 0;
  const namespaceOf = () => `${r.pick(TEAMS)}-${r.int(20)}`;
  const appName = () => `${r.pick(TEAMS)}-${r.pick(COMPONENTS)}-${(serial++).toString(36)}`;
  const labels = (name, ns) => ({
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': ns.replace(/-\d+$/, ''),
    'app.kubernetes.io/managed-by': r.pick(['Helm', 'kustomize', 'argocd']),
    ...(r.chance(0.5) ? { 'app.kubernetes.io/version': `${r.int(5)}.${r.int(20)}.${r.int(10)}` } : {}),
  });
  const meta = (name, ns, extra = {}) => ({
    name,
    ...(ns ? { namespace: ns } : {}),
    labels: labels(name, ns ?? 'cluster-0'),
    ...(r.chance(0.4) ? { annotations: { 'meta.helm.sh/release-name': name, 'meta.helm.sh/release-namespace': ns ?? 'default' } } : {}),
    ...extra,
  });

  const image = (quality) => {
    const base = `${r.pick(REGISTRIES)}${r.pick(IMAGES)}`;
    if (quality === 'hardened') return `${base}:${r.int(3) + 1}.${r.int(30)}.${r.int(10)}@sha256:${r.str(64, '0123456789abcdef')}`;
    if (quality === 'typical') return `${base}:${r.int(3) + 1}.${r.int(30)}`;
    return r.pick([base, `${base}:latest`, `${base}:${r.int(3) + 1}.${r.int(30)}`]);
  };

  const container = (i, quality) => {
    const c = {
      name: i === 0 ? 'main' : r.pick(['sidecar', 'proxy', 'log-shipper', 'metrics', 'init-db']) + i,
      image: image(quality),
      ...(r.chance(0.3) ? { imagePullPolicy: r.pick(['Always', 'IfNotPresent']) } : {}),
      ...(r.chance(0.4) ? { args: [`--port=${8000 + r.int(1000)}`, `--log-level=${r.pick(['info', 'debug', 'warn'])}`] } : {}),
      ports: [{ name: 'http', containerPort: 8000 + r.int(1000), protocol: 'TCP' }],
      env: [
        { name: 'LOG_FORMAT', value: 'json' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ...(quality === 'poor' && r.chance(0.3) ? [{ name: 'DB_PASSWORD', value: r.str(16) }] : []),
        ...(r.chance(0.5) ? [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'token' } } }] : []),
      ],
    };
    if (quality === 'hardened') {
      c.resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
      c.securityContext = {
        runAsNonRoot: true,
        runAsUser: 10001,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      };
      c.livenessProbe = { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 };
      c.readinessProbe = { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 };
    } else if (quality === 'typical') {
      if (r.chance(0.6)) c.resources = { requests: { cpu: '50m', memory: '64Mi' }, ...(r.chance(0.5) ? { limits: { memory: '256Mi' } } : {}) };
      if (r.chance(0.5)) c.securityContext = { allowPrivilegeEscalation: r.chance(0.7) ? false : undefined, runAsNonRoot: r.chance(0.5) || undefined };
      if (r.chance(0.5)) c.readinessProbe = { tcpSocket: { port: 'http' } };
    } else {
      const sc = {};
      if (r.chance(0.15)) sc.privileged = true;
      if (r.chance(0.3)) sc.runAsUser = 0;
      if (r.chance(0.3)) sc.allowPrivilegeEscalation = true;
      if (r.chance(0.25)) sc.capabilities = { add: [r.pick(CAPS)] };
      if (Object.keys(sc).length > 0) c.securityContext = sc;
    }
    if (c.securityContext) c.securityContext = JSON.parse(JSON.stringify(c.securityContext));
    return c;
  };

  const podSpec = (name) => {
    const quality = r.weighted([
      ['hardened', 3],
      ['typical', 5],
      ['poor', 2],
    ]);
    const n = r.weighted([
      [1, 6],
      [2, 3],
      [3, 1],
    ]);
    const spec = {
      ...(r.chance(0.6) ? { serviceAccountName: name } : {}),
      ...(quality === 'hardened'
        ? { automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } } }
        : {}),
      containers: Array.from({ length: n }, (_, i) => container(i, quality)),
      volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
    };
    if (quality === 'poor') {
      if (r.chance(0.1)) spec.hostNetwork = true;
      if (r.chance(0.05)) spec.hostPID = true;
      if (r.chance(0.1)) spec.volumes.push({ name: 'host', hostPath: { path: r.pick(['/var/run/docker.sock', '/var/log', '/', '/etc']) } });
    }
    for (const c of spec.containers) c.volumeMounts = [{ name: 'config', mountPath: '/etc/app', readOnly: true }];
    return { metadata: { labels: { 'app.kubernetes.io/name': name } }, spec };
  };

  const selector = (name) => ({ matchLabels: { 'app.kubernetes.io/name': name } });

  const make = {
    Deployment: () => {
      const ns = namespaceOf();
      const name = appName();
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta(name, ns),
        spec: { replicas: 1 + r.int(5), selector: selector(name), template: podSpec(name) },
      };
    },
    StatefulSet: () => {
      const ns = namespaceOf();
      const name = appName();
      return {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta(name, ns),
        spec: {
          serviceName: name,
          replicas: 1 + r.int(3),
          selector: selector(name),
          template: podSpec(name),
          volumeClaimTemplates: [
            { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${1 + r.int(100)}Gi` } } } },
          ],
        },
      };
    },
    DaemonSet: () => {
      const ns = namespaceOf();
      const name = appName();
      return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta(name, ns), spec: { selector: selector(name), template: podSpec(name) } };
    },
    CronJob: () => {
      const ns = namespaceOf();
      const name = appName();
      const template = podSpec(name);
      template.spec.restartPolicy = 'OnFailure';
      return {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta(name, ns),
        spec: { schedule: `${r.int(60)} ${r.int(24)} * * *`, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { backoffLimit: 3, template } } },
      };
    },
    Service: () => {
      const ns = namespaceOf();
      const name = appName();
      const type = r.weighted([
        ['ClusterIP', 85],
        ['NodePort', 8],
        ['LoadBalancer', 7],
      ]);
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(name, ns),
        spec: {
          type,
          selector: { 'app.kubernetes.io/name': name },
          ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', ...(type === 'NodePort' ? { nodePort: 30000 + r.int(2767) } : {}) }],
          ...(type === 'LoadBalancer' && r.chance(0.5) ? { loadBalancerSourceRanges: ['10.0.0.0/8'] } : {}),
        },
      };
    },
    ConfigMap: () => {
      const ns = namespaceOf();
      const name = `${appName()}-config`;
      const data = {};
      const n = 2 + r.int(8);
      for (let i = 0; i < n; i++) data[`${r.pick(['LOG', 'CACHE', 'FEATURE', 'TIMEOUT', 'URL', 'MODE'])}_${i}`] = r.str(4 + r.int(40));
      if (r.chance(0.15))
        data['application.yaml'] = `server:\n  port: 8080\nspring:\n  datasource:\n    url: jdbc:postgresql://db:5432/app\n    username: app\n`;
      if (r.chance(0.03)) data.DB_PASSWORD = r.str(14);
      if (r.chance(0.01)) data.AWS_ACCESS_KEY_ID = `AKIA${r.str(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, ns), data };
    },
    Secret: () => {
      const ns = namespaceOf();
      const name = `${appName()}-secret`;
      const type = r.weighted([
        ['Opaque', 7],
        ['kubernetes.io/tls', 2],
        ['kubernetes.io/dockerconfigjson', 1],
      ]);
      const b64 = (n) => Buffer.from(r.str(n)).toString('base64');
      const data =
        type === 'kubernetes.io/tls'
          ? { 'tls.crt': b64(600), 'tls.key': b64(300) }
          : type === 'kubernetes.io/dockerconfigjson'
            ? { '.dockerconfigjson': b64(120) }
            : { username: b64(8), password: b64(24) };
      return { apiVersion: 'v1', kind: 'Secret', metadata: meta(name, ns), type, data };
    },
    Ingress: () => {
      const ns = namespaceOf();
      const name = appName();
      const host = `${name}.${r.pick(['example.com', 'example.org', 'internal.example'])}`;
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: meta(name, ns),
        spec: {
          ingressClassName: 'nginx',
          ...(r.chance(0.7) ? { tls: [{ hosts: [host], secretName: `${name}-tls` }] } : {}),
          rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }] } }],
        },
      };
    },
    ServiceAccount: () => {
      const ns = namespaceOf();
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(appName(), ns), ...(r.chance(0.4) ? { automountServiceAccountToken: false } : {}) };
    },
    Role: () => {
      const ns = namespaceOf();
      return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(appName(), ns), rules: rules() };
    },
    ClusterRole: () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(appName(), undefined), rules: rules() }),
    RoleBinding: () => {
      const ns = namespaceOf();
      const roleKind = r.chance(0.6) ? 'Role' : 'ClusterRole';
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: meta(appName(), ns),
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: roleKind,
          name: roleKind === 'Role' ? appName() : r.pick(['view', 'edit', 'admin', 'cluster-admin', appName()]),
        },
        subjects: [subject(ns)],
      };
    },
    ClusterRoleBinding: () => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(appName(), undefined),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: r.chance(0.05) ? 'cluster-admin' : appName() },
      subjects: [subject(namespaceOf())],
    }),
    NetworkPolicy: () => {
      const ns = namespaceOf();
      const name = appName();
      const deny = r.chance(0.4);
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta(deny ? 'default-deny' : name, ns),
        spec: deny
          ? { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }
          : {
              podSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
              policyTypes: ['Ingress'],
              ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
            },
      };
    },
    Namespace: () => {
      const ns = namespaceOf();
      const hardened = r.chance(0.5);
      return {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ns,
          labels: { 'kubernetes.io/metadata.name': ns, ...(hardened ? { 'pod-security.kubernetes.io/enforce': r.pick(['restricted', 'baseline']) } : {}) },
        },
      };
    },
  };

  function rules() {
    const n = 1 + r.int(4);
    return Array.from({ length: n }, () => ({
      apiGroups: [r.pick(['', '', 'apps', 'batch', '*'])],
      resources: [r.pick(RESOURCES), ...(r.chance(0.3) ? [r.pick(RESOURCES)] : [])],
      verbs: r.chance(0.1) ? ['*'] : [...new Set([r.pick(VERBS), r.pick(VERBS), 'get'])],
    }));
  }

  function subject(ns) {
    return r.weighted([
      [{ kind: 'ServiceAccount', name: appName(), namespace: ns }, 7],
      [{ kind: 'ServiceAccount', name: 'default', namespace: ns }, 1],
      [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `${r.pick(TEAMS)}-devs` }, 2],
      [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `${r.str(6)}@example.com` }, 1],
    ]);
  }

  return () => make[r.weighted(KIND_MIX)]();
}

/**
 * Writes `objects` objects as multi-document YAML files of `perFile` objects each, unless a
 * complete set of the same version and size is already there. Returns the file paths.
 *
 * @example
 * const files = await ensureSynthetic('/tmp/set', 100_000, 1_000);
 */
export async function ensureSynthetic(dir, objects, perFile = 1000) {
  const stamp = JSON.stringify({ version: GENERATOR_VERSION, seed: SEED, objects, perFile });
  const marker = join(dir, '.complete');
  const count = Math.ceil(objects / perFile);
  const files = Array.from({ length: count }, (_, i) => join(dir, `objects-${String(i).padStart(4, '0')}.yaml`));
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === stamp) return { files, generated: false };
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const next = generator(SEED);
  let left = objects;
  for (const f of files) {
    const n = Math.min(perFile, left);
    left -= n;
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(`---\n${yaml.dump(next(), { lineWidth: -1, noRefs: true })}`);
    await writeFile(f, parts.join(''));
  }
  await writeFile(marker, stamp);
  return { files, generated: true };
}

/** Bump when the replicated set's output changes, so cached sets are regenerated. */
export const REPLICATED_VERSION = 1;

/** Kinds without a namespace: replicated less often and renamed instead of moved. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'GatewayClass',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PodSecurityPolicy',
  'CSIDriver',
  'VolumeSnapshotClass',
  'ClusterIssuer',
  'ClusterSecretStore',
]);

/**
 * One document of the corpus cut into text pieces, so that a replica is a concatenation:
 * `pieces[0] + ns + pieces[1]` (namespace set or inserted) or `pieces[0] + suffix + pieces[1]`
 * (name renamed). Edits are splices of the original text: comments, quoting and layout of
 * the real manifests stay as they are.
 */
function templateOf(doc, text) {
  // The value's range may run into the next document's `---` marker: cut it off. It starts
  // at its own `---` marker when it has one: cut that too, the writer adds one.
  const src = text.slice(doc.range[0], doc.range[1]).replace(/(?:^|\n)(?:---|\.\.\.)(?:[ \t][^\n]*)?\s*$/, '');
  const lead = /^---[ \t]*(?:#[^\n]*)?\n/.exec(src)?.[0].length ?? 0;
  const cut = src.slice(lead);
  const prefix = cut.startsWith('---') ? '' : '---\n';
  const body = `${prefix}${cut}${cut.endsWith('\n') ? '' : '\n'}`;
  // Offsets of the parsed nodes, moved into `body`.
  const off = doc.range[0] + lead - prefix.length;
  const root = doc.contents;
  if (doc.errors.length > 0 || !isMap(root)) return undefined;
  const kind = root.get('kind');
  const meta = root.get('metadata', true);
  if (typeof kind !== 'string' || !isMap(meta)) return undefined;
  const name = meta.get('name', true);
  const ns = meta.get('namespace', true);
  const isList = kind.endsWith('List');
  if (CLUSTER_SCOPED.has(kind) || isList) {
    // Renamed: `name` becomes `name-rNNN` (JSON quoting is valid YAML and JSON).
    if (!isScalar(name) || typeof name.value !== 'string') return { clusterScoped: true, fixed: body };
    const [a, b] = [name.range[0] - off, name.range[1] - off];
    return { clusterScoped: true, kind: 'rename', before: body.slice(0, a), value: name.value, after: body.slice(b) };
  }
  if (isScalar(ns) && typeof ns.value === 'string') {
    const [a, b] = [ns.range[0] - off, ns.range[1] - off];
    return { clusterScoped: false, kind: 'namespace', before: body.slice(0, a), value: ns.value, after: body.slice(b) };
  }
  if (!meta.flow && isScalar(name) && name.range) {
    // No namespace: insert one on the line before `name:`, at the same indentation.
    const keyNode = meta.items.find((p) => isScalar(p.key) && p.key.value === 'name')?.key;
    if (keyNode?.range) {
      const at = keyNode.range[0] - off;
      const lineStart = body.lastIndexOf('\n', at - 1) + 1;
      const indent = body.slice(lineStart, at);
      if (/^ *$/.test(indent)) {
        return {
          clusterScoped: false,
          kind: 'namespace',
          before: `${body.slice(0, lineStart)}${indent}namespace: `,
          value: 'default',
          after: `\n${body.slice(lineStart)}`,
        };
      }
    }
  }
  return { clusterScoped: false, fixed: body };
}

function instantiate(t, replica) {
  const tag = `r${String(replica).padStart(3, '0')}`;
  if (t.fixed !== undefined) return t.fixed;
  return `${t.before}${JSON.stringify(`${t.value}-${tag}`)}${t.after}`;
}

/**
 * Real manifests replicated across namespaces until there are about `objects` objects: each
 * replica (`rNNN/<project>.yaml`, one multi-document file per top-level folder) holds the corpus' documents, whose namespaced objects
 * are moved to namespace `<ns>-rNNN` (`default-rNNN` when they had none) and whose
 * cluster-scoped objects and Lists (CRDs, ClusterRoles, the large ConfigMapLists) are
 * renamed `<name>-rNNN` in every `clusterEvery`-th replica. Deterministic: the corpus in the
 * same order gives byte-identical files.
 *
 * @example
 * const { files } = await ensureReplicated('/tmp/rep', '../shared/corpus/real-world', 100_000);
 */
export async function ensureReplicated(dir, corpus, objects, clusterEvery = 10) {
  const sources = listManifests(corpus);
  const texts = readTexts(sources);
  const stamp = JSON.stringify({ version: REPLICATED_VERSION, objects, clusterEvery, files: sources.length, bytes: texts.reduce((n, t) => n + t.length, 0) });
  const marker = join(dir, '.complete');
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === stamp) return { files: listManifests(dir), generated: false };
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const templates = sources.map((f, i) => {
    const text = texts[i];
    const docs = parseAllDocuments(text, { uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [docs];
    return { rel: relative(corpus, f), docs: list.map((d) => templateOf(d, text)).filter((t) => t !== undefined) };
  });
  const perReplica = (clusterToo) => templates.reduce((n, t) => n + t.docs.filter((d) => clusterToo || !d.clusterScoped).length, 0);
  // Objects per round of `clusterEvery` replicas, to size the number of replicas.
  const perRound = perReplica(true) + (clusterEvery - 1) * perReplica(false);
  const replicas = Math.max(1, Math.round((objects / perRound) * clusterEvery));
  // One file per replica and project (top-level folder of the corpus): tens of thousands of
  // small files would measure the file system more than the scanner.
  const byProject = new Map();
  for (const t of templates) {
    const project = t.rel.split(/[\\/]/)[0] ?? t.rel;
    byProject.set(project, [...(byProject.get(project) ?? []), t]);
  }
  const files = [];
  for (let r = 0; r < replicas; r++) {
    const clusterToo = r % clusterEvery === 0;
    const folder = join(dir, `r${String(r).padStart(3, '0')}`);
    await mkdir(folder, { recursive: true });
    for (const [project, list] of byProject) {
      const docs = list.flatMap((t) => t.docs).filter((d) => clusterToo || !d.clusterScoped);
      if (docs.length === 0) continue;
      const out = join(folder, `${project.replace(/\.(?:ya?ml|json)$/, '')}.yaml`);
      await writeFile(out, docs.map((d) => instantiate(d, r)).join(''));
      files.push(out);
    }
  }
  await writeFile(marker, stamp);
  return { files, generated: true };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, objects = '100000', perFile = '1000'] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node bench/generate.mjs <dir> [objects] [perFile]');
    process.exit(2);
  }
  const { files } = await ensureSynthetic(dir, Number(objects), Number(perFile));
  console.log(`${files.length} files in ${dir}`);
}
