/**
 * The seven Restricted controls of pod-security-admission
 * (https://github.com/kubernetes/kubernetes/tree/master/staging/src/k8s.io/pod-security-admission/policy).
 * Four of them replace a Baseline control in the Restricted level (`overrides`), from the
 * version of the entry that says so.
 */
import { joinPointer } from '../../core/pointer.js';
import { asArray, asObject, type ContainerView, containerScPointer, isSet, podScPointer } from '../pod.js';
import { podVolumes, unmaskedProcMounts, validSeccompType } from './baseline.js';
import { type ControlFinding, type ControlFn, exemptWindows, type PssControl, q, relaxForUserNamespace } from './shared.js';

/**
 * Volume sources allowed in Restricted. `image` was added to PSA's v1.0 function in
 * Kubernetes 1.33, so it is allowed at every pinned version.
 */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
  'image',
];

/**
 * A volume without any source (or with every source null) is not a violation: the API server
 * defaults it to `emptyDir: {}` (`SetDefaults_Volume`) before admission, so PSA sees an
 * emptyDir and admits it.
 */
const restrictedVolumes: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  for (const v of podVolumes(pod)) {
    const sources = Object.keys(v.volume).filter((k) => k !== 'name' && isSet(v.volume[k]));
    // PSA accepts a volume as soon as one allowed source is set (the API allows only one).
    if (sources.length === 0 || sources.some((k) => RESTRICTED_VOLUME_TYPES.includes(k))) continue;
    const type = sources[0] as string;
    out.push({
      reason: `volume ${q(v.name)} must not use volume type ${q(type)}; Restricted allows only ${RESTRICTED_VOLUME_TYPES.join(', ')}`,
      pointers: [joinPointer(v.pointer, type)],
    });
  }
  return out;
};

const allowPrivilegeEscalation: ControlFn = (pod) =>
  pod.containers
    .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
    .map((c) => ({
      reason: `container ${q(c.name)} must set securityContext.allowPrivilegeEscalation=false`,
      pointers: [containerScPointer(c, 'allowPrivilegeEscalation')],
    }));

/**
 * Explicit `false` anywhere fails; a container that leaves the field unset passes only when
 * the pod level says `true`. Unlike PSA, which stops at the explicit offenders, every
 * offender is reported so that one pass of fixes is enough.
 */
const runAsNonRoot: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  const podValue = pod.securityContext?.runAsNonRoot;
  const podPointer = podScPointer(pod, 'runAsNonRoot');
  if (podValue === false) out.push({ reason: 'pod must not set securityContext.runAsNonRoot=false', pointers: [podPointer] });
  for (const c of pod.containers) {
    const value = c.securityContext?.runAsNonRoot;
    const pointer = containerScPointer(c, 'runAsNonRoot');
    if (value === false) out.push({ reason: `container ${q(c.name)} must not set securityContext.runAsNonRoot=false`, pointers: [pointer] });
    else if (value !== true && podValue !== true) {
      out.push({ reason: `pod or container ${q(c.name)} must set securityContext.runAsNonRoot=true`, pointers: [pointer, podPointer] });
    }
  }
  return out;
};

const runAsUser: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  if (pod.securityContext?.runAsUser === 0) out.push({ reason: 'pod must not set securityContext.runAsUser=0', pointers: [podScPointer(pod, 'runAsUser')] });
  for (const c of pod.containers) {
    if (c.securityContext?.runAsUser === 0) {
      out.push({ reason: `container ${q(c.name)} must not set securityContext.runAsUser=0`, pointers: [containerScPointer(c, 'runAsUser')] });
    }
  }
  return out;
};

/** Unlike Baseline, an unset profile fails unless the pod level sets a valid one. */
const seccompProfileRestricted: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  const podPointer = podScPointer(pod, 'seccompProfile', 'type');
  const podProfile = asObject(pod.securityContext?.seccompProfile);
  const podValid = podProfile !== undefined && validSeccompType(podProfile.type);
  if (podProfile && !podValid) {
    out.push({
      reason: `pod must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost", not ${q(podProfile.type ?? '')}`,
      pointers: [podPointer],
    });
  }
  for (const c of pod.containers) {
    const profile = asObject(c.securityContext?.seccompProfile);
    const pointer = containerScPointer(c, 'seccompProfile', 'type');
    if (profile && !validSeccompType(profile.type)) {
      out.push({
        reason: `container ${q(c.name)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost", not ${q(profile.type ?? '')}`,
        pointers: [pointer],
      });
    } else if (!profile && !podValid) {
      out.push({
        reason: `pod or container ${q(c.name)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        pointers: [pointer, podPointer],
      });
    }
  }
  return out;
};

function capabilityLists(c: ContainerView): { readonly drop: readonly unknown[]; readonly add: readonly unknown[] } {
  const caps = asObject(c.securityContext?.capabilities);
  return { drop: asArray(caps?.drop), add: asArray(caps?.add) };
}

const capabilitiesRestricted: ControlFn = (pod) => {
  const out: ControlFinding[] = [];
  for (const c of pod.containers) {
    const { drop, add } = capabilityLists(c);
    if (!drop.includes('ALL')) {
      out.push({
        reason: `container ${q(c.name)} must set securityContext.capabilities.drop=["ALL"]`,
        pointers: [containerScPointer(c, 'capabilities', 'drop')],
      });
    }
    add.forEach((cap, i) => {
      if (cap === 'NET_BIND_SERVICE') return;
      out.push({
        reason: `container ${q(c.name)} must not add capability ${q(cap)}; Restricted allows adding only NET_BIND_SERVICE`,
        pointers: [containerScPointer(c, 'capabilities', 'add', i)],
      });
    });
  }
  return out;
};

/** The Restricted controls in the order of the standard. */
export const RESTRICTED_CONTROLS: readonly PssControl[] = [
  {
    id: 'restrictedVolumes',
    title: 'Volume Types',
    level: 'restricted',
    framework: 'restricted/volume-types',
    versions: [
      { minimumVersion: 0, evaluate: restrictedVolumes, overrides: ['hostPathVolumes'], change: `volumes limited to ${RESTRICTED_VOLUME_TYPES.join(', ')}` },
    ],
  },
  {
    id: 'allowPrivilegeEscalation',
    title: 'Privilege Escalation',
    level: 'restricted',
    framework: 'restricted/privilege-escalation',
    versions: [
      { minimumVersion: 8, evaluate: allowPrivilegeEscalation, change: 'allowPrivilegeEscalation must be false' },
      { minimumVersion: 25, evaluate: exemptWindows(allowPrivilegeEscalation), change: 'Windows pods exempt' },
    ],
  },
  {
    id: 'runAsNonRoot',
    title: 'Running as Non-root',
    level: 'restricted',
    framework: 'restricted/run-as-non-root',
    versions: [
      { minimumVersion: 0, evaluate: runAsNonRoot, change: 'runAsNonRoot must be true (pod level, or every container)' },
      { minimumVersion: 35, evaluate: relaxForUserNamespace(runAsNonRoot), change: 'skipped when hostUsers is false' },
    ],
  },
  {
    id: 'runAsUser',
    title: 'Running as Non-root user',
    level: 'restricted',
    framework: 'restricted/run-as-user',
    versions: [
      { minimumVersion: 23, evaluate: runAsUser, change: 'runAsUser must not be 0' },
      { minimumVersion: 35, evaluate: relaxForUserNamespace(runAsUser), change: 'skipped when hostUsers is false' },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    title: 'Seccomp',
    level: 'restricted',
    framework: 'restricted/seccomp',
    versions: [
      {
        minimumVersion: 19,
        evaluate: seccompProfileRestricted,
        overrides: ['seccompProfile_baseline'],
        change: 'seccompProfile.type must be RuntimeDefault or Localhost (pod level may cover containers)',
      },
      { minimumVersion: 25, evaluate: exemptWindows(seccompProfileRestricted), overrides: ['seccompProfile_baseline'], change: 'Windows pods exempt' },
    ],
  },
  {
    id: 'capabilities_restricted',
    title: 'Capabilities',
    level: 'restricted',
    framework: 'restricted/capabilities',
    versions: [
      {
        minimumVersion: 22,
        evaluate: capabilitiesRestricted,
        overrides: ['capabilities_baseline'],
        change: 'capabilities.drop must include ALL; add only NET_BIND_SERVICE',
      },
      { minimumVersion: 25, evaluate: exemptWindows(capabilitiesRestricted), overrides: ['capabilities_baseline'], change: 'Windows pods exempt' },
    ],
  },
  {
    id: 'procMount_restricted',
    title: '/proc Mount Type (strict)',
    level: 'restricted',
    framework: 'restricted/proc-mount',
    versions: [
      {
        minimumVersion: 35,
        evaluate: (pod) => unmaskedProcMounts(pod, pod.usesUserNamespace ? ', even with hostUsers: false' : ' (Restricted requires Default)'),
        overrides: ['procMount'],
        change: 'new: procMount must be unset or Default even when hostUsers is false',
      },
    ],
  },
];
