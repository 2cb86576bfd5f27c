/**
 * Kubeconfig handling as kubectl does it, on top of `@kubernetes/client-node`'s KubeConfig
 * (which applies certificates, bearer tokens, token files, exec and auth-provider plugins).
 *
 * What client-node does differently from kubectl, and this module fixes:
 * - `KUBECONFIG` with several files: kubectl lets the first file that defines a name win and
 *   takes `current-context` from the first file that sets it; client-node throws on duplicate
 *   names and lets the last file's current context win.
 * - Relative paths (`certificate-authority`, `client-certificate`, `client-key`, `tokenFile`,
 *   an exec `command` with a slash) are relative to the kubeconfig file, not to the cwd.
 * - Exec plugins get `KUBERNETES_EXEC_INFO`, as kubectl sets it.
 *
 * client-node is imported lazily: manifest scans never pay for loading it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, delimiter as pathDelimiter, resolve } from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { PalisadeError } from '../../core/errors.js';

/** Where the kubeconfig comes from and which contexts to use. */
export interface KubeconfigOptions {
  /** `--kubeconfig FILE`: this file only (as kubectl), instead of `KUBECONFIG` and ~/.kube/config. */
  readonly kubeconfig?: string;
  /** `--context NAME`, repeatable; default: the current context. */
  readonly contexts?: readonly string[];
  /** `--all-contexts`: every context of the merged kubeconfig. */
  readonly allContexts?: boolean;
  /** Environment (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST/PORT`); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory of the in-cluster service-account files; default the standard mount. */
  readonly serviceAccountDir?: string;
}

/** One cluster to read: a context with its own KubeConfig (current context set to it). */
export interface ClusterTarget {
  /** The context name; findings of this cluster are tagged with it. */
  readonly context: string;
  /** The API server URL. */
  readonly server: string;
  readonly kubeConfig: KubeConfig;
}

/** Standard service-account mount of a pod. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The context name used for in-cluster configuration. */
export const IN_CLUSTER_CONTEXT = 'in-cluster';

type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves a path found in a kubeconfig relative to the file, as kubectl does. */
function rel(dir: string, p: unknown): unknown {
  return typeof p === 'string' && p !== '' && !isAbsolute(p) ? join(dir, p) : p;
}

/**
 * Makes the paths of one parsed kubeconfig absolute and adds `KUBERNETES_EXEC_INFO` to exec
 * plugins. Returns a new object.
 */
export function prepareKubeconfig(raw: Raw, dir: string): Raw {
  const clusters = Array.isArray(raw.clusters)
    ? raw.clusters.map((c) => {
        if (!isRecord(c) || !isRecord(c.cluster)) return c;
        return { ...c, cluster: { ...c.cluster, 'certificate-authority': rel(dir, c.cluster['certificate-authority']) } };
      })
    : raw.clusters;
  const users = Array.isArray(raw.users)
    ? raw.users.map((u) => {
        if (!isRecord(u) || !isRecord(u.user)) return u;
        const user: Raw = { ...u.user };
        for (const k of ['client-certificate', 'client-key', 'tokenFile', 'token-file']) if (k in user) user[k] = rel(dir, user[k]);
        // kubectl spells it tokenFile; client-node reads token-file.
        if (typeof user.tokenFile === 'string' && user['token-file'] === undefined) user['token-file'] = user.tokenFile;
        if (isRecord(user.exec)) {
          const exec: Raw = { ...user.exec };
          if (typeof exec.command === 'string' && /[\\/]/.test(exec.command)) exec.command = rel(dir, exec.command);
          const env = Array.isArray(exec.env) ? exec.env.filter(isRecord) : [];
          if (!env.some((e) => e.name === 'KUBERNETES_EXEC_INFO')) {
            const info = {
              apiVersion: typeof exec.apiVersion === 'string' ? exec.apiVersion : 'client.authentication.k8s.io/v1',
              kind: 'ExecCredential',
              spec: { interactive: false },
            };
            env.push({ name: 'KUBERNETES_EXEC_INFO', value: JSON.stringify(info) });
          }
          exec.env = env;
          user.exec = exec;
        }
        return { ...u, user };
      })
    : raw.users;
  return { ...raw, clusters, users };
}

interface Merged {
  readonly clusters: Cluster[];
  readonly users: User[];
  readonly contexts: Context[];
  currentContext: string;
}

async function loadKubeConfigClass(): Promise<typeof KubeConfig> {
  const mod = await import('@kubernetes/client-node');
  return mod.KubeConfig;
}

function parseFile(file: string, KC: typeof KubeConfig): KubeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PalisadeError('kubeconfig-invalid', `${file}: cannot read kubeconfig (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = yaml.load(text) ?? {};
  } catch (err) {
    throw new PalisadeError('kubeconfig-invalid', `${file}: kubeconfig is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(raw)) throw new PalisadeError('kubeconfig-invalid', `${file}: kubeconfig is not a mapping`);
  const kc = new KC();
  try {
    kc.loadFromString(JSON.stringify(prepareKubeconfig(raw, dirname(resolve(file)))));
  } catch (err) {
    throw new PalisadeError('kubeconfig-invalid', `${file}: invalid kubeconfig: ${(err as Error).message}`);
  }
  return kc;
}

/** kubectl's merge: the first file to define a name wins; the first current-context set wins. */
function merge(configs: readonly KubeConfig[]): Merged {
  const out: Merged = { clusters: [], users: [], contexts: [], currentContext: '' };
  const seen = { clusters: new Set<string>(), users: new Set<string>(), contexts: new Set<string>() };
  for (const kc of configs) {
    for (const c of kc.getClusters()) if (!seen.clusters.has(c.name) && seen.clusters.add(c.name)) out.clusters.push(c);
    for (const u of kc.getUsers()) if (!seen.users.has(u.name) && seen.users.add(u.name)) out.users.push(u);
    for (const c of kc.getContexts()) if (!seen.contexts.has(c.name) && seen.contexts.add(c.name)) out.contexts.push(c);
    if (out.currentContext === '' && kc.getCurrentContext()) out.currentContext = kc.getCurrentContext();
  }
  return out;
}

/** The in-cluster configuration of a pod: service host/port from the environment, token and CA from the mount. */
function inCluster(env: Readonly<Record<string, string | undefined>>, dir: string): Merged | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(dir, 'token');
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const h = host.includes(':') ? `[${host}]` : host;
  return {
    clusters: [{ name: IN_CLUSTER_CONTEXT, server: `https://${h}:${port}`, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    // client-node's tokenFile provider re-reads the projected token every minute, as client-go.
    users: [{ name: IN_CLUSTER_CONTEXT, authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: IN_CLUSTER_CONTEXT, cluster: IN_CLUSTER_CONTEXT, user: IN_CLUSTER_CONTEXT }],
    currentContext: IN_CLUSTER_CONTEXT,
  };
}

/** The kubeconfig files kubectl would read, and a description for messages. */
export function kubeconfigFiles(options: KubeconfigOptions): { files: string[]; origin: string } {
  const env = options.env ?? process.env;
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) throw new PalisadeError('kubeconfig-invalid', `--kubeconfig ${options.kubeconfig}: no such file`);
    return { files: [options.kubeconfig], origin: `--kubeconfig ${options.kubeconfig}` };
  }
  const list = (env.KUBECONFIG ?? '').split(pathDelimiter).filter((f) => f !== '');
  if (list.length > 0) {
    // As kubectl: files of the list that do not exist are ignored.
    return { files: list.filter((f) => existsSync(f)), origin: `KUBECONFIG=${env.KUBECONFIG}` };
  }
  const home = env.HOME ?? env.USERPROFILE;
  const def = home ? join(home, '.kube', 'config') : undefined;
  return { files: def && existsSync(def) ? [def] : [], origin: def ?? '~/.kube/config' };
}

/**
 * Resolves the clusters to read: loads and merges kubeconfig files (or the in-cluster
 * configuration when run in a pod without one) and selects contexts.
 *
 * @example
 * const targets = await resolveClusterTargets({ contexts: ['prod', 'staging'] });
 * targets.map((t) => t.context); // ['prod', 'staging']
 */
export async function resolveClusterTargets(options: KubeconfigOptions = {}): Promise<ClusterTarget[]> {
  const KC = await loadKubeConfigClass();
  const env = options.env ?? process.env;
  const { files, origin } = kubeconfigFiles(options);
  let merged: Merged | undefined;
  if (files.length > 0) merged = merge(files.map((f) => parseFile(f, KC)));
  else merged = inCluster(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (!merged || merged.contexts.length === 0) {
    throw new PalisadeError(
      'kubeconfig-invalid',
      `no cluster configured: ${origin} has no contexts and this is not a pod with a service account (set KUBECONFIG, --kubeconfig or --context)`,
    );
  }
  const m = merged;
  const available = m.contexts.map((c) => c.name);
  let names: string[];
  if (options.allContexts) names = available;
  else if (options.contexts && options.contexts.length > 0) {
    names = [...new Set(options.contexts)];
    const unknown = names.filter((n) => !available.includes(n));
    if (unknown.length > 0)
      throw new PalisadeError('usage', `--context ${unknown.join(', ')}: no such context in ${origin} (available: ${available.join(', ')})`);
  } else {
    if (m.currentContext === '')
      throw new PalisadeError('usage', `${origin} sets no current-context; pass --context NAME (available: ${available.join(', ')})`);
    if (!available.includes(m.currentContext)) throw new PalisadeError('kubeconfig-invalid', `${origin}: current-context "${m.currentContext}" is not defined`);
    names = [m.currentContext];
  }
  return names.map((name) => {
    const ctx = m.contexts.find((c) => c.name === name) as Context;
    const cluster = m.clusters.find((c) => c.name === ctx.cluster);
    if (!cluster) throw new PalisadeError('kubeconfig-invalid', `${origin}: context "${name}" names cluster "${ctx.cluster}", which is not defined`);
    if (ctx.user && !m.users.some((u) => u.name === ctx.user))
      throw new PalisadeError('kubeconfig-invalid', `${origin}: context "${name}" names user "${ctx.user}", which is not defined`);
    let users = m.users;
    let contexts = m.contexts;
    if (!ctx.user) {
      // client-node applies the cluster's CA only when the context has a user.
      const anonymous: User = { name: `${name}\u0000anonymous` };
      users = [...m.users, anonymous];
      contexts = m.contexts.map((c) => (c.name === name ? { ...c, user: anonymous.name } : c));
    }
    const kc = new KC();
    kc.loadFromOptions({ clusters: m.clusters, users, contexts, currentContext: name });
    return { context: name, server: cluster.server, kubeConfig: kc };
  });
}
