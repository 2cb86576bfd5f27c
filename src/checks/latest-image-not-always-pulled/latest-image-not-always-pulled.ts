import { defineCheck } from '../../core/check.js';
import { parseImageRef } from '../../image-ref/image-ref.js';
import { describeContainer } from '../../security-context/security-context.js';

/**
 * `latest` (or no tag) defaults to `imagePullPolicy: Always` for a reason: overriding it
 * makes every node run whichever build it pulled first.
 */
export default defineCheck({
  id: 'PAL-0107',
  name: 'latest-image-not-always-pulled',
  title: 'Mutable latest image is not pulled on every start',
  severity: 'low',
  category: 'supply-chain',
  frameworks: ['nsa:NSA-03'],
  docs: {
    description:
      'An image without a tag, or tagged `latest`, and without a digest names whatever the registry serves today. Kubernetes ' +
      'therefore defaults its `imagePullPolicy` to `Always`. Setting `IfNotPresent` or `Never` on such an image makes each node run ' +
      'the build it happened to cache: replicas on different nodes run different code, a fixed image is not picked up on restart, ' +
      'and a pod may start from an image cached by another workload without presenting pull credentials. The check only looks at ' +
      'mutable references (`latest` or no tag, no digest); image-latest-tag (PAL-0100) reports the mutable reference itself.',
    remediation:
      'Pin the image to a version tag and a digest (`image: nginx:1.27.3@sha256:...`), then `IfNotPresent` is safe. If the image must ' +
      'stay mutable, remove `imagePullPolicy` or set it to `Always`.',
    references: ['https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy'],
  },
  target: { kind: 'container' },
  evaluate({ container }) {
    const { image, imagePullPolicy } = container.container;
    if (typeof image !== 'string' || image === '') return undefined;
    if (imagePullPolicy !== 'IfNotPresent' && imagePullPolicy !== 'Never') return undefined;
    const ref = parseImageRef(image);
    if (ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest')) return undefined;
    return {
      path: '/imagePullPolicy',
      message: `${describeContainer(container)} uses the mutable image "${image}" with imagePullPolicy ${imagePullPolicy}, so each node runs whichever build it cached first`,
      evidence: { image, imagePullPolicy },
      fix: [{ op: 'replace', path: `${container.pointer}/imagePullPolicy`, value: 'Always' }],
    };
  },
});
