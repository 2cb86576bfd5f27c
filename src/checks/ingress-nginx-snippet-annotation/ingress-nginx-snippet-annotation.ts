import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { isObject } from '../../core/object.js';

/** Annotations whose value is pasted verbatim into the controller's nginx.conf (ingress-nginx and NGINX Inc.). */
const SNIPPET_ANNOTATIONS: ReadonlySet<string> = new Set([
  'nginx.ingress.kubernetes.io/configuration-snippet',
  'nginx.ingress.kubernetes.io/server-snippet',
  'nginx.ingress.kubernetes.io/auth-snippet',
  'nginx.ingress.kubernetes.io/stream-snippet',
  'nginx.ingress.kubernetes.io/modsecurity-snippet',
  'nginx.org/server-snippets',
  'nginx.org/location-snippets',
]);

/** Directives that read files, run code or serve the file system: the known exploitation patterns. */
const DANGEROUS = /\/var\/run\/secrets|serviceaccount|_by_lua|load_module|\balias\s+\/|\broot\s+\/(?:[\s;]|$)|\bperl\b|\bjs_(?:content|import)\b/i;

/**
 * CVE-2021-25742: snippets let whoever can create an Ingress run nginx directives in the
 * controller, which holds a token that reads every Secret of the cluster.
 */
export default defineCheck({
  id: 'PAL-0224',
  name: 'ingress-nginx-snippet-annotation',
  title: 'Ingress injects raw NGINX configuration with a snippet annotation',
  severity: 'high',
  category: 'access-control',
  frameworks: ['mitre:T1552', 'mitre:T1068', 'ms:MS-TA9025'],
  docs: {
    description:
      'The Ingress uses a snippet annotation (`nginx.ingress.kubernetes.io/configuration-snippet`, `server-snippet`, ' +
      "`auth-snippet`, `stream-snippet`, `modsecurity-snippet`, or NGINX Inc.'s `nginx.org/*-snippets`), whose text is copied " +
      "into the ingress controller's configuration. Anyone who can create or edit an Ingress in any namespace can then read " +
      'files of the controller pod, including its service account token, which can read every Secret in the cluster ' +
      '(CVE-2021-25742), or bypass the routing and authentication of other tenants. Snippets that reference the service ' +
      'account, Lua, Perl or njs code, module loading or file-system aliases are reported as critical. ingress-nginx 1.9+ ' +
      'ignores snippets unless `allow-snippet-annotations` is enabled.',
    remediation:
      'Replace snippets with dedicated annotations or the controller ConfigMap, keep `allow-snippet-annotations: "false"` and ' +
      '`annotations-risk-level: Critical` off, and restrict who can create Ingresses in multi-tenant clusters.',
    references: [
      'https://github.com/kubernetes/ingress-nginx/issues/7837',
      'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#configuration-snippet',
      'https://kubernetes.io/docs/concepts/services-networking/ingress-controllers/',
    ],
  },
  target: { kind: 'resource', kinds: ['Ingress'] },
  evaluate({ resource }) {
    const metadata = resource.object.metadata;
    const annotations = isObject(metadata) && isObject(metadata.annotations) ? metadata.annotations : {};
    const out: Violation[] = [];
    for (const [key, value] of Object.entries(annotations)) {
      if (!SNIPPET_ANNOTATIONS.has(key) || typeof value !== 'string' || value.trim() === '') continue;
      const dangerous = DANGEROUS.exec(value)?.[0];
      out.push({
        path: joinPointer('/metadata/annotations', key),
        message: `Ingress ${resource.ref.name} injects raw NGINX configuration through ${key}${dangerous ? ` and uses "${dangerous.trim()}", a known way to read the controller's files or run code` : ''}`,
        evidence: { annotation: key, lines: value.split('\n').filter((l) => l.trim() !== '').length, ...(dangerous ? { pattern: dangerous.trim() } : {}) },
        ...(dangerous ? { severity: 'critical' as const } : {}),
      });
    }
    return out;
  },
});
