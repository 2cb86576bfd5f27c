/**
 * The effective runtime settings of a container, as the kubelet and the container runtime
 * apply them: security context (container fields over pod fields), Linux capabilities
 * (with the runtime's add/drop order), resource bounds (container, pod-level and
 * LimitRange defaults), volumes and host paths, whether a container is long-running,
 * plus the small naming and fix helpers the workload checks share.
 *
 * Spec: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
 */
import type { FixOperation } from '../core/check.js';
import type { Inventory } from '../core/inventory.js';
import { joinPointer, parsePointer } from '../core/pointer.js';
import type { JsonObject, JsonValue } from '../core/types.js';
import { type ContainerTarget, containersOf, type PodSpecTarget } from '../core/workloads.js';
import { describeObject, isObject } from '../core/object.js';

// ---------------------------------------------------------------------------------------
// Names used in messages

/**
 * Names a container with its list, so init and ephemeral containers are told apart.
 *
 * @example
 * describeContainer(target); // 'init container "migrate" of Deployment shop/web'
 */
export function describeContainer(target: ContainerTarget): string {
  const kind = target.list === 'initContainers' ? 'init container' : target.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${kind} "${target.name}" of ${describeObject(target.pod.resource.ref)}`;
}

// ---------------------------------------------------------------------------------------
// Security context

/** Fields that both the pod and the container security context may set; the container wins. */
export const SHARED_SECURITY_FIELDS = [
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'seLinuxOptions',
  'seccompProfile',
  'appArmorProfile',
  'windowsOptions',
] as const;
export type SharedSecurityField = (typeof SHARED_SECURITY_FIELDS)[number];

/** Fields only the container security context has. */
export const CONTAINER_SECURITY_FIELDS = ['privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'capabilities', 'procMount'] as const;
export type ContainerSecurityField = (typeof CONTAINER_SECURITY_FIELDS)[number];

export type SecurityField = SharedSecurityField | ContainerSecurityField;

/** One effective setting and where it is written. */
export interface Setting {
  readonly value: JsonValue;
  readonly level: 'container' | 'pod';
  /** Absolute pointer of the field in the object. */
  readonly pointer: string;
}

/** The effective security context of a container, field by field (absent fields are unset). */
export type EffectiveSecurityContext = Readonly<Partial<Record<SecurityField, Setting>>>;

/** The container's own securityContext object, or an empty one. */
export function containerSecurityContext(target: ContainerTarget): JsonObject {
  const sc = target.container.securityContext;
  return isObject(sc) ? sc : {};
}

/** The pod's securityContext object, or an empty one. */
export function podSecurityContext(pod: PodSpecTarget): JsonObject {
  const sc = pod.spec.securityContext;
  return isObject(sc) ? sc : {};
}

/**
 * Reads one security setting as the kubelet applies it: the container's value when set,
 * otherwise the pod's (for fields the pod level has). `null` counts as unset, as in the API.
 *
 * @example
 * effectiveSetting(target, 'runAsUser'); // { value: 1000, level: 'pod', pointer: '/spec/securityContext/runAsUser' }
 */
export function effectiveSetting(target: ContainerTarget, field: SecurityField): Setting | undefined {
  const own = containerSecurityContext(target)[field];
  if (own !== undefined && own !== null) return { value: own, level: 'container', pointer: joinPointer(target.pointer, 'securityContext', field) };
  if (!(SHARED_SECURITY_FIELDS as readonly string[]).includes(field)) return undefined;
  const inherited = podSecurityContext(target.pod)[field];
  if (inherited !== undefined && inherited !== null)
    return { value: inherited, level: 'pod', pointer: joinPointer(target.pod.pointer, 'securityContext', field) };
  return undefined;
}

/**
 * The effective security context of a container: every field it or its pod sets.
 *
 * @example
 * const sc = effectiveSecurityContext(target);
 * if (sc.readOnlyRootFilesystem?.value !== true) ...
 */
export function effectiveSecurityContext(target: ContainerTarget): EffectiveSecurityContext {
  const out: Partial<Record<SecurityField, Setting>> = {};
  for (const field of [...SHARED_SECURITY_FIELDS, ...CONTAINER_SECURITY_FIELDS]) {
    const s = effectiveSetting(target, field);
    if (s) out[field] = s;
  }
  return out;
}

/**
 * True when the pod declares itself a Windows pod (`spec.os.name: windows`), where Linux
 * settings such as capabilities and UIDs do not apply.
 *
 * @example
 * isWindowsPod(pod); // false for ordinary Linux pods
 */
export function isWindowsPod(pod: PodSpecTarget): boolean {
  const os = pod.spec.os;
  return isObject(os) && os.name === 'windows';
}

// ---------------------------------------------------------------------------------------
// Capabilities

/** The capabilities containerd and Docker grant by default (CRI-O grants a smaller set since 1.18, without NET_RAW). */
export const DEFAULT_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/**
 * Normalises a capability name as the runtimes accept it: case-insensitive, with or
 * without the `CAP_` prefix.
 *
 * @example
 * normaliseCapability(' cap_sys_admin'); // 'SYS_ADMIN'
 */
export function normaliseCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

/** One entry of `capabilities.add` or `capabilities.drop`. */
export interface CapabilityEntry {
  /** Normalised name, e.g. `SYS_ADMIN` or `ALL`. */
  readonly name: string;
  /** As written in the manifest. */
  readonly raw: string;
  /** Pointer relative to the container, e.g. `/securityContext/capabilities/add/0`. */
  readonly path: string;
}

/** The capability lists of a container, normalised. */
export interface Capabilities {
  readonly add: readonly CapabilityEntry[];
  readonly drop: readonly CapabilityEntry[];
  /** True when `capabilities.drop` exists as a list (even an empty one). */
  readonly hasDropList: boolean;
}

function entriesOf(list: JsonValue | undefined, which: 'add' | 'drop'): CapabilityEntry[] {
  if (!Array.isArray(list)) return [];
  const out: CapabilityEntry[] = [];
  list.forEach((v, i) => {
    if (typeof v === 'string') out.push({ name: normaliseCapability(v), raw: v, path: joinPointer('/securityContext/capabilities', which, i) });
  });
  return out;
}

/**
 * Reads `securityContext.capabilities` of a container with names normalised.
 *
 * @example
 * capabilitiesOf({ securityContext: { capabilities: { add: ['CAP_NET_ADMIN'] } } }).add[0]?.name; // 'NET_ADMIN'
 */
export function capabilitiesOf(container: JsonObject): Capabilities {
  const sc = container.securityContext;
  const caps = isObject(sc) ? sc.capabilities : undefined;
  if (!isObject(caps)) return { add: [], drop: [], hasDropList: false };
  return { add: entriesOf(caps.add, 'add'), drop: entriesOf(caps.drop, 'drop'), hasDropList: Array.isArray(caps.drop) };
}

/**
 * Whether a (non-privileged) container ends up with a capability. Runtimes apply
 * `add: [ALL]`, then `drop: [ALL]`, then each named add, then each named drop, so a
 * named drop always wins and a named add survives `drop: [ALL]`.
 *
 * @example
 * hasCapability({ securityContext: { capabilities: { drop: ['ALL'] } } }, 'NET_RAW'); // false
 */
export function hasCapability(container: JsonObject, capability: string, defaults: ReadonlySet<string> = DEFAULT_CAPABILITIES): boolean {
  const cap = normaliseCapability(capability);
  const { add, drop } = capabilitiesOf(container);
  const named = (list: readonly CapabilityEntry[], n: string): boolean => list.some((e) => e.name === n);
  if (named(drop, cap)) return false;
  if (named(add, cap)) return true;
  if (named(drop, 'ALL')) return false;
  return named(add, 'ALL') || defaults.has(cap);
}

// ---------------------------------------------------------------------------------------
// Resource bounds

/** Resources a container can request or be limited on. */
export type ComputeResource = 'cpu' | 'memory' | 'ephemeral-storage';

/** Where a container's request or limit comes from. */
export type BoundSource =
  /** Set on the container itself. */
  | 'container'
  /** The request is unset but the limit is set: the API defaults the request to the limit. */
  | 'container-limit'
  /** Pod-level `spec.resources` (cpu and memory only). */
  | 'pod'
  /** A LimitRange of the namespace supplies a default at admission. */
  | 'limit-range';

function quantity(v: JsonValue | undefined): boolean {
  return (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';
}

function resourceMap(holder: JsonValue | undefined, kind: 'limits' | 'requests'): JsonObject {
  const r = isObject(holder) ? holder.resources : undefined;
  const m = isObject(r) ? r[kind] : undefined;
  return isObject(m) ? m : {};
}

/**
 * LimitRange defaults for containers, after the API's own defaulting: the default limit
 * falls back to `max`; the default request to `defaultRequest`, then `default`, then `min`.
 */
function limitRangeDefaults(inventory: Inventory, namespace: string | undefined, kind: 'limits' | 'requests', name: ComputeResource): boolean {
  for (const lr of inventory.inNamespace('LimitRange', namespace)) {
    const spec = lr.object.spec;
    const items = isObject(spec) && Array.isArray(spec.limits) ? spec.limits : [];
    for (const item of items) {
      if (!isObject(item) || item.type !== 'Container') continue;
      const keys = kind === 'limits' ? ['default', 'max'] : ['defaultRequest', 'default', 'max', 'min'];
      if (keys.some((k) => isObject(item[k]) && quantity((item[k] as JsonObject)[name]))) return true;
    }
  }
  return false;
}

/**
 * Where a container's request or limit for a resource comes from, or undefined when the
 * container runs without one. Ephemeral containers cannot have resources and always
 * return undefined.
 *
 * @example
 * resourceBound(target, 'requests', 'memory', inventory); // 'container-limit' when only limits.memory is set
 */
export function resourceBound(target: ContainerTarget, kind: 'limits' | 'requests', name: ComputeResource, inventory: Inventory): BoundSource | undefined {
  if (quantity(resourceMap(target.container, kind)[name])) return 'container';
  if (kind === 'requests' && quantity(resourceMap(target.container, 'limits')[name])) return 'container-limit';
  if (name !== 'ephemeral-storage') {
    const pod = target.pod.spec;
    if (quantity(resourceMap(pod, kind)[name]) || (kind === 'requests' && quantity(resourceMap(pod, 'limits')[name]))) return 'pod';
  }
  if (limitRangeDefaults(inventory, target.pod.resource.ref.namespace, kind, name)) return 'limit-range';
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Volumes and host paths

/** One entry of `spec.volumes`. */
export interface PodVolume {
  readonly name: string;
  readonly volume: JsonObject;
  readonly index: number;
  /** Pointer relative to the pod spec, e.g. `/volumes/2`. */
  readonly path: string;
}

/**
 * Lists the volumes of a pod spec.
 *
 * @example
 * podVolumes(pod).filter((v) => isObject(v.volume.hostPath));
 */
export function podVolumes(pod: PodSpecTarget): PodVolume[] {
  const list = pod.spec.volumes;
  if (!Array.isArray(list)) return [];
  const out: PodVolume[] = [];
  list.forEach((v, index) => {
    if (isObject(v) && typeof v.name === 'string') out.push({ name: v.name, volume: v, index, path: joinPointer('/volumes', index) });
  });
  return out;
}

/** One `volumeMounts` entry of one container. */
export interface VolumeMount {
  readonly container: ContainerTarget;
  readonly mount: JsonObject;
  /** Absolute pointer of the mount, e.g. `/spec/containers/0/volumeMounts/1`. */
  readonly pointer: string;
  readonly readOnly: boolean;
}

/**
 * The mounts of a volume across every container of the pod (init and ephemeral included).
 *
 * @example
 * volumeMounts(pod, 'data').every((m) => m.readOnly);
 */
export function volumeMounts(pod: PodSpecTarget, volumeName: string): VolumeMount[] {
  const out: VolumeMount[] = [];
  for (const container of containersOf(pod)) {
    const mounts = container.container.volumeMounts;
    if (!Array.isArray(mounts)) continue;
    mounts.forEach((m, i) => {
      if (isObject(m) && m.name === volumeName)
        out.push({ container, mount: m, pointer: joinPointer(container.pointer, 'volumeMounts', i), readOnly: m.readOnly === true });
    });
  }
  return out;
}

/**
 * Normalises a Linux host path so that prefix comparisons are sound: collapses `//` and
 * `/./`, resolves `..` and drops trailing slashes. Returns undefined for paths that are
 * not absolute Linux paths (Windows hosts, empty values).
 *
 * @example
 * normaliseHostPath('//var/./run/../run/docker.sock/'); // '/var/run/docker.sock'
 */
export function normaliseHostPath(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** True when `path` is `dir` or lies below it (both normalised). */
export function isUnder(path: string, dir: string): boolean {
  return dir === '/' ? true : path === dir || path.startsWith(`${dir}/`);
}

/** Container runtime API sockets: whoever can connect to one controls every container on the node. */
export const RUNTIME_SOCKETS: readonly string[] = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/dockershim.sock',
  '/run/dockershim.sock',
  '/var/run/cri-dockerd.sock',
  '/run/cri-dockerd.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/run/k3s/containerd/containerd.sock',
  '/var/run/podman/podman.sock',
  '/run/podman/podman.sock',
  '/var/snap/microk8s/common/run/containerd.sock',
];

/** Directories that only hold a runtime's sockets and state: mounting them exposes the socket. */
export const RUNTIME_SOCKET_DIRS: readonly string[] = [
  '/var/run/containerd',
  '/run/containerd',
  '/var/run/crio',
  '/run/crio',
  '/run/k3s/containerd',
  '/var/run/podman',
  '/run/podman',
  '/run/docker/containerd',
  '/var/run/docker/containerd',
];

/** Windows named pipes of the Docker and containerd APIs (compared case-insensitively). */
export const WINDOWS_RUNTIME_PIPES: readonly string[] = ['\\\\.\\pipe\\docker_engine', '\\\\.\\pipe\\containerd-containerd'];

/**
 * The runtime socket, socket directory or Windows named pipe a host path exposes, if any.
 * The path is normalised first.
 *
 * @example
 * runtimeSocketOf('/run/containerd/'); // '/run/containerd'
 * runtimeSocketOf('/var/log'); // undefined
 */
export function runtimeSocketOf(hostPath: string): string | undefined {
  const pipe = hostPath.trim().replace(/\//g, '\\').toLowerCase();
  const p = WINDOWS_RUNTIME_PIPES.find((w) => w === pipe);
  if (p !== undefined) return p;
  const path = normaliseHostPath(hostPath);
  if (path === undefined) return undefined;
  if (RUNTIME_SOCKETS.includes(path)) return path;
  return RUNTIME_SOCKET_DIRS.find((d) => isUnder(path, d));
}

// ---------------------------------------------------------------------------------------
// Long-running containers

/** Kinds whose pods run to completion. */
const RUN_TO_COMPLETION_KINDS: ReadonlySet<string> = new Set(['Job', 'CronJob']);

/**
 * True when a container is expected to keep running, so that probes make sense: a regular
 * container or a native sidecar (`initContainers[]` with `restartPolicy: Always`), in a
 * pod that is not a Job's (by kind, owner reference or `restartPolicy` Never/OnFailure).
 *
 * @example
 * isLongRunning(target); // false for the container of a CronJob
 */
export function isLongRunning(target: ContainerTarget): boolean {
  const { pod } = target;
  if (target.list === 'ephemeralContainers') return false;
  if (target.list === 'initContainers' && target.container.restartPolicy !== 'Always') return false;
  if (RUN_TO_COMPLETION_KINDS.has(pod.resource.ref.kind)) return false;
  const restart = pod.spec.restartPolicy;
  if (restart === 'Never' || restart === 'OnFailure') return false;
  // Pods created by a Job carry its owner reference; templates never do.
  const meta = pod.resource.object.metadata;
  const owners = isObject(meta) ? meta.ownerReferences : undefined;
  if (Array.isArray(owners) && owners.some((o) => isObject(o) && typeof o.kind === 'string' && RUN_TO_COMPLETION_KINDS.has(o.kind))) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// Fixes

function nest(tokens: readonly string[], value: JsonValue): JsonValue {
  let out = value;
  for (let i = tokens.length - 1; i >= 0; i--) out = { [tokens[i] as string]: out };
  return out;
}

/**
 * Builds a JSON-Patch `add` that sets a value at a pointer whose parents may not exist:
 * the operation targets the deepest existing parent and carries the missing part as a
 * nested value, so it applies as plain JSON Patch. A `null` parent (`securityContext:`
 * left empty in YAML) is replaced.
 *
 * @example
 * addOperation({ spec: {} }, '/spec/securityContext/runAsNonRoot', true);
 * // { op: 'add', path: '/spec/securityContext', value: { runAsNonRoot: true } }
 */
export function addOperation(root: JsonObject, pointer: string, value: JsonValue): FixOperation {
  const tokens = parsePointer(pointer);
  let cur: JsonValue = root;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const last = i === tokens.length - 1;
    if (Array.isArray(cur)) {
      const idx = Number(token);
      if (token === '-' || !Number.isInteger(idx) || idx >= cur.length)
        return { op: 'add', path: joinPointer('', ...tokens.slice(0, i + 1)), value: nest(tokens.slice(i + 1), value) };
      if (last) return { op: 'replace', path: pointer, value };
      cur = cur[idx] as JsonValue;
      continue;
    }
    if (!isObject(cur)) break;
    const next: JsonValue | undefined = Object.hasOwn(cur, token) ? cur[token] : undefined;
    if (last) return { op: next === undefined ? 'add' : 'replace', path: pointer, value };
    if (next === undefined) return { op: 'add', path: joinPointer('', ...tokens.slice(0, i + 1)), value: nest(tokens.slice(i + 1), value) };
    if (next === null || typeof next !== 'object')
      return { op: 'replace', path: joinPointer('', ...tokens.slice(0, i + 1)), value: nest(tokens.slice(i + 1), value) };
    cur = next;
  }
  return { op: 'add', path: pointer, value };
}
