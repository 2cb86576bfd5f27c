import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.6: Kubelet does not manage its iptables chains. */
export default kubeletCheck({
  id: 'PAL-0855',
  name: 'kubelet-iptables-util-chains',
  title: 'Kubelet does not manage its iptables chains',
  severity: 'low',
  frameworks: ['cis:4.2.6'],
  rule: (cfg) =>
    kubeletValue(cfg, '/makeIPTablesUtilChains').value === false
      ? { pointer: '/makeIPTablesUtilChains', message: "sets makeIPTablesUtilChains: false, so its iptables rules can drift from the pods' networking needs" }
      : undefined,
  docs: {
    description:
      "With `makeIPTablesUtilChains: false` the kubelet stops keeping its iptables utility chains in step, leaving the node's packet filtering to manual care.",
    remediation: 'Remove `makeIPTablesUtilChains: false` (the default is true).',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
