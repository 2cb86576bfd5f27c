import { KUBELET_CIPHERS, kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.12: Kubelet allows weak TLS cipher suites. */
export default kubeletCheck({
  id: 'PAL-0859',
  name: 'kubelet-tls-cipher-suites',
  title: 'Kubelet allows weak TLS cipher suites',
  severity: 'medium',
  frameworks: ['cis:4.2.12', 'nsa:NSA-16'],
  rule: (cfg) => {
    const suites = kubeletValue(cfg, '/tlsCipherSuites').value;
    if (!Array.isArray(suites) || suites.length === 0)
      return { pointer: '/tlsCipherSuites', message: "sets no tlsCipherSuites, so it accepts Go's defaults, which include suites outside the CIS list" };
    const bad = suites.filter((s) => typeof s !== 'string' || !KUBELET_CIPHERS.includes(s));
    return bad.length === 0 ? undefined : { pointer: '/tlsCipherSuites', message: `allows ${bad.join(', ')}, outside the CIS cipher list` };
  },
  docs: {
    description:
      'CIS v1.12 allows the kubelet only ECDHE suites with AES-GCM or ChaCha20-Poly1305; RSA key exchange and CBC suites lack forward secrecy or have known weaknesses.',
    remediation: 'Set `tlsCipherSuites` to suites from the CIS list, e.g. `[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]`.',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
