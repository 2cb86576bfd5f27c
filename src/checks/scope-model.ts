/**
 * The `scopes` model: per namespace (and, for namespace-less manifests, per directory), the
 * pod labels, object names and Secret producers that the "matches nothing" and "not found"
 * checks look up. Built once per scan by the engine (`uses: ['scopes']`), so each check's
 * evaluation is a lookup instead of a walk over the namespace.
 */
import type { Inventory } from '../core/inventory.js';
import type { ModelProvider } from '../core/models.js';
import { isObject } from '../core/object.js';
import type { JsonObject, JsonValue, Resource } from '../core/types.js';
import { podSpecsOf } from '../core/workloads.js';

declare module '../core/models.js' {
  interface Models {
    /** Pod labels, object names and Secret producers per namespace (`checks/scope-model.ts`). */
    scopes: ScopeModel;
  }
}

/** Labels of an object's metadata (or a template's), as strings. */
export function labelsOf(metadata: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const labels = isObject(metadata) ? metadata.labels : undefined;
  if (isObject(labels)) for (const [k, v] of Object.entries(labels)) if (v !== null && typeof v !== 'object') out[k] = String(v);
  return out;
}

/** What one scope (a namespace, or a directory of namespace-less manifests) holds. */
export interface Scope {
  /** Labels of pods and pod templates. */
  readonly pods: readonly Readonly<Record<string, string>>[];
  /** Labels of custom resources without a pod template: operators create pods for them. */
  readonly operated: readonly Readonly<Record<string, string>>[];
  /** Names of ServiceAccounts, Secrets and ConfigMaps. */
  readonly names: ReadonlyMap<string, ReadonlySet<string>>;
  /** Secrets that ExternalSecrets, SealedSecrets and cert-manager Certificates create. */
  readonly producedSecrets: ReadonlySet<string>;
  /** Whether a Role there (or a ClusterRole bound to one of its ServiceAccounts) may create Secrets. */
  readonly createsSecrets: boolean;
  /** The entries of `pods` with label `key` set to `value` (indexed on first use). */
  podsWithLabel(key: string, value: string): readonly Readonly<Record<string, string>>[];
}

/** The scopes of one scan. */
export interface ScopeModel {
  /** Whether the inventory is a cluster's: complete for every kind it could read. */
  readonly cluster: boolean;
  /** The scope of an object. */
  scopeOf(resource: Resource): Scope;
  /** Where that scope is, for messages: `namespace shop`, `its directory (no namespace)`. */
  describeScope(resource: Resource): string;
}

const NAMED_KINDS = ['ServiceAccount', 'Secret', 'ConfigMap'];

/** Custom resources (not of a built-in API group). */
function isCustomResource(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  return group.includes('.') && !group.endsWith('.k8s.io');
}

/** The directory of a source file (`''` for none). */
function directoryOf(resource: Resource): string {
  const file = resource.location?.file ?? '';
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return slash === -1 ? '' : file.slice(0, slash);
}

const has = (list: JsonValue | undefined, ...values: string[]): boolean => Array.isArray(list) && list.some((v) => typeof v === 'string' && values.includes(v));

/** Whether a Role or ClusterRole lets its holder create Secrets. */
function grantsSecretCreation(role: Resource | undefined): boolean {
  const rules = role?.object.rules;
  if (!Array.isArray(rules)) return false;
  return rules.some((r) => isObject(r) && has(r.verbs, 'create', '*') && has(r.resources, 'secrets', '*') && has(r.apiGroups, '', '*'));
}

interface MutableScope {
  pods: Record<string, string>[];
  operated: Record<string, string>[];
  names: Map<string, Set<string>>;
  producedSecrets: Set<string>;
  createsSecrets: boolean;
  /** ClusterRoles bound to this scope's subjects. */
  clusterRoles: Set<string>;
  podsWithLabel(key: string, value: string): readonly Readonly<Record<string, string>>[];
}

/** A scope with its pod label index built on first use. */
function newScope(): MutableScope {
  let index: Map<string, Record<string, string>[]> | undefined;
  const scope: MutableScope = {
    pods: [],
    operated: [],
    names: new Map(),
    producedSecrets: new Set(),
    createsSecrets: false,
    clusterRoles: new Set(),
    podsWithLabel(key, value) {
      if (!index) {
        index = new Map();
        for (const labels of scope.pods)
          for (const k in labels) {
            const at = `${k}\u0000${labels[k]}`;
            const list = index.get(at);
            if (list) list.push(labels);
            else index.set(at, [labels]);
          }
      }
      return index.get(`${key}\u0000${value}`) ?? [];
    },
  };
  return scope;
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Builds the scopes of an inventory in one pass.
 *
 * @example
 * const scopes = buildScopeModel(inventory);
 * scopes.scopeOf(service).pods.length; // pods and templates in the Service's namespace
 */
export function buildScopeModel(inventory: Inventory): ScopeModel {
  const cluster = inventory.cluster !== undefined;
  // Namespace-less manifests are applied to one namespace per directory, not with every
  // other project of the scan; a cluster's namespace-less objects are cluster-scoped.
  const keyOf = (r: Resource): string => (r.ref.namespace !== undefined ? `ns:${r.ref.namespace}` : cluster ? '-' : `dir:${directoryOf(r)}`);
  const scopes = new Map<string, MutableScope>();
  const get = (key: string): MutableScope => {
    let s = scopes.get(key);
    if (!s) {
      s = newScope();
      scopes.set(key, s);
    }
    return s;
  };
  for (const r of inventory.all) {
    const kind = r.ref.kind;
    const s = get(keyOf(r));
    const specs = podSpecsOf(r);
    for (const p of specs) s.pods.push(labelsOf(p.metadata as JsonObject));
    if (specs.length === 0 && isCustomResource(r.ref.apiVersion)) s.operated.push(labelsOf(r.object.metadata));
    if (NAMED_KINDS.includes(kind)) {
      let names = s.names.get(kind);
      if (!names) {
        names = new Set();
        s.names.set(kind, names);
      }
      names.add(r.ref.name);
    }
    const spec = isObject(r.object.spec) ? r.object.spec : undefined;
    if (kind === 'ExternalSecret') s.producedSecrets.add(str(isObject(spec?.target) ? spec.target.name : undefined) ?? r.ref.name);
    else if (kind === 'SealedSecret') {
      const meta = isObject(spec?.template) && isObject(spec.template.metadata) ? spec.template.metadata : {};
      s.producedSecrets.add(str(meta.name) ?? r.ref.name);
    } else if (kind === 'Certificate') {
      const name = str(spec?.secretName);
      if (name !== undefined) s.producedSecrets.add(name);
    } else if (kind === 'Role' && grantsSecretCreation(r)) s.createsSecrets = true;
    else if (kind === 'RoleBinding') {
      const ref = r.object.roleRef;
      if (isObject(ref) && ref.kind === 'ClusterRole' && typeof ref.name === 'string') s.clusterRoles.add(ref.name);
    } else if (kind === 'ClusterRoleBinding') {
      const ref = r.object.roleRef;
      const subjects = r.object.subjects;
      if (isObject(ref) && typeof ref.name === 'string' && Array.isArray(subjects)) {
        for (const subject of subjects) {
          if (isObject(subject) && subject.kind === 'ServiceAccount' && typeof subject.namespace === 'string')
            get(`ns:${subject.namespace}`).clusterRoles.add(ref.name);
        }
      }
    }
  }
  for (const s of scopes.values()) {
    if (!s.createsSecrets) s.createsSecrets = [...s.clusterRoles].some((name) => grantsSecretCreation(inventory.get('ClusterRole', undefined, name)));
  }
  const empty: Scope = newScope();
  return {
    cluster,
    scopeOf: (resource) => scopes.get(keyOf(resource)) ?? empty,
    describeScope: (resource) =>
      resource.ref.namespace !== undefined ? `namespace ${resource.ref.namespace}` : cluster ? 'the cluster (no namespace)' : 'its directory (no namespace)',
  };
}

/**
 * The provider registered with the engine.
 *
 * @example
 * runChecks(inventory, { checks, models: [scopeModelProvider] });
 */
export const scopeModelProvider: ModelProvider<'scopes'> = {
  name: 'scopes',
  reads: [
    'Pod',
    'Deployment',
    'ReplicaSet',
    'StatefulSet',
    'DaemonSet',
    'Job',
    'CronJob',
    'ReplicationController',
    'ServiceAccount',
    'Secret',
    'ConfigMap',
    'Role',
    'RoleBinding',
    'ClusterRole',
    'ClusterRoleBinding',
  ],
  build: (inventory) => buildScopeModel(inventory),
};
