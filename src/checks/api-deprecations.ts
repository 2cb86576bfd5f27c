/**
 * Built-in API versions that Kubernetes deprecated and stopped serving, per the official
 * Deprecated API Migration Guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
 * Read by `removed-api-version` and `deprecated-api-version`, and by the library for the
 * default target version. Alpha versions are not listed (they carry no deprecation period).
 */

/** One kind in one API version that is (or will be) no longer served. */
export interface ApiDeprecation {
  readonly apiVersion: string;
  readonly kind: string;
  /** Minor of Kubernetes v1 from which the version is deprecated (its replacement exists). */
  readonly deprecatedIn: number;
  /** Minor of Kubernetes v1 that stops serving it. */
  readonly removedIn: number;
  /** What to use instead; absent when nothing replaces the kind (PodSecurityPolicy). */
  readonly replacement?: string;
  /** Minor from which the replacement is served. */
  readonly replacementSince?: number;
  /**
   * True when the guide lists no notable changes: rewriting `apiVersion` is a complete
   * migration, so the checks offer it as a fix.
   */
  readonly sameSchema?: boolean;
  /** What else changes, from the guide, for the message. */
  readonly note?: string;
}

type Row = readonly [
  apiVersion: string,
  kinds: readonly string[],
  deprecatedIn: number,
  removedIn: number,
  replacement: string | undefined,
  since: number | undefined,
  sameSchema: boolean,
  note?: string,
];

// Grouped as in the guide, newest removal first.
const ROWS: readonly Row[] = [
  [
    'flowcontrol.apiserver.k8s.io/v1beta3',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    29,
    32,
    'flowcontrol.apiserver.k8s.io/v1',
    29,
    false,
    'nominalConcurrencyShares defaults to 30 only when unset',
  ],
  [
    'flowcontrol.apiserver.k8s.io/v1beta2',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    26,
    29,
    'flowcontrol.apiserver.k8s.io/v1beta3',
    26,
    false,
    'assuredConcurrencyShares is renamed nominalConcurrencyShares',
  ],
  ['storage.k8s.io/v1beta1', ['CSIStorageCapacity'], 24, 27, 'storage.k8s.io/v1', 24, true],
  ['flowcontrol.apiserver.k8s.io/v1beta1', ['FlowSchema', 'PriorityLevelConfiguration'], 23, 26, 'flowcontrol.apiserver.k8s.io/v1beta2', 23, true],
  [
    'autoscaling/v2beta2',
    ['HorizontalPodAutoscaler'],
    23,
    26,
    'autoscaling/v2',
    23,
    false,
    'targetAverageUtilization becomes target.averageUtilization with target.type: Utilization',
  ],
  ['batch/v1beta1', ['CronJob'], 21, 25, 'batch/v1', 21, true],
  ['discovery.k8s.io/v1beta1', ['EndpointSlice'], 21, 25, 'discovery.k8s.io/v1', 21, false, 'per-endpoint nodeName and zone replace topology'],
  ['events.k8s.io/v1beta1', ['Event'], 19, 25, 'events.k8s.io/v1', 19, false, 'involvedObject is renamed regarding; type is Normal or Warning'],
  [
    'autoscaling/v2beta1',
    ['HorizontalPodAutoscaler'],
    22,
    25,
    'autoscaling/v2',
    23,
    false,
    'targetAverageUtilization becomes target.averageUtilization with target.type: Utilization',
  ],
  [
    'policy/v1beta1',
    ['PodDisruptionBudget'],
    21,
    25,
    'policy/v1',
    21,
    false,
    'an empty spec.selector selects every pod of the namespace in policy/v1 (none in v1beta1)',
  ],
  [
    'policy/v1beta1',
    ['PodSecurityPolicy'],
    21,
    25,
    undefined,
    undefined,
    false,
    'PodSecurityPolicy is gone: use Pod Security Admission (pod-security.kubernetes.io namespace labels)',
  ],
  ['node.k8s.io/v1beta1', ['RuntimeClass'], 20, 25, 'node.k8s.io/v1', 20, true],
  [
    'admissionregistration.k8s.io/v1beta1',
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    16,
    22,
    'admissionregistration.k8s.io/v1',
    16,
    false,
    'failurePolicy defaults to Fail; sideEffects and admissionReviewVersions are required',
  ],
  [
    'apiextensions.k8s.io/v1beta1',
    ['CustomResourceDefinition'],
    16,
    22,
    'apiextensions.k8s.io/v1',
    16,
    false,
    'spec.versions[*].schema.openAPIV3Schema is required and must be structural',
  ],
  ['apiregistration.k8s.io/v1beta1', ['APIService'], 10, 22, 'apiregistration.k8s.io/v1', 10, true],
  ['authentication.k8s.io/v1beta1', ['TokenReview'], 6, 22, 'authentication.k8s.io/v1', 6, true],
  [
    'authorization.k8s.io/v1beta1',
    ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'],
    6,
    22,
    'authorization.k8s.io/v1',
    6,
    false,
    'spec.group is renamed spec.groups',
  ],
  ['certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], 19, 22, 'certificates.k8s.io/v1', 19, false, 'spec.signerName and spec.usages are required'],
  ['coordination.k8s.io/v1beta1', ['Lease'], 14, 22, 'coordination.k8s.io/v1', 14, true],
  ['extensions/v1beta1', ['Ingress'], 14, 22, 'networking.k8s.io/v1', 19, false, 'backends become service.name and service.port; pathType is required'],
  ['networking.k8s.io/v1beta1', ['Ingress'], 19, 22, 'networking.k8s.io/v1', 19, false, 'backends become service.name and service.port; pathType is required'],
  ['networking.k8s.io/v1beta1', ['IngressClass'], 19, 22, 'networking.k8s.io/v1', 19, true],
  ['rbac.authorization.k8s.io/v1beta1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], 17, 22, 'rbac.authorization.k8s.io/v1', 8, true],
  ['scheduling.k8s.io/v1beta1', ['PriorityClass'], 14, 22, 'scheduling.k8s.io/v1', 14, true],
  ['storage.k8s.io/v1beta1', ['CSIDriver'], 19, 22, 'storage.k8s.io/v1', 19, true],
  ['storage.k8s.io/v1beta1', ['CSINode'], 17, 22, 'storage.k8s.io/v1', 17, true],
  ['storage.k8s.io/v1beta1', ['StorageClass'], 6, 22, 'storage.k8s.io/v1', 6, true],
  ['storage.k8s.io/v1beta1', ['VolumeAttachment'], 13, 22, 'storage.k8s.io/v1', 13, true],
  ['extensions/v1beta1', ['NetworkPolicy'], 9, 16, 'networking.k8s.io/v1', 8, true],
  ['extensions/v1beta1', ['PodSecurityPolicy'], 10, 16, 'policy/v1beta1', 10, true],
  ['extensions/v1beta1', ['DaemonSet'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels'],
  ['apps/v1beta2', ['DaemonSet'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels'],
  ['extensions/v1beta1', ['Deployment'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels; rollbackTo is removed'],
  ['apps/v1beta1', ['Deployment'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels; rollbackTo is removed'],
  ['apps/v1beta2', ['Deployment'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels'],
  ['apps/v1beta1', ['StatefulSet'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels'],
  ['apps/v1beta2', ['StatefulSet'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels'],
  ['extensions/v1beta1', ['ReplicaSet'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels'],
  ['apps/v1beta1', ['ReplicaSet'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels'],
  ['apps/v1beta2', ['ReplicaSet'], 9, 16, 'apps/v1', 9, false, 'spec.selector is required and must match the template labels'],
];

/** Every deprecated or removed built-in API version, one entry per kind. */
export const API_DEPRECATIONS: readonly ApiDeprecation[] = ROWS.flatMap(([apiVersion, kinds, deprecatedIn, removedIn, replacement, since, sameSchema, note]) =>
  kinds.map((kind) => ({
    apiVersion,
    kind,
    deprecatedIn,
    removedIn,
    ...(replacement !== undefined ? { replacement } : {}),
    ...(since !== undefined ? { replacementSince: since } : {}),
    ...(sameSchema ? { sameSchema } : {}),
    ...(note !== undefined ? { note } : {}),
  })),
);

const BY_KEY: ReadonlyMap<string, ApiDeprecation> = new Map(API_DEPRECATIONS.map((d) => [`${d.apiVersion}\u0000${d.kind}`, d]));

/** The kinds the table lists, for the checks' targets. */
export const DEPRECATED_KINDS: readonly string[] = [...new Set(API_DEPRECATIONS.map((d) => d.kind))].sort();

/**
 * The newest Kubernetes minor the table was checked against: the guide lists no removal
 * after it. The default target version.
 */
export const NEWEST_KNOWN_MINOR = 32;

/**
 * The table entry of an object's apiVersion and kind, if any.
 *
 * @example
 * deprecationOf('batch/v1beta1', 'CronJob')?.removedIn; // 25
 * deprecationOf('apps/v1', 'Deployment');               // undefined
 */
export function deprecationOf(apiVersion: string, kind: string): ApiDeprecation | undefined {
  return BY_KEY.get(`${apiVersion}\u0000${kind}`);
}

/**
 * Parses a Kubernetes version as users and API servers write it: `v1.29`, `1.29`, `v1.29.3`,
 * `v1.31.2-eks-1234`. Returns the minor, or undefined when the text is not a v1 version.
 *
 * @example
 * parseKubernetesMinor('v1.31.2-gke.100'); // 31
 * parseKubernetesMinor('latest');          // undefined
 */
export function parseKubernetesMinor(text: string): number | undefined {
  const m = /^v?1\.(0|[1-9][0-9]{0,2})(?:\.[0-9]+)?(?:[-+][0-9A-Za-z.+-]*)?$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * The target minor of a check context: the scan's version when it parses, else the newest
 * the table knows.
 *
 * @example
 * targetMinor('v1.24'); // 24
 * targetMinor(undefined); // NEWEST_KNOWN_MINOR
 */
export function targetMinor(version: string | undefined): number {
  return (version !== undefined ? parseKubernetesMinor(version) : undefined) ?? NEWEST_KNOWN_MINOR;
}

/**
 * The version to migrate to at a target minor: the entry's replacement, followed through the
 * table while that replacement is itself deprecated there and its own replacement is served
 * (flowcontrol v1beta1 leads to v1 at v1.32, to v1beta3 at v1.26).
 *
 * @example
 * replacementAt(deprecationOf('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema')!, 32);
 * // { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', since: 29, sameSchema: false }
 */
export function replacementAt(
  d: ApiDeprecation,
  minor: number,
): { readonly apiVersion: string; readonly since: number; readonly sameSchema: boolean } | undefined {
  if (d.replacement === undefined) return undefined;
  let apiVersion = d.replacement;
  let since = d.replacementSince ?? 0;
  let sameSchema = d.sameSchema === true;
  for (let hops = 0; hops < 8; hops++) {
    const next = deprecationOf(apiVersion, d.kind);
    if (!next || next.replacement === undefined || minor < next.deprecatedIn || (next.replacementSince ?? 0) > minor) break;
    apiVersion = next.replacement;
    since = next.replacementSince ?? since;
    sameSchema = sameSchema && next.sameSchema === true;
  }
  return { apiVersion, since, sameSchema };
}
