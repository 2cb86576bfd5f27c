import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { isObject } from '../../core/object.js';

/** Rules without a host match every Host header, including the load balancer's bare IP address. */
export default defineCheck({
  id: 'PAL-0207',
  name: 'ingress-wildcard-host',
  title: 'Ingress routes requests for any host',
  severity: 'low',
  category: 'network',
  frameworks: ['ms:MS-TA9005'],
  docs: {
    description:
      'An Ingress rule without `host` (or with host `*`), or an Ingress whose only route is `spec.defaultBackend`, answers requests ' +
      'for any host name, including requests to the bare load-balancer IP and to any DNS name pointed at it. Scanners that sweep IP ' +
      'ranges find such backends, host-based protections in front of the cluster (CDN, WAF, DNS allow-lists) are bypassed, and a ' +
      'backend meant for one virtual host is served on all of them. One-label wildcards such as `*.example.com` are scoped to a ' +
      'domain and are not reported.',
    remediation: 'Set `host` on every rule to the names the application serves, and let requests for other hosts fall through to the controller default (404).',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/ingress/#name-based-virtual-hosting',
      'https://kubernetes.io/docs/concepts/services-networking/ingress/#default-backend',
    ],
  },
  target: { kind: 'resource', kinds: ['Ingress'] },
  evaluate({ resource }) {
    const spec = resource.object.spec;
    if (!isObject(spec)) return undefined;
    const name = resource.ref.name;
    const rules = Array.isArray(spec.rules) ? spec.rules : [];
    const out: Violation[] = [];
    rules.forEach((rule, i) => {
      if (!isObject(rule)) return;
      const host = typeof rule.host === 'string' ? rule.host.trim() : '';
      if (host !== '' && host !== '*') return;
      out.push({
        path: joinPointer('/spec/rules', i, 'host'),
        message: `Ingress ${name} rule ${i} has ${host === '*' ? 'host "*"' : 'no host'} and serves its paths for any host name`,
        evidence: { rule: i, host: host === '' ? null : host },
      });
    });
    if (rules.length === 0) {
      const field = isObject(spec.defaultBackend) ? 'defaultBackend' : isObject(spec.backend) ? 'backend' : undefined;
      if (field) {
        out.push({
          path: `/spec/${field}`,
          message: `Ingress ${name} only has spec.${field}, which receives requests for any host name`,
          evidence: { field },
        });
      }
    }
    return out;
  },
});
