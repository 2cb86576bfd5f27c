/**
 * Scenario tables in the style of the Kubernetes e2e network-policy suite
 * (test/e2e/network/netpol): namespaces x, y, z with pods a, b, c each, every pod serving
 * ports 80 and 81 on TCP and UDP (named serve-<port>-<proto>). Each case applies a policy set
 * and states the expected reachability of every (source, destination) pair on one port; the
 * per-pair answer (`reach`) and the class-grouped matrix must both give the table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { hasPort, type Protocol } from './conn.js';
import { parseCidr } from './ip.js';
import { buildNetworkModel, type Endpoint, type NetworkModel, type WorkloadNode } from './model.js';

const NAMESPACES = ['x', 'y', 'z'];
const PODS = ['a', 'b', 'c'];

function cluster(policies: string): string {
  const docs: string[] = [];
  for (const ns of NAMESPACES) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {ns: ${ns}}}`);
    for (const pod of PODS)
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: ${pod}, namespace: ${ns}}
spec:
  selector: {matchLabels: {pod: ${pod}}}
  template:
    metadata: {labels: {pod: ${pod}}}
    spec:
      containers:
        - name: c80
          image: agnhost
          ports:
            - {name: serve-80-tcp, containerPort: 80, protocol: TCP}
            - {name: serve-80-udp, containerPort: 80, protocol: UDP}
        - name: c81
          image: agnhost
          ports:
            - {name: serve-81-tcp, containerPort: 81}
            - {name: serve-81-udp, containerPort: 81, protocol: UDP}`);
  }
  return [...docs, policies].filter((d) => d.trim() !== '').join('\n---\n');
}

/** The expected table: one row per source (x/a, x/b, ..., z/c), one character per destination; 1 allowed, 0 denied. */
type Table = readonly string[];

const ALL_ALLOWED: Table = Array(9).fill('111111111');

function actual(model: NetworkModel, protocol: Protocol, port: number, via: 'reach' | 'allowed' | 'matrix'): string[] {
  const order = model.workloads.map((w) => `${w.namespace}/${w.name}`);
  const conns = (s: Endpoint, d: Endpoint) => (via === 'allowed' ? model.allowed(s, d) : model.reach(s, d).allowed);
  const rows = model.workloads.map((s) =>
    model.workloads.map((d) => (s === d || hasPort(conns({ kind: 'workload', node: s }, { kind: 'workload', node: d }), protocol, port) ? '1' : '0')),
  );
  if (via !== 'matrix') return rows.map((r) => r.join(''));
  const grid = model.workloads.map((s) => model.workloads.map((d) => (s === d ? '1' : '0')));
  for (const c of model.matrix().connections()) {
    if (c.src.kind !== 'workload' || c.dst.kind !== 'workload') continue;
    if (hasPort(c.conns, protocol, port))
      (grid[order.indexOf(`${c.src.node.namespace}/${c.src.node.name}`)] as string[])[order.indexOf(`${c.dst.node.namespace}/${c.dst.node.name}`)] = '1';
  }
  return grid.map((r) => r.join(''));
}

interface Case {
  readonly name: string;
  readonly policies: string;
  readonly probes: readonly { readonly protocol: Protocol; readonly port: number; readonly expect: Table }[];
}

const CASES: readonly Case[] = [
  { name: 'no policy: everything allowed', policies: '', probes: [{ protocol: 'TCP', port: 80, expect: ALL_ALLOWED }] },
  {
    name: 'deny all ingress in x',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress]}`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['100111111', '010111111', '001111111', '000111111', '000111111', '000111111', '000111111', '000111111', '000111111'],
      },
    ],
  },
  {
    name: 'allow all ingress in x after a deny all',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all, namespace: x}
spec: {podSelector: {}, ingress: [{}]}`,
    probes: [{ protocol: 'UDP', port: 81, expect: ALL_ALLOWED }],
  },
  {
    name: 'deny all egress from x',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: x}
spec: {podSelector: {}, policyTypes: [Egress]}`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['100000000', '010000000', '001000000', '111111111', '111111111', '111111111', '111111111', '111111111', '111111111'],
      },
    ],
  },
  {
    name: 'namespace-scoped: x/a admits namespace y only',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-y, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['111111111', '011111111', '011111111', '111111111', '111111111', '111111111', '011111111', '011111111', '011111111'],
      },
    ],
  },
  {
    name: 'namespace by its name label (kubernetes.io/metadata.name)',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-z, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: z}}}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['111111111', '011111111', '011111111', '011111111', '011111111', '011111111', '111111111', '111111111', '111111111'],
      },
    ],
  },
  {
    name: 'AND: namespaceSelector and podSelector in one peer',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: and, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: b}}}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['111111111', '011111111', '011111111', '011111111', '111111111', '011111111', '011111111', '011111111', '011111111'],
      },
    ],
  },
  {
    name: 'OR: namespaceSelector and podSelector as two peers',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: or, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}, {podSelector: {matchLabels: {pod: b}}}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['111111111', '111111111', '011111111', '111111111', '111111111', '111111111', '011111111', '011111111', '011111111'],
      },
    ],
  },
  {
    name: 'named port: x/a admits serve-81-tcp only',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: named, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress: [{ports: [{port: serve-81-tcp}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['111111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111'],
      },
      { protocol: 'TCP', port: 81, expect: ALL_ALLOWED },
      // The name resolves with its protocol: serve-81-tcp does not admit UDP 81.
      {
        protocol: 'UDP',
        port: 81,
        expect: ['111111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111'],
      },
    ],
  },
  {
    name: 'named port with the wrong protocol matches nothing',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: named-udp, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress: [{ports: [{port: serve-80-tcp, protocol: UDP}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['111111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111'],
      },
    ],
  },
  {
    name: 'endPort: x/a admits TCP 80-81 from y only',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: range, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
      ports: [{port: 80, endPort: 81}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 81,
        expect: ['111111111', '011111111', '011111111', '111111111', '111111111', '111111111', '011111111', '011111111', '011111111'],
      },
      {
        protocol: 'TCP',
        port: 82,
        expect: ['111111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111'],
      },
    ],
  },
  {
    name: 'ipBlock with except: egress of x/a to external addresses only (pods are not ipBlock peers)',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ipblock, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['100000000', '111111111', '111111111', '111111111', '111111111', '111111111', '111111111', '111111111', '111111111'],
      },
    ],
  },
  {
    name: 'egress-only policy (policyTypes: [Egress]) leaves ingress open',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-only, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {pod: b}}}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['110000000', '111111111', '111111111', '111111111', '111111111', '111111111', '111111111', '111111111', '111111111'],
      },
    ],
  },
  {
    name: 'egress rules without policyTypes isolate ingress too (API server defaulting)',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: defaulted, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  egress: [{to: [{podSelector: {matchLabels: {pod: b}}}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['110000000', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111', '011111111'],
      },
    ],
  },
  {
    name: 'empty egress list without policyTypes does not isolate egress',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: empty-egress, namespace: x}
spec: {podSelector: {matchLabels: {pod: a}}, egress: [], ingress: [{}]}`,
    probes: [{ protocol: 'TCP', port: 80, expect: ALL_ALLOWED }],
  },
  {
    name: 'egress and ingress both needed: x/a to y/b',
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-y, namespace: y}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-from-x, namespace: y}
spec:
  podSelector: {matchLabels: {pod: b}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: x}}}], ports: [{port: 80, protocol: TCP}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a-egress, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress: [{to: [{namespaceSelector: {matchLabels: {ns: y}}}]}]`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        expect: ['100010000', '111010111', '111010111', '111100111', '111010111', '111001111', '111000111', '111000111', '111000111'],
      },
    ],
  },
  {
    name: 'AdminNetworkPolicy deny from y beats a NetworkPolicy allow; Pass defers to NetworkPolicy; baseline denies the rest',
    policies: `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-y-to-x}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {ns: x}}}
  ingress:
    - {name: pass-yb, action: Pass, from: [{pods: {namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: b}}}}]}
    - {name: deny-y, action: Deny, from: [{namespaces: {matchLabels: {ns: y}}}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-y, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {ns: x}}}
  ingress:
    - {name: deny-z, action: Deny, from: [{namespaces: {matchLabels: {ns: z}}}]}`,
    probes: [
      {
        protocol: 'TCP',
        port: 80,
        // x/a: y/b passes to the NetworkPolicy (allowed), y/a and y/c are denied by the ANP,
        // z is denied by the NetworkPolicy isolation. x/b, x/c (no NetworkPolicy): y denied by
        // ANP except y/b (pass, then baseline: no rule for y -> allowed); z denied by baseline.
        expect: ['111111111', '011111111', '011111111', '000111111', '111111111', '000111111', '000111111', '000111111', '000111111'],
      },
    ],
  },
];

describe('network scenarios (3 namespaces x 3 pods)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { inventory } = inventoryOf(cluster(c.policies));
      const model = buildNetworkModel(inventory);
      assert.deepEqual(model.warnings, []);
      assert.equal(model.workloads.length, 9);
      for (const probe of c.probes) {
        const label = `${probe.protocol}/${probe.port}`;
        assert.deepEqual(actual(model, probe.protocol, probe.port, 'reach'), [...probe.expect], `reach ${label}`);
        assert.deepEqual(actual(model, probe.protocol, probe.port, 'allowed'), [...probe.expect], `allowed ${label}`);
        assert.deepEqual(actual(model, probe.protocol, probe.port, 'matrix'), [...probe.expect], `matrix ${label}`);
      }
    });
  }

  it('ipBlock except: x/a reaches 8.8.8.8 but not 10.1.2.3, in reach and in the matrix', () => {
    const c = CASES.find((x) => x.name.startsWith('ipBlock')) as Case;
    const model = buildNetworkModel(inventoryOf(cluster(c.policies)).inventory);
    const a = model.findWorkloads('x', 'a')[0] as WorkloadNode;
    const ext = (ip: string) => model.externalFor(parseCidr(ip) as NonNullable<ReturnType<typeof parseCidr>>);
    const public_ = ext('8.8.8.8');
    const private_ = ext('10.1.2.3');
    assert.equal(public_?.text, '0.0.0.0-9.255.255.255');
    assert.equal(private_?.text, '10.0.0.0-10.255.255.255');
    assert.ok(hasPort(model.reach({ kind: 'workload', node: a }, { kind: 'external', node: public_ as NonNullable<typeof public_> }).allowed, 'TCP', 443));
    assert.ok(!hasPort(model.reach({ kind: 'workload', node: a }, { kind: 'external', node: private_ as NonNullable<typeof private_> }).allowed, 'TCP', 443));
    const fromA = [...model.matrix().connections()]
      .filter((x) => x.src.kind === 'workload' && x.src.node === a)
      .map((x) => (x.dst.kind === 'external' ? x.dst.node.text : '?'));
    assert.deepEqual(fromA, ['0.0.0.0-9.255.255.255', '11.0.0.0-255.255.255.255']);
  });
});
