import { defineCheck } from '../../core/check.js';
import type { Severity } from '../../core/types.js';

interface Target {
  readonly what: string;
  readonly severity: Severity;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Classifies an ExternalName target that points back into the cluster, the node or the cloud metadata service. */
function classify(externalName: string, namespace: string | undefined): Target | undefined {
  const h = externalName.trim().toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '::1' || h === '0.0.0.0')
    return { what: 'the loopback interface of whatever resolves it (the ingress controller or proxy)', severity: 'high' };
  if (/^169\.254\./.test(h) || h === 'metadata.google.internal' || h === 'metadata' || /^fd00:ec2::254$/.test(h))
    return { what: 'the cloud instance metadata service', severity: 'high' };
  if (/^kubernetes\.default(?:\.svc(?:\.|$)|$)/.test(h)) return { what: 'the Kubernetes API server', severity: 'high' };
  if (IPV4.test(h) || h.includes(':')) return { what: 'an IP address (ExternalName expects a DNS name)', severity: 'low' };
  const svc = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(?:\.|$)/.exec(h);
  if (svc && svc[1] !== namespace) return { what: `a Service in namespace ${svc[1]}`, severity: 'medium' };
  return undefined;
}

/**
 * CVE-2021-25740 and its ExternalName variant: a Service in one namespace can point proxies
 * (ingress controllers, gateways) at targets its owner could not reach or expose otherwise.
 */
export default defineCheck({
  id: 'PAL-0225',
  name: 'service-externalname-internal',
  title: 'ExternalName Service points into the cluster, the node or the metadata service',
  severity: 'medium',
  category: 'network',
  frameworks: ['ms:MS-TA9034', 'mitre:T1210', 'mitre:T1552.005'],
  docs: {
    description:
      'A Service of type ExternalName is a DNS alias. Pointing it at `localhost`/`127.0.0.1`, the instance metadata address ' +
      '`169.254.169.254`, `kubernetes.default`, or a Service of another namespace (`name.other-ns.svc.cluster.local`) makes ' +
      'ingress controllers and gateways that route to it proxy external requests to that target: a tenant can publish ' +
      "another namespace's Service, the controller's own admin endpoints, or the cloud credentials of the node through " +
      'an Ingress (the confused-deputy issue of CVE-2021-25740). Loopback, metadata and API server targets are reported at ' +
      'high severity, IP literals at low.',
    remediation:
      'Point ExternalName Services only at external DNS names; reach in-cluster Services through their own names, and block ' +
      'internal targets with an admission policy. Ingress controllers such as ingress-nginx can refuse ExternalName backends.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/service/#externalname', 'https://github.com/kubernetes/kubernetes/issues/103675'],
  },
  target: { kind: 'resource', kinds: ['Service'] },
  evaluate({ resource }) {
    const spec = resource.object.spec;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return undefined;
    if (spec.type !== 'ExternalName' || typeof spec.externalName !== 'string') return undefined;
    const target = classify(spec.externalName, resource.ref.namespace);
    if (!target) return undefined;
    return {
      path: '/spec/externalName',
      message: `ExternalName Service ${resource.ref.name} points at ${spec.externalName}, ${target.what}`,
      evidence: { externalName: spec.externalName },
      severity: target.severity,
    };
  },
});
