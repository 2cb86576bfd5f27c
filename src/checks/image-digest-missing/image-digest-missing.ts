import { defineCheck } from '../../core/check.js';
import { parseImageRef } from '../../image-ref/image-ref.js';
import { describeContainer } from '../../security-context/security-context.js';

/** Tags are mutable pointers; only a digest names exactly the bytes that were scanned and approved. */
export default defineCheck({
  id: 'PAL-0127',
  name: 'image-digest-missing',
  title: 'Container image is not pinned by digest',
  severity: 'info',
  category: 'supply-chain',
  frameworks: ['nsa:NSA-03', 'ms:MS-TA9002'],
  docs: {
    description:
      'The image has a version tag but no `@sha256:` digest. Tags can be moved: whoever can push to the repository (or compromise it) ' +
      'can change what `app:1.4.2` means, and nodes that pull later run different bytes from the ones that were scanned, signed and ' +
      'tested. Untagged and `latest` images are reported by image-latest-tag (PAL-0100) and not here.',
    remediation:
      'Reference images by digest, keeping the tag for readability: `image: registry.example.com/app:1.4.2@sha256:...`. Tools such as ' +
      'Renovate, `crane digest` or `kustomize edit set image` keep digests current.',
    references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
  },
  target: { kind: 'container' },
  evaluate({ container }) {
    const image = container.container.image;
    if (typeof image !== 'string' || image === '') return undefined;
    const ref = parseImageRef(image);
    if (ref.digest !== undefined || ref.tag === undefined || ref.tag === 'latest') return undefined;
    return {
      path: '/image',
      message: `${describeContainer(container)} uses image "${image}" by tag ${ref.tag} without a digest`,
      evidence: { image },
    };
  },
});
