/**
 * The objects a pod spec refers to by name (ServiceAccount, Secrets, ConfigMaps), for the
 * checks that report references to objects that do not exist.
 */
import { isObject } from '../core/object.js';
import { joinPointer } from '../core/pointer.js';
import type { JsonValue, Resource } from '../core/types.js';
import { CONTAINER_LISTS, type PodSpecTarget } from '../core/workloads.js';
import type { ScopeModel } from './scope-model.js';

export type ReferencedKind = 'ServiceAccount' | 'Secret' | 'ConfigMap';

/** One reference by name. */
export interface PodReference {
  readonly kind: ReferencedKind;
  readonly name: string;
  /** Pointer to the field holding the name. */
  readonly pointer: string;
  /** Where it is used, for messages: `volume "certs"`, `env DB_PASSWORD of container "app"`. */
  readonly via: string;
  /** `optional: true`: the pod starts without the object. */
  readonly optional: boolean;
}

const nameOf = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Every ServiceAccount, Secret and ConfigMap a pod spec names: `serviceAccountName`,
 * `imagePullSecrets`, secret/configMap/projected volumes, `envFrom` and `env[].valueFrom`
 * of every container list.
 *
 * @example
 * podReferences(pod).filter((r) => r.kind === 'Secret').map((r) => r.name); // ['db-credentials']
 */
export function podReferences(pod: PodSpecTarget): PodReference[] {
  const out: PodReference[] = [];
  const spec = pod.spec;
  const at = (...tokens: (string | number)[]): string => joinPointer(pod.pointer, ...tokens);
  const add = (kind: ReferencedKind, name: string | undefined, pointer: string, via: string, optional: JsonValue | undefined): void => {
    if (name !== undefined) out.push({ kind, name, pointer, via, optional: optional === true });
  };

  const sa = nameOf(spec.serviceAccountName);
  if (sa !== undefined) add('ServiceAccount', sa, at('serviceAccountName'), 'serviceAccountName', false);
  // The deprecated alias counts only when the current field is absent, as in the API.
  else add('ServiceAccount', nameOf(spec.serviceAccount), at('serviceAccount'), 'serviceAccount', false);

  if (Array.isArray(spec.imagePullSecrets)) {
    spec.imagePullSecrets.forEach((s, i) => {
      if (isObject(s)) add('Secret', nameOf(s.name), at('imagePullSecrets', i, 'name'), 'imagePullSecrets', false);
    });
  }

  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((v, i) => {
      if (!isObject(v)) return;
      const volume = `volume "${typeof v.name === 'string' ? v.name : i}"`;
      if (isObject(v.secret)) add('Secret', nameOf(v.secret.secretName), at('volumes', i, 'secret', 'secretName'), volume, v.secret.optional);
      if (isObject(v.configMap)) add('ConfigMap', nameOf(v.configMap.name), at('volumes', i, 'configMap', 'name'), volume, v.configMap.optional);
      const sources = isObject(v.projected) && Array.isArray(v.projected.sources) ? v.projected.sources : [];
      sources.forEach((src, j) => {
        if (!isObject(src)) return;
        if (isObject(src.secret))
          add('Secret', nameOf(src.secret.name), at('volumes', i, 'projected', 'sources', j, 'secret', 'name'), volume, src.secret.optional);
        if (isObject(src.configMap))
          add('ConfigMap', nameOf(src.configMap.name), at('volumes', i, 'projected', 'sources', j, 'configMap', 'name'), volume, src.configMap.optional);
      });
    });
  }

  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, ci) => {
      if (!isObject(c)) return;
      const who = `container "${typeof c.name === 'string' ? c.name : ci}"`;
      if (Array.isArray(c.envFrom)) {
        c.envFrom.forEach((e, ei) => {
          if (!isObject(e)) return;
          if (isObject(e.secretRef))
            add('Secret', nameOf(e.secretRef.name), at(list, ci, 'envFrom', ei, 'secretRef', 'name'), `envFrom of ${who}`, e.secretRef.optional);
          if (isObject(e.configMapRef))
            add('ConfigMap', nameOf(e.configMapRef.name), at(list, ci, 'envFrom', ei, 'configMapRef', 'name'), `envFrom of ${who}`, e.configMapRef.optional);
        });
      }
      if (Array.isArray(c.env)) {
        c.env.forEach((e, ei) => {
          if (!isObject(e) || !isObject(e.valueFrom)) return;
          const via = `env ${typeof e.name === 'string' ? e.name : ei} of ${who}`;
          const s = e.valueFrom.secretKeyRef;
          if (isObject(s)) add('Secret', nameOf(s.name), at(list, ci, 'env', ei, 'valueFrom', 'secretKeyRef', 'name'), via, s.optional);
          const m = e.valueFrom.configMapKeyRef;
          if (isObject(m)) add('ConfigMap', nameOf(m.name), at(list, ci, 'env', ei, 'valueFrom', 'configMapKeyRef', 'name'), via, m.optional);
        });
      }
    });
  }
  return out;
}

/** Names that exist in every namespace without being in any manifest. */
const BUILT_IN: Readonly<Record<ReferencedKind, ReadonlySet<string>>> = {
  ServiceAccount: new Set(['default']),
  ConfigMap: new Set(['kube-root-ca.crt']),
  Secret: new Set(),
};

/**
 * The references of a pod to objects of `kind` that do not exist in its scope, skipping
 * optional ones and built-in names. `undefined` when the scan cannot tell: a set of manifests
 * is trusted for a scope only when it holds at least one object of that kind (or a custom
 * resource that creates one) there, and for Secrets only when nothing there may create
 * Secrets at runtime; a cluster inventory always is (checks declare `needs` so that unread
 * kinds make them errors).
 *
 * @example
 * missingReferences(ctx.models.scopes, resource, pod, 'Secret'); // [{ kind: 'Secret', name: 'db', ... }]
 */
export function missingReferences(scopes: ScopeModel, resource: Resource, pod: PodSpecTarget, kind: ReferencedKind): PodReference[] | undefined {
  const refs = podReferences(pod).filter((r) => r.kind === kind && !r.optional && !BUILT_IN[kind].has(r.name));
  if (refs.length === 0) return [];
  const scope = scopes.scopeOf(resource);
  const present = scope.names.get(kind) ?? new Set<string>();
  const produced = kind === 'Secret' ? scope.producedSecrets : new Set<string>();
  if (!scopes.cluster) {
    if (present.size === 0 && produced.size === 0) return undefined;
    if (kind === 'Secret' && scope.createsSecrets) return undefined;
  }
  return refs.filter((r) => !present.has(r.name) && !produced.has(r.name));
}

/** The docs sentence on scope, shared by the three checks. */
export const REFERENCE_SCOPE_DOCS =
  'In a cluster scan every reference is checked (when the kind could not be read, for example Secrets forbidden or skipped with ' +
  '--no-secrets, the check reports an error instead of a finding). In a manifest scan the scanned files are trusted only for ' +
  'namespaces where they define at least one object of the referenced kind (for Secrets, also an ExternalSecret, SealedSecret or ' +
  'cert-manager Certificate, whose Secrets count as defined): objects created elsewhere are not reported. Secrets are also not ' +
  'reported where a Role (or a ClusterRole bound to a ServiceAccount of the namespace) in the scan may create Secrets, since a ' +
  'Job then probably creates them at runtime (certificate generators, generated passwords). References marked ' +
  '`optional: true` are skipped. Objects without a namespace are compared only with objects without a namespace from the same ' +
  'directory.';
