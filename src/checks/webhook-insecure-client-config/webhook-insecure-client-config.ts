import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import type { JsonObject } from '../../core/types.js';
import { isObject } from '../../core/object.js';

/** The webhook URLs of an object with their pointers: admission webhooks and CRD conversion webhooks. */
function clientUrls(object: JsonObject, kind: string): { pointer: string; url: string; name: string }[] {
  const out: { pointer: string; url: string; name: string }[] = [];
  if (kind === 'CustomResourceDefinition') {
    const conversion = isObject(object.spec) && isObject(object.spec.conversion) ? object.spec.conversion : undefined;
    if (!conversion) return out;
    // v1: spec.conversion.webhook.clientConfig; v1beta1: spec.conversion.webhookClientConfig.
    const v1 = isObject(conversion.webhook) && isObject(conversion.webhook.clientConfig) ? conversion.webhook.clientConfig : undefined;
    if (v1 && typeof v1.url === 'string') out.push({ pointer: '/spec/conversion/webhook/clientConfig/url', url: v1.url, name: 'conversion' });
    const beta = isObject(conversion.webhookClientConfig) ? conversion.webhookClientConfig : undefined;
    if (beta && typeof beta.url === 'string') out.push({ pointer: '/spec/conversion/webhookClientConfig/url', url: beta.url, name: 'conversion' });
    return out;
  }
  const webhooks = Array.isArray(object.webhooks) ? object.webhooks : [];
  webhooks.forEach((w, i) => {
    if (isObject(w) && isObject(w.clientConfig) && typeof w.clientConfig.url === 'string')
      out.push({ pointer: joinPointer('/webhooks', i, 'clientConfig', 'url'), url: w.clientConfig.url, name: typeof w.name === 'string' ? w.name : `#${i}` });
  });
  return out;
}

/** Without TLS anyone on the path reads admitted objects (Secrets included) and forges the allow/deny answer. */
export default defineCheck({
  id: 'PAL-0211',
  name: 'webhook-insecure-client-config',
  title: 'Webhook is called over plain HTTP',
  severity: 'medium',
  category: 'admission-control',
  frameworks: ['nsa:NSA-16', 'mitre:T1557', 'ms:MS-TA9015'],
  docs: {
    description:
      'An admission webhook (ValidatingWebhookConfiguration, MutatingWebhookConfiguration) or a CRD conversion webhook names its ' +
      'endpoint with an `http://` URL. Admission requests carry the full objects being written, Secrets included, and the ' +
      'response decides whether they are admitted or how they are mutated: without TLS anyone on the network path can read ' +
      'them and forge the answer. The v1 API rejects such URLs, so the manifest is also broken, but it shows an endpoint that ' +
      'was meant to run without TLS.',
    remediation:
      "Serve the webhook over HTTPS with a certificate the API server trusts (set `caBundle`, or let cert-manager's CA injector " +
      'fill it), and prefer `clientConfig.service` for in-cluster webhooks.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#contacting-the-webhook',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#webhook-conversion',
    ],
  },
  target: { kind: 'resource', kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'CustomResourceDefinition'] },
  evaluate({ resource }) {
    const out: Violation[] = [];
    for (const { pointer, url, name } of clientUrls(resource.object, resource.ref.kind)) {
      if (!/^http:\/\//i.test(url.trim())) continue;
      out.push({
        pointer,
        message: `${resource.ref.kind} ${resource.ref.name} ${name === 'conversion' ? 'conversion webhook' : `webhook ${name}`} is called over plain HTTP at ${url}`,
        evidence: { webhook: name, url },
      });
    }
    return out;
  },
});
