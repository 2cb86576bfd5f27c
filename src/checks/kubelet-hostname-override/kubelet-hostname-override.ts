import { defineCheck, NOT_APPLICABLE } from '../../core/check.js';
import { NODE_FACTS_KIND, processArgs } from '../node-facts.js';

/**
 * CIS 4.2.7: `--hostname-override` is a kubelet command-line flag only (it is not in the
 * KubeletConfiguration), so it is read from the kubelet's process arguments on the node.
 */
export default defineCheck({
  id: 'PAL-0903',
  name: 'kubelet-hostname-override',
  title: 'Kubelet overrides its hostname',
  severity: 'low',
  category: 'node',
  frameworks: ['cis:4.2.7'],
  docs: {
    description:
      "With `--hostname-override` the kubelet registers under a name other than the machine's hostname, which can break TLS between the " +
      'API server and the kubelet (the serving certificate names the real host) and makes node identity harder to trace. Some cloud ' +
      'providers need the flag; CIS asks to leave it unset elsewhere.',
    remediation: 'Remove `--hostname-override` from the kubelet arguments (the systemd drop-in or KUBELET_EXTRA_ARGS).',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/'],
  },
  target: { kind: 'resource', kinds: [NODE_FACTS_KIND] },
  evaluate({ resource }) {
    const kubelet = processArgs(resource, 'kubelet');
    if (!kubelet) return NOT_APPLICABLE;
    const i = kubelet.args.findIndex((a) => a === '--hostname-override' || a.startsWith('--hostname-override='));
    if (i < 0) return undefined;
    return { pointer: `${kubelet.pointer}/${i}`, message: `the kubelet on ${resource.ref.name} runs with ${kubelet.args[i]}` };
  },
});
