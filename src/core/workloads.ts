/**
 * Finds the pod specs inside workload objects, so that no check handles the pod-bearing
 * kinds itself. Built-in kinds are recognised by kind; custom resources that embed a pod
 * template (Argo Rollouts, Knative Services, operators) are recognised by shape.
 */
import { joinPointer } from './pointer.js';
import type { JsonObject, JsonValue, Resource } from './types.js';
import { isObject } from './object.js';

/** The three container lists of a pod spec. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** A pod spec found in a resource. */
export interface PodSpecTarget {
  readonly resource: Resource;
  readonly spec: JsonObject;
  /** Pointer to the pod spec, e.g. `/spec/template/spec`. */
  readonly pointer: string;
  /** The pod (template) metadata, where annotations such as AppArmor's live. */
  readonly metadata: JsonObject;
  /** Pointer to that metadata. */
  readonly metadataPointer: string;
}

/** One container of a pod spec. */
export interface ContainerTarget {
  readonly pod: PodSpecTarget;
  readonly container: JsonObject;
  readonly list: ContainerList;
  readonly name: string;
  /** Pointer to the container, e.g. `/spec/template/spec/containers/0`. */
  readonly pointer: string;
}

/** Where a pod template sits: its path, and the pointers of its spec and metadata, made once. */
interface TemplatePlace {
  readonly path: readonly string[];
  readonly spec: string;
  readonly metadata: string;
}

function place(path: readonly string[]): TemplatePlace {
  const pointer = joinPointer('', ...path);
  return { path, spec: `${pointer}/spec`, metadata: `${pointer}/metadata` };
}

// A Map, not an object literal: a kind named like an Object.prototype member is not a template.
const TEMPLATE_KINDS: ReadonlyMap<string, TemplatePlace> = new Map([
  ['Deployment', place(['spec', 'template'])],
  ['ReplicaSet', place(['spec', 'template'])],
  ['StatefulSet', place(['spec', 'template'])],
  ['DaemonSet', place(['spec', 'template'])],
  ['Job', place(['spec', 'template'])],
  ['ReplicationController', place(['spec', 'template'])],
  ['PodTemplate', place(['template'])],
  ['CronJob', place(['spec', 'jobTemplate', 'spec', 'template'])],
]);

/** Built-in API groups whose kinds never embed a pod template unless listed above. */
const BUILTIN_GROUPS = new Set([
  'v1',
  'apps/v1',
  'batch/v1',
  'networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1',
  'policy/v1',
  'admissionregistration.k8s.io/v1',
  'storage.k8s.io/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'apiextensions.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'certificates.k8s.io/v1',
  'node.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1',
]);

/** Template locations tried, in order, on custom resources. */
const GENERIC_TEMPLATE_PLACES: readonly TemplatePlace[] = [
  place(['spec', 'template']),
  place(['spec', 'jobTemplate', 'spec', 'template']),
  place(['spec', 'podTemplate']),
  place(['spec', 'workload', 'template']),
];

function walk(root: JsonObject, path: readonly string[]): JsonObject | undefined {
  let cur: JsonValue | undefined = root;
  for (const p of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[p];
  }
  return isObject(cur) ? cur : undefined;
}

function looksLikePodSpec(spec: JsonObject | undefined): spec is JsonObject {
  return spec !== undefined && Array.isArray(spec.containers);
}

function fromTemplate(resource: Resource, at: TemplatePlace, template: JsonObject): PodSpecTarget | undefined {
  const spec = template.spec;
  if (!isObject(spec)) return undefined;
  return {
    resource,
    spec,
    pointer: at.spec,
    metadata: isObject(template.metadata) ? template.metadata : {},
    metadataPointer: at.metadata,
  };
}

/**
 * Returns the pod specs a resource carries: one for Pods and the built-in controllers,
 * one for custom resources with a recognisable pod template, none otherwise.
 *
 * @example
 * const [pod] = podSpecsOf(deployment); // pod.pointer === '/spec/template/spec'
 */
export function podSpecsOf(resource: Resource): PodSpecTarget[] {
  const obj = resource.object;
  const kind = resource.ref.kind;
  if (kind === 'Pod' && resource.ref.apiVersion === 'v1') {
    const spec = obj.spec;
    if (!isObject(spec)) return [];
    return [
      {
        resource,
        spec,
        pointer: '/spec',
        metadata: isObject(obj.metadata) ? obj.metadata : {},
        metadataPointer: '/metadata',
      },
    ];
  }
  const builtin = TEMPLATE_KINDS.get(kind);
  if (builtin !== undefined && BUILTIN_GROUPS.has(resource.ref.apiVersion)) {
    const template = walk(obj, builtin.path);
    const t = template && fromTemplate(resource, builtin, template);
    return t ? [t] : [];
  }
  if (BUILTIN_GROUPS.has(resource.ref.apiVersion)) return [];
  for (const at of GENERIC_TEMPLATE_PLACES) {
    const template = walk(obj, at.path);
    if (template && looksLikePodSpec(walk(template, ['spec']))) {
      const t = fromTemplate(resource, at, template);
      if (t) return [t];
    }
  }
  return [];
}

/** Lists the containers of a pod spec, init and ephemeral containers included. */
export function containersOf(pod: PodSpecTarget): ContainerTarget[] {
  const out: ContainerTarget[] = [];
  for (const list of CONTAINER_LISTS) {
    const arr = pod.spec[list];
    if (!Array.isArray(arr)) continue;
    arr.forEach((c, i) => {
      if (!isObject(c)) return;
      out.push({
        pod,
        container: c,
        list,
        name: typeof c.name === 'string' ? c.name : `#${i}`,
        pointer: joinPointer(pod.pointer, list, i),
      });
    });
  }
  return out;
}
