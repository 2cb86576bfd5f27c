import { defineCheck } from '../../core/check.js';

/**
 * CVE-2020-8554: whoever can create or patch a Service with externalIPs can capture traffic
 * meant for those addresses from every pod and node of the cluster.
 */
export default defineCheck({
  id: 'PAL-0205',
  name: 'service-external-ips',
  title: 'Service sets externalIPs',
  severity: 'medium',
  category: 'network',
  frameworks: ['mitre:T1557', 'ms:MS-TA9034'],
  docs: {
    description:
      'A Service with `spec.externalIPs` makes kube-proxy on every node intercept traffic to those addresses and send it to the ' +
      "Service's pods. Kubernetes does not check who owns the addresses (CVE-2020-8554, unpatchable by design): a user allowed to " +
      'create Services can claim the address of an external database, DNS server or API and read or alter the traffic of every ' +
      'pod in the cluster (man in the middle). Legitimate uses are rare and better served by LoadBalancer Services.',
    remediation:
      'Remove `spec.externalIPs` and use a LoadBalancer or NodePort Service, or an Ingress/Gateway. Block the field cluster-wide ' +
      'with the DenyServiceExternalIPs admission plugin or an admission policy that allow-lists the permitted addresses.',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/service/#external-ips',
      'https://github.com/kubernetes/kubernetes/issues/97076',
      'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips',
    ],
  },
  target: { kind: 'resource', kinds: ['Service'] },
  evaluate({ resource }) {
    const spec = resource.object.spec;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return undefined;
    const ips = Array.isArray(spec.externalIPs) ? spec.externalIPs.filter((ip): ip is string => typeof ip === 'string' && ip !== '') : [];
    if (ips.length === 0) return undefined;
    return {
      path: '/spec/externalIPs',
      message: `Service ${resource.ref.name} sets externalIPs ${ips.join(', ')}: traffic to these addresses from anywhere in the cluster is redirected to it`,
      evidence: { externalIPs: ips },
    };
  },
});
