import { defineCheck } from '../../core/check.js';
import type { JsonValue } from '../../core/types.js';

/** Host paths whose exposure hands over the node: root, config, runtime sockets, kubelet and process state. */
const CRITICAL_PATHS: readonly RegExp[] = [
  /^\/$/,
  /^\/(?:etc|root|boot|proc|sys|dev|var\/lib\/kubelet|var\/lib\/docker|var\/lib\/containerd|etc\/kubernetes|var\/log)(?:\/|$)/,
  /(?:docker|containerd|crio|cri-dockerd|podman)\.sock$/,
  /^\/(?:var\/)?run(?:\/|$)/,
];

const normalise = (p: string): string => {
  const trimmed = p.trim().replace(/\/+/g, '/');
  return trimmed.length > 1 ? trimmed.replace(/\/$/, '') : trimmed;
};

/** A hostPath PV lets any pod bound to its claim read and write the node's file system. */
export default defineCheck({
  id: 'PAL-0222',
  name: 'persistent-volume-host-path',
  title: 'PersistentVolume uses hostPath',
  severity: 'high',
  category: 'host-isolation',
  frameworks: ['mitre:T1611', 'ms:MS-TA9013', 'nsa:NSA-09', 'cis:5.2.11'],
  docs: {
    description:
      'A PersistentVolume of type `hostPath` maps a directory of whichever node the pod lands on. Pod Security Admission and ' +
      'most policies only look at the volumes of the pod, which here is an innocent `persistentVolumeClaim`, so the host path ' +
      'reaches pods that could never declare it themselves. Write access to the node file system leads to container escape ' +
      '(planting binaries, cron entries, kubelet or runtime configuration); paths such as `/`, `/etc`, `/var/lib/kubelet`, ' +
      '`/var/run` or a container runtime socket are reported as critical. hostPath volumes are meant for single-node testing.',
    remediation:
      'Use a CSI driver or `local` PersistentVolumes (with node affinity) for node-local storage, restrict who can create ' +
      'PersistentVolumes (CIS 5.1.9), and reject hostPath PVs with an admission policy.',
    references: [
      'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
      'https://kubernetes.io/docs/concepts/storage/persistent-volumes/#types-of-persistent-volumes',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation',
    ],
  },
  target: { kind: 'resource', kinds: ['PersistentVolume'] },
  evaluate({ resource }) {
    const spec = resource.object.spec;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return undefined;
    const hostPath: JsonValue | undefined = spec.hostPath;
    if (typeof hostPath !== 'object' || hostPath === null || Array.isArray(hostPath)) return undefined;
    const path = typeof hostPath.path === 'string' ? normalise(hostPath.path) : '';
    const critical = path !== '' && CRITICAL_PATHS.some((re) => re.test(path));
    return {
      path: '/spec/hostPath',
      message: `PersistentVolume ${resource.ref.name} maps host path ${path || '(unset)'} of the node into the pods that claim it${critical ? ', a path that gives control of the node' : ''}`,
      evidence: { hostPath: path, ...(typeof hostPath.type === 'string' ? { type: hostPath.type } : {}) },
      ...(critical ? { severity: 'critical' as const } : {}),
    };
  },
});
