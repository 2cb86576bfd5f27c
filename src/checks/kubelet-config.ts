/**
 * Kubelet settings (CIS 4.2), read from a `KubeletConfiguration` object: the running
 * configuration a cluster scan fetches from `nodes/<name>/proxy/configz`, the node's config file
 * merged with the kubelet's flags (`palisade node`), or a config file scanned as a manifest.
 * A field that is not set takes the `kubelet.config.k8s.io/v1beta1` default, which is what the
 * kubelet runs with (configz returns the defaults filled in).
 *
 * Spec: CIS Kubernetes Benchmark v1.12 section 4.2 (kube-bench cfg/cis-1.12/node.yaml);
 * defaults: https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
 */
import { type Check, type CheckDocs, defineCheck } from '../core/check.js';
import { describeObject, isObject } from '../core/object.js';
import type { JsonObject, JsonValue, Severity } from '../core/types.js';

/** The v1beta1 defaults of the fields the CIS checks read. */
export const KUBELET_DEFAULTS: Readonly<Record<string, JsonValue>> = {
  '/authentication/anonymous/enabled': false,
  '/authorization/mode': 'Webhook',
  '/readOnlyPort': 0,
  '/streamingConnectionIdleTimeout': '4h0m0s',
  '/makeIPTablesUtilChains': true,
  '/rotateCertificates': false,
  '/podPidsLimit': -1,
  '/seccompDefault': false,
  '/serverTLSBootstrap': false,
};

/** A field of the configuration by JSON Pointer (`/authentication/anonymous/enabled`), or its default. */
export function kubeletValue(config: JsonObject, pointer: string): { readonly value: JsonValue | undefined; readonly set: boolean } {
  let cur: JsonValue | undefined = config;
  for (const part of pointer.split('/').slice(1)) {
    cur = isObject(cur) ? cur[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (cur === undefined) break;
  }
  if (cur !== undefined && cur !== null) return { value: cur, set: true };
  return { value: KUBELET_DEFAULTS[pointer], set: false };
}

/** A problem with one field: its message and the pointer it is about. */
export interface KubeletProblem {
  readonly message: string;
  readonly pointer: string;
}

/** What a kubelet check declares. */
export interface KubeletCheckSpec {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly frameworks: readonly string[];
  readonly docs: CheckDocs;
  readonly rule: (config: JsonObject) => KubeletProblem | undefined;
}

/**
 * Declares a check of `KubeletConfiguration` objects.
 *
 * @example
 * export default kubeletCheck({ id: 'PAL-0850', name: 'kubelet-anonymous-auth', ...,
 *   rule: (cfg) => kubeletValue(cfg, '/authentication/anonymous/enabled').value === false ? undefined
 *     : { pointer: '/authentication/anonymous/enabled', message: 'allows anonymous requests' } });
 */
export function kubeletCheck(spec: KubeletCheckSpec): Check<{ readonly kind: 'resource'; readonly kinds: readonly string[] }> {
  const { rule, ...meta } = spec;
  return defineCheck({
    ...meta,
    category: 'node',
    target: { kind: 'resource', kinds: ['KubeletConfiguration'] },
    evaluate({ resource }) {
      const p = rule(resource.object);
      if (!p) return undefined;
      return { pointer: p.pointer, message: `kubelet ${describeObject(resource.ref)} ${p.message}`, evidence: { field: p.pointer } };
    },
  });
}

/** Cipher suites CIS v1.12 4.2.12 allows for the kubelet. */
export const KUBELET_CIPHERS: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
];

/** Cipher suites CIS v1.12 1.2.29 allows for the API server. */
export const APISERVER_CIPHERS: readonly string[] = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];
