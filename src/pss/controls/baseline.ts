/**
 * The twelve Baseline controls, as registered by pod-security-admission
 * (https://github.com/kubernetes/kubernetes/tree/master/staging/src/k8s.io/pod-security-admission/policy).
 * Versions follow the policy versions of the upstream registry.
 */
import { escapeToken, joinPointer } from '../../core/pointer.js';
import type { JsonObject, JsonValue } from '../../core/types.js';
import { asArray, asObject, type ContainerView, containerScPointer, isSet, podScPointer, type PodView } from '../pod.js';
import { type ControlFinding, type ControlFn, type PssControl, q, relaxForUserNamespace } from './shared.js';

/** Pod- and container-level `hostProcess: true`. */
const windowsHostProcess: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  if (asObject(pod.securityContext?.windowsOptions)?.hostProcess === true) {
    out.push({ reason: 'pod must not set securityContext.windowsOptions.hostProcess=true', pointers: [podScPointer(pod, 'windowsOptions', 'hostProcess')] });
  }
  for (const c of pod.containers) {
    if (asObject(c.securityContext?.windowsOptions)?.hostProcess === true) {
      out.push({
        reason: `container ${q(c.name)} must not set securityContext.windowsOptions.hostProcess=true`,
        pointers: [containerScPointer(c, 'windowsOptions', 'hostProcess')],
      });
    }
  }
  return out;
};

const hostNamespaces: ControlFn = (pod) =>
  (['hostNetwork', 'hostPID', 'hostIPC'] as const)
    .filter((field) => pod.spec[field] === true)
    .map((field) => ({ reason: `pod must not set ${field}=true`, pointers: [joinPointer(pod.specPointer, field)] }));

const privileged: ControlFn = (pod) =>
  pod.containers
    .filter((c) => c.securityContext?.privileged === true)
    .map((c) => ({ reason: `container ${q(c.name)} must not set securityContext.privileged=true`, pointers: [containerScPointer(c, 'privileged')] }));

/** Capabilities a Baseline container may add: the container runtime's defaults minus NET_RAW. */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

const capabilitiesBaseline: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  for (const c of pod.containers) {
    asArray(asObject(c.securityContext?.capabilities)?.add).forEach((cap, i) => {
      if (typeof cap === 'string' && BASELINE_CAPABILITIES.includes(cap)) return;
      out.push({
        reason: `container ${q(c.name)} must not add capability ${q(cap)}: it is not in the Baseline set (securityContext.capabilities.add)`,
        pointers: [containerScPointer(c, 'capabilities', 'add', i)],
      });
    });
  }
  return out;
};

/** A volume of the pod, with the name PSA reports it under. */
export interface VolumeView {
  readonly name: string;
  readonly volume: JsonObject;
  readonly pointer: string;
}

/**
 * Lists the pod's volumes. Shared with `restrictedVolumes`.
 *
 * @example
 * podVolumes(view)[0]?.pointer; // '/spec/volumes/0'
 */
export function podVolumes(pod: PodView): VolumeView[] {
  const out: VolumeView[] = [];
  asArray(pod.spec.volumes).forEach((v, i) => {
    const volume = asObject(v);
    if (!volume) return;
    out.push({ name: typeof volume.name === 'string' ? volume.name : `#${i}`, volume, pointer: joinPointer(pod.specPointer, 'volumes', i) });
  });
  return out;
}

const hostPathVolumes: ControlFn = (pod) =>
  podVolumes(pod)
    .filter((v) => isSet(v.volume.hostPath))
    .map((v) => ({ reason: `volume ${q(v.name)} must not use hostPath`, pointers: [joinPointer(v.pointer, 'hostPath')] }));

/**
 * Any non-zero `hostPort`. With `hostNetwork: true` the API server defaults every unset
 * `hostPort` of containers and init containers to its `containerPort` (`SetDefaults_Pod`)
 * before admission, so PSA sees (and denies) host ports the manifest never wrote.
 */
const hostPorts: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  const hostNetwork = pod.spec.hostNetwork === true;
  for (const c of pod.containers) {
    // Ephemeral containers may not declare ports; the defaulting skips them too.
    const defaulted = hostNetwork && !c.pointer.includes('/ephemeralContainers/');
    asArray(c.container.ports).forEach((p, i) => {
      const port = asObject(p);
      const hostPort = port?.hostPort;
      const pointer = joinPointer(c.pointer, 'ports', i, 'hostPort');
      if (isSet(hostPort) && hostPort !== 0) {
        out.push({ reason: `container ${q(c.name)} must not set hostPort ${String(hostPort)} (ports[${i}])`, pointers: [pointer] });
        return;
      }
      const containerPort = port?.containerPort;
      if (!defaulted || typeof containerPort !== 'number' || containerPort === 0) return;
      out.push({
        reason: `container ${q(c.name)} uses hostPort ${containerPort} (ports[${i}]): with hostNetwork=true the API server sets hostPort to the containerPort`,
        pointers: [pointer, joinPointer(pod.specPointer, 'hostNetwork')],
      });
    });
  }
  return out;
};

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LIFECYCLE_HANDLERS = ['postStart', 'preStop'] as const;
const HANDLER_KINDS = ['httpGet', 'tcpSocket'] as const;

const hostProbesAndHostLifecycle: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  const visit = (c: ContainerView, handler: JsonObject | undefined, path: readonly string[]): void => {
    for (const kind of HANDLER_KINDS) {
      const host = asObject(handler?.[kind])?.host;
      if (typeof host !== 'string' || host === '') continue;
      out.push({
        reason: `container ${q(c.name)} must not set ${[...path, kind, 'host'].join('.')}=${q(host)}`,
        pointers: [joinPointer(c.pointer, ...path, kind, 'host')],
      });
    }
  };
  for (const c of pod.containers) {
    for (const probe of PROBES) visit(c, asObject(c.container[probe]), [probe]);
    const lifecycle = asObject(c.container.lifecycle);
    for (const h of LIFECYCLE_HANDLERS) visit(c, asObject(lifecycle?.[h]), ['lifecycle', h]);
  }
  return out;
};

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAppArmorAnnotation(value: JsonValue | undefined): boolean {
  return value === undefined || value === null || value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

/**
 * Fields (from the Kubernetes 1.30 API) and the beta annotations. PSA added the field check
 * inside its v1.0 function, so it applies at every pinned version.
 */
const appArmorProfile: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  // The type is required by the API; a profile without one is as bad as Unconfined.
  const badType = (profile: JsonObject | undefined): profile is JsonObject =>
    profile !== undefined && profile.type !== 'RuntimeDefault' && profile.type !== 'Localhost';
  const podProfile = asObject(pod.securityContext?.appArmorProfile);
  if (badType(podProfile)) {
    out.push({
      reason: `pod must not set securityContext.appArmorProfile.type to ${q(podProfile.type ?? '')}`,
      pointers: [podScPointer(pod, 'appArmorProfile', 'type')],
    });
  }
  for (const c of pod.containers) {
    const profile = asObject(c.securityContext?.appArmorProfile);
    if (badType(profile)) {
      out.push({
        reason: `container ${q(c.name)} must not set securityContext.appArmorProfile.type to ${q(profile.type ?? '')}`,
        pointers: [containerScPointer(c, 'appArmorProfile', 'type')],
      });
    }
  }
  for (const [key, value] of Object.entries(pod.annotations).sort(([a], [b]) => a.localeCompare(b))) {
    if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || allowedAppArmorAnnotation(value)) continue;
    out.push({
      reason: `annotation ${key}=${q(value)} is forbidden (allowed: runtime/default, localhost/*)`,
      pointers: [`${pod.annotationsPointer}/${escapeToken(key)}`],
    });
  }
  return out;
};

const SELINUX_TYPES_1_0 = ['container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

function seLinuxOptions(allowedTypes: readonly string[]): ControlFn {
  return (pod) => {
    const out: ControlFinding[] = [];
    const visit = (who: string, options: JsonObject | undefined, pointer: (...t: string[]) => string): void => {
      if (!options) return;
      const type = options.type;
      if (typeof type === 'string' && type !== '' && !allowedTypes.includes(type)) {
        out.push({
          reason: `${who} must not set securityContext.seLinuxOptions.type to ${q(type)} (allowed: ${allowedTypes.join(', ')})`,
          pointers: [pointer('seLinuxOptions', 'type')],
        });
      }
      for (const field of ['user', 'role'] as const) {
        const value = options[field];
        if (typeof value === 'string' && value !== '') {
          out.push({ reason: `${who} must not set securityContext.seLinuxOptions.${field} (${q(value)})`, pointers: [pointer('seLinuxOptions', field)] });
        }
      }
    };
    visit('pod', asObject(pod.securityContext?.seLinuxOptions), (...t) => podScPointer(pod, ...t));
    for (const c of pod.containers) visit(`container ${q(c.name)}`, asObject(c.securityContext?.seLinuxOptions), (...t) => containerScPointer(c, ...t));
    return out;
  };
}

/**
 * Containers setting a procMount other than Default. Shared with `procMount_restricted`.
 *
 * @example
 * unmaskedProcMounts(view).map((f) => f.pointers[0]); // ['/spec/containers/0/securityContext/procMount']
 */
export function unmaskedProcMounts(pod: PodView, suffix = ''): ControlFinding[] {
  return pod.containers
    .filter((c) => isSet(c.securityContext?.procMount) && c.securityContext?.procMount !== 'Default')
    .map((c) => ({
      reason: `container ${q(c.name)} must not set securityContext.procMount to ${q(c.securityContext?.procMount)}${suffix}`,
      pointers: [containerScPointer(c, 'procMount')],
    }));
}

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function validSeccompAnnotation(value: unknown): boolean {
  return value === 'runtime/default' || value === 'docker/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

/** v1.0-v1.18: the alpha annotations, the only seccomp API before 1.19. */
const seccompBaseline_1_0: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  const visit = (key: string): void => {
    if (!Object.hasOwn(pod.annotations, key)) return;
    const value = pod.annotations[key];
    if (validSeccompAnnotation(value)) return;
    out.push({
      reason: `annotation ${key}=${q(value)} is forbidden (allowed: runtime/default, docker/default, localhost/*)`,
      pointers: [`${pod.annotationsPointer}/${escapeToken(key)}`],
    });
  };
  visit(SECCOMP_POD_ANNOTATION);
  for (const c of pod.containers) visit(SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name);
  return out;
};

/**
 * True for the seccomp profile types both levels accept.
 *
 * @example
 * validSeccompType('Unconfined'); // false
 */
export function validSeccompType(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

/** v1.19+: the seccompProfile fields; only set values are checked. */
const seccompBaseline_1_19: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  const podProfile = asObject(pod.securityContext?.seccompProfile);
  if (podProfile && !validSeccompType(podProfile.type)) {
    out.push({
      reason: `pod must not set securityContext.seccompProfile.type to ${q(podProfile.type ?? '')}`,
      pointers: [podScPointer(pod, 'seccompProfile', 'type')],
    });
  }
  for (const c of pod.containers) {
    const profile = asObject(c.securityContext?.seccompProfile);
    if (profile && !validSeccompType(profile.type)) {
      out.push({
        reason: `container ${q(c.name)} must not set securityContext.seccompProfile.type to ${q(profile.type ?? '')}`,
        pointers: [containerScPointer(c, 'seccompProfile', 'type')],
      });
    }
  }
  return out;
};

/** Namespaced sysctls isolated from other pods, per policy version. */
export const SAFE_SYSCTLS: Readonly<Record<string, readonly string[]>> = (() => {
  const v1_0 = [
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range',
  ];
  const v1_27 = [...v1_0, 'net.ipv4.ip_local_reserved_ports'];
  const v1_29 = [...v1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
  const v1_32 = [...v1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
  const v1_37 = [...v1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];
  return { 'v1.0': v1_0, 'v1.27': v1_27, 'v1.29': v1_29, 'v1.32': v1_32, 'v1.37': v1_37 };
})();

function sysctls(allowed: readonly string[]): ControlFn {
  return (pod) => {
    const out: ControlFinding[] = [];
    asArray(pod.securityContext?.sysctls).forEach((s, i) => {
      const name = asObject(s)?.name;
      if (typeof name === 'string' && allowed.includes(name)) return;
      out.push({ reason: `pod must not set sysctl ${q(name ?? '')} (not in the safe set)`, pointers: [podScPointer(pod, 'sysctls', i, 'name')] });
    });
    return out;
  };
}

function safeSysctls(version: string): readonly string[] {
  return SAFE_SYSCTLS[version] ?? [];
}

/** The Baseline controls in the order of the standard. */
export const BASELINE_CONTROLS: readonly PssControl[] = [
  {
    id: 'windowsHostProcess',
    title: 'HostProcess',
    level: 'baseline',
    framework: 'baseline/host-process',
    versions: [{ minimumVersion: 0, evaluate: windowsHostProcess, change: 'pod and container windowsOptions.hostProcess must be unset or false' }],
  },
  {
    id: 'hostNamespaces',
    title: 'Host Namespaces',
    level: 'baseline',
    framework: 'baseline/host-namespaces',
    versions: [{ minimumVersion: 0, evaluate: hostNamespaces, change: 'hostNetwork, hostPID and hostIPC must be unset or false' }],
  },
  {
    id: 'privileged',
    title: 'Privileged Containers',
    level: 'baseline',
    framework: 'baseline/privileged',
    versions: [{ minimumVersion: 0, evaluate: privileged, change: 'securityContext.privileged must be unset or false' }],
  },
  {
    id: 'capabilities_baseline',
    title: 'Capabilities',
    level: 'baseline',
    framework: 'baseline/capabilities',
    versions: [{ minimumVersion: 0, evaluate: capabilitiesBaseline, change: `capabilities.add limited to ${BASELINE_CAPABILITIES.join(', ')}` }],
  },
  {
    id: 'hostPathVolumes',
    title: 'HostPath Volumes',
    level: 'baseline',
    framework: 'baseline/host-path-volumes',
    versions: [{ minimumVersion: 0, evaluate: hostPathVolumes, change: 'no hostPath volumes' }],
  },
  {
    id: 'hostPorts',
    title: 'Host Ports',
    level: 'baseline',
    framework: 'baseline/host-ports',
    versions: [{ minimumVersion: 0, evaluate: hostPorts, change: 'ports[*].hostPort must be unset or 0' }],
  },
  {
    id: 'hostProbesAndHostLifecycle',
    title: 'Host Probes / Lifecycle Hooks',
    level: 'baseline',
    framework: 'baseline/host-probes',
    versions: [{ minimumVersion: 34, evaluate: hostProbesAndHostLifecycle, change: 'new: probe and lifecycle httpGet/tcpSocket host must be unset or empty' }],
  },
  {
    id: 'appArmorProfile',
    title: 'AppArmor',
    level: 'baseline',
    framework: 'baseline/apparmor',
    versions: [
      {
        minimumVersion: 0,
        evaluate: appArmorProfile,
        change: 'appArmorProfile.type RuntimeDefault or Localhost; annotations runtime/default or localhost/*',
      },
    ],
  },
  {
    id: 'seLinuxOptions',
    title: 'SELinux',
    level: 'baseline',
    framework: 'baseline/selinux',
    versions: [
      { minimumVersion: 0, evaluate: seLinuxOptions(SELINUX_TYPES_1_0), change: `type ${SELINUX_TYPES_1_0.join(', ')}; user and role unset` },
      { minimumVersion: 31, evaluate: seLinuxOptions(SELINUX_TYPES_1_31), change: 'adds type container_engine_t' },
    ],
  },
  {
    id: 'procMount',
    title: '/proc Mount Type',
    level: 'baseline',
    framework: 'baseline/proc-mount',
    versions: [
      { minimumVersion: 0, evaluate: (pod) => unmaskedProcMounts(pod), change: 'procMount must be unset or Default' },
      { minimumVersion: 35, evaluate: relaxForUserNamespace((pod) => unmaskedProcMounts(pod)), change: 'any procMount allowed when hostUsers is false' },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    title: 'Seccomp',
    level: 'baseline',
    framework: 'baseline/seccomp',
    versions: [
      { minimumVersion: 0, evaluate: seccompBaseline_1_0, change: 'seccomp annotations runtime/default, docker/default or localhost/*' },
      {
        minimumVersion: 19,
        evaluate: seccompBaseline_1_19,
        change: 'seccompProfile.type must be unset, RuntimeDefault or Localhost (annotations no longer checked)',
      },
    ],
  },
  {
    id: 'sysctls',
    title: 'Sysctls',
    level: 'baseline',
    framework: 'baseline/sysctls',
    versions: [
      { minimumVersion: 0, evaluate: sysctls(safeSysctls('v1.0')), change: `safe sysctls: ${safeSysctls('v1.0').join(', ')}` },
      { minimumVersion: 27, evaluate: sysctls(safeSysctls('v1.27')), change: 'adds net.ipv4.ip_local_reserved_ports' },
      {
        minimumVersion: 29,
        evaluate: sysctls(safeSysctls('v1.29')),
        change: 'adds net.ipv4.tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl, tcp_keepalive_probes',
      },
      { minimumVersion: 32, evaluate: sysctls(safeSysctls('v1.32')), change: 'adds net.ipv4.tcp_rmem, tcp_wmem' },
      { minimumVersion: 37, evaluate: sysctls(safeSysctls('v1.37')), change: 'adds net.ipv4.tcp_slow_start_after_idle, tcp_notsent_lowat' },
    ],
  },
];
