import { defineCheck, type Violation } from '../../core/check.js';
import { isUnder, normaliseHostPath, podVolumes, runtimeSocketOf, volumeMounts } from '../../security-context/security-context.js';
import type { Severity } from '../../core/types.js';
import { describeObject, isObject } from '../../core/object.js';

/** A host directory whose exposure gives away the node, with what it holds (for messages). */
interface SensitiveDir {
  readonly path: string;
  readonly holds: string;
}

const SENSITIVE_DIRS: readonly SensitiveDir[] = [
  { path: '/etc', holds: 'host configuration, including /etc/kubernetes credentials, /etc/shadow and cron jobs' },
  { path: '/proc', holds: 'host processes and kernel settings such as core_pattern' },
  { path: '/sys', holds: 'kernel, device and cgroup interfaces' },
  { path: '/boot', holds: 'the host kernel and boot loader' },
  { path: '/root', holds: "root's home directory and SSH keys" },
  { path: '/home', holds: 'user home directories and SSH keys' },
  { path: '/dev', holds: 'host devices, including raw disks' },
  { path: '/run', holds: 'container runtime sockets and host daemon state' },
  { path: '/var/run', holds: 'container runtime sockets and host daemon state' },
  { path: '/var/lib/kubelet', holds: "kubelet credentials and every pod's volumes, Secrets included" },
  { path: '/var/lib/etcd', holds: 'etcd data, every Secret of the cluster included' },
  { path: '/var/lib/docker', holds: 'container runtime storage: images and container filesystems' },
  { path: '/var/lib/containerd', holds: 'container runtime storage: images and container filesystems' },
  { path: '/var/lib/containers', holds: 'container runtime storage: images and container filesystems' },
  { path: '/var/log', holds: 'host and pod logs' },
  { path: '/usr', holds: 'host binaries and libraries' },
  { path: '/bin', holds: 'host binaries' },
  { path: '/sbin', holds: 'host binaries' },
  { path: '/lib', holds: 'host libraries and kernel modules' },
  { path: '/lib64', holds: 'host libraries' },
];

/** Mounting these whole directories exposes runtime sockets, so read-only does not lower the risk. */
const CRITICAL_EXACT: ReadonlySet<string> = new Set(['/', '/run', '/var/run']);

/** Files below sensitive directories that are harmless to read (time zone, CA bundle, OS identity). */
const BENIGN_READ_ONLY: readonly string[] = [
  '/etc/localtime',
  '/etc/timezone',
  '/etc/ssl/certs',
  '/etc/pki/tls/certs',
  '/etc/pki/ca-trust',
  '/etc/ca-certificates',
  '/etc/machine-id',
  '/etc/os-release',
  '/usr/share/zoneinfo',
  '/usr/share/ca-certificates',
];

/** How a host path relates to the sensitive directory it exposes. */
interface Match {
  readonly dir: SensitiveDir;
  /** `inside`: the path is the directory or lies below it; `contains`: the path is a parent of it. */
  readonly relation: 'inside' | 'contains';
  /** For `contains`: every sensitive directory below the path. */
  readonly contained: readonly string[];
}

function classify(path: string): Match | undefined {
  let best: SensitiveDir | undefined;
  for (const d of SENSITIVE_DIRS) if (isUnder(path, d.path) && (best === undefined || d.path.length > best.path.length)) best = d;
  if (best) return { dir: best, relation: 'inside', contained: [] };
  const below = SENSITIVE_DIRS.filter((d) => isUnder(d.path, path));
  const first = below[0];
  return first ? { dir: first, relation: 'contains', contained: below.map((d) => d.path) } : undefined;
}

const ROOT: SensitiveDir = { path: '/', holds: 'the whole host filesystem' };

function listOf(paths: readonly string[]): string {
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

function severityOf(path: string, readOnly: boolean): Severity {
  if (CRITICAL_EXACT.has(path)) return 'critical';
  return readOnly ? 'medium' : 'high';
}

/** Host directories hold the node's credentials, binaries and other pods' data: exposing them is a step from escape. */
export default defineCheck({
  id: 'PAL-0110',
  name: 'sensitive-host-path',
  title: 'Pod mounts a sensitive host directory',
  severity: 'high',
  category: 'host-access',
  frameworks: ['nsa:NSA-09', 'mitre:T1611', 'ms:MS-TA9013'],
  docs: {
    description:
      'A `hostPath` volume exposes a sensitive part of the node: the root filesystem, `/etc`, `/proc`, `/sys`, `/dev`, `/boot`, ' +
      'home directories, `/run` and `/var/run`, kubelet, etcd and container runtime state under `/var/lib`, `/var/log`, or host ' +
      'binaries. Any of these lets a compromised container read node and cluster credentials or change the host, the usual first ' +
      'step of a container escape. Paths are normalised (`//`, `/./`, `..`, trailing slashes) and match the directory, anything ' +
      'below it, and parents that contain it (`/var` contains `/var/lib/kubelet`). Severity is critical for `/`, `/run` and `/var/run`, ' +
      'which expose runtime sockets even read-only; high otherwise, medium when every mount of the volume is read-only. A few files ' +
      'that are harmless to read (time zone, CA certificates, machine id) pass when mounted read-only. Runtime sockets themselves are ' +
      'reported by container-runtime-socket-mount (PAL-0111) and not here.',
    remediation:
      'Remove the hostPath volume and use a ConfigMap, Secret, emptyDir, persistent volume or the downward API instead. Node agents ' +
      'that need host access should mount the narrowest path possible, read-only, run in a dedicated namespace, and be accepted by ' +
      'exception with a reason.',
    references: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath', 'https://kubernetes.io/docs/concepts/security/pod-security-standards/'],
  },
  target: { kind: 'pod' },
  evaluate({ pod, resource }) {
    const out: Violation[] = [];
    for (const v of podVolumes(pod)) {
      const hostPath = v.volume.hostPath;
      if (!isObject(hostPath) || typeof hostPath.path !== 'string') continue;
      const path = normaliseHostPath(hostPath.path);
      if (path === undefined || runtimeSocketOf(path) !== undefined) continue; // reported by PAL-0111
      const mounts = volumeMounts(pod, v.name);
      const readOnly = mounts.length > 0 && mounts.every((m) => m.readOnly);
      if (readOnly && BENIGN_READ_ONLY.some((b) => isUnder(path, b))) continue;
      const match: Match | undefined = path === '/' ? { dir: ROOT, relation: 'inside', contained: [] } : classify(path);
      if (!match) continue;
      const where =
        match.relation === 'contains'
          ? `it contains ${listOf(match.contained)}`
          : path === match.dir.path
            ? match.dir.holds
            : `below ${match.dir.path}: ${match.dir.holds}`;
      out.push({
        path: `${v.path}/hostPath/path`,
        message: `${describeObject(resource.ref)} mounts host path "${hostPath.path}" through volume "${v.name}"${readOnly ? ' read-only' : ''} (${where})`,
        severity: severityOf(path, readOnly),
        evidence: { volume: v.name, path: hostPath.path, sensitive: match.dir.path, readOnly },
      });
    }
    return out;
  },
});
