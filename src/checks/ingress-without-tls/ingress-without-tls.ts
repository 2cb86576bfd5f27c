import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { isObject } from '../../core/object.js';

/** Annotations by which cloud ingress controllers terminate TLS without a `tls` section. */
const LB_TLS_ANNOTATIONS: readonly string[] = [
  'alb.ingress.kubernetes.io/certificate-arn',
  'ingress.gcp.kubernetes.io/pre-shared-cert',
  'networking.gke.io/managed-certificates',
  'appgw.ingress.kubernetes.io/appgw-ssl-certificate',
  'service.beta.kubernetes.io/aws-load-balancer-ssl-cert',
];

/** How a host is covered: an exact TLS host, a one-label wildcard, or a TLS entry without hosts. */
function covered(host: string, tlsHosts: readonly string[], catchAll: boolean): boolean {
  if (catchAll) return true;
  const h = host.toLowerCase();
  return tlsHosts.some((t) => {
    const tl = t.toLowerCase();
    if (tl === h) return true;
    if (!tl.startsWith('*.')) return false;
    const suffix = tl.slice(1);
    return h.endsWith(suffix) && !h.slice(0, -suffix.length).includes('.');
  });
}

/** An Ingress without TLS serves its hosts over plain HTTP: credentials and cookies cross the network in clear text. */
export default defineCheck({
  id: 'PAL-0206',
  name: 'ingress-without-tls',
  title: 'Ingress serves hosts without TLS',
  severity: 'medium',
  category: 'network',
  frameworks: ['nsa:NSA-16', 'mitre:T1557'],
  docs: {
    description:
      'An Ingress that routes traffic but has no `spec.tls` section, or whose rule hosts are not listed in any `tls` entry ' +
      '(exact name or one-label wildcard such as `*.example.com`), serves those hosts over plain HTTP: passwords, session cookies ' +
      'and tokens can be read and changed on the network. Ingresses whose certificate is attached by a cloud controller annotation ' +
      '(`alb.ingress.kubernetes.io/certificate-arn`, `networking.gke.io/managed-certificates`, `ingress.gcp.kubernetes.io/pre-shared-cert`, ' +
      '`appgw.ingress.kubernetes.io/appgw-ssl-certificate`) are not reported.',
    remediation:
      'Add a `spec.tls` entry listing every host with the Secret holding its certificate (cert-manager can issue it), and redirect ' +
      'HTTP to HTTPS at the controller.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'],
  },
  target: { kind: 'resource', kinds: ['Ingress'] },
  evaluate({ resource }) {
    const spec = resource.object.spec;
    if (!isObject(spec)) return undefined;
    const metadata = isObject(resource.object.metadata) ? resource.object.metadata : {};
    const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
    if (LB_TLS_ANNOTATIONS.some((a) => typeof annotations[a] === 'string' && annotations[a] !== '')) return undefined;
    const name = resource.ref.name;
    const rules = Array.isArray(spec.rules) ? spec.rules : [];
    const hosts = rules.flatMap((r, i) => (isObject(r) && typeof r.host === 'string' && r.host !== '' ? [{ host: r.host, i }] : []));
    const tls = Array.isArray(spec.tls) ? spec.tls.filter(isObject) : [];

    if (tls.length === 0) {
      if (rules.length === 0 && !isObject(spec.defaultBackend) && !isObject(spec.backend)) return undefined;
      const shown = hosts.map((h) => h.host);
      return {
        path: '/spec/tls',
        message: `Ingress ${name} has no tls section and serves ${shown.length > 0 ? shown.join(', ') : 'its routes'} over plain HTTP`,
        evidence: { hosts: shown },
      };
    }

    const tlsHosts = tls.flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.filter((h): h is string => typeof h === 'string') : []));
    // A tls entry without hosts takes the controller's default certificate for every host.
    const catchAll = tls.some((t) => !Array.isArray(t.hosts) || t.hosts.length === 0);
    const out: Violation[] = [];
    for (const { host, i } of hosts) {
      if (covered(host, tlsHosts, catchAll)) continue;
      out.push({
        path: joinPointer('/spec/rules', i, 'host'),
        message: `Ingress ${name} routes host ${host}, which no tls entry lists, so it is served over plain HTTP`,
        evidence: { host, tlsHosts },
      });
    }
    return out;
  },
});
