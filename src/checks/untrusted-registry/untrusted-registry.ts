import { defineCheck } from '../../core/check.js';
import { parseImageRef } from '../../image-ref/image-ref.js';
import { describeContainer } from '../../security-context/security-context.js';
import type { JsonValue } from '../../core/types.js';

/** Other names of Docker Hub that image references use. */
const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set(['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

function normaliseHost(host: string): string {
  const h = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(h) ? 'docker.io' : h;
}

/**
 * Reads `allowedRegistries`: undefined when not configured. A scan validates params against
 * `paramsSchema` before running; this guard is for callers of the engine that do not, and the
 * engine reports the throw as an `error` finding rather than passing silently.
 */
function allowedRegistries(params: Readonly<Record<string, JsonValue>>): readonly string[] | undefined {
  const v = params.allowedRegistries;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string' && x.trim() !== '')) {
    throw new Error('params.allowedRegistries must be a list of registry hosts or host/path prefixes');
  }
  return v;
}

/**
 * Whether an image reference comes from an allowed source. An entry is a registry host
 * (`ghcr.io`, `registry.example.com:5000`), a host wildcard (`*.dkr.ecr.eu-west-1.amazonaws.com`)
 * or a host with a repository prefix (`ghcr.io/acme`, `docker.io/library`).
 *
 * @example
 * isAllowedImage('nginx:1.27', ['docker.io/library']); // true
 */
export function isAllowedImage(image: string, allowed: readonly string[]): boolean {
  const ref = parseImageRef(image);
  const host = normaliseHost(ref.registry);
  const repository = host === 'docker.io' && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  const full = `${host}/${repository}`;
  return allowed.some((raw) => {
    const entry = raw.trim().replace(/\/+$/, '');
    const slash = entry.indexOf('/');
    const entryHost = normaliseHost(slash === -1 ? entry : entry.slice(0, slash));
    const prefix = slash === -1 ? '' : entry.slice(slash + 1);
    const hostOk = entryHost.startsWith('*.') ? host.endsWith(entryHost.slice(1)) : host === entryHost;
    if (!hostOk) return false;
    if (prefix === '') return true;
    const want = `${host}/${prefix}`;
    return full === want || full.startsWith(`${want}/`);
  });
}

/** Images from anywhere means code from anyone: the registry is part of the supply chain. */
export default defineCheck({
  id: 'PAL-0125',
  name: 'untrusted-registry',
  title: 'Container image comes from a registry that is not allowed',
  severity: 'medium',
  category: 'supply-chain',
  frameworks: ['nsa:NSA-03', 'mitre:T1204.003', 'ms:MS-TA9002'],
  docs: {
    description:
      'The image is pulled from a registry that is not in the configured `allowedRegistries` list. Images from public or unknown ' +
      'registries bypass your scanning, signing and retention policies, and typo-squatted or hijacked repositories deliver malicious code. ' +
      'Entries are registry hosts (`registry.example.com:5000`), host wildcards (`*.dkr.ecr.eu-west-1.amazonaws.com`) or host/path ' +
      'prefixes (`ghcr.io/acme`, `docker.io/library` for official Docker Hub images); references without a registry are Docker Hub ' +
      '(`docker.io`). The check needs configuration: without `allowedRegistries` it passes every image. An empty list allows nothing.',
    remediation:
      'Mirror the image into an allowed registry and reference it from there, or add its registry to `checks.PAL-0125.params.allowedRegistries` ' +
      'in `.palisade.yaml`. Enforce the same list at admission (ValidatingAdmissionPolicy, Kyverno or Gatekeeper).',
    references: [
      'https://kubernetes.io/docs/concepts/containers/images/#image-names',
      'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/',
    ],
  },
  target: { kind: 'container' },
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowedRegistries: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'registry hosts, host wildcards or host/path prefixes; an empty list allows nothing',
      },
    },
  },
  evaluate({ container, params }) {
    const allowed = allowedRegistries(params);
    const image = container.container.image;
    if (allowed === undefined || typeof image !== 'string' || image === '') return undefined;
    if (isAllowedImage(image, allowed)) return undefined;
    const registry = normaliseHost(parseImageRef(image).registry);
    return {
      path: '/image',
      message: `${describeContainer(container)} pulls "${image}" from ${registry}, which is not in allowedRegistries (${allowed.join(', ') || 'empty'})`,
      evidence: { image, registry },
    };
  },
});
