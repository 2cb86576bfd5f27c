/**
 * Container image reference parsing (the distribution reference grammar, simplified to
 * what checks need: registry, repository, tag, digest).
 */

/** The parts of an image reference. */
export interface ImageRef {
  /** Registry host, `docker.io` when none is given. */
  readonly registry: string;
  /** Repository path, `library/` added for Docker Hub official images. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Splits an image reference.
 *
 * @example
 * parseImageRef('ghcr.io/org/app:1.2@sha256:abc').tag; // '1.2'
 * parseImageRef('nginx').registry; // 'docker.io'
 */
export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry = 'docker.io';
  let repository = rest;
  const firstSlash = rest.indexOf('/');
  if (firstSlash !== -1) {
    const head = rest.slice(0, firstSlash);
    if (head.includes('.') || head.includes(':') || head === 'localhost') {
      registry = head;
      repository = rest.slice(firstSlash + 1);
    }
  }
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, ...(tag !== undefined && tag !== '' ? { tag } : {}), ...(digest ? { digest } : {}) };
}
