import { defineCheck } from '../../core/check.js';
import { parseImageRef } from '../../image-ref/image-ref.js';

/** Mutable tags make deployments unrepeatable and let a registry push change what runs. */
export default defineCheck({
  id: 'PAL-0100',
  name: 'image-latest-tag',
  title: 'Container image has no tag, uses latest, and no digest',
  severity: 'medium',
  category: 'supply-chain',
  frameworks: ['nsa:NSA-03', 'mitre:T1525', 'ms:MS-TA9002'],
  docs: {
    description:
      'An image referenced without a tag, or with the mutable `latest` tag and no digest, can change under a running workload: ' +
      'a restart may pull different code, rollbacks are unreliable, and a compromised registry push is picked up silently.',
    remediation: 'Pin the image to a version tag and, better, to a digest: `image: nginx:1.27.3@sha256:...`.',
    references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
  },
  target: { kind: 'container' },
  evaluate({ container, resource }) {
    const image = container.container.image;
    if (typeof image !== 'string' || image === '') return undefined;
    const ref = parseImageRef(image);
    if (ref.digest) return undefined;
    if (ref.tag === undefined || ref.tag === 'latest') {
      return {
        path: '/image',
        message: `container "${container.name}" of ${resource.ref.kind} ${resource.ref.name} uses image "${image}" ${ref.tag ? 'with the latest tag' : 'without a tag'} and no digest`,
        evidence: { image },
      };
    }
    return undefined;
  },
});
