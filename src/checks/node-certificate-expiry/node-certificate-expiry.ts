import { defineCheck, NOT_APPLICABLE, type Violation } from '../../core/check.js';
import { isObject } from '../../core/object.js';
import { NODE_FACTS_KIND } from '../node-facts.js';

/** Days before expiry from which a certificate is reported; `params.warnDays` overrides it. */
const WARN_DAYS = 30;

/**
 * Certificates on the node (the PKI directory, the kubelet's serving and client certificates)
 * that have expired or expire soon. `palisade node` records each certificate's `daysLeft` at
 * collection time, so the check itself needs no clock.
 */
export default defineCheck({
  id: 'PAL-0904',
  name: 'node-certificate-expiry',
  title: 'Node certificate expired or expiring soon',
  severity: 'medium',
  category: 'node',
  frameworks: ['nsa:NSA-16'],
  paramsSchema: {
    type: 'object',
    properties: { warnDays: { type: 'integer', minimum: 0, description: `report certificates that expire within this many days (default ${WARN_DAYS})` } },
    additionalProperties: false,
  },
  docs: {
    description:
      'An expired control-plane or kubelet certificate stops the component it belongs to: the API server cannot reach etcd or the ' +
      'kubelets, or a node drops out of the cluster. kubeadm certificates last one year and are renewed only on upgrade or by ' +
      '`kubeadm certs renew`. The check reports certificates past their end date (high) and those within `warnDays` of it (medium).',
    remediation:
      'Renew the certificate (`kubeadm certs renew all` on kubeadm control planes; kubelet client certificates rotate with ' +
      '`rotateCertificates: true`) and restart the component that uses it.',
    references: ['https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/'],
  },
  target: { kind: 'resource', kinds: [NODE_FACTS_KIND] },
  evaluate({ resource, params }) {
    const spec = resource.object.spec;
    if (!isObject(spec) || !Array.isArray(spec.certificates) || spec.certificates.length === 0) return NOT_APPLICABLE;
    const warn = typeof params.warnDays === 'number' ? params.warnDays : WARN_DAYS;
    const out: Violation[] = [];
    spec.certificates.forEach((c, i) => {
      if (!isObject(c) || typeof c.daysLeft !== 'number' || typeof c.path !== 'string') return;
      if (c.daysLeft >= warn) return;
      const expired = c.daysLeft < 0;
      out.push({
        pointer: `/spec/certificates/${i}/notAfter`,
        severity: expired ? 'high' : 'medium',
        message: expired
          ? `${c.path} expired ${-Math.ceil(c.daysLeft)} day(s) ago (${String(c.notAfter)})`
          : `${c.path} expires in ${Math.floor(c.daysLeft)} day(s) (${String(c.notAfter)})`,
        evidence: { path: c.path, notAfter: typeof c.notAfter === 'string' ? c.notAfter : null, daysLeft: c.daysLeft },
      });
    });
    return out;
  },
});
