/**
 * A read-only view of a pod for the control functions: typed accessors over the parsed
 * JSON and the pointers of every field they look at. The input is untrusted YAML, so every
 * accessor tolerates missing or mistyped fields (a mistyped field counts as unset, as it
 * would never reach PSA through API decoding).
 */
import { joinPointer } from '../core/pointer.js';
import type { JsonObject, JsonValue } from '../core/types.js';
import { CONTAINER_LISTS } from '../core/workloads.js';
import type { PodInput } from './types.js';

/** One container of any of the three lists. */
export interface ContainerView {
  readonly name: string;
  readonly container: JsonObject;
  /** Pointer to the container. */
  readonly pointer: string;
  /** `securityContext`, when it is an object. */
  readonly securityContext: JsonObject | undefined;
}

/** The pod as the control functions see it. */
export interface PodView {
  readonly spec: JsonObject;
  readonly specPointer: string;
  /** `spec.securityContext`, when it is an object. */
  readonly securityContext: JsonObject | undefined;
  readonly annotations: Readonly<Record<string, JsonValue>>;
  readonly annotationsPointer: string;
  /** initContainers, containers, then ephemeralContainers, as PSA's container visitor. */
  readonly containers: readonly ContainerView[];
  /** `spec.os.name == "windows"`. */
  readonly isWindows: boolean;
  /** `spec.hostUsers` is set and false: the pod runs in a user namespace. */
  readonly usesUserNamespace: boolean;
}

/**
 * Returns the value when it is a JSON object.
 *
 * @example
 * asObject([1]); // undefined
 */
export function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

/**
 * Returns the value when it is an array, else an empty array.
 *
 * @example
 * asArray(undefined); // []
 */
export function asArray(v: JsonValue | undefined): readonly JsonValue[] {
  return Array.isArray(v) ? v : [];
}

/**
 * True when a field holds something (PSA compares pointers against nil; YAML null is nil).
 *
 * @example
 * isSet(null); // false
 */
export function isSet(v: JsonValue | undefined): boolean {
  return v !== undefined && v !== null;
}

/**
 * Builds the view; pointers default to those of a Pod.
 *
 * @example
 * podView({ spec: { containers: [{ name: 'a' }] } }).containers[0]?.pointer; // '/spec/containers/0'
 */
export function podView(input: PodInput): PodView {
  const specPointer = input.pointer ?? '/spec';
  const metadataPointer = input.metadataPointer ?? '/metadata';
  const spec = input.spec;
  const containers: ContainerView[] = [];
  for (const list of CONTAINER_LISTS) {
    asArray(spec[list]).forEach((c, i) => {
      const container = asObject(c);
      if (!container) return;
      containers.push({
        name: typeof container.name === 'string' ? container.name : `#${i}`,
        container,
        pointer: joinPointer(specPointer, list, i),
        securityContext: asObject(container.securityContext),
      });
    });
  }
  return {
    spec,
    specPointer,
    securityContext: asObject(spec.securityContext),
    annotations: asObject(input.metadata?.annotations) ?? {},
    annotationsPointer: joinPointer(metadataPointer, 'annotations'),
    containers,
    isWindows: asObject(spec.os)?.name === 'windows',
    usesUserNamespace: spec.hostUsers === false,
  };
}

/**
 * Pointer to a field of the pod-level security context.
 *
 * @example
 * podScPointer(view, 'runAsUser'); // '/spec/securityContext/runAsUser'
 */
export function podScPointer(pod: PodView, ...tokens: readonly (string | number)[]): string {
  return joinPointer(pod.specPointer, 'securityContext', ...tokens);
}

/**
 * Pointer to a field of a container's security context.
 *
 * @example
 * containerScPointer(container, 'privileged'); // '/spec/containers/0/securityContext/privileged'
 */
export function containerScPointer(c: ContainerView, ...tokens: readonly (string | number)[]): string {
  return joinPointer(c.pointer, 'securityContext', ...tokens);
}
