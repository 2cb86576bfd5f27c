/**
 * The inventory: every object of a scan, normalised and indexed by kind and by
 * namespace/name. Sources add objects; analysers read them.
 */
import type { JsonObject, PositionResolver, Resource, ResourceRef, SourceLocation } from './types.js';
import { podSpecsOf } from './workloads.js';
import { isObject } from './object.js';

/** Input for {@link Inventory.add}. */
export interface ResourceInput {
  readonly object: JsonObject;
  readonly location?: SourceLocation;
  readonly positions?: PositionResolver;
}

/** True when a parsed document is a Kubernetes object (has string apiVersion and kind). */
export function isKubernetesObject(v: unknown): v is JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && o.apiVersion !== '' && o.kind !== '';
}

/** Builds the reference (identity) of an object, tagged with its cluster when it has one. */
export function refOf(object: JsonObject, cluster?: string): ResourceRef {
  const meta = object.metadata;
  const m = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta : {};
  const name = typeof m.name === 'string' ? m.name : typeof m.generateName === 'string' ? `${m.generateName}*` : '';
  const ref: { apiVersion: string; kind: string; name: string; namespace?: string; cluster?: string } = {
    apiVersion: String(object.apiVersion),
    kind: String(object.kind),
    name,
  };
  if (typeof m.namespace === 'string' && m.namespace !== '') ref.namespace = m.namespace;
  if (cluster !== undefined) ref.cluster = cluster;
  return ref;
}

/** Kinds that are not namespaced (used to tell "no namespace" from "default namespace"). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CertificateSigningRequest',
  'VolumeAttachment',
  'CSIDriver',
  'CSINode',
  'ComponentStatus',
]);

/**
 * The namespace of a namespaced manifest object that does not say which: "the namespace it
 * will be applied to", unknown to the scan. It is not a valid namespace name, so it never
 * joins a real namespace (a binding of `default/default` does not reach a namespace-less
 * Deployment), and messages show it as written here instead of inventing `default/`.
 */
export const UNSET_NAMESPACE = '(unset)';

/** Options of the {@link Inventory} constructor. */
export interface InventoryOptions {
  /** The cluster (kubeconfig context) the objects come from; stamped on every reference. */
  readonly cluster?: string;
  /**
   * The namespace namespace-less manifest objects will be applied to (`--default-namespace`,
   * as `kubectl apply -n`). Absent: such objects are in {@link UNSET_NAMESPACE}.
   */
  readonly defaultNamespace?: string;
}

/**
 * An indexed, append-only set of resources.
 *
 * @example
 * const inv = new Inventory();
 * inv.add({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: {} } });
 * inv.ofKind('Pod').length; // 1
 */
export class Inventory {
  /** The cluster the objects come from, when they come from one. */
  readonly cluster?: string;
  /** The namespace stated for namespace-less objects (see {@link InventoryOptions.defaultNamespace}). */
  readonly defaultNamespace?: string;
  readonly #resources: Resource[] = [];
  readonly #byKind = new Map<string, Resource[]>();
  readonly #byKey = new Map<string, Resource>();
  // Built on first use and dropped on add: sources add everything before analysers read.
  #owners: OwnerIndex | undefined;
  #byNamespace: Map<string, Map<string, Resource[]>> | undefined;
  #byName: Map<string, Resource[]> | undefined;

  constructor(options: InventoryOptions = {}) {
    if (options.cluster !== undefined) this.cluster = options.cluster;
    if (options.defaultNamespace !== undefined && options.defaultNamespace !== '') this.defaultNamespace = options.defaultNamespace;
  }

  /**
   * The namespace an object is in, for joins across objects (a workload and the bindings of
   * its service account): `metadata.namespace`; for a namespaced object without one, the
   * stated default namespace or else {@link UNSET_NAMESPACE}; undefined for cluster-scoped
   * kinds. Objects read from a cluster always carry their namespace.
   *
   * @example
   * inv.namespaceOf(deploymentWithoutNamespace); // '(unset)', or 'prod' with defaultNamespace: 'prod'
   */
  namespaceOf(resource: Pick<Resource, 'ref'>): string | undefined {
    return resource.ref.namespace ?? namespaceFor(resource.ref.kind, undefined, this.defaultNamespace);
  }

  /** Adds one object and returns its resource. */
  add(input: ResourceInput): Resource {
    this.#owners = undefined;
    this.#byNamespace = undefined;
    this.#byName = undefined;
    const resource: Resource = {
      index: this.#resources.length,
      ref: refOf(input.object, this.cluster),
      object: input.object,
      ...(input.location ? { location: input.location } : {}),
      ...(input.positions ? { positions: input.positions } : {}),
    };
    this.#resources.push(resource);
    let list = this.#byKind.get(resource.ref.kind);
    if (!list) {
      list = [];
      this.#byKind.set(resource.ref.kind, list);
    }
    list.push(resource);
    const key = keyOf(resource.ref.kind, resource.ref.namespace, resource.ref.name);
    if (!this.#byKey.has(key)) this.#byKey.set(key, resource);
    return resource;
  }

  /** All resources in load order. */
  get all(): readonly Resource[] {
    return this.#resources;
  }

  get size(): number {
    return this.#resources.length;
  }

  /** Resources of one kind. */
  ofKind(kind: string): readonly Resource[] {
    return this.#byKind.get(kind) ?? [];
  }

  /**
   * Resources of one kind in one namespace (`undefined`: objects without a namespace).
   * Indexed on first use, so cross-resource checks stay linear.
   */
  inNamespace(kind: string, namespace: string | undefined): readonly Resource[] {
    if (!this.#byNamespace) this.#byNamespace = new Map();
    let perKind = this.#byNamespace.get(kind);
    if (!perKind) {
      perKind = new Map();
      for (const r of this.ofKind(kind)) {
        const ns = r.ref.namespace ?? '';
        let list = perKind.get(ns);
        if (!list) {
          list = [];
          perKind.set(ns, list);
        }
        list.push(r);
      }
      this.#byNamespace.set(kind, perKind);
    }
    return perKind.get(namespace ?? '') ?? [];
  }

  /** Resources of one kind with one name, in any namespace. */
  named(kind: string, name: string): readonly Resource[] {
    if (!this.#byName) {
      this.#byName = new Map();
      for (const r of this.#resources) {
        const key = `${r.ref.kind}\u0000${r.ref.name}`;
        let list = this.#byName.get(key);
        if (!list) {
          list = [];
          this.#byName.set(key, list);
        }
        list.push(r);
      }
    }
    return this.#byName.get(`${kind}\u0000${name}`) ?? [];
  }

  /** The kinds present, sorted. */
  kinds(): string[] {
    return [...this.#byKind.keys()].sort();
  }

  /** Looks an object up by kind, namespace and name (first one loaded wins). */
  get(kind: string, namespace: string | undefined, name: string): Resource | undefined {
    return this.#byKey.get(keyOf(kind, namespace, name));
  }

  /**
   * The workload that controls this workload object, when both are in the inventory: the
   * Deployment of a ReplicaSet, the ReplicaSet, Job, DaemonSet or StatefulSet of a Pod, the
   * CronJob of a Job, a custom resource with a pod template of what it creates. The owned
   * object's pod spec comes from the owner's template, so findings belong to the owner.
   * Objects owned by non-workloads (mirror Pods owned by a Node) are not linked.
   *
   * @example
   * inv.workloadOwnerOf(pod)?.ref.kind; // 'ReplicaSet'
   */
  workloadOwnerOf(resource: Resource): Resource | undefined {
    return this.#ownerIndex().owner.get(resource.index);
  }

  /**
   * For a workload that owns linked objects: how many Pods it owns, directly or through
   * ReplicaSets and Jobs. Undefined when nothing in the inventory is linked to it (manifests).
   *
   * @example
   * inv.podCountOf(deployment); // 3
   */
  podCountOf(resource: Resource): number | undefined {
    const index = this.#ownerIndex();
    if (!index.children.has(resource.index)) return undefined;
    const cached = index.podCount.get(resource.index);
    if (cached !== undefined) return cached;
    let count = 0;
    const stack = [...(index.children.get(resource.index) ?? [])];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const child = stack.pop() as Resource;
      if (seen.has(child.index)) continue;
      seen.add(child.index);
      if (child.ref.kind === 'Pod') count++;
      for (const c of index.children.get(child.index) ?? []) stack.push(c);
    }
    index.podCount.set(resource.index, count);
    return count;
  }

  #ownerIndex(): OwnerIndex {
    if (this.#owners) return this.#owners;
    const owner = new Map<number, Resource>();
    const children = new Map<number, Resource[]>();
    const byUid = new Map<string, Resource>();
    for (const r of this.#resources) {
      const uid = metadataOf(r.object).uid;
      if (typeof uid === 'string' && uid !== '') byUid.set(uid, r);
    }
    for (const r of this.#resources) {
      const ref = controllerRefOf(r.object);
      if (!ref) continue;
      // Pods and controllers only: a ConfigMap owned by an operator keeps its own findings.
      if (podSpecsOf(r).length === 0) continue;
      let o = ref.uid !== undefined ? byUid.get(ref.uid) : undefined;
      if (!o) {
        const candidate = this.get(ref.kind, r.ref.namespace, ref.name) ?? this.get(ref.kind, undefined, ref.name);
        const candidateUid = candidate ? metadataOf(candidate.object).uid : undefined;
        if (candidate && (ref.uid === undefined || candidateUid === undefined || candidateUid === ref.uid)) o = candidate;
      }
      if (!o || o === r || o.ref.kind !== ref.kind || podSpecsOf(o).length === 0) continue;
      owner.set(r.index, o);
      let list = children.get(o.index);
      if (!list) {
        list = [];
        children.set(o.index, list);
      }
      list.push(r);
    }
    this.#owners = { owner, children, podCount: new Map() };
    return this.#owners;
  }

  /** Namespaces named by objects or declared as Namespace objects, sorted. */
  namespaces(): string[] {
    const set = new Set<string>();
    for (const r of this.#resources) {
      if (r.ref.namespace) set.add(r.ref.namespace);
      if (r.ref.kind === 'Namespace') set.add(r.ref.name);
    }
    return [...set].sort();
  }
}

/**
 * The namespace of an object from its kind and `metadata.namespace` (for objects that are not
 * resources of an inventory, such as Kubernetes' default policy): see {@link Inventory.namespaceOf}.
 *
 * @example
 * namespaceFor('RoleBinding', undefined, undefined); // '(unset)'
 * namespaceFor('ClusterRole', undefined, undefined); // undefined
 */
export function namespaceFor(kind: string, namespace: string | undefined, defaultNamespace: string | undefined): string | undefined {
  if (namespace !== undefined && namespace !== '') return namespace;
  if (CLUSTER_SCOPED_KINDS.has(kind)) return undefined;
  return defaultNamespace ?? UNSET_NAMESPACE;
}

function keyOf(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

interface OwnerIndex {
  readonly owner: Map<number, Resource>;
  readonly children: Map<number, Resource[]>;
  readonly podCount: Map<number, number>;
}

function metadataOf(object: JsonObject): JsonObject {
  return isObject(object.metadata) ? object.metadata : {};
}

/** The `controller: true` owner reference of an object. */
function controllerRefOf(object: JsonObject): { kind: string; name: string; uid?: string } | undefined {
  const refs = metadataOf(object).ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    if (!isObject(r) || r.controller !== true || typeof r.kind !== 'string' || typeof r.name !== 'string') continue;
    return { kind: r.kind, name: r.name, ...(typeof r.uid === 'string' ? { uid: r.uid } : {}) };
  }
  return undefined;
}
