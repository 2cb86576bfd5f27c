/**
 * The model providers of the built-in analysers, registered with the engine by `scan.ts`.
 * A new analyser (network, images, attack paths) adds its provider here.
 */
import type { AnyModelProvider } from '../core/models.js';
import { imagesModelProvider } from '../image-scan/model.js';
import { networkModelProvider } from '../network/provider.js';
import { pathsModelProvider } from '../paths/provider.js';
import { podsModelProvider } from '../pods/provider.js';
import { pssModelProvider } from '../pss/views.js';
import { rbacModelProvider } from '../rbac/provider.js';
import { scopeModelProvider } from './scope-model.js';

/** Every built-in model provider. */
export const builtinModels: readonly AnyModelProvider[] = [
  rbacModelProvider,
  scopeModelProvider,
  podsModelProvider,
  networkModelProvider,
  pssModelProvider,
  pathsModelProvider,
  imagesModelProvider,
];
