import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discover, type Getter, listableTypes } from './discovery.js';
import { ApiError } from './http.js';

/** A stub API server: path -> body (or error). */
function stub(routes: Record<string, unknown>): Getter {
  return {
    get: async <T>(path: string): Promise<T> => {
      const r = routes[path];
      if (r instanceof Error) throw r;
      if (r === undefined) throw new ApiError('http', 404, 'NotFound', 'not found');
      return r as T;
    },
  };
}

const res = (name: string, kind: string, namespaced: boolean, verbs = ['get', 'list', 'watch']) => ({ name, kind, namespaced, verbs });

describe('discovery', () => {
  it('takes each resource in the preferred version, or the first version serving it, and reports broken groups', async () => {
    const { types, failures, kubernetesVersion } = await discover(
      stub({
        '/version': { gitVersion: 'v1.29.4' },
        '/api': { versions: ['v1'] },
        '/api/v1': { resources: [res('pods', 'Pod', true), res('pods/log', 'Pod', true, ['get']), res('events', 'Event', true)] },
        '/apis': {
          groups: [
            {
              name: 'autoscaling',
              versions: [{ version: 'v2' }, { version: 'v1' }],
              preferredVersion: { version: 'v2' },
            },
            { name: 'example.com', versions: [{ version: 'v1beta1' }, { version: 'v1alpha1' }], preferredVersion: { version: 'v1beta1' } },
            { name: 'metrics.k8s.io', versions: [{ version: 'v1beta1' }], preferredVersion: { version: 'v1beta1' } },
            { name: 'broken.example', versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } },
          ],
        },
        '/apis/autoscaling/v2': { resources: [res('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true)] },
        '/apis/autoscaling/v1': { resources: [res('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true)] },
        '/apis/example.com/v1beta1': { resources: [res('widgets', 'Widget', true)] },
        '/apis/example.com/v1alpha1': { resources: [res('widgets', 'Widget', true), res('gadgets', 'Gadget', false)] },
        '/apis/broken.example/v1': new ApiError('http', 503, 'ServiceUnavailable', 'the server is currently unable to handle the request'),
      }),
    );
    assert.equal(kubernetesVersion, 'v1.29.4');
    assert.deepEqual(
      types.map((t) => `${t.resource}.${t.group}/${t.version}`),
      ['pods./v1', 'events./v1', 'horizontalpodautoscalers.autoscaling/v2', 'widgets.example.com/v1beta1', 'gadgets.example.com/v1alpha1'],
    );
    assert.deepEqual(
      failures.map((f) => [f.group, f.resource, f.status]),
      [['broken.example', '*', 'failed']],
    );
    assert.match(failures[0]?.reason ?? '', /discovery failed: service unavailable \(503\)/);
    assert.deepEqual(
      listableTypes(types).map((t) => t.resource),
      ['pods', 'horizontalpodautoscalers', 'gadgets', 'widgets'],
    );
  });
});
