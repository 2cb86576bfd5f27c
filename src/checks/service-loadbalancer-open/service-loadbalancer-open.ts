import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import type { JsonObject } from '../../core/types.js';
import { isObject } from '../../core/object.js';

const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** Cloud-provider annotations that make the load balancer private to the VPC/VNet. */
const INTERNAL_ANNOTATIONS: Readonly<Record<string, RegExp>> = {
  'service.beta.kubernetes.io/aws-load-balancer-internal': /^(?:true|0\.0\.0\.0\/0)$/i,
  'service.beta.kubernetes.io/aws-load-balancer-scheme': /^internal$/i,
  'service.beta.kubernetes.io/azure-load-balancer-internal': /^true$/i,
  'networking.gke.io/load-balancer-type': /^internal$/i,
  'cloud.google.com/load-balancer-type': /^internal$/i,
  'service.beta.kubernetes.io/oci-load-balancer-internal': /^true$/i,
  'service.beta.kubernetes.io/openstack-internal-load-balancer': /^true$/i,
  'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type': /^private$/i,
  'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': /^intranet$/i,
};

/** A prefix length of 0 admits every address: `0.0.0.0/0`, `::/0`. */
const isOpen = (cidr: string): boolean => /\/0$/.test(cidr.trim());

/**
 * The provider annotation that makes a LoadBalancer Service internal, if any.
 *
 * @example
 * internalLoadBalancerAnnotation({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' });
 * // 'service.beta.kubernetes.io/aws-load-balancer-scheme'
 */
export function internalLoadBalancerAnnotation(annotations: JsonObject): string | undefined {
  return Object.keys(INTERNAL_ANNOTATIONS).find((k) => {
    const v = annotations[k];
    return typeof v === 'string' && (INTERNAL_ANNOTATIONS[k] as RegExp).test(v.trim());
  });
}

/** Without source ranges a cloud load balancer accepts connections from the whole internet. */
export default defineCheck({
  id: 'PAL-0204',
  name: 'service-loadbalancer-open',
  title: 'LoadBalancer Service accepts traffic from any address',
  severity: 'medium',
  category: 'network',
  frameworks: ['mitre:T1133', 'mitre:T1190', 'ms:MS-TA9005'],
  docs: {
    description:
      'A Service of type LoadBalancer without `spec.loadBalancerSourceRanges` (or the `service.beta.kubernetes.io/load-balancer-source-ranges` ' +
      'annotation), or with a range of prefix length 0 such as `0.0.0.0/0` or `::/0`, gets a cloud load balancer that accepts ' +
      'connections from any address, usually the internet. Load balancers made internal by their cloud annotation ' +
      '(`aws-load-balancer-internal`, `azure-load-balancer-internal`, `networking.gke.io/load-balancer-type: Internal`...) are not reported.',
    remediation:
      'List the client networks in `spec.loadBalancerSourceRanges`, make the load balancer internal with the provider annotation, ' +
      'or expose the service through an Ingress/Gateway that authenticates and filters clients.',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer',
      'https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#restrict-access-for-loadbalancer-service',
    ],
  },
  target: { kind: 'resource', kinds: ['Service'] },
  evaluate({ resource }) {
    const spec = resource.object.spec;
    if (!isObject(spec) || spec.type !== 'LoadBalancer') return undefined;
    const metadata = isObject(resource.object.metadata) ? resource.object.metadata : {};
    const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
    if (internalLoadBalancerAnnotation(annotations)) return undefined;
    const name = resource.ref.name;

    const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : [];
    if (ranges.some((r) => typeof r === 'string' && r.trim() !== '')) {
      const out: Violation[] = [];
      ranges.forEach((r, i) => {
        if (typeof r === 'string' && isOpen(r))
          out.push({
            path: joinPointer('/spec/loadBalancerSourceRanges', i),
            message: `LoadBalancer Service ${name} allows source range ${r}, which is every address`,
            evidence: { sourceRange: r },
          });
      });
      return out;
    }

    // Providers read the annotation when the field is empty.
    const annotated = annotations[SOURCE_RANGES_ANNOTATION];
    if (typeof annotated === 'string' && annotated.trim() !== '') {
      const open = annotated
        .split(',')
        .map((r) => r.trim())
        .filter(isOpen);
      if (open.length === 0) return undefined;
      return {
        path: joinPointer('/metadata/annotations', SOURCE_RANGES_ANNOTATION),
        message: `LoadBalancer Service ${name} allows source range ${open.join(', ')} in annotation ${SOURCE_RANGES_ANNOTATION}, which is every address`,
        evidence: { sourceRanges: open },
      };
    }
    return {
      path: '/spec/loadBalancerSourceRanges',
      message: `LoadBalancer Service ${name} sets no loadBalancerSourceRanges and accepts connections from any address`,
      evidence: { type: 'LoadBalancer', loadBalancerSourceRanges: [] },
    };
  },
});
