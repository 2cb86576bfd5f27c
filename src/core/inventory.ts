/**
 * The inventory: every object of a scan, normalised and indexed by kind and by
 * namespace/name. Sources add objects; analysers read them.
 */
import type { JsonObject, PositionResolver, Resource, ResourceRef, SourceLocation } from './types.js';

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

/** Builds the reference (identity) of an object. */
export function refOf(object: JsonObject): ResourceRef {
  const meta = object.metadata;
  const m = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta : {};
  const name = typeof m.name === 'string' ? m.name : typeof m.generateName === 'string' ? `${m.generateName}*` : '';
  const ref: { apiVersion: string; kind: string; name: string; namespace?: string } = {
    apiVersion: String(object.apiVersion),
    kind: String(object.kind),
    name,
  };
  if (typeof m.namespace === 'string' && m.namespace !== '') ref.namespace = m.namespace;
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
 * An indexed, append-only set of resources.
 *
 * @example
 * const inv = new Inventory();
 * inv.add({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: {} } });
 * inv.ofKind('Pod').length; // 1
 */
export class Inventory {
  readonly #resources: Resource[] = [];
  readonly #byKind = new Map<string, Resource[]>();
  readonly #byKey = new Map<string, Resource>();

  /** Adds one object and returns its resource. */
  add(input: ResourceInput): Resource {
    const resource: Resource = {
      index: this.#resources.length,
      ref: refOf(input.object),
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

  /** The kinds present, sorted. */
  kinds(): string[] {
    return [...this.#byKind.keys()].sort();
  }

  /** Looks an object up by kind, namespace and name (first one loaded wins). */
  get(kind: string, namespace: string | undefined, name: string): Resource | undefined {
    return this.#byKey.get(keyOf(kind, namespace, name));
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

function keyOf(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}
