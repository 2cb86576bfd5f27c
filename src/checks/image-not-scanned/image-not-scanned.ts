import { defineCheck } from '../../core/check.js';
import { containerLabel } from '../../image-scan/model.js';

/** An image nothing is known about must not let a gate pass: an error, not a pass. */
export default defineCheck({
  id: 'PAL-1000',
  name: 'image-not-scanned',
  title: 'Container image could not be scanned',
  severity: 'medium',
  category: 'images',
  frameworks: ['nsa:NSA-03'],
  docs: {
    description:
      'The image named by the container could not be pulled or analysed (or its vulnerabilities could not be matched), so nothing is known about what it contains. ' +
      'The finding is an error: a gate does not pass on an image it could not read. Runs only with `scan --images`.',
    remediation:
      'Check the reference, the registry credentials (docker config.json, credential helpers) and network access; rerun palisade image REF for the detailed error.',
    references: ['https://kubernetes.io/docs/concepts/containers/images/'],
  },
  target: { kind: 'container' },
  uses: ['images'],
  requires: ['images'],
  evaluate({ container, resource, models }) {
    const image = container.container.image;
    if (typeof image !== 'string' || image.trim() === '') return undefined;
    const facts = models.images.of(image);
    if (!facts) return undefined;
    const where = containerLabel(resource.ref, container.name);
    if (!facts.inventory)
      return { path: '/image', error: true, message: `${where}: image ${image.trim()} could not be scanned: ${facts.error ?? 'unknown error'}` };
    if (facts.error !== undefined) return { path: '/image', error: true, message: `${where}: image ${image.trim()}: ${facts.error}` };
    if (facts.matchError !== undefined)
      return { path: '/image', error: true, message: `${where}: image ${image.trim()}: vulnerability matching failed: ${facts.matchError}` };
    return undefined;
  },
});
