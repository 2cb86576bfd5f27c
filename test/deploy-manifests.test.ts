/**
 * The in-cluster manifests of deploy/ as users apply them: the Kustomize output (kubectl
 * kustomize where kubectl is installed, else test/support/kustomize-lite.ts, which is checked
 * against kubectl wherever both exist) passes the built CLI's own `palisade scan --fail-on
 * medium` and, apart from the node checks that must read the host, `palisade pss --level
 * restricted`; the Helm chart deploy/helm/palisade renders the same objects (with helm-lite:
 * no helm binary here); the admission base is what `palisade admission manifests` prints.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { admissionManifests } from '../src/admission/manifests.js';
import { VERSION } from '../src/version.js';
import { CLI } from './support/cli.js';
import { renderChart } from './support/helm-lite.js';
import { objectId, renderKustomization } from './support/kustomize-lite.js';

type Obj = Record<string, unknown>;

const DEPLOY = fileURLToPath(new URL('../deploy/', import.meta.url));
const CHART = join(DEPLOY, 'helm/palisade');
const ADMISSION_CHART = join(DEPLOY, 'helm/palisade-admission');
const dir = mkdtempSync(join(tmpdir(), 'palisade-deploy-'));

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

function kubectlKustomize(path: string): Obj[] {
  const r = spawnSync('kubectl', ['kustomize', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
}

/** What `kubectl kustomize` prints, with kubectl when present. */
function kustomize(path: string): Obj[] {
  return kubectl ? kubectlKustomize(path) : renderKustomization(path);
}

const byId = (objects: Obj[]): Obj[] => [...objects].sort((a, b) => objectId(a).localeCompare(objectId(b)));
const ids = (objects: Obj[]): string[] => byId(objects).map(objectId);

function write(name: string, objects: Obj[]): string {
  const file = join(dir, name);
  writeFileSync(file, objects.map((o) => stringify(o, { aliasDuplicateObjects: false })).join('---\n'));
  return file;
}

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const isNode = (o: Obj): boolean =>
  ((o.metadata as Obj | undefined)?.namespace ?? (o.kind === 'Namespace' ? (o.metadata as Obj).name : '')) === 'palisade-node';

const all = kustomize(DEPLOY);
const agent = kustomize(join(DEPLOY, 'agent'));

describe('deploy/ Kustomize manifests', () => {
  it('kustomize-lite renders what kubectl kustomize renders', { skip: kubectl ? false : 'kubectl is not installed' }, () => {
    for (const path of ['', 'namespace', 'server', 'agent', 'admission', 'node']) {
      const full = join(DEPLOY, path);
      assert.deepEqual(byId(renderKustomization(full)), byId(kubectlKustomize(full)), `deploy/${path}`);
    }
  });

  it('holds the server, the admission webhook and the node checks; the agent base brings its namespace', () => {
    assert.deepEqual(
      all
        .filter((o) => ['Deployment', 'DaemonSet'].includes(String(o.kind)))
        .map(objectId)
        .sort(),
      ['DaemonSet/palisade-node/palisade-node', 'Deployment/palisade/palisade-admission', 'Deployment/palisade/palisade-server'],
    );
    assert.ok(ids(agent).includes('Namespace//palisade'));
    assert.ok(ids(agent).includes('Deployment/palisade/palisade-agent'));
  });

  it('is the version of the package: image tags and version labels', () => {
    const kustomization = parse(readFileSync(join(DEPLOY, 'kustomization.yaml'), 'utf8')) as { images: { name: string; newTag: string }[] };
    assert.deepEqual(kustomization.images, [{ name: 'kube-palisade', newName: 'kube-palisade', newTag: VERSION }]);
    for (const o of [...all, ...agent]) {
      const text = JSON.stringify(o);
      for (const m of text.matchAll(/"image":"([^"]+)"/g)) assert.equal(m[1], `kube-palisade:${VERSION}`, objectId(o));
      for (const m of text.matchAll(/"app\.kubernetes\.io\/version":"([^"]+)"/g)) assert.equal(m[1], VERSION, objectId(o));
    }
  });

  it('the admission base is what palisade admission manifests --cert-manager prints', () => {
    const expected = admissionManifests({
      namespace: 'palisade',
      image: `kube-palisade:${VERSION}`,
      replicas: 2,
      failOn: 'high',
      defaultMode: 'warn',
      failurePolicy: 'Fail',
      mutating: false,
      certificate: { kind: 'cert-manager' },
    }) as Obj[];
    assert.deepEqual(byId(kustomize(join(DEPLOY, 'admission'))), byId(expected));
  });

  it('every flag the containers pass is an option of the built CLI (commands not built yet are skipped)', (t) => {
    const containers = [...all, ...agent].flatMap((o) => {
      const spec = ((o.spec as Obj | undefined)?.template as Obj | undefined)?.spec as Obj | undefined;
      return ((spec?.containers ?? []) as Obj[]).map((c) => ({
        id: objectId(o),
        words: [...((c.command ?? []) as string[]), ...((c.args ?? []) as string[])],
      }));
    });
    assert.equal(containers.length, 4);
    for (const { id, words } of containers) {
      // `sh -c 'palisade node ...'` in the node checks; `args` after the `palisade` entrypoint elsewhere.
      const line = words[0] === 'sh' ? ((words[2] ?? '').split(';')[0]?.trim().split(/\s+/).slice(1) ?? []) : words;
      const sub = line.slice(
        0,
        line.findIndex((w) => w.startsWith('-')),
      );
      const help = cli([...sub, '--help']);
      if (help.code !== 0 && /unknown command/.test(help.stderr)) {
        t.diagnostic(`${id}: palisade ${sub.join(' ')} is not in this build; its flags are not checked`);
        continue;
      }
      assert.equal(help.code, 0, `${id}: palisade ${sub.join(' ')} --help`);
      for (const flag of line.filter((w) => /^--[a-z]/.test(w))) assert.ok(help.stdout.includes(flag), `${id}: palisade ${sub.join(' ')} has no ${flag}`);
    }
  });

  it('the server and the agent read the cluster with the same read-only ClusterRole, without Secrets or subresources', () => {
    const role = (objects: Obj[], name: string) => objects.find((o) => o.kind === 'ClusterRole' && (o.metadata as Obj).name === name) as Obj;
    const rules = (role(all, 'palisade-server').rules ?? []) as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    assert.deepEqual(role(agent, 'palisade-agent').rules, rules);
    for (const r of rules) {
      assert.deepEqual(r.verbs, ['get', 'list', 'watch']);
      assert.ok(!r.apiGroups.includes('*') && !r.resources.includes('*'));
      assert.ok(!r.resources.includes('secrets'));
      assert.ok(
        r.resources.every((x) => !x.includes('/')),
        'no subresource (exec, attach, proxy)',
      );
    }
  });

  it('palisade scan --fail-on medium passes on everything (the built CLI), exceptions each with a reason', () => {
    for (const [name, objects] of [
      ['all.yaml', all],
      ['agent.yaml', agent],
    ] as const) {
      const file = write(name, objects);
      const r = cli(['scan', file, '--fail-on', 'medium', '-f', 'json']);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as {
        resources: number;
        summary: { failBySeverity: Record<string, number> };
        findings: { status: string; exemption?: { reason?: string } }[];
      };
      assert.equal(report.resources, objects.length);
      assert.equal(report.summary.failBySeverity.medium, 0);
      assert.equal(report.summary.failBySeverity.high, 0);
      for (const f of report.findings.filter((x) => x.status === 'exempt')) assert.ok((f.exemption?.reason ?? '').length > 20, JSON.stringify(f));
    }
    // Only the node checks need exceptions beyond the API token of the components that watch.
    const waived = (o: Obj) => Object.keys(((o.metadata as Obj).annotations ?? {}) as Obj).filter((k) => k.startsWith('palisade.dev/ignore.'));
    for (const o of [...all, ...agent].filter((x) => !isNode(x)))
      for (const k of waived(o))
        assert.ok(['palisade.dev/ignore.service-account-token-automount', 'palisade.dev/ignore.secret-not-found'].includes(k), `${objectId(o)}: ${k}`);
  });

  it('palisade pss --level restricted admits every pod outside palisade-node; the node checks need exactly the host access they document', () => {
    const restricted = write('restricted.yaml', [...all.filter((o) => !isNode(o)), ...agent.filter((o) => o.kind !== 'Namespace')]);
    const r = cli(['pss', restricted, '--level', 'restricted', '-f', 'json']);
    assert.equal(r.code, 0, r.stdout);
    const ok = JSON.parse(r.stdout) as { summary: { objects: number; allowed: number } };
    assert.deepEqual(ok.summary, { objects: 3, allowed: 3, denied: 0 });
    // The namespace of the server, the webhook and the agent enforces restricted.
    const ns = all.find((o) => objectId(o) === 'Namespace//palisade') as Obj;
    assert.equal(((ns.metadata as Obj).labels as Obj)['pod-security.kubernetes.io/enforce'], 'restricted');

    const nodeFile = write('node.yaml', all.filter(isNode));
    const denied = cli(['pss', nodeFile, '--level', 'restricted', '-f', 'json']);
    assert.equal(denied.code, 1);
    const result = (JSON.parse(denied.stdout) as { results: { violations: { control: string }[] }[] }).results[0];
    assert.deepEqual(
      [...new Set(result?.violations.map((v) => v.control))].sort(),
      ['capabilities_restricted', 'hostNamespaces', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser'].sort(),
    );
    assert.equal(cli(['pss', nodeFile, '--level', 'privileged']).code, 0);
    const nodeNs = all.find((o) => objectId(o) === 'Namespace//palisade-node') as Obj;
    assert.equal(((nodeNs.metadata as Obj).labels as Obj)['pod-security.kubernetes.io/enforce'], 'privileged');
  });
});

const RELEASE = { name: 'palisade', namespace: 'palisade' };

describe('Helm chart deploy/helm/palisade', () => {
  const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { version: string; appVersion: string };

  it('is the version of the package', () => {
    assert.equal(chart.version, VERSION);
    assert.equal(chart.appVersion, VERSION);
  });

  it('renders with its default values the objects of kubectl kustomize deploy/ (the admission webhook from its own chart; the namespace left to the installer)', () => {
    const rendered = [
      ...renderChart(CHART, {}, RELEASE),
      ...renderChart(ADMISSION_CHART, { certManager: { enabled: true } }, { name: 'palisade-admission', namespace: 'palisade' }),
    ];
    const expected = all.filter((o) => objectId(o) !== 'Namespace//palisade');
    assert.deepEqual(ids(rendered), ids(expected));
    assert.deepEqual(byId(rendered), byId(expected));
  });

  it('renders deploy/agent with agent.enabled (server and node off), and refuses an agent without a server URL', () => {
    const values = {
      server: { enabled: false },
      node: { enabled: false },
      agent: { enabled: true, serverUrl: 'https://palisade.example.com', clusterName: 'my-cluster' },
    };
    const expected = agent.filter((o) => objectId(o) !== 'Namespace//palisade');
    assert.deepEqual(byId(renderChart(CHART, values, RELEASE)), byId(expected));
    assert.throws(() => renderChart(CHART, { agent: { enabled: true, clusterName: 'x' } }, RELEASE), /required: set agent.serverUrl/);
  });

  it('applies the usual knobs, and the result still passes scan --fail-on medium and pss restricted', () => {
    const values = {
      image: { repository: 'registry.example.com/security/palisade', tag: '9.9.9' },
      server: {
        replicas: 3,
        watch: false,
        store: { secretName: 'pg-credentials' },
        tls: { certManager: false, secretName: 'my-tls' },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'security', effect: 'NoSchedule' }],
        resources: {
          requests: { cpu: '200m', memory: '512Mi', 'ephemeral-storage': '16Mi' },
          limits: { cpu: '2', memory: '2Gi', 'ephemeral-storage': '64Mi' },
        },
      },
      agent: { enabled: true, serverUrl: 'https://palisade.example.com', clusterName: 'edge-1', tokenSecret: 'agent-token' },
      node: { enabled: false },
    };
    const objects = renderChart(CHART, values, { name: 'sec', namespace: 'security' });
    const server = objects.find((o) => objectId(o) === 'Deployment/security/sec-server') as Obj;
    const spec = ((server.spec as Obj).template as Obj).spec as Obj;
    const container = (spec.containers as Obj[])[0] as Obj;
    assert.equal((server.spec as Obj).replicas, 3);
    assert.equal(container.image, 'registry.example.com/security/palisade:9.9.9');
    assert.ok((container.args as string[]).includes('--no-watch') && !(container.args as string[]).includes('--in-cluster'));
    assert.equal(spec.automountServiceAccountToken, false, 'a server that does not watch gets no API token');
    assert.deepEqual(spec.nodeSelector, { 'kubernetes.io/os': 'linux' });
    assert.equal((spec.tolerations as Obj[]).length, 1);
    assert.equal(JSON.stringify(server).includes('pg-credentials'), true);
    assert.ok(!objects.some((o) => o.kind === 'ClusterRole' && (o.metadata as Obj).name === 'sec-server'), 'no ClusterRole without watch');
    assert.ok(!objects.some((o) => o.kind === 'Certificate'));
    assert.ok(objects.some((o) => objectId(o) === 'Deployment/security/sec-agent'));
    const file = write('knobs.yaml', objects);
    const scan = cli(['scan', file, '--fail-on', 'medium', '-q']);
    assert.equal(scan.code, 0, scan.stdout);
    assert.equal(cli(['pss', file, '--level', 'restricted', '-q']).code, 0);
  });
});
