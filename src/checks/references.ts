/**
 * The objects a pod spec refers to by name (ServiceAccount, Secrets, ConfigMaps), for the
 * checks that report references to objects that do not exist.
 */
import type { Inventory } from '../core/inventory.js';
import { isObject } from '../core/object.js';
import { joinPointer } from '../core/pointer.js';
import type { JsonValue, Resource } from '../core/types.js';
import { CONTAINER_LISTS, type PodSpecTarget } from '../core/workloads.js';
import { sameScope } from './selectors.js';

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
 * Custom resources that create a Secret: External Secrets, Sealed Secrets and cert-manager
 * Certificates. Returns the names of the Secrets they create among `scope`.
 */
function producedSecrets(inventory: Inventory, namespace: string | undefined, inScope: (r: Resource) => boolean): Set<string> {
  const out = new Set<string>();
  const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  for (const r of inventory.inNamespace('ExternalSecret', namespace).filter(inScope)) {
    const spec = isObject(r.object.spec) ? r.object.spec : {};
    out.add(str(isObject(spec.target) ? spec.target.name : undefined) ?? r.ref.name);
  }
  for (const r of inventory.inNamespace('SealedSecret', namespace).filter(inScope)) {
    const spec = isObject(r.object.spec) ? r.object.spec : {};
    const meta = isObject(spec.template) && isObject(spec.template.metadata) ? spec.template.metadata : {};
    out.add(str(meta.name) ?? r.ref.name);
  }
  for (const r of inventory.inNamespace('Certificate', namespace).filter(inScope)) {
    const name = isObject(r.object.spec) ? str(r.object.spec.secretName) : undefined;
    if (name !== undefined) out.add(name);
  }
  return out;
}

const has = (list: JsonValue | undefined, ...values: string[]): boolean => Array.isArray(list) && list.some((v) => typeof v === 'string' && values.includes(v));

/** Whether a Role or ClusterRole lets its holder create Secrets. */
function grantsSecretCreation(role: Resource | undefined): boolean {
  const rules = role?.object.rules;
  if (!Array.isArray(rules)) return false;
  return rules.some((r) => isObject(r) && has(r.verbs, 'create', '*') && has(r.resources, 'secrets', '*') && has(r.apiGroups, '', '*'));
}

/**
 * Whether the manifests give something in the namespace the right to create Secrets (a
 * certificate generator Job, an init Job writing a generated password): then a missing
 * Secret is probably created at runtime, as ingress-nginx's admission Secret and Argo CD's
 * Redis password are.
 */
function secretsCreatedAtRuntime(inventory: Inventory, namespace: string | undefined, inScope: (r: Resource) => boolean): boolean {
  if (inventory.inNamespace('Role', namespace).filter(inScope).some(grantsSecretCreation)) return true;
  const clusterRoles = new Set<string>();
  for (const rb of inventory.inNamespace('RoleBinding', namespace).filter(inScope)) {
    const ref = rb.object.roleRef;
    if (isObject(ref) && ref.kind === 'ClusterRole' && typeof ref.name === 'string') clusterRoles.add(ref.name);
  }
  if (namespace !== undefined) {
    for (const crb of inventory.ofKind('ClusterRoleBinding')) {
      const ref = crb.object.roleRef;
      const subjects = crb.object.subjects;
      if (!isObject(ref) || typeof ref.name !== 'string' || !Array.isArray(subjects)) continue;
      if (subjects.some((s) => isObject(s) && s.kind === 'ServiceAccount' && s.namespace === namespace)) clusterRoles.add(ref.name);
    }
  }
  return [...clusterRoles].some((name) => grantsSecretCreation(inventory.get('ClusterRole', undefined, name)));
}

/**
 * The references of a pod to objects of `kind` that are not in the inventory, skipping
 * optional ones and built-in names. `undefined` when the inventory cannot tell: a set of
 * manifests is trusted for a namespace only when it holds at least one object of that kind
 * (or a custom resource that creates one) there, and for Secrets only when nothing there may
 * create Secrets at runtime; a cluster inventory always is (checks declare `needs` so that
 * unread kinds make them errors).
 *
 * @example
 * missingReferences(inventory, resource, pod, 'Secret'); // [{ kind: 'Secret', name: 'db', ... }]
 */
export function missingReferences(inventory: Inventory, resource: Resource, pod: PodSpecTarget, kind: ReferencedKind): PodReference[] | undefined {
  const refs = podReferences(pod).filter((r) => r.kind === kind && !r.optional && !BUILT_IN[kind].has(r.name));
  if (refs.length === 0) return [];
  const ns = resource.ref.namespace;
  const inScope = sameScope(inventory, resource);
  const present = new Set(
    inventory
      .inNamespace(kind, ns)
      .filter(inScope)
      .map((r) => r.ref.name),
  );
  const produced = kind === 'Secret' ? producedSecrets(inventory, ns, inScope) : new Set<string>();
  if (inventory.cluster === undefined) {
    if (present.size === 0 && produced.size === 0) return undefined;
    if (kind === 'Secret' && secretsCreatedAtRuntime(inventory, ns, inScope)) return undefined;
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
