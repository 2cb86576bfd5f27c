/**
 * Kubelet configuration through the node proxy: objects from configz, and coverage that says
 * when the permission is missing or some nodes did not answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Getter } from './discovery.js';
import { ApiError } from './http.js';
import { fetchKubeletConfigs } from './kubelet.js';

function getter(answers: Record<string, unknown | ApiError>): Getter & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    async get<T>(path: string): Promise<T> {
      paths.push(path);
      const a = answers[path];
      if (a instanceof ApiError) throw a;
      if (a === undefined) throw new ApiError('http', 404, 'NotFound', 'no such node');
      return a as T;
    },
  };
}

describe('kubelet configuration from configz', () => {
  it('turns each node answer into a KubeletConfiguration named after the node', async () => {
    const g = getter({
      '/api/v1/nodes/n1/proxy/configz': { kubeletconfig: { authentication: { anonymous: { enabled: false } }, readOnlyPort: 0 } },
      '/api/v1/nodes/n2/proxy/configz': { kubeletconfig: { readOnlyPort: 10255 } },
    });
    const r = await fetchKubeletConfigs(g, ['n2', 'n1'], 'prod', 2);
    assert.equal(r.coverage.status, 'ok');
    assert.equal(r.coverage.kind, 'KubeletConfiguration');
    assert.deepEqual(
      r.objects.map((o) => [o.kind, (o.metadata as { name: string }).name, o.readOnlyPort]),
      [
        ['KubeletConfiguration', 'n1', 0],
        ['KubeletConfiguration', 'n2', 10255],
      ],
    );
  });

  it('records forbidden nodes/proxy as forbidden coverage, without asking every node', async () => {
    const forbidden = new ApiError('http', 403, 'Forbidden', 'nodes "n1" is forbidden: cannot get resource "nodes/proxy"');
    const g = getter({ '/api/v1/nodes/n1/proxy/configz': forbidden, '/api/v1/nodes/n2/proxy/configz': forbidden, '/api/v1/nodes/n3/proxy/configz': forbidden });
    const r = await fetchKubeletConfigs(g, ['n1', 'n2', 'n3'], 'prod', 1);
    assert.equal(r.coverage.status, 'forbidden');
    assert.match(r.coverage.reason ?? '', /^nodes\/proxy: forbidden \(403\)/);
    assert.deepEqual(r.objects, []);
    assert.equal(g.paths.length, 1);
  });

  it('records nodes that did not answer as partial coverage, and no nodes as skipped', async () => {
    const g = getter({ '/api/v1/nodes/n1/proxy/configz': { kubeletconfig: {} } });
    const r = await fetchKubeletConfigs(g, ['n1', 'gone'], undefined, 2);
    assert.equal(r.coverage.status, 'partial');
    assert.match(r.coverage.reason ?? '', /1 of 2 node\(s\) not read: gone: not found \(404\)/);
    assert.equal(r.objects.length, 1);
    assert.equal((await fetchKubeletConfigs(g, [], undefined, 2)).coverage.status, 'skipped');
  });
});
