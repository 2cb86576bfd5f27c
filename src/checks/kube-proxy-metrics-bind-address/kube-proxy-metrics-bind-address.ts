import { defineCheck, NOT_APPLICABLE } from '../../core/check.js';
import { describeObject, isObject } from '../../core/object.js';

/** Where `metricsBindAddress` is loopback-only (an empty value means the default 127.0.0.1:10249). */
const isLoopback = (address: string): boolean => address === '' || /^(127\.\d+\.\d+\.\d+|\[?::1\]?|localhost)(:\d+)?$/.test(address);

/** The `metricsBindAddress:` line of a KubeProxyConfiguration in YAML (kubeadm's ConfigMap `kube-proxy`, key `config.conf`). */
function metricsLine(text: string): { value: string; line: number } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^metricsBindAddress:\s*(.*?)\s*$/.exec(lines[i] as string);
    if (m) return { value: (m[1] as string).replace(/^["']|["']$/g, ''), line: i + 1 };
  }
  return undefined;
}

/** CIS 4.3.1: kube-proxy serves its metrics on every interface. */
export default defineCheck({
  id: 'PAL-0862',
  name: 'kube-proxy-metrics-bind-address',
  title: 'kube-proxy serves metrics on every interface',
  severity: 'low',
  category: 'node',
  frameworks: ['cis:4.3.1', 'nsa:NSA-19'],
  docs: {
    description:
      'kube-proxy serves its metrics (port 10249) without authentication. Bound to 0.0.0.0 they are reachable from every pod and from the ' +
      "network, revealing the cluster's Services and endpoints. The check reads `metricsBindAddress` from a KubeProxyConfiguration or from " +
      "kubeadm's `kube-proxy` ConfigMap in kube-system (key `config.conf`).",
    remediation: 'Set `metricsBindAddress: 127.0.0.1:10249` (or leave it empty) in the kube-proxy configuration.',
    references: ['https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/'],
  },
  target: { kind: 'resource', kinds: ['ConfigMap', 'KubeProxyConfiguration'] },
  evaluate({ resource }) {
    const o = resource.object;
    if (resource.ref.kind === 'KubeProxyConfiguration') {
      const v = typeof o.metricsBindAddress === 'string' ? o.metricsBindAddress : '';
      return isLoopback(v) ? undefined : { pointer: '/metricsBindAddress', message: `${describeObject(resource.ref)} serves metrics on ${v}` };
    }
    if (resource.ref.name !== 'kube-proxy' || resource.ref.namespace !== 'kube-system' || !isObject(o.data)) return NOT_APPLICABLE;
    const text = o.data['config.conf'];
    if (typeof text !== 'string') return NOT_APPLICABLE;
    const found = metricsLine(text);
    if (!found || isLoopback(found.value)) return undefined;
    return {
      pointer: '/data/config.conf',
      line: found.line,
      message: `kube-proxy configuration in ${describeObject(resource.ref)} sets metricsBindAddress ${found.value}, reachable from outside the node`,
    };
  },
});
