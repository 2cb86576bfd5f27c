import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { isObject } from '../../core/object.js';

/** Remote administration and control-plane ports that should never sit behind a Service open to the world. */
const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  23: 'Telnet',
  2375: 'Docker API (plain)',
  2376: 'Docker API',
  2379: 'etcd client',
  2380: 'etcd peer',
  3389: 'RDP',
  5900: 'VNC',
  5985: 'WinRM',
  5986: 'WinRM (TLS)',
  6443: 'Kubernetes API',
  10250: 'kubelet API',
  10255: 'kubelet read-only API',
};

/** An admin port reachable from outside is a direct line to a shell or to the control plane (MITRE T1133). */
export default defineCheck({
  id: 'PAL-0604',
  name: 'service-admin-port',
  title: 'Service exposes a remote-administration port',
  severity: 'medium',
  category: 'network',
  frameworks: ['mitre:T1133', 'ms:MS-TA9005'],
  docs: {
    description:
      'The Service forwards a remote-administration or control-plane port: SSH 22, Telnet 23, the Docker API 2375/2376, ' +
      'etcd 2379/2380, RDP 3389, VNC 5900, WinRM 5985/5986, the Kubernetes API 6443 or the kubelet 10250/10255 (as `port` ' +
      'or numeric `targetPort`). These interfaces give a shell or control of the node or cluster to whoever authenticates, ' +
      'and are the first thing scanners try. Severity is high when the Service is reachable from outside the cluster ' +
      '(LoadBalancer, NodePort, externalIPs).',
    remediation:
      'Remove the port from the Service, or keep the Service ClusterIP-only and restrict who can reach the pods with a ' +
      'NetworkPolicy; use `kubectl exec` / `kubectl port-forward` for administration.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/service/', 'https://attack.mitre.org/techniques/T1133/'],
  },
  target: { kind: 'resource', kinds: ['Service'] },
  evaluate({ resource }) {
    const spec = isObject(resource.object.spec) ? resource.object.spec : {};
    if (!Array.isArray(spec.ports)) return undefined;
    const external = spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
    const out: Violation[] = [];
    spec.ports.forEach((p, i) => {
      if (!isObject(p) || (typeof p.protocol === 'string' && p.protocol !== 'TCP')) return;
      for (const field of ['port', 'targetPort'] as const) {
        const n = p[field];
        const name = typeof n === 'number' ? ADMIN_PORTS[n] : undefined;
        if (!name) continue;
        out.push({
          path: joinPointer('/spec/ports', i, field),
          message: `Service ${resource.ref.namespace ?? 'default'}/${resource.ref.name} forwards ${field} ${n} (${name})${external ? ` and is reachable from outside the cluster (${Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0 && spec.type !== 'LoadBalancer' && spec.type !== 'NodePort' ? 'externalIPs' : String(spec.type)})` : ''}`,
          severity: external ? 'high' : 'medium',
          evidence: { port: n as number, service: name, external },
        });
        break;
      }
    });
    return out;
  },
});
