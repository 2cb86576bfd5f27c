import { defineCheck, type Violation } from '../../core/check.js';
import { podVolumes, RUNTIME_SOCKET_DIRS, runtimeSocketOf } from '../../security-context/security-context.js';
import { describeObject, isObject } from '../../core/object.js';

/** The runtime socket is an unauthenticated root API for the node: start a privileged container and the node is yours. */
export default defineCheck({
  id: 'PAL-0111',
  name: 'container-runtime-socket-mount',
  title: 'Pod mounts the container runtime socket',
  severity: 'critical',
  category: 'host-access',
  frameworks: ['nsa:NSA-09', 'mitre:T1611', 'mitre:T1610', 'ms:MS-TA9013'],
  docs: {
    description:
      'A `hostPath` volume exposes a container runtime API socket (Docker, containerd, CRI-O, cri-dockerd, Podman, k3s or MicroK8s ' +
      'containerd, or the Windows named pipes `\\\\.\\pipe\\docker_engine` and `\\\\.\\pipe\\containerd-containerd`) or a directory that holds one, such as `/run/containerd`. Anyone who can connect to that socket can start a ' +
      'privileged container with the host filesystem mounted, read every container of the node and its secrets, and bypass ' +
      'admission control: it is root on the node. Mounting the socket read-only does not help, because connecting to a Unix socket ' +
      'is not a write to the filesystem. Paths are compared after normalisation (`//`, `/./`, `..`, trailing slashes).',
    remediation:
      'Remove the volume. Build images with a daemonless builder (BuildKit rootless, Kaniko, Buildah) and read container metadata ' +
      'from the Kubernetes API or the kubelet instead. Agents that genuinely need the socket (some security and monitoring ' +
      'DaemonSets) belong in a dedicated, locked-down namespace and should be accepted by exception with a reason.',
    references: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath', 'https://kubernetes.io/docs/concepts/security/pod-security-standards/'],
  },
  target: { kind: 'pod' },
  evaluate({ pod, resource }) {
    const out: Violation[] = [];
    for (const v of podVolumes(pod)) {
      const hostPath = v.volume.hostPath;
      if (!isObject(hostPath) || typeof hostPath.path !== 'string') continue;
      const socket = runtimeSocketOf(hostPath.path);
      if (socket === undefined) continue;
      const what = RUNTIME_SOCKET_DIRS.includes(socket) ? 'the container runtime socket directory' : 'the container runtime socket';
      out.push({
        path: `${v.path}/hostPath/path`,
        message: `${describeObject(resource.ref)} mounts ${what} "${hostPath.path}" through volume "${v.name}": whoever can connect to it controls every container on the node`,
        evidence: { volume: v.name, path: hostPath.path },
      });
    }
    return out;
  },
});
