import { defineCheck } from '../../core/check.js';

/** The API server proxies authenticated user requests to aggregated APIs; without verification anyone can pose as one. */
export default defineCheck({
  id: 'PAL-0223',
  name: 'apiservice-insecure-skip-tls-verify',
  title: 'APIService skips TLS verification of its backend',
  severity: 'medium',
  category: 'network',
  frameworks: ['nsa:NSA-16', 'mitre:T1557'],
  docs: {
    description:
      'An APIService (aggregated API, such as metrics-server or a custom API) sets `insecureSkipTLSVerify: true`. The API server ' +
      'forwards requests for that API group, with the identity of the calling user in headers, to the backing Service without ' +
      'checking its certificate: whoever can redirect or impersonate that Service (a pod with the same labels, a DNS or ' +
      'network position) receives the requests and forges the responses, for example fake metrics that drive autoscaling.',
    remediation:
      "Remove `insecureSkipTLSVerify` and set `caBundle` to the CA that signed the backend certificate (cert-manager's CA " +
      'injector can fill it, and metrics-server supports proper certificates).',
    references: [
      'https://kubernetes.io/docs/concepts/extend-kubernetes/api-extension/apiserver-aggregation/',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/configure-aggregation-layer/',
    ],
  },
  target: { kind: 'resource', kinds: ['APIService'] },
  evaluate({ resource }) {
    const spec = resource.object.spec;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return undefined;
    // Without a service the API is served by kube-apiserver itself and the flag has no effect.
    if (spec.insecureSkipTLSVerify !== true || typeof spec.service !== 'object' || spec.service === null) return undefined;
    const svc = Array.isArray(spec.service) ? undefined : spec.service;
    const target = svc && typeof svc.name === 'string' ? `${typeof svc.namespace === 'string' ? `${svc.namespace}/` : ''}${svc.name}` : 'its service';
    return {
      path: '/spec/insecureSkipTLSVerify',
      message: `APIService ${resource.ref.name} sets insecureSkipTLSVerify: true, so the API server does not verify the certificate of ${target}`,
      evidence: { insecureSkipTLSVerify: true, service: target },
      fix: [{ op: 'remove', path: '/spec/insecureSkipTLSVerify' }],
    };
  },
});
