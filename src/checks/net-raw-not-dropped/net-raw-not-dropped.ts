import { defineCheck, type FixOperation } from '../../core/check.js';
import { addOperation, capabilitiesOf, describeContainer, effectiveSetting, hasCapability, isWindowsPod } from '../../security-context/security-context.js';

/** NET_RAW is in the runtimes' default set yet almost no application needs it; attackers use it for spoofing. */
export default defineCheck({
  id: 'PAL-0114',
  name: 'net-raw-not-dropped',
  title: 'Container keeps the NET_RAW capability',
  severity: 'medium',
  category: 'security-context',
  frameworks: ['cis:5.2.8', 'nsa:NSA-07', 'mitre:T1557', 'ms:MS-TA9036'],
  docs: {
    description:
      'containerd and Docker grant `NET_RAW` by default. It lets a process craft raw packets: ARP and DNS spoofing against other ' +
      'pods on the node, traffic sniffing, and it has been the entry point of several kernel exploits. A container keeps it unless ' +
      '`capabilities.drop` lists `NET_RAW` or `ALL`; a named `add: [NET_RAW]` survives `drop: [ALL]`, as in the runtimes. ' +
      'Capability names are compared without case and `CAP_` prefix. Privileged containers are reported by the privileged-container ' +
      'check, and Windows pods are skipped.',
    remediation:
      'Add `NET_RAW` (or better `ALL`) to `securityContext.capabilities.drop`. Tools such as `ping` work without it on current kernels ' +
      'through unprivileged ICMP sockets (`net.ipv4.ping_group_range`).',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container',
      'https://www.cisecurity.org/benchmark/kubernetes',
    ],
  },
  target: { kind: 'container' },
  evaluate({ container, resource }) {
    if (isWindowsPod(container.pod) || effectiveSetting(container, 'privileged')?.value === true) return undefined;
    if (!hasCapability(container.container, 'NET_RAW')) return undefined;
    const caps = capabilitiesOf(container.container);
    const added = caps.add.find((c) => c.name === 'NET_RAW') ?? caps.add.find((c) => c.name === 'ALL');
    if (added) {
      return {
        path: added.path,
        message: `${describeContainer(container)} adds capability ${added.raw}, which includes NET_RAW`,
        evidence: { capability: added.name },
      };
    }
    // Dropping NET_RAW is safe to automate: a container that needs it would have added it explicitly.
    const dropPointer = `${container.pointer}/securityContext/capabilities/drop`;
    const fix: FixOperation = caps.hasDropList
      ? { op: 'add', path: `${dropPointer}/-`, value: 'NET_RAW' }
      : addOperation(resource.object, dropPointer, ['NET_RAW']);
    return {
      path: '/securityContext/capabilities/drop',
      message: `${describeContainer(container)} does not drop NET_RAW (nor ALL), so it keeps the runtime's default NET_RAW capability`,
      fix: [fix],
    };
  },
});
