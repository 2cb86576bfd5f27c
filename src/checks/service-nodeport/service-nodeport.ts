import { defineCheck } from '../../core/check.js';
import type { JsonValue } from '../../core/types.js';

const nodePorts = (ports: JsonValue | undefined): number[] =>
  Array.isArray(ports)
    ? ports.flatMap((p) => (typeof p === 'object' && p !== null && !Array.isArray(p) && typeof p.nodePort === 'number' ? [p.nodePort] : []))
    : [];

/** A NodePort opens the port on every node's addresses, bypassing any ingress or load-balancer controls. */
export default defineCheck({
  id: 'PAL-0203',
  name: 'service-nodeport',
  title: 'Service is exposed on every node with type NodePort',
  severity: 'medium',
  category: 'network',
  frameworks: ['nsa:NSA-19', 'mitre:T1133', 'ms:MS-TA9005'],
  docs: {
    description:
      'A Service of type NodePort opens a port (30000-32767 by default) on every node of the cluster and forwards it to the pods. ' +
      'Anyone who can reach any node address reaches the service, without the TLS, authentication, WAF or source-range controls ' +
      'of an Ingress or load balancer; node firewalls are often open inside the VPC, and sometimes to the internet. The NSA/CISA ' +
      'guidance asks to firewall the NodePort range.',
    remediation:
      'Use `type: ClusterIP` and expose the workload through an Ingress/Gateway or an internal load balancer; if a NodePort is ' +
      'required, restrict access to the node port range with cloud firewall rules or NetworkPolicies.',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport',
      'https://kubernetes.io/docs/concepts/services-networking/ingress/',
    ],
  },
  target: { kind: 'resource', kinds: ['Service'] },
  evaluate({ resource }) {
    const spec = resource.object.spec;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec) || spec.type !== 'NodePort') return undefined;
    const ports = nodePorts(spec.ports);
    return {
      path: '/spec/type',
      message: `Service ${resource.ref.name} has type NodePort and is reachable on every node${ports.length > 0 ? ` at port ${ports.join(', ')}` : ''}`,
      evidence: { type: 'NodePort', nodePorts: ports },
    };
  },
});
