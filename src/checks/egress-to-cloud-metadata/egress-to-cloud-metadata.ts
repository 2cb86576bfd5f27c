import { defineCheck } from '../../core/check.js';
import { hasPort } from '../../network/conn.js';
import { parseCidr } from '../../network/ip.js';

const METADATA = '169.254.169.254';

/** The instance metadata service hands out the node's cloud credentials to whoever asks (MITRE T1552.005). */
export default defineCheck({
  id: 'PAL-0601',
  name: 'egress-to-cloud-metadata',
  title: 'Workload can reach the cloud metadata address',
  severity: 'medium',
  category: 'network',
  frameworks: ['mitre:T1552.005', 'ms:MS-TA9033', 'nsa:NSA-14'],
  docs: {
    description:
      'The network policies in force let the workload open TCP connections to 169.254.169.254 port 80, the instance ' +
      'metadata service of AWS, GCP, Azure and most clouds. On a node whose metadata service is not locked down (IMDSv1, no ' +
      "hop limit, no metadata concealment), any process in the pod can read the node's cloud credentials and user data. " +
      'The verdict comes from the network model: egress isolation, ipBlock `except` lists and admin policies are all taken ' +
      'into account. Host-network pods are skipped (policies do not govern them).',
    remediation:
      'Isolate egress (`policyTypes: [Egress]`) and allow only what the workload needs; when allowing the internet with ' +
      '`ipBlock: {cidr: 0.0.0.0/0}`, add `except: [169.254.169.254/32]`. Also block the address at the node (IMDSv2 with hop ' +
      'limit 1, GKE metadata concealment / Workload Identity).',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource',
      'https://attack.mitre.org/techniques/T1552/005/',
    ],
  },
  target: { kind: 'pod' },
  needs: ['NetworkPolicy', 'AdminNetworkPolicy', 'Namespace'],
  uses: ['network'],
  evaluate({ models, resource, pod }) {
    const model = models.network;
    const w = model.workloadOf(resource);
    if (!w || w.hostNetwork || model.clusterWideUnmodelled || model.unmodelledNamespaces.has(w.namespace)) return undefined;
    const node = model.externalFor(parseCidr(METADATA) as NonNullable<ReturnType<typeof parseCidr>>);
    if (!node) return undefined;
    if (!hasPort(model.allowed({ kind: 'workload', node: w }, { kind: 'external', node }), 'TCP', 80)) return undefined;
    const isolated = model.isolated(w, 'egress');
    const why = isolated ? 'its egress policies allow it' : 'no NetworkPolicy isolates its egress';
    return {
      pointer: pod.metadataPointer,
      message: `${w.kind} ${w.namespace}/${w.name} can connect to the cloud metadata service ${METADATA}:80: ${why}`,
      evidence: { address: METADATA, isolated },
    };
  },
});
