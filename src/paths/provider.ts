/**
 * The attack graph as an engine-owned model: checks declare `uses: ['paths']` and read
 * `ctx.models.paths`. It is built on the scan's RBAC and network models, so neither is built twice.
 */
import type { ModelProvider, ScanInputs } from '../core/models.js';
import type { PackageVulnerability } from '../packages/packages.js';
import '../image-scan/model.js';
import { NETWORK_KINDS } from '../network/model.js';
import { networkModelProvider } from '../network/provider.js';
import { rbacModelProvider } from '../rbac/provider.js';
import { type AttackGraph, type AttackGraphOptions, buildAttackGraph } from './graph.js';

declare module '../core/models.js' {
  interface Models {
    /** The attack graph and its paths (`paths/graph.ts`). */
    paths: AttackGraph;
  }
}

/**
 * The graph's options from a scan's inputs: the vulnerabilities matched per image reference
 * when the scan ran with `--images` and a vulnerability database (ADR 0019), else nothing, and
 * the graph says so in its notes.
 *
 * @example
 * graphOptionsOf({ vulnerabilities: { images: { 'nginx:1.27': { vulnerabilities: [] } } } }).vulnerabilities?.size; // 1
 */
export function graphOptionsOf(inputs: ScanInputs): AttackGraphOptions {
  if (!inputs.vulnerabilities) return inputs.images ? { imagesWithoutVulnerabilities: true } : {};
  const map = new Map<string, readonly PackageVulnerability[]>();
  for (const [ref, match] of Object.entries(inputs.vulnerabilities.images)) if (match.vulnerabilities) map.set(ref.trim(), match.vulnerabilities);
  return { vulnerabilities: map };
}

/**
 * Builds the attack graph once per scan, on the scan's RBAC and network models and, when the
 * scan was given them, the image vulnerability matches (`exploit-vulnerable-image` edges).
 *
 * @example
 * runChecks(inventory, { checks, models: [rbacModelProvider, networkModelProvider, pathsModelProvider] });
 */
export const pathsModelProvider: ModelProvider<'paths'> = {
  name: 'paths',
  reads: [...new Set([...rbacModelProvider.reads, ...networkModelProvider.reads, ...NETWORK_KINDS])],
  builtOn: ['rbac', 'network'],
  build: (inventory, models, inputs) => buildAttackGraph(inventory, models('rbac'), models('network'), graphOptionsOf(inputs)),
};
