import { defineCheck, type ResourceContext, type Violation } from '../../core/check.js';
import type { JsonObject } from '../../core/types.js';
import { DEPRECATED_KINDS, deprecationOf, NEWEST_KNOWN_MINOR, parseKubernetesMinor, replacementAt } from '../api-deprecations.js';

/**
 * The target minor of a scan: `--k8s-version` or the cluster's version, else this check's
 * `params.kubernetesVersion`, else the newest version the table knows. Shared with
 * `deprecated-api-version`.
 */
export function apiTargetMinor(ctx: Pick<ResourceContext, 'kubernetesVersion' | 'params'>): number {
  const fromScan = ctx.kubernetesVersion !== undefined ? parseKubernetesMinor(ctx.kubernetesVersion) : undefined;
  if (fromScan !== undefined) return fromScan;
  const p = ctx.params.kubernetesVersion;
  if (p === undefined) return NEWEST_KNOWN_MINOR;
  const fromParam = typeof p === 'string' ? parseKubernetesMinor(p) : undefined;
  if (fromParam === undefined) throw new Error(`params.kubernetesVersion must be a version such as "v1.29", not ${JSON.stringify(p)}`);
  return fromParam;
}

/** The docs paragraph on the target version, shared by both API version checks. */
export const TARGET_VERSION_DOCS: string =
  'The target version is `--k8s-version` (library: `kubernetesVersion`), else the version of the scanned cluster, else ' +
  "the check's `params.kubernetesVersion`, else the newest release the table was checked against (v1." +
  `${NEWEST_KNOWN_MINOR}). The table follows the Kubernetes Deprecated API Migration Guide; alpha versions and custom resources are not covered.`;

/** The parameters of both API version checks, validated at load (exit 2 on a bad value). */
export const API_VERSION_PARAMS_SCHEMA: JsonObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kubernetesVersion: {
      type: 'string',
      pattern: '^v?1\\.(0|[1-9][0-9]{0,2})(\\.[0-9]+)?([-+][0-9A-Za-z.+-]*)?$',
      description: 'Target Kubernetes version (v1.N) when the scan states none (no --k8s-version, not a cluster scan).',
    },
  },
};

export const API_VERSION_REFERENCES: readonly string[] = [
  'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
  'https://kubernetes.io/docs/reference/using-api/deprecation-policy/',
];

/** Objects in an API version the target API server no longer serves cannot be applied at all. */
export default defineCheck({
  id: 'PAL-0226',
  name: 'removed-api-version',
  title: 'Object uses an API version the target Kubernetes version no longer serves',
  severity: 'high',
  category: 'api-lifecycle',
  frameworks: [],
  docs: {
    description:
      'The object is written in a built-in API version (`extensions/v1beta1` Deployment, `policy/v1beta1` PodDisruptionBudget or ' +
      'PodSecurityPolicy, `batch/v1beta1` CronJob, `networking.k8s.io/v1beta1` Ingress, `rbac.authorization.k8s.io/v1beta1`, ' +
      '`flowcontrol.apiserver.k8s.io/v1beta3` and others) that the target Kubernetes version has stopped serving: applying it fails, ' +
      'so the manifest is dead code or breaks the next upgrade, and whatever it was meant to enforce is not in place. ' +
      TARGET_VERSION_DOCS,
    remediation:
      'Rewrite the object in the replacement API version named in the finding and apply the notable changes the migration guide lists ' +
      '(for example a required `spec.selector` for apps/v1 workloads). Where the guide lists none, the fix rewrites `apiVersion`. ' +
      '`kubectl convert` can do the mechanical part. PodSecurityPolicy has no replacement: use Pod Security Admission labels.',
    references: API_VERSION_REFERENCES,
  },
  target: { kind: 'resource', kinds: DEPRECATED_KINDS },
  paramsSchema: API_VERSION_PARAMS_SCHEMA,
  evaluate(ctx): Violation | undefined {
    const { resource } = ctx;
    const d = deprecationOf(resource.ref.apiVersion, resource.ref.kind);
    if (!d) return undefined;
    const minor = apiTargetMinor(ctx);
    if (minor < d.removedIn) return undefined;
    const r = replacementAt(d, minor);
    const use = r ? `migrate to ${r.apiVersion}` : 'remove it';
    return {
      path: '/apiVersion',
      message:
        `${resource.ref.kind} ${resource.ref.name} uses ${d.apiVersion}, which Kubernetes v1.${d.removedIn} stopped serving ` +
        `(target v1.${minor}): ${use}${d.note ? ` (${d.note})` : ''}`,
      evidence: {
        apiVersion: d.apiVersion,
        removedIn: `v1.${d.removedIn}`,
        targetVersion: `v1.${minor}`,
        ...(r ? { replacement: r.apiVersion } : {}),
      },
      ...(r?.sameSchema ? { fix: [{ op: 'replace' as const, path: '/apiVersion', value: r.apiVersion }] } : {}),
    };
  },
});
