/**
 * One multi-document fixture per semantic rule (fixtures/*.yaml). Each states its expectations
 * in comments: `# reach: SRC -> DST PORT/PROTO allowed|denied` (SRC and DST are `ns/name` or an
 * IP address) and `# nodes: ns/name[Kind] ...` (the workloads of the model). Every reach
 * expectation is checked per pair and against the class-grouped matrix.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { hasPort, parseProtocol, type Protocol } from './conn.js';
import { parseCidr } from './ip.js';
import { buildNetworkModel, type Endpoint, endpointName, type NetworkModel } from './model.js';

const dir = new URL('./fixtures/', import.meta.url);

function endpoint(model: NetworkModel, text: string): Endpoint {
  const ip = parseCidr(text);
  if (ip) {
    const node = model.externalFor(ip);
    assert.ok(node, `no external node holds ${text}`);
    return { kind: 'external', node };
  }
  const [ns, name] = text.split('/');
  const [node] = model.findWorkloads(ns as string, name as string);
  assert.ok(node, `no workload ${text}`);
  return { kind: 'workload', node };
}

function matrixAllows(model: NetworkModel, src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): boolean {
  for (const c of model.matrix().connections())
    if (endpointName(c.src) === endpointName(src) && endpointName(c.dst) === endpointName(dst)) return hasPort(c.conns, protocol, port);
  return false;
}

describe('network model: one fixture per semantic rule', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    it(file.replace(/\.yaml$/, ''), () => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const model = buildNetworkModel(inventoryOf(text, file).inventory);
      assert.deepEqual(
        model.warnings.map((w) => w.message),
        [],
      );
      let checked = 0;
      for (const m of text.matchAll(/^# reach: (\S+) -> (\S+) (\d+)\/(\w+) (allowed|denied)$/gm)) {
        const [, s, d, port, proto, verdict] = m as unknown as [string, string, string, string, string, string];
        const src = endpoint(model, s);
        const dst = endpoint(model, d);
        const protocol = parseProtocol(proto) as Protocol;
        const expected = verdict === 'allowed';
        assert.equal(hasPort(model.reach(src, dst).allowed, protocol, Number(port)), expected, `reach ${m[0]}`);
        assert.equal(matrixAllows(model, src, dst, protocol, Number(port)), expected, `matrix ${m[0]}`);
        assert.equal(src === dst || hasPort(model.allowed(src, dst), protocol, Number(port)), expected, `allowed ${m[0]}`);
        checked++;
      }
      const nodes = /^# nodes: (.*)$/m.exec(text);
      if (nodes)
        assert.deepEqual(
          model.workloads.map((w) => endpointName({ kind: 'workload', node: w })),
          (nodes[1] as string).split(' '),
        );
      assert.ok(checked > 0, 'the fixture states expectations');
    });
  }
});

describe('network model: explanations and warnings', () => {
  it('reach names the isolating policy and the rule that allows', () => {
    const text = readFileSync(new URL('additive.yaml', dir), 'utf8');
    const model = buildNetworkModel(inventoryOf(text).inventory);
    const r = model.reach(endpoint(model, 'a/web'), endpoint(model, 'a/db'));
    assert.deepEqual(
      r.ingress?.decisions.map((d) => [d.tier, d.policy, d.rule ?? null, d.effect]),
      [
        ['NetworkPolicy', 'a/db-sql', null, 'isolate'],
        ['NetworkPolicy', 'a/db-sql', 'ingress[0]', 'allow'],
        ['NetworkPolicy', 'a/db-metrics', null, 'isolate'],
        ['NetworkPolicy', 'a/db-metrics', 'ingress[0]', 'allow'],
      ],
    );
    assert.equal(r.egress?.isolated, false);
  });

  it('a malformed policy is ignored with a warning naming the field; CNI policies are flagged as not modelled', () => {
    const model = buildNetworkModel(
      inventoryOf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: a}
spec:
  podSelector: {}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l7, namespace: a}
spec: {}`).inventory,
    );
    assert.deepEqual(
      model.warnings.map((w) => w.message),
      [
        'NetworkPolicy a/bad is ignored: spec.ingress[0].from[0].ipBlock.except "192.168.0.0/16" is not a CIDR inside 10.0.0.0/8',
        'CiliumNetworkPolicy a/l7 is not modelled: verdicts for the pods it selects may differ',
      ],
    );
    assert.ok(model.unmodelledNamespaces.has('a'));
  });

  it('exposure through an ingress controller: allowed when a workload of another namespace is let in, not one of its own', () => {
    const app = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: w, image: w, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-edge, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {role: edge}}}], ports: [{port: 8080}]}]`;
    const controller = (namespace: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx, namespace: ${namespace}}
spec:
  template:
    metadata: {labels: {role: edge}}
    spec: {containers: [{name: n, image: n}]}`;
    const verdict = (text: string) =>
      buildNetworkModel(inventoryOf(text).inventory)
        .exposures()
        .filter((e) => e.via === 'Ingress')
        .map((e) => e.policy);
    // The controller's pods run in another namespace: the rule lets them in on 8080.
    assert.deepEqual(verdict(`${app}\n${controller('edge')}`), ['allowed']);
    // No pod the rule admits: no controller could forward the traffic.
    assert.deepEqual(verdict(app), ['denied']);
    // The only pod the rule admits is in the workload's own namespace: not a controller.
    assert.deepEqual(verdict(`${app}\n${controller('shop')}`), ['denied']);
  });

  it('exposure: hostNetwork is not governed by policies; hostPort is', () => {
    const model = buildNetworkModel(
      inventoryOf(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ops}
spec:
  template:
    metadata: {labels: {app: agent}}
    spec: {hostNetwork: true, containers: [{name: a, image: a, ports: [{containerPort: 9100}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: proxy, namespace: ops}
spec:
  template:
    metadata: {labels: {app: proxy}}
    spec: {containers: [{name: p, image: p, ports: [{containerPort: 8080, hostPort: 80}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: ops}
spec: {podSelector: {}, policyTypes: [Ingress]}`).inventory,
    );
    assert.deepEqual(
      model.exposures().map((e) => [e.workload.name, e.via, e.policy, e.path.join(' -> ')]),
      [
        ['agent', 'hostNetwork', 'not-applicable', 'network of the node -> DaemonSet ops/agent port 9100/TCP'],
        ['proxy', 'hostPort', 'denied', 'host port 80/TCP on the node -> Deployment ops/proxy port 8080/TCP'],
      ],
    );
  });
});

describe('network model: exposure through Gateway API, NodePort and externalIPs', () => {
  it('follows Gateway listeners and HTTPRoutes to Services and pods, with TLS by listener protocol', () => {
    const model = buildNetworkModel(
      inventoryOf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{name: web, containerPort: 8080}, {name: admin, containerPort: 9000}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  type: NodePort
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: web, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: api-admin, namespace: shop}
spec:
  selector: {app: api}
  externalIPs: [198.51.100.7]
  ports: [{name: admin, port: 9000, targetPort: admin}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
    - {name: https, protocol: HTTPS, port: 443, hostname: api.example.com}
    - {name: http, protocol: HTTP, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: infra, sectionName: https}]
  rules: [{backendRefs: [{name: api, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api-plain, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: infra, sectionName: http}]
  hostnames: [plain.example.com]
  rules: [{backendRefs: [{name: api, port: 80}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: infra}}}]
      ports: [{port: web}]`).inventory,
    );
    assert.deepEqual(
      model.exposures().map((e) => [e.via, e.tls ?? null, e.policy, e.hosts, e.path.join(' -> ')]),
      [
        [
          'NodePort',
          false,
          'denied',
          [],
          'internet -> node port on every node -> Service shop/api port 80 (node port 30080)/TCP -> Deployment shop/api port 8080/TCP',
        ],
        [
          'externalIPs',
          null,
          'denied',
          [],
          'internet -> external IP 198.51.100.7 -> Service shop/api-admin port 9000/TCP -> Deployment shop/api port 9000/TCP',
        ],
        [
          'Gateway',
          true,
          'allowed',
          ['api.example.com'],
          'internet -> gateway -> Gateway infra/public listener https HTTPS/443 -> HTTPRoute shop/api -> Service shop/api port 80 (node port 30080)/TCP -> Deployment shop/api port 8080/TCP',
        ],
        [
          'Gateway',
          false,
          'allowed',
          ['plain.example.com'],
          'internet -> gateway -> Gateway infra/public listener http HTTP/80 -> HTTPRoute shop/api-plain -> Service shop/api port 80 (node port 30080)/TCP -> Deployment shop/api port 8080/TCP',
        ],
      ],
    );
  });
});
