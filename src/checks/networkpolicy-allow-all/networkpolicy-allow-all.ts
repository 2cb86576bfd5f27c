import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import type { JsonObject, JsonValue, Severity } from '../../core/types.js';
import { isObject } from '../../core/object.js';

const isEmpty = (v: JsonValue | undefined): boolean =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

type Direction = 'Ingress' | 'Egress';

function effectiveTypes(spec: JsonObject): Direction[] {
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes.filter((t): t is Direction => t === 'Ingress' || t === 'Egress');
  return Array.isArray(spec.egress) ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** A prefix length of 0 is every address: `0.0.0.0/0`, `::/0`. */
const isWorld = (cidr: JsonValue | undefined): cidr is string => typeof cidr === 'string' && /\/0$/.test(cidr.trim());

/**
 * A rule allowing every peer on every port cancels the isolation the policy creates; egress
 * allow-all is common on purpose (internet egress) and reported at info severity.
 */
export default defineCheck({
  id: 'PAL-0215',
  name: 'networkpolicy-allow-all',
  title: 'NetworkPolicy rule allows all traffic',
  severity: 'low',
  category: 'network',
  frameworks: ['nsa:NSA-14', 'ms:MS-TA9034'],
  docs: {
    description:
      'A NetworkPolicy rule allows every source (ingress) or destination (egress) on every port: an empty rule `- {}`, a rule ' +
      'with neither peers nor ports, or a rule whose only restriction is an `ipBlock` of prefix length 0 (`0.0.0.0/0`, `::/0`) ' +
      'with no ports. The selected pods are then as open as if no policy existed, which is easy to miss when reading a list of ' +
      'policies. Rules that open specific ports to everyone (a public web port) are not reported. Egress rules are reported ' +
      'at info severity, since unrestricted egress is often intended.',
    remediation:
      'Name the peers (podSelector, namespaceSelector, specific ipBlock ranges) and ports each rule should allow, or delete the ' +
      'policy if allowing everything is intended.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-allow-all-ingress-traffic'],
  },
  target: { kind: 'resource', kinds: ['NetworkPolicy'] },
  evaluate({ resource }) {
    if (resource.ref.apiVersion !== 'networking.k8s.io/v1') return undefined;
    const spec = resource.object.spec;
    if (!isObject(spec)) return undefined;
    const out: Violation[] = [];
    for (const direction of effectiveTypes(spec)) {
      const field = direction === 'Ingress' ? 'ingress' : 'egress';
      const peersField = direction === 'Ingress' ? 'from' : 'to';
      const rules = spec[field];
      if (!Array.isArray(rules)) continue;
      const severity: Severity | undefined = direction === 'Egress' ? 'info' : undefined;
      const what = direction === 'Ingress' ? 'from any source' : 'to any destination';
      rules.forEach((rule, i) => {
        if (!isObject(rule) || !isEmpty(rule.ports)) return;
        const peers = rule[peersField];
        if (isEmpty(peers)) {
          out.push({
            path: joinPointer('/spec', field, i),
            message: `NetworkPolicy ${resource.ref.name} ${field} rule ${i} has no ${peersField} and no ports: it allows all traffic ${what}`,
            evidence: { direction, rule: i },
            ...(severity ? { severity } : {}),
          });
          return;
        }
        if (!Array.isArray(peers)) return;
        peers.forEach((peer, j) => {
          if (!isObject(peer) || !isObject(peer.ipBlock) || !isWorld(peer.ipBlock.cidr)) return;
          out.push({
            path: joinPointer('/spec', field, i, peersField, j, 'ipBlock', 'cidr'),
            message: `NetworkPolicy ${resource.ref.name} ${field} rule ${i} allows ${peer.ipBlock.cidr} on all ports: all traffic ${what}`,
            evidence: { direction, rule: i, cidr: peer.ipBlock.cidr },
            ...(severity ? { severity } : {}),
          });
        });
      });
    }
    return out;
  },
});
