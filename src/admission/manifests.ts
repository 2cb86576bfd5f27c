/**
 * The objects that install the webhook in a cluster: ServiceAccount, the ClusterRole to read
 * namespace labels, Deployment, Service, PodDisruptionBudget and the webhook registrations.
 * `palisade admission manifests` prints them; the Helm chart in deploy/helm/palisade-admission
 * makes the same objects. See docs/admission.md for failurePolicy and certificate handling.
 */
import { PalisadeError } from '../core/errors.js';
import type { JsonObject } from '../core/types.js';
import { VERSION } from '../version.js';
import { ENFORCE_LABEL } from './evaluate.js';

/** The resources the webhook is registered for, by API group. */
export const ADMISSION_RULES: readonly { readonly group: string; readonly resources: readonly string[] }[] = [
  { group: '', resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers', 'podtemplates', 'services'] },
  { group: 'apps', resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
  { group: 'batch', resources: ['jobs', 'cronjobs'] },
  { group: 'rbac.authorization.k8s.io', resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] },
  { group: 'networking.k8s.io', resources: ['ingresses', 'networkpolicies'] },
];

/** How the webhook's serving certificate is provided. */
export type CertificateSource =
  /** A CA bundle the user has (PEM text); the key pair is in the Secret `<name>-tls`. */
  | { readonly kind: 'ca-bundle'; readonly caPem: string }
  /** cert-manager issues the pair into the Secret and injects the CA into the registrations. */
  | { readonly kind: 'cert-manager' };

/** Options of {@link admissionManifests}. */
export interface ManifestOptions {
  readonly namespace: string;
  /** Name of every object (default `palisade-admission`). */
  readonly name?: string;
  readonly image: string;
  readonly replicas?: number;
  readonly failOn?: string;
  readonly defaultMode?: string;
  /** `Fail` (default: the door stays shut when the webhook is down) or `Ignore`. */
  readonly failurePolicy?: 'Fail' | 'Ignore';
  /** Also register `/mutate` (fixes applied as a JSON Patch). */
  readonly mutating?: boolean;
  readonly certificate: CertificateSource;
  /** Contents of `.palisade.yaml` to mount (a ConfigMap), when given. */
  readonly config?: string;
  /** Webhook call timeout in seconds (1-30, default 5). */
  readonly timeoutSeconds?: number;
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * The install objects, in apply order.
 *
 * @example
 * const objects = admissionManifests({ namespace: 'palisade', image: 'registry.example/palisade:0.1.0', certificate: { kind: 'cert-manager' } });
 */
export function admissionManifests(options: ManifestOptions): JsonObject[] {
  const name = options.name ?? 'palisade-admission';
  const ns = options.namespace;
  const labels = { 'app.kubernetes.io/name': 'palisade-admission', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/version': VERSION };
  const selector = { 'app.kubernetes.io/name': 'palisade-admission', 'app.kubernetes.io/instance': name };
  const timeoutSeconds = options.timeoutSeconds ?? 5;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 30)
    throw new PalisadeError('usage', `--timeout-seconds: ${timeoutSeconds} is not a whole number of seconds from 1 to 30 (the API server's limit)`);
  const tlsSecret = `${name}-tls`;
  const args = ['admission', 'serve', '--tls-cert', '/tls/tls.crt', '--tls-key', '/tls/tls.key', '--cluster', '--port', '8443'];
  if (options.failOn) args.push('--fail-on', options.failOn);
  if (options.defaultMode) args.push('--default-mode', options.defaultMode);
  if (options.config !== undefined) args.push('--config', '/config/.palisade.yaml');
  const objects: JsonObject[] = [];
  objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels }, automountServiceAccountToken: true });
  objects.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }],
  });
  objects.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
  });
  if (options.config !== undefined)
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-config`, namespace: ns, labels },
      data: { '.palisade.yaml': options.config },
    });
  if (options.certificate.kind === 'cert-manager') {
    objects.push({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: `${name}-selfsigned`, namespace: ns, labels },
      spec: { selfSigned: {} },
    });
    objects.push({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name, namespace: ns, labels },
      spec: {
        secretName: tlsSecret,
        dnsNames: [`${name}.${ns}.svc`, `${name}.${ns}.svc.cluster.local`],
        issuerRef: { name: `${name}-selfsigned`, kind: 'Issuer' },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    });
  }
  const probe = (path: string) => ({ httpGet: { path, port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, timeoutSeconds: 2 });
  const volumes: JsonObject[] = [
    { name: 'tls', secret: { secretName: tlsSecret } },
    { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
  ];
  const mounts: JsonObject[] = [
    { name: 'tls', mountPath: '/tls', readOnly: true },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  if (options.config !== undefined) {
    volumes.push({ name: 'config', configMap: { name: `${name}-config` } });
    mounts.push({ name: 'config', mountPath: '/config', readOnly: true });
  }
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ns,
      labels,
      annotations: {
        // The token is what --cluster reads namespace labels with (get/list namespaces only).
        'palisade.dev/ignore.service-account-token-automount':
          'the webhook reads namespace labels with it; its ClusterRole grants get/list/watch on namespaces only',
      },
    },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'webhook',
              image: options.image,
              imagePullPolicy: 'IfNotPresent',
              args,
              ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
              readinessProbe: probe('/readyz'),
              livenessProbe: probe('/healthz'),
              resources: {
                requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '16Mi' },
                limits: { cpu: '1', memory: '256Mi', 'ephemeral-storage': '64Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  });
  objects.push({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: ns, labels },
    spec: { minAvailable: 1, selector: { matchLabels: selector } },
  });
  objects.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels },
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] },
  });
  // The API server calls in (from control-plane addresses no selector can name); the webhook calls
  // out only to the API server, for namespace labels. Egress elsewhere (the cloud metadata
  // service above all) is closed.
  objects.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns, labels },
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 8443, protocol: 'TCP' }] }],
      egress: [
        {
          to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }],
          ports: [
            { port: 443, protocol: 'TCP' },
            { port: 6443, protocol: 'TCP' },
          ],
        },
      ],
    },
  });
  const annotations = options.certificate.kind === 'cert-manager' ? { 'cert-manager.io/inject-ca-from': `${ns}/${name}` } : undefined;
  const clientConfig = (path: string): JsonObject => ({
    service: { name, namespace: ns, path, port: 443 },
    ...(options.certificate.kind === 'ca-bundle' ? { caBundle: b64(options.certificate.caPem) } : {}),
  });
  // The webhook's own namespace and the control plane's are never sent: a webhook that is down
  // must not stop its own pods, or kube-system's, from starting (failurePolicy: Fail).
  const namespaceSelector = {
    matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...new Set([ns, 'kube-system', 'kube-node-lease'])] }],
  };
  const rules = (operations: readonly string[]) =>
    ADMISSION_RULES.map((r) => ({ apiGroups: [r.group], apiVersions: ['*'], operations: [...operations], resources: [...r.resources], scope: '*' }));
  objects.push({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name, labels, ...(annotations ? { annotations } : {}) },
    webhooks: [
      {
        name: 'validate.palisade.dev',
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: options.failurePolicy ?? 'Fail',
        matchPolicy: 'Equivalent',
        timeoutSeconds,
        clientConfig: clientConfig('/validate'),
        namespaceSelector,
        rules: rules(['CREATE', 'UPDATE']),
      },
    ],
  });
  if (options.mutating)
    objects.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: {
        name,
        labels,
        annotations: {
          ...annotations,
          'palisade.dev/ignore.webhook-fails-open-on-security-resources':
            'mutation only applies fixes; the validating webhook checks the same resources and fails closed',
        },
      },
      webhooks: [
        {
          name: 'mutate.palisade.dev',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          // Mutation is a convenience: when the webhook is down, objects go on to validation unfixed.
          failurePolicy: 'Ignore',
          reinvocationPolicy: 'IfNeeded',
          matchPolicy: 'Equivalent',
          timeoutSeconds,
          clientConfig: clientConfig('/mutate'),
          namespaceSelector,
          rules: rules(['CREATE', 'UPDATE']),
        },
      ],
    });
  return objects;
}

/** The label users set on namespaces, for help texts. */
export const NAMESPACE_LABEL_HELP = `${ENFORCE_LABEL}: enforce|warn|audit`;
