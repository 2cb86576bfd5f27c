import { defineCheck } from '../../core/check.js';
import { containerLabel } from '../../image-scan/model.js';

const DEFAULT_MAX_AGE_DAYS = 365;

/** An old build misses every fix published since, whatever a scanner knows today. */
export default defineCheck({
  id: 'PAL-1001',
  name: 'image-stale',
  title: 'Container image is older than the allowed age',
  severity: 'low',
  category: 'images',
  frameworks: ['nsa:NSA-03'],
  docs: {
    description:
      'The image was built (config `created`) longer ago than the allowed age (`maxAgeDays`, default 365; `scan --image-max-age`): ' +
      'it misses every fix published since, whatever a scanner knows today. Runs only with `scan --images`.',
    remediation: 'Rebuild the image on a current base image regularly and roll it out.',
  },
  target: { kind: 'container' },
  uses: ['images'],
  requires: ['images'],
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { maxAgeDays: { type: 'integer', minimum: 1, description: 'Images built longer ago than this many days fail. Default 365.' } },
  },
  evaluate({ container, resource, models, params }) {
    const image = container.container.image;
    if (typeof image !== 'string') return undefined;
    const facts = models.images.of(image);
    if (!facts?.inventory || facts.ageDays === undefined) return undefined;
    const maxAge = typeof params.maxAgeDays === 'number' ? params.maxAgeDays : DEFAULT_MAX_AGE_DAYS;
    if (facts.ageDays <= maxAge) return undefined;
    return {
      path: '/image',
      message: `${containerLabel(resource.ref, container.name)}: image ${image.trim()} was built ${facts.ageDays} days ago (${facts.inventory.created}), more than ${maxAge}`,
      evidence: { created: facts.inventory.created as string, ageDays: facts.ageDays, maxAgeDays: maxAge },
    };
  },
});
