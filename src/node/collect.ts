/**
 * Collects a node's facts for the CIS node checks, as kube-bench does: the modes and owners of
 * the control-plane and kubelet files, the arguments of the Kubernetes processes (from
 * `/proc/<pid>/cmdline`), the kubelet configuration file merged with the kubelet's flags, the
 * certificates and their expiry, and the encryption and audit policy files the API server names.
 *
 * Everything is read under `root` (the host's filesystem mounted read-only, e.g. `/host`), and
 * nothing is written. Owners are resolved to names through the node's own `/etc/passwd` and
 * `/etc/group`, as `stat` on the node would show them. The result is plain Kubernetes-shaped
 * objects (`NodeFacts`, `KubeletConfiguration`, and the control-plane components as Pods) that
 * the engine checks like any other input, so a node report is an ordinary scan report.
 */
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join, posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PalisadeError } from '../core/errors.js';
import { isObject } from '../core/object.js';
import type { Diagnostic, JsonObject, JsonValue } from '../core/types.js';

/** The CIS node profiles (kube-bench's targets). */
export const NODE_PROFILES = ['master', 'etcd', 'worker'] as const;
export type NodeProfile = (typeof NODE_PROFILES)[number];

/** The processes whose arguments are read. */
const PROCESSES = ['kubelet', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kube-proxy'] as const;
type ProcessName = (typeof PROCESSES)[number];
const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'] as const;

/** Options of {@link collectNodeFacts}. */
export interface CollectOptions {
  /** The node's root filesystem (default `/`). */
  readonly root?: string;
  /** Where the node's processes are listed (default `<root>/proc`; `/proc` in a pod with `hostPID: true`). */
  readonly proc?: string;
  /** The profiles to check; detected from the processes and files when absent. */
  readonly profiles?: readonly NodeProfile[];
  /** The clock, for certificate expiry (injectable for tests). */
  readonly now?: Date;
}

/** What a collection found. */
export interface NodeFacts {
  readonly root: string;
  readonly hostname: string;
  readonly profiles: readonly NodeProfile[];
  /** `NodeFacts`, `KubeletConfiguration` and component Pods, for the engine. */
  readonly objects: readonly JsonObject[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses `--profile` values.
 *
 * @example
 * parseProfiles(['master', 'worker']); // ['master', 'worker']
 */
export function parseProfiles(values: readonly string[]): NodeProfile[] {
  return values.map((v) => {
    if (!(NODE_PROFILES as readonly string[]).includes(v)) throw new PalisadeError('usage', `--profile: "${v}" is not one of ${NODE_PROFILES.join(', ')}`);
    return v as NodeProfile;
  });
}

interface Proc {
  readonly name: ProcessName;
  readonly pid: number;
  readonly args: readonly string[];
}

/** Flags of a command line by name (`--config=/x` and `--config /x`); the last one wins. */
export function flagsOf(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('-')) continue;
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) out.set(body.slice(0, eq), body.slice(eq + 1));
    else {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        out.set(body, next);
        i++;
      } else out.set(body, 'true');
    }
  }
  return out;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function processes(procDir: string): Promise<Proc[]> {
  let entries: string[];
  try {
    entries = await readdir(procDir);
  } catch {
    return [];
  }
  const out: Proc[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let raw: Buffer;
    try {
      raw = await readFile(join(procDir, e, 'cmdline'));
    } catch {
      continue; // the process ended, or is not ours to read
    }
    const args = raw.toString('utf8').split('\0');
    while (args.length > 0 && args[args.length - 1] === '') args.pop();
    if (args.length === 0) continue;
    const base = posix.basename(args[0] as string);
    const name = PROCESSES.find((p) => p === base);
    if (name) out.push({ name, pid: Number(e), args });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** `name:x:uid:...` lines of /etc/passwd or /etc/group, by id. */
async function idNames(file: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const line of ((await readText(file)) ?? '').split('\n')) {
    const parts = line.split(':');
    const id = Number(parts[2]);
    if (parts.length >= 3 && parts[0] !== '' && Number.isInteger(id) && !out.has(id)) out.set(id, parts[0] as string);
  }
  return out;
}

/** The collector's state for one node. */
class Collector {
  readonly files: JsonObject[] = [];
  readonly certificates: JsonObject[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly #seen = new Set<string>();

  constructor(
    readonly root: string,
    readonly users: Map<number, string>,
    readonly groups: Map<number, string>,
    readonly now: Date,
  ) {}

  host(path: string): string {
    return join(this.root, path);
  }

  /** Records a file (or directory) under a role; missing files are not recorded. */
  async file(role: string, path: string): Promise<boolean> {
    const key = `${role}\u0000${path}`;
    if (this.#seen.has(key)) return true;
    let s: Awaited<ReturnType<typeof stat>>;
    try {
      s = await stat(this.host(path));
    } catch {
      return false;
    }
    this.#seen.add(key);
    // uid 0 is root by definition, also on a node whose /etc/passwd could not be read.
    const owner = this.users.get(s.uid) ?? (s.uid === 0 ? 'root' : String(s.uid));
    const group = this.groups.get(s.gid) ?? (s.gid === 0 ? 'root' : String(s.gid));
    this.files.push({
      role,
      path,
      type: s.isDirectory() ? 'directory' : 'file',
      mode: (s.mode & 0o7777).toString(8).padStart(3, '0'),
      uid: s.uid,
      gid: s.gid,
      owner,
      group,
    });
    return true;
  }

  /** Every regular file under a directory (recursively), as `dir/rel` host paths. */
  async walk(dir: string, depth = 4): Promise<string[]> {
    if (depth < 0) return [];
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(this.host(dir), { withFileTypes: true });
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = posix.join(dir, e.name);
      if (e.isDirectory()) out.push(...(await this.walk(p, depth - 1)));
      else if (e.isFile() || e.isSymbolicLink()) out.push(p);
    }
    return out;
  }

  /** Records the first certificate of a PEM file with its expiry. */
  async certificate(path: string): Promise<void> {
    const text = await readText(this.host(path));
    const m = text?.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
    if (!m) return;
    try {
      const cert = new X509Certificate(m[0]);
      const notAfter = new Date(cert.validTo);
      this.certificates.push({
        path,
        subject: cert.subject.replace(/\n/g, ', '),
        notAfter: notAfter.toISOString(),
        daysLeft: Math.round(((notAfter.getTime() - this.now.getTime()) / 86_400_000) * 10) / 10,
      });
    } catch (err) {
      this.diagnostics.push({
        level: 'warning',
        code: 'node-certificate-unreadable',
        message: `${path}: not a readable certificate (${err instanceof Error ? err.message : String(err)})`,
      });
    }
  }

  /** A YAML file the API server names (encryption configuration, audit policy), parsed. */
  async document(path: string, what: string): Promise<JsonObject | undefined> {
    const text = await readText(this.host(path));
    if (text === undefined) {
      this.diagnostics.push({
        level: 'warning',
        code: 'node-file-unreadable',
        message: `${path}: the ${what} the API server names cannot be read under ${this.root}`,
      });
      return undefined;
    }
    try {
      const value = parseYaml(text) as unknown;
      if (isObject(value)) return { path, content: value };
    } catch (err) {
      this.diagnostics.push({
        level: 'warning',
        code: 'node-file-invalid',
        message: `${path}: the ${what} is not valid YAML (${err instanceof Error ? err.message : String(err)})`,
      });
    }
    return undefined;
  }
}

/** Kubelet flags that override fields of its configuration file (the CIS 4.2 ones), and how to convert them. */
const KUBELET_FLAGS: readonly (readonly [flag: string, pointer: readonly string[], kind: 'bool' | 'int' | 'string' | 'list'])[] = [
  ['anonymous-auth', ['authentication', 'anonymous', 'enabled'], 'bool'],
  ['authorization-mode', ['authorization', 'mode'], 'string'],
  ['client-ca-file', ['authentication', 'x509', 'clientCAFile'], 'string'],
  ['read-only-port', ['readOnlyPort'], 'int'],
  ['streaming-connection-idle-timeout', ['streamingConnectionIdleTimeout'], 'string'],
  ['make-iptables-util-chains', ['makeIPTablesUtilChains'], 'bool'],
  ['event-qps', ['eventRecordQPS'], 'int'],
  ['tls-cert-file', ['tlsCertFile'], 'string'],
  ['tls-private-key-file', ['tlsPrivateKeyFile'], 'string'],
  ['rotate-certificates', ['rotateCertificates'], 'bool'],
  ['tls-cipher-suites', ['tlsCipherSuites'], 'list'],
  ['pod-max-pids', ['podPidsLimit'], 'int'],
  ['seccomp-default', ['seccompDefault'], 'bool'],
];

function setPath(obj: JsonObject, path: readonly string[], value: JsonValue): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (!isObject(next)) cur[k] = {};
    cur = cur[k] as JsonObject;
  }
  cur[path[path.length - 1] as string] = value;
}

/** The kubelet's effective configuration: the file, then its flags (which win, as in the kubelet). */
function kubeletConfiguration(file: JsonObject | undefined, flags: ReadonlyMap<string, string>): JsonObject {
  const config: JsonObject = structuredClone(file ?? {});
  for (const [flag, path, kind] of KUBELET_FLAGS) {
    const v = flags.get(flag);
    if (v === undefined) continue;
    setPath(config, path, kind === 'bool' ? v !== 'false' : kind === 'int' ? Number(v) : kind === 'list' ? v.split(',').filter((s) => s !== '') : v);
  }
  const gates = flags.get('feature-gates');
  if (gates !== undefined)
    for (const g of gates.split(',')) {
      const [k, v] = g.split('=');
      if (k) setPath(config, ['featureGates', k.trim()], v?.trim() !== 'false');
    }
  return config;
}

/**
 * Collects the facts of the node whose filesystem is at `root`.
 *
 * @example
 * const facts = await collectNodeFacts({ root: '/host', proc: '/proc' });
 * facts.profiles; // ['master', 'worker']
 */
export async function collectNodeFacts(options: CollectOptions = {}): Promise<NodeFacts> {
  const root = options.root ?? '/';
  try {
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new PalisadeError('usage', `--root ${root}: cannot read the node's filesystem there (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const c = new Collector(root, await idNames(join(root, 'etc/passwd')), await idNames(join(root, 'etc/group')), options.now ?? new Date());
  const procs = await processes(options.proc ?? join(root, 'proc'));
  const proc = (name: ProcessName): Proc | undefined => procs.find((p) => p.name === name);
  const hostname = ((await readText(join(root, 'etc/hostname'))) ?? '').trim() || (root === '/' ? osHostname() : 'node');

  // The kubelet's own flags say where its files and the static Pod manifests are.
  const kubelet = proc('kubelet');
  const kubeletFlags = kubelet ? flagsOf(kubelet.args) : new Map<string, string>();
  const kubeletConfigPath = kubeletFlags.get('config') ?? '/var/lib/kubelet/config.yaml';
  const kubeletConfigText = await readText(c.host(kubeletConfigPath));
  let kubeletFile: JsonObject | undefined;
  if (kubeletConfigText !== undefined) {
    try {
      const v = parseYaml(kubeletConfigText) as unknown;
      if (isObject(v)) kubeletFile = v;
    } catch (err) {
      c.diagnostics.push({
        level: 'warning',
        code: 'node-file-invalid',
        message: `${kubeletConfigPath}: not valid YAML (${err instanceof Error ? err.message : String(err)})`,
      });
    }
  }
  const staticPodPath =
    (kubeletFile && typeof kubeletFile.staticPodPath === 'string' ? kubeletFile.staticPodPath : undefined) ??
    kubeletFlags.get('pod-manifest-path') ??
    '/etc/kubernetes/manifests';

  // Static Pod manifests of the control plane, by component.
  const manifests = new Map<string, { path: string; object: JsonObject }>();
  for (const path of await c.walk(staticPodPath, 0)) {
    if (!/\.(ya?ml|json)$/.test(path)) continue;
    const text = await readText(c.host(path));
    let object: unknown;
    try {
      object = text === undefined ? undefined : parseYaml(text);
    } catch {
      continue;
    }
    if (!isObject(object) || object.kind !== 'Pod' || !isObject(object.spec) || !Array.isArray(object.spec.containers)) continue;
    for (const ct of object.spec.containers) {
      const cmd = isObject(ct) && Array.isArray(ct.command) ? ct.command[0] : undefined;
      const comp = typeof cmd === 'string' ? COMPONENTS.find((k) => posix.basename(cmd) === k) : undefined;
      if (comp && !manifests.has(comp)) manifests.set(comp, { path, object });
    }
  }
  const flagsFor = (comp: (typeof COMPONENTS)[number]): Map<string, string> => {
    const p = proc(comp);
    if (p) return flagsOf(p.args);
    const m = manifests.get(comp);
    const ct = m && isObject(m.object.spec) && Array.isArray(m.object.spec.containers) ? m.object.spec.containers.find((x) => isObject(x)) : undefined;
    const args = isObject(ct) ? [...(Array.isArray(ct.command) ? ct.command : []), ...(Array.isArray(ct.args) ? ct.args : [])] : [];
    return flagsOf(args.filter((a): a is string => typeof a === 'string'));
  };

  const detected: NodeProfile[] = [];
  if (proc('kube-apiserver') || manifests.has('kube-apiserver')) detected.push('master');
  if (proc('etcd') || manifests.has('etcd')) detected.push('etcd');
  if (kubelet || kubeletConfigText !== undefined) detected.push('worker');
  const profiles = options.profiles ?? detected;
  if (profiles.length === 0)
    c.diagnostics.push({
      level: 'warning',
      code: 'node-profile-unknown',
      message: `no kubelet, control-plane process or manifest found under ${root}; give --profile, and --proc when processes are listed elsewhere (hostPID)`,
    });

  if (profiles.includes('master')) {
    for (const [role, name] of [
      ['apiserver-manifest', 'kube-apiserver.yaml'],
      ['controller-manager-manifest', 'kube-controller-manager.yaml'],
      ['scheduler-manifest', 'kube-scheduler.yaml'],
      ['etcd-manifest', 'etcd.yaml'],
    ] as const)
      await c.file(role, posix.join(staticPodPath, name));
    const cniDir = kubeletFlags.get('cni-conf-dir') ?? '/etc/cni/net.d';
    for (const p of await c.walk(cniDir, 1)) await c.file('cni-config', p);
    for (const name of ['admin.conf', 'super-admin.conf']) await c.file('admin-kubeconfig', `/etc/kubernetes/${name}`);
    await c.file('scheduler-kubeconfig', '/etc/kubernetes/scheduler.conf');
    await c.file('controller-manager-kubeconfig', '/etc/kubernetes/controller-manager.conf');
    const pki = '/etc/kubernetes/pki';
    if (await c.file('pki-dir', pki))
      for (const p of await c.walk(pki)) {
        await c.file(p.endsWith('.crt') ? 'pki-cert' : p.endsWith('.key') ? 'pki-key' : 'pki-file', p);
        if (p.endsWith('.crt')) await c.certificate(p);
      }
  }
  if (profiles.includes('master') || profiles.includes('etcd')) {
    const dataDir = flagsFor('etcd').get('data-dir') ?? '/var/lib/etcd';
    await c.file('etcd-data-dir', dataDir);
  }
  if (profiles.includes('worker')) {
    for (const p of [
      '/etc/systemd/system/kubelet.service',
      '/lib/systemd/system/kubelet.service',
      '/usr/lib/systemd/system/kubelet.service',
      ...(await c.walk('/etc/systemd/system/kubelet.service.d', 0)),
      ...(await c.walk('/usr/lib/systemd/system/kubelet.service.d', 0)),
    ])
      await c.file('kubelet-service', p);
    const proxy = proc('kube-proxy');
    const proxyKubeconfig = proxy ? flagsOf(proxy.args).get('kubeconfig') : undefined;
    await c.file('kube-proxy-kubeconfig', proxyKubeconfig ?? '/var/lib/kube-proxy/kubeconfig.conf');
    await c.file('kubelet-kubeconfig', kubeletFlags.get('kubeconfig') ?? '/etc/kubernetes/kubelet.conf');
    await c.file('kubelet-config', kubeletConfigPath);
    const x509 = kubeletFile && isObject(kubeletFile.authentication) && isObject(kubeletFile.authentication.x509) ? kubeletFile.authentication.x509 : {};
    const clientCA = kubeletFlags.get('client-ca-file') ?? (typeof x509.clientCAFile === 'string' ? x509.clientCAFile : undefined);
    if (clientCA !== undefined) await c.file('kubelet-client-ca', clientCA);
    for (const p of await c.walk('/var/lib/kubelet/pki', 0)) if (/\.(crt|pem)$/.test(p)) await c.certificate(p);
  }

  const spec: JsonObject = {
    root,
    profiles: [...profiles],
    files: c.files,
    processes: procs.map((p) => ({ name: p.name, pid: p.pid, args: [...p.args] })),
    certificates: c.certificates,
  };
  const apiserver = flagsFor('kube-apiserver');
  if (profiles.includes('master')) {
    const enc = apiserver.get('encryption-provider-config');
    const encDoc = enc !== undefined ? await c.document(enc, 'encryption configuration') : undefined;
    if (encDoc) spec.encryptionConfiguration = encDoc;
    const audit = apiserver.get('audit-policy-file');
    const auditDoc = audit !== undefined ? await c.document(audit, 'audit policy') : undefined;
    if (auditDoc) spec.auditPolicy = auditDoc;
  }

  const source = (what: string): JsonObject => ({ 'palisade.dev/source': what });
  const objects: JsonObject[] = [{ apiVersion: 'palisade.dev/v1alpha1', kind: 'NodeFacts', metadata: { name: hostname }, spec }];
  if (profiles.includes('worker') && (kubelet || kubeletFile))
    objects.push({
      ...kubeletConfiguration(kubeletFile, kubeletFlags),
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      metadata: { name: hostname, annotations: source(kubelet ? `${kubeletConfigPath} and kubelet flags (pid ${kubelet.pid})` : kubeletConfigPath) },
    });
  // The control-plane components as Pods, for the flag checks: the running process when there is
  // one (what runs is what counts), else the static Pod manifest.
  if (profiles.includes('master') || profiles.includes('etcd'))
    for (const comp of COMPONENTS) {
      const p = proc(comp);
      if (p)
        objects.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${comp}-${hostname}`, namespace: 'kube-system', annotations: source(`process ${p.pid} on ${hostname}`) },
          spec: { containers: [{ name: comp, command: [...p.args] }] },
        });
      else {
        const m = manifests.get(comp);
        if (!m) continue;
        const meta = isObject(m.object.metadata) ? m.object.metadata : {};
        const annotations = isObject(meta.annotations) ? meta.annotations : {};
        objects.push({
          ...m.object,
          metadata: { ...meta, namespace: 'kube-system', annotations: { ...annotations, ...source(m.path) } },
        });
      }
    }
  return { root, hostname, profiles, objects, diagnostics: c.diagnostics };
}
