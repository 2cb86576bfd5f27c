import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { describeContainer } from '../../security-context/security-context.js';
import { isObject } from '../../core/object.js';

/** Ports SSH servers conventionally listen on in containers (22, and 2222 to avoid needing root). */
const SSH_PORTS: ReadonlySet<number> = new Set([22, 2222]);

/** An SSH server in a container is a second, unaudited way in that bypasses `kubectl exec` and its RBAC. */
export default defineCheck({
  id: 'PAL-0123',
  name: 'ssh-port-exposed',
  title: 'Container exposes an SSH port',
  severity: 'low',
  category: 'network',
  frameworks: ['ms:MS-TA9010'],
  docs: {
    description:
      'The container declares TCP port 22 or 2222, or a port named `ssh`. An SSH server inside a container is a way in that does not go ' +
      'through the Kubernetes API: no RBAC on `pods/exec`, no API audit log, and often password or long-lived key authentication that ' +
      'attackers brute-force. Containers built around an SSH service (Git servers, SFTP gateways) are legitimate and can be accepted by ' +
      'exception; the check reads declared ports only, since it cannot see what the image listens on.',
    remediation:
      'Remove the SSH server from the image and use `kubectl exec` or `kubectl debug` for interactive access. If SSH is the product ' +
      '(Git, SFTP), use key-only authentication and restrict who can reach the port with a NetworkPolicy.',
    references: [
      'https://kubernetes.io/docs/tasks/debug/debug-application/get-shell-running-container/',
      'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/SSH%20server%20running%20inside%20container/',
    ],
  },
  target: { kind: 'container' },
  evaluate({ container }) {
    const ports = container.container.ports;
    if (!Array.isArray(ports)) return undefined;
    const out: Violation[] = [];
    ports.forEach((p, i) => {
      if (!isObject(p)) return;
      const protocol = typeof p.protocol === 'string' ? p.protocol.toUpperCase() : 'TCP';
      if (protocol !== 'TCP') return;
      const port = p.containerPort;
      const name = typeof p.name === 'string' ? p.name : '';
      const byPort = typeof port === 'number' && SSH_PORTS.has(port);
      const byName = /(^|-)ssh($|-)/i.test(name);
      if (!byPort && !byName) return;
      out.push({
        path: joinPointer('', 'ports', i, 'containerPort'),
        message: `${describeContainer(container)} exposes port ${String(port)}${name ? ` named "${name}"` : ''}, which looks like an SSH server`,
        evidence: { containerPort: typeof port === 'number' ? port : null, name },
      });
    });
    return out;
  },
});
