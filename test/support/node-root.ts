/**
 * TEST UTILITY: fake node root filesystems for `palisade node`, built in a temporary directory:
 * kubeadm-style files with chosen modes, a `/proc` with the processes' command lines, kubelet
 * and static Pod configuration, certificates (made with openssl when it is installed).
 *
 * Owners: a non-root user cannot chown, so the fake `/etc/passwd` and `/etc/group` name the
 * current uid and gid `root`, as the collector resolves owners through the node's own files.
 * The etcd data directory must belong to `etcd`: that user is uid 4242, and the directory is
 * chowned to it only when the tests run as root ({@link NodeRoot.etcdOwned}).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { hasOpenssl } from './pki.js';

const CHECKS = fileURLToPath(new URL('../../src/checks/', import.meta.url));

/** A built fake node. */
export interface NodeRoot {
  readonly root: string;
  readonly proc: string;
  /** True when the etcd data directory could be given to the `etcd` user (the tests run as root). */
  readonly etcdOwned: boolean;
  /** True when certificates were written (openssl is installed). */
  readonly certificates: boolean;
}

export interface NodeRootOptions {
  readonly profile: 'master' | 'etcd' | 'worker';
  /** Hardened per CIS, or weakened in every checked place. */
  readonly hardened: boolean;
  /** Run the components as processes in the fake /proc (default true). */
  readonly processes?: boolean;
}

const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;
const ETCD_UID = 4242;

function put(root: string, path: string, text: string, mode: number): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, mode);
}

function dir(root: string, path: string, mode: number): void {
  mkdirSync(join(root, path), { recursive: true });
  chmodSync(join(root, path), mode);
}

/** The Pod of a check's fixture (the hardened or a weakened component manifest). */
function fixturePod(check: string, file: string): Record<string, unknown> {
  return parse(readFileSync(join(CHECKS, check, 'fixtures', file), 'utf8')) as Record<string, unknown>;
}

function commandOf(pod: Record<string, unknown>): string[] {
  const spec = pod.spec as { containers: { command: string[] }[] };
  return spec.containers[0]?.command ?? [];
}

function proc(root: string, pid: number, args: readonly string[]): void {
  const d = join(root, 'proc', String(pid));
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'cmdline'), `${args.join('\0')}\0`);
}

function certificate(root: string, path: string, days: number): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  const key = file.replace(/\.crt$/, '.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      file,
      '-days',
      String(days),
      '-subj',
      '/CN=palisade-test',
    ],
    { stdio: 'ignore' },
  );
}

/**
 * Builds a fake node root for a profile in `base` (a fresh temporary directory).
 *
 * @example
 * const node = makeNodeRoot(mkdtempSync(join(tmpdir(), 'node-')), { profile: 'worker', hardened: true });
 */
export function makeNodeRoot(base: string, options: NodeRootOptions): NodeRoot {
  const root = base;
  const h = options.hardened;
  const runProcesses = options.processes !== false;
  const strict = h ? 0o600 : 0o644;
  // `root` is whoever runs the tests; `etcd` is uid 4242.
  put(root, 'etc/passwd', `root:x:${uid}:${gid}:root:/root:/bin/sh\netcd:x:${ETCD_UID}:${ETCD_UID}:etcd:/var/lib/etcd:/bin/false\n`, 0o644);
  put(root, 'etc/group', `root:x:${gid}:\netcd:x:${ETCD_UID}:\n`, 0o644);
  put(root, 'etc/hostname', `${options.profile}-1\n`, 0o644);
  mkdirSync(join(root, 'proc'), { recursive: true });
  let etcdOwned = false;
  const certs = hasOpenssl();

  if (options.profile === 'master' || options.profile === 'etcd') {
    dir(root, 'var/lib/etcd', h ? 0o700 : 0o755);
    if (h && uid === 0) {
      chownSync(join(root, 'var/lib/etcd'), ETCD_UID, ETCD_UID);
      etcdOwned = true;
    }
    const etcd = fixturePod(h ? 'etcd-client-tls' : 'etcd-client-cert-auth', h ? 'pass.hardened.yaml' : 'fail.bad-value.yaml');
    put(root, 'etc/kubernetes/manifests/etcd.yaml', stringify(etcd), strict);
    if (runProcesses) proc(root, 301, ['/usr/local/bin/etcd', ...commandOf(etcd).slice(1)]);
  }
  if (options.profile === 'master') {
    const pods: [string, string, string][] = [
      ['kube-apiserver', 'apiserver-anonymous-auth', 'fail.bad-value.yaml'],
      ['kube-controller-manager', 'controller-manager-profiling', 'fail.bad-value.yaml'],
      ['kube-scheduler', 'scheduler-bind-address', 'fail.bad-value.yaml'],
    ];
    pods.forEach(([name, check, weak], i) => {
      const pod = fixturePod(check, h ? 'pass.hardened.yaml' : weak);
      put(root, `etc/kubernetes/manifests/${name}.yaml`, stringify(pod), strict);
      if (runProcesses) proc(root, 101 + i, [`/usr/local/bin/${name}`, ...commandOf(pod).slice(1)]);
    });
    for (const f of ['admin.conf', 'super-admin.conf', 'scheduler.conf', 'controller-manager.conf'])
      put(root, `etc/kubernetes/${f}`, 'apiVersion: v1\nkind: Config\n', h ? 0o600 : 0o640);
    put(root, 'etc/cni/net.d/10-bridge.conflist', '{"cniVersion":"1.0.0","name":"bridge","plugins":[]}\n', h ? 0o600 : 0o644);
    dir(root, 'etc/kubernetes/pki', 0o755);
    if (certs) {
      certificate(root, 'etc/kubernetes/pki/ca.crt', 3650);
      certificate(root, 'etc/kubernetes/pki/apiserver.crt', h ? 365 : 10);
    } else {
      put(root, 'etc/kubernetes/pki/ca.crt', 'not a certificate\n', 0o644);
      put(root, 'etc/kubernetes/pki/apiserver.key', 'not a key\n', 0o600);
    }
    chmodSync(join(root, 'etc/kubernetes/pki/apiserver.key'), h ? 0o600 : 0o644);
    if (certs) chmodSync(join(root, 'etc/kubernetes/pki/ca.key'), 0o600);
    put(
      root,
      'etc/kubernetes/encryption.yaml',
      stringify({
        apiVersion: 'apiserver.config.k8s.io/v1',
        kind: 'EncryptionConfiguration',
        resources: [
          { resources: ['secrets'], providers: h ? [{ aescbc: { keys: [{ name: 'k1', secret: 'c2VjcmV0' }] } }, { identity: {} }] : [{ identity: {} }] },
        ],
      }),
      0o600,
    );
    put(
      root,
      'etc/kubernetes/audit-policy.yaml',
      stringify({
        apiVersion: 'audit.k8s.io/v1',
        kind: 'Policy',
        rules: h
          ? [{ level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }] }, { level: 'Metadata' }]
          : [{ level: 'RequestResponse', resources: [{ group: '', resources: ['secrets'] }] }, { level: 'None' }],
      }),
      0o600,
    );
  }
  if (options.profile === 'master' || options.profile === 'worker') {
    put(root, 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '[Service]\nExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS\n', h ? 0o600 : 0o644);
    put(root, 'etc/kubernetes/kubelet.conf', 'apiVersion: v1\nkind: Config\n', strict);
    put(root, 'var/lib/kube-proxy/kubeconfig.conf', 'apiVersion: v1\nkind: Config\n', strict);
    if (options.profile === 'worker') {
      dir(root, 'etc/kubernetes/pki', 0o755);
      put(root, 'etc/kubernetes/pki/ca.crt', 'client CA\n', h ? 0o644 : 0o666);
    }
    const kubelet = parse(readFileSync(join(CHECKS, 'kubelet-anonymous-auth', 'fixtures', h ? 'pass.hardened.yaml' : 'fail.weak.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    delete kubelet.metadata;
    put(root, 'var/lib/kubelet/config.yaml', stringify(kubelet), strict);
    if (runProcesses)
      proc(root, 201, [
        '/usr/bin/kubelet',
        '--config=/var/lib/kubelet/config.yaml',
        '--kubeconfig=/etc/kubernetes/kubelet.conf',
        ...(h ? [] : ['--hostname-override=web-1', '--read-only-port=10255']),
      ]);
    if (runProcesses)
      proc(root, 202, ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--kubeconfig=/var/lib/kube-proxy/kubeconfig.conf']);
  }
  return { root, proc: join(root, 'proc'), etcdOwned, certificates: certs };
}
