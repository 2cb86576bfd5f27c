/**
 * The running kubelet configuration of each node, through the API server's node proxy:
 * `GET /api/v1/nodes/<name>/proxy/configz` returns `{"kubeletconfig": {...}}` with the defaults
 * filled in. It needs `get` on `nodes/proxy`, which CIS 5.1.10 asks to grant sparingly, so a
 * refusal is expected: it is recorded in the coverage (the kubelet checks then report an error
 * saying so), never taken for a clean node. Flags given only on the kubelet command line are not
 * visible here; `palisade node` reads those.
 */
import { isObject } from '../../core/object.js';
import type { JsonObject, ResourceTypeCoverage } from '../../core/types.js';
import type { Getter } from './discovery.js';
import { ApiError } from './http.js';

/** The coverage entry's type: what the kubelet checks need (`KubeletConfiguration`). */
const TYPE = { group: 'kubelet.config.k8s.io', version: 'v1beta1', resource: 'nodes/proxy/configz', kind: 'KubeletConfiguration', namespaced: false };

/** The annotation naming where a KubeletConfiguration object came from. */
export const KUBELET_SOURCE_ANNOTATION = 'palisade.dev/source';

/**
 * Fetches the configz of each node, `concurrency` at a time. Stops at the first 403: the
 * permission is cluster-wide, so every other node would be refused too.
 *
 * @example
 * const { objects, coverage } = await fetchKubeletConfigs(client, ['node-1'], 'prod', 4);
 */
export async function fetchKubeletConfigs(
  client: Getter,
  nodes: readonly string[],
  cluster: string | undefined,
  concurrency: number,
): Promise<{ readonly objects: JsonObject[]; readonly coverage: ResourceTypeCoverage }> {
  if (nodes.length === 0)
    return {
      objects: [],
      coverage: {
        ...(cluster !== undefined ? { cluster } : {}),
        ...TYPE,
        objects: 0,
        status: 'skipped',
        reason: 'no Node objects were read, so no node to ask',
      },
    };
  const objects: JsonObject[] = [];
  const failures: string[] = [];
  let forbidden: string | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < nodes.length && forbidden === undefined) {
      const name = nodes[next++] as string;
      try {
        const body = await client.get<unknown>(`/api/v1/nodes/${encodeURIComponent(name)}/proxy/configz`);
        const config = isObject(body) && isObject(body.kubeletconfig) ? body.kubeletconfig : undefined;
        if (!config) {
          failures.push(`${name}: the answer has no kubeletconfig`);
          continue;
        }
        objects.push({
          ...config,
          apiVersion: 'kubelet.config.k8s.io/v1beta1',
          kind: 'KubeletConfiguration',
          metadata: { name, annotations: { [KUBELET_SOURCE_ANNOTATION]: `nodes/${name}/proxy/configz` } },
        });
      } catch (err) {
        if (err instanceof ApiError && (err.status === 403 || err.status === 401)) forbidden = err.describe();
        else failures.push(`${name}: ${err instanceof ApiError ? err.describe() : err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, nodes.length)) }, worker));
  objects.sort((a, b) => String((a.metadata as JsonObject).name).localeCompare(String((b.metadata as JsonObject).name)));
  const base = { ...(cluster !== undefined ? { cluster } : {}), ...TYPE, objects: objects.length };
  if (forbidden !== undefined) return { objects: [], coverage: { ...base, objects: 0, status: 'forbidden', reason: `nodes/proxy: ${forbidden}` } };
  if (failures.length > 0)
    return {
      objects,
      coverage: {
        ...base,
        status: objects.length > 0 ? 'partial' : 'failed',
        reason: `${failures.length} of ${nodes.length} node(s) not read: ${failures.slice(0, 3).join('; ')}${failures.length > 3 ? '; ...' : ''}`,
      },
    };
  return { objects, coverage: { ...base, status: 'ok' } };
}
