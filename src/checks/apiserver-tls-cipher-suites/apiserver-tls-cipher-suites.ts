import { controlPlaneCheck, subsetOf } from '../control-plane.js';
import { APISERVER_CIPHERS } from '../kubelet-config.js';

/** CIS 1.2.29: flags an kube-apiserver that fails the control (API server allows weak TLS cipher suites). */
export default controlPlaneCheck({
  id: 'PAL-0826',
  name: 'apiserver-tls-cipher-suites',
  title: 'API server allows weak TLS cipher suites',
  severity: 'medium',
  frameworks: ['cis:1.2.29', 'nsa:NSA-16'],
  component: 'kube-apiserver',
  rule: subsetOf('tls-cipher-suites', APISERVER_CIPHERS),
  docs: {
    description:
      'CIS v1.12 allows only AEAD cipher suites (AES-GCM and ChaCha20-Poly1305 with ECDHE, and TLS 1.3); CBC and RSA key-exchange suites lack forward secrecy or have known weaknesses.',
    remediation: 'Set `--tls-cipher-suites` to suites from the CIS list, e.g. `TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
