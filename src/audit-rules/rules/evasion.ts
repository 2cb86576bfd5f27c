/**
 * Defence evasion and exposure: admission webhooks and policies changed, events deleted,
 * NodePort Services and Ingresses without TLS.
 */
import { isObject } from '../../core/object.js';
import { isControlPlane, succeeded, userName, writtenObject } from '../event.js';
import { defineAuditRule } from '../rule.js';
import { actor, objName, past } from './util.js';

const ADMISSION = ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'];

export const admissionChanged = defineAuditRule({
  id: 'PAL-A040',
  name: 'admission-control-changed',
  title: 'Admission webhook or policy created, changed or deleted',
  severity: 'high',
  category: 'defense-evasion',
  frameworks: ['mitre:T1562.001', 'mitre:T1554'],
  docs: {
    description:
      'Admission webhooks and ValidatingAdmissionPolicies see and may change every object written to the cluster. Deleting or loosening one (failurePolicy Ignore, a selector that matches nothing) switches a control off; a new mutating webhook can inject containers into every pod.',
    remediation: 'Confirm the change against the deployment of the policy engine; alert on it in change management.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ADMISSION, verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] },
  evaluate: ({ event }) => {
    if (!succeeded(event) || isControlPlane(userName(event))) return;
    const obj = writtenObject(event);
    const hooks = Array.isArray(obj?.webhooks) ? obj.webhooks.filter(isObject) : [];
    const ignore = hooks.filter((h) => h.failurePolicy === 'Ignore').length;
    const kind = event.objectRef?.resource?.replace(/s$/, '') ?? 'admission object';
    return {
      message: `${kind} ${objName(event)} ${past(event.verb)} by ${actor(event)}${ignore > 0 ? ` (${ignore} webhook(s) with failurePolicy Ignore)` : ''}`,
    };
  },
});

export const eventsDeleted = defineAuditRule({
  id: 'PAL-A041',
  name: 'events-deleted',
  title: 'Kubernetes events deleted',
  severity: 'medium',
  category: 'defense-evasion',
  frameworks: ['mitre:T1070'],
  docs: {
    description:
      "Events record scheduling, image pulls, failures and kills; they expire on their own (one hour by default). Deleting them by hand, one by one or as a collection, erases the trail of recent activity. The namespace controller deleting a namespace's events is not reported.",
    remediation: 'Find what the deleted events described (the audit log kept their creation) and who deleted them.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['events'], verbs: ['delete', 'deletecollection'] },
  evaluate: ({ event }) => {
    if (!succeeded(event) || isControlPlane(userName(event))) return;
    const all = event.verb === 'deletecollection';
    return {
      message: `${actor(event)} deleted ${all ? `all events in ${event.objectRef?.namespace ?? 'all namespaces'}` : `event ${objName(event)}`}`,
      ...(all ? { severity: 'high' as const } : {}),
    };
  },
});

export const nodePortService = defineAuditRule({
  id: 'PAL-A045',
  name: 'nodeport-service',
  title: 'NodePort Service created or changed',
  severity: 'medium',
  category: 'exposure',
  frameworks: ['mitre:T1133'],
  docs: {
    description: 'A NodePort Service opens a port on every node, outside Ingress controllers and often outside NetworkPolicies at the edge.',
    remediation: 'Use a ClusterIP Service behind an Ingress or a LoadBalancer with source ranges.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['services'], verbs: ['create', 'update', 'patch'] },
  evaluate: ({ event }) => {
    if (!succeeded(event) || isControlPlane(userName(event))) return;
    const obj = writtenObject(event);
    const spec = isObject(obj?.spec) ? obj.spec : undefined;
    if (spec?.type !== 'NodePort') return;
    const ports = Array.isArray(spec.ports)
      ? spec.ports
          .filter(isObject)
          .map((p) => p.nodePort)
          .filter((p) => typeof p === 'number')
      : [];
    return {
      message: `NodePort Service ${objName(event)} ${past(event.verb)} by ${actor(event)}${ports.length ? ` on node port(s) ${ports.join(', ')}` : ''}`,
      evidence: { nodePorts: ports },
    };
  },
});

export const ingressWithoutTls = defineAuditRule({
  id: 'PAL-A046',
  name: 'ingress-without-tls',
  title: 'Ingress without TLS created or changed',
  severity: 'low',
  category: 'exposure',
  frameworks: ['mitre:T1040', 'mitre:T1133'],
  docs: {
    description: 'An Ingress without a `tls` section serves its hosts over plain HTTP: credentials and session cookies cross the network in clear text.',
    remediation: 'Add a `tls` section with a certificate (cert-manager) and redirect HTTP to HTTPS.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['ingresses'], verbs: ['create', 'update', 'patch'] },
  evaluate: ({ event }) => {
    if (!succeeded(event) || isControlPlane(userName(event))) return;
    const obj = writtenObject(event);
    const spec = isObject(obj?.spec) ? obj.spec : undefined;
    if (!spec || (Array.isArray(spec.tls) && spec.tls.length > 0)) return;
    const hosts = Array.isArray(spec.rules) ? spec.rules.filter(isObject).map((r) => (typeof r.host === 'string' ? r.host : '*')) : [];
    return { message: `Ingress ${objName(event)} ${past(event.verb)} by ${actor(event)} without TLS${hosts.length ? ` for ${hosts.join(', ')}` : ''}` };
  },
});

export const evasionRules = [admissionChanged, eventsDeleted, nodePortService, ingressWithoutTls] as const;
