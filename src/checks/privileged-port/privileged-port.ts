import { defineCheck, type Violation } from '../../core/check.js';
import { isObject } from '../../core/object.js';
import { describeContainer, effectiveSetting, hasCapability, isWindowsPod, podSecurityContext } from '../../security-context/security-context.js';

const UNPRIVILEGED_PORT_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/** The pod's `net.ipv4.ip_unprivileged_port_start` sysctl, when it sets one. */
function unprivilegedPortStart(sysctls: unknown): number | undefined {
  if (!Array.isArray(sysctls)) return undefined;
  for (const s of sysctls) {
    if (!isObject(s) || (s.name !== UNPRIVILEGED_PORT_SYSCTL && s.name !== 'net/ipv4/ip_unprivileged_port_start')) continue;
    const n = Number(s.value);
    if (Number.isInteger(n)) return n;
  }
  return undefined;
}

/** Ports below 1024 need root or NET_BIND_SERVICE, the two things a hardened container gives up. */
export default defineCheck({
  id: 'PAL-0130',
  name: 'privileged-port',
  title: 'Container uses a privileged port (below 1024)',
  severity: 'low',
  category: 'security-context',
  frameworks: ['nsa:NSA-01', 'nsa:NSA-09'],
  docs: {
    description:
      'A `containerPort` below 1024 means the process binds a privileged port, which Linux allows only to root or to a process with ' +
      'the NET_BIND_SERVICE capability (unless the runtime lowers `net.ipv4.ip_unprivileged_port_start`, as Docker and containerd 2 ' +
      'do by default). So the container either runs as root, keeps a capability it would otherwise drop, or depends on a runtime ' +
      'default; a container that runs as non-root without NET_BIND_SERVICE is reported as unable to bind the port. A `hostPort` below ' +
      '1024 also takes a well-known port on every node the pod lands on (22, 53, 80, 443), where it can shadow node services. Pods ' +
      'that set `net.ipv4.ip_unprivileged_port_start` at or below the port, and Windows pods, are not reported for `containerPort`.',
    remediation:
      'Listen on a port of 1024 or above (8080, 8443) and map the well-known port in the Service (`port: 80`, `targetPort: 8080`). ' +
      'If the process cannot change its port, run it as non-root with `capabilities.add: [NET_BIND_SERVICE]` after `drop: [ALL]`. ' +
      'Replace host ports with a Service.',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service',
      'https://man7.org/linux/man-pages/man7/capabilities.7.html',
    ],
  },
  target: { kind: 'container' },
  evaluate({ container }): Violation[] {
    const ports = container.container.ports;
    if (!Array.isArray(ports)) return [];
    const out: Violation[] = [];
    const who = describeContainer(container);
    const windows = isWindowsPod(container.pod);
    const start = unprivilegedPortStart(podSecurityContext(container.pod).sysctls);
    const nonRoot = effectiveSetting(container, 'runAsNonRoot')?.value === true || (effectiveSetting(container, 'runAsUser')?.value ?? 0) !== 0;
    const canBind = !nonRoot || hasCapability(container.container, 'NET_BIND_SERVICE', new Set());
    ports.forEach((p, i) => {
      if (!isObject(p)) return;
      const cp = p.containerPort;
      if (!windows && typeof cp === 'number' && cp > 0 && cp < 1024 && !(start !== undefined && start <= cp)) {
        out.push({
          path: `/ports/${i}/containerPort`,
          message: canBind
            ? `${who} listens on privileged port ${cp}, which needs root or NET_BIND_SERVICE: use a port of 1024 or above`
            : `${who} listens on privileged port ${cp} but runs as non-root without NET_BIND_SERVICE, so it cannot bind it unless the runtime allows unprivileged ports`,
          evidence: { containerPort: cp },
        });
      }
      const hp = p.hostPort;
      if (typeof hp === 'number' && hp > 0 && hp < 1024) {
        out.push({
          path: `/ports/${i}/hostPort`,
          message: `${who} takes privileged host port ${hp} on its node: use a Service instead`,
          evidence: { hostPort: hp },
        });
      }
    });
    return out;
  },
});
