import { defineCheck, type Violation } from '../../core/check.js';
import { DEPRECATED_KINDS, deprecationOf, replacementAt } from '../api-deprecations.js';
import { API_VERSION_PARAMS_SCHEMA, API_VERSION_REFERENCES, apiTargetMinor, TARGET_VERSION_DOCS } from '../removed-api-version/removed-api-version.js';

/** A deprecated version still works, but the upgrade that removes it will reject the object. */
export default defineCheck({
  id: 'PAL-0227',
  name: 'deprecated-api-version',
  title: 'Object uses an API version that is deprecated in the target Kubernetes version',
  severity: 'low',
  category: 'api-lifecycle',
  frameworks: [],
  docs: {
    description:
      'The object is written in a built-in API version that the target Kubernetes version still serves but has deprecated: the API ' +
      'server answers with a deprecation warning, and the release named in the finding stops serving it, after which the object can ' +
      'no longer be applied. Reported at medium severity when that release is at most two minor versions after the target. ' +
      'Versions the target no longer serves are reported by removed-api-version instead. ' +
      TARGET_VERSION_DOCS,
    remediation:
      'Rewrite the object in the replacement API version named in the finding before upgrading, applying the notable changes the ' +
      'migration guide lists; where it lists none, the fix rewrites `apiVersion`.',
    references: API_VERSION_REFERENCES,
  },
  target: { kind: 'resource', kinds: DEPRECATED_KINDS },
  paramsSchema: API_VERSION_PARAMS_SCHEMA,
  evaluate(ctx): Violation | undefined {
    const { resource } = ctx;
    const d = deprecationOf(resource.ref.apiVersion, resource.ref.kind);
    if (!d) return undefined;
    const minor = apiTargetMinor(ctx);
    if (minor < d.deprecatedIn || minor >= d.removedIn) return undefined;
    const r = replacementAt(d, minor);
    // The replacement must be served by the target, or there is nothing to migrate to yet.
    const usable = r !== undefined && r.since <= minor;
    const use = r ? `migrate to ${r.apiVersion}${usable ? '' : ` (served from v1.${r.since})`}` : 'plan its removal';
    return {
      path: '/apiVersion',
      message:
        `${resource.ref.kind} ${resource.ref.name} uses ${d.apiVersion}, deprecated in the target v1.${minor} and no longer served ` +
        `from v1.${d.removedIn}: ${use}${d.note ? ` (${d.note})` : ''}`,
      evidence: {
        apiVersion: d.apiVersion,
        removedIn: `v1.${d.removedIn}`,
        targetVersion: `v1.${minor}`,
        ...(r ? { replacement: r.apiVersion } : {}),
      },
      ...(d.removedIn - minor <= 2 ? { severity: 'medium' as const } : {}),
      ...(usable && r.sameSchema ? { fix: [{ op: 'replace' as const, path: '/apiVersion', value: r.apiVersion }] } : {}),
    };
  },
});
