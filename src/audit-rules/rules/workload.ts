/**
 * Rules on access into workloads and on the pods written through the API: exec, attach,
 * port-forward, ephemeral containers, the kubelet proxy, and pod specs that break out of the
 * container (privileged, host namespaces, sensitive host paths, capabilities). Falco's
 * k8saudit rules match host paths exactly; these match prefixes, so `/proc/sys/kernel` and
 * `/var/lib/kubelet/pki` count too.
 */
import { isObject } from '../../core/object.js';
import type { JsonObject } from '../../core/types.js';
import {
  type AuditEvent,
  containersOf,
  isControlPlane,
  isCreateOrChange,
  POD_BEARING,
  podSpecsOf,
  requestBody,
  statusCode,
  succeeded,
  userName,
  writtenObject,
} from '../event.js';
import { defineAuditRule } from '../rule.js';
import { actor, execCommand, KUBE_NAMESPACES, objName } from './util.js';

const POD_WRITE = { resources: [...POD_BEARING], verbs: ['create', 'update', 'patch'] };

/** Reached the kubelet or was refused by admission: a refused attempt is still worth a (low) alert. */
function attemptSeverity(e: AuditEvent): 'low' | undefined {
  return succeeded(e) ? undefined : 'low';
}

function podWriteTarget(e: AuditEvent): string {
  const obj = writtenObject(e);
  const meta = isObject(obj?.metadata) ? obj.metadata : {};
  const name = e.objectRef?.name ?? (typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '?');
  return `${obj?.kind ?? e.objectRef?.resource ?? 'object'} ${e.objectRef?.namespace ? `${e.objectRef.namespace}/` : ''}${name}`;
}

/** Pod writes that were either stored or refused by authorization/admission (403); 4xx for other reasons are not attempts. */
function podAttempt(e: AuditEvent): boolean {
  if (!isCreateOrChange(e.verb)) return false;
  return succeeded(e) || statusCode(e) === 403;
}

function podSpecsForRule(e: AuditEvent): JsonObject[] {
  if (!podAttempt(e)) return [];
  // A refused request has no stored object: judge what was asked for.
  return podSpecsOf(succeeded(e) ? writtenObject(e) : requestBody(e));
}

function verbPhrase(e: AuditEvent): string {
  const done = succeeded(e) ? (e.verb === 'create' ? 'created' : 'changed') : `refused (${statusCode(e)})`;
  return `${podWriteTarget(e)} ${done} by ${actor(e)}`;
}

export const podExec = defineAuditRule({
  id: 'PAL-A001',
  name: 'pod-exec',
  title: 'Command executed in a container (exec)',
  severity: 'medium',
  category: 'workload-access',
  frameworks: ['mitre:T1609'],
  docs: {
    description:
      "A `pods/exec` request runs a command inside a running container with the container's identity and mounts. Attackers use it to read service account tokens and secrets from the filesystem. Both the SPDY (`create`) and websocket (`get`) forms are matched; a request the kubelet refused still shows intent and is reported at low severity.",
    remediation: 'Confirm the person and the reason. Restrict `pods/exec` in RBAC to break-glass roles; prefer `kubectl debug` with an audited profile.',
    references: ['https://attack.mitre.org/techniques/T1609/'],
  },
  target: { kind: 'audit-event' },
  match: { resources: ['pods/exec'], verbs: ['create', 'get'] },
  evaluate: ({ event }) => {
    if (isControlPlane(userName(event))) return;
    const cmd = execCommand(event.requestURI);
    const sev = attemptSeverity(event);
    return {
      message: `${actor(event)} ran ${cmd ? `"${cmd}"` : 'a command'} in pod ${objName(event)}${sev ? ` (refused: ${statusCode(event)})` : ''}`,
      ...(sev ? { severity: sev } : {}),
      evidence: { command: cmd },
    };
  },
});

export const podAttach = defineAuditRule({
  id: 'PAL-A002',
  name: 'pod-attach',
  title: 'Terminal attached to a running container',
  severity: 'medium',
  category: 'workload-access',
  frameworks: ['mitre:T1609'],
  docs: {
    description: 'A `pods/attach` request connects to the main process of a container, with its standard input when `-i` is used.',
    remediation: 'Confirm the person and the reason; restrict `pods/attach` as `pods/exec`.',
    references: ['https://attack.mitre.org/techniques/T1609/'],
  },
  target: { kind: 'audit-event' },
  match: { resources: ['pods/attach'], verbs: ['create', 'get'] },
  evaluate: ({ event }) => {
    if (isControlPlane(userName(event))) return;
    const sev = attemptSeverity(event);
    return { message: `${actor(event)} attached to pod ${objName(event)}${sev ? ` (refused: ${statusCode(event)})` : ''}`, ...(sev ? { severity: sev } : {}) };
  },
});

export const podPortForward = defineAuditRule({
  id: 'PAL-A003',
  name: 'pod-port-forward',
  title: 'Port forwarded into a pod',
  severity: 'low',
  category: 'workload-access',
  frameworks: ['mitre:T1572'],
  docs: {
    description: 'A `pods/portforward` request tunnels a local port to a port of the pod, bypassing Services, Ingresses and NetworkPolicies at the edge.',
    remediation: 'Confirm the reason; restrict `pods/portforward` in RBAC.',
    references: ['https://attack.mitre.org/techniques/T1572/'],
  },
  target: { kind: 'audit-event' },
  match: { resources: ['pods/portforward'], verbs: ['create', 'get'] },
  evaluate: ({ event }) => {
    if (isControlPlane(userName(event))) return;
    const ports = /[?&]ports=([^&]*)/.exec(event.requestURI ?? '')?.[1];
    return { message: `${actor(event)} port-forwarded to pod ${objName(event)}${ports ? ` (ports ${decodeURIComponent(ports)})` : ''}` };
  },
});

export const ephemeralContainer = defineAuditRule({
  id: 'PAL-A004',
  name: 'ephemeral-container-added',
  title: 'Ephemeral container added to a running pod',
  severity: 'medium',
  category: 'workload-access',
  frameworks: ['mitre:T1610', 'mitre:T1609'],
  docs: {
    description:
      "`kubectl debug` adds an ephemeral container to a running pod through the `pods/ephemeralcontainers` subresource. It shares the pod's namespaces and may request capabilities (`--profile=netadmin`), so it is a way into a pod that its spec never allowed.",
    remediation: 'Confirm the reason. Restrict `pods/ephemeralcontainers`; enforce Pod Security admission so ephemeral containers obey the same profile.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['pods/ephemeralcontainers'], verbs: ['patch', 'update'] },
  evaluate: ({ event }) => {
    if (!succeeded(event) || isControlPlane(userName(event))) return;
    const body = requestBody(event);
    const text = body ? JSON.stringify(body) : '';
    const images = [...text.matchAll(/"image":"([^"]+)"/g)].map((m) => m[1] as string);
    const caps = [...new Set([...text.matchAll(/"(SYS_ADMIN|NET_ADMIN|SYS_PTRACE|NET_RAW|ALL)"/g)].map((m) => m[1] as string))];
    const priv = /"privileged":true/.test(text);
    return {
      message: `${actor(event)} added an ephemeral container${images.length ? ` (${images.join(', ')})` : ''} to pod ${objName(event)}${caps.length ? ` with ${caps.join(', ')}` : ''}${priv ? ', privileged' : ''}`,
      ...(caps.length > 0 || priv ? { severity: 'high' as const } : {}),
      evidence: { images, capabilities: caps },
    };
  },
});

export const nodeProxy = defineAuditRule({
  id: 'PAL-A005',
  name: 'node-proxy',
  title: 'Kubelet API reached through the nodes/proxy subresource',
  severity: 'high',
  category: 'workload-access',
  frameworks: ['mitre:T1609', 'mitre:T1613'],
  docs: {
    description:
      '`nodes/proxy` forwards requests to the kubelet API of a node, which runs commands in any pod of that node (`/exec`, `/run`) and lists its pods, without the pod-level audit events an exec produces. Few identities other than monitoring agents need it.',
    remediation: 'Remove `nodes/proxy` from roles that do not need it; use `nodes/metrics` or `nodes/stats` for monitoring.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'],
  },
  target: { kind: 'audit-event' },
  match: { resources: ['nodes/proxy'] },
  evaluate: ({ event }) => {
    if (isControlPlane(userName(event))) return;
    const path = /\/proxy(\/[^?]*)?/.exec(event.requestURI ?? '')?.[1] ?? '/';
    const sev = attemptSeverity(event) ?? (statusCode(event) === 404 ? 'medium' : undefined);
    return {
      message: `${actor(event)} called the kubelet API of node ${event.objectRef?.name ?? '?'} at ${path} through nodes/proxy (${statusCode(event)})`,
      ...(sev ? { severity: sev } : {}),
      evidence: { path },
    };
  },
});

export const nodeRegistered = defineAuditRule({
  id: 'PAL-A006',
  name: 'node-registered-by-non-node',
  title: 'Node object created by an identity other than that node',
  severity: 'high',
  category: 'persistence',
  frameworks: ['mitre:T1078', 'mitre:T1610'],
  docs: {
    description:
      'Kubelets register their own Node object as `system:node:<name>`. A Node created by anyone else (Falco\'s "Untrusted Node Successfully Joined") can attract pods, and with them their secrets and service account tokens, to a machine the attacker controls.',
    remediation: 'Delete the Node if it is not expected; check who holds `create` on nodes and the bootstrap tokens.',
  },
  target: { kind: 'audit-event' },
  match: { resources: ['nodes'], verbs: ['create'] },
  evaluate: ({ event }) => {
    const user = userName(event);
    const obj = writtenObject(event);
    const name = event.objectRef?.name ?? (isObject(obj?.metadata) && typeof obj.metadata.name === 'string' ? obj.metadata.name : '?');
    if (user === `system:node:${name}` || (isControlPlane(user) && !user.startsWith('system:node:'))) return;
    const sev = attemptSeverity(event);
    return {
      message: `Node ${name} ${succeeded(event) ? 'registered' : `registration refused (${statusCode(event)})`} by ${actor(event)}`,
      ...(sev ? { severity: sev } : {}),
    };
  },
});

export const privilegedPod = defineAuditRule({
  id: 'PAL-A010',
  name: 'privileged-pod-written',
  title: 'Privileged container created or added',
  severity: 'high',
  category: 'workload-security',
  frameworks: ['mitre:T1611', 'mitre:T1610'],
  docs: {
    description:
      "A pod (or a workload template) with a `privileged: true` container (init and ephemeral containers included) was written. A privileged container has every capability and the host's devices: it is root on the node. A request refused by authorization or Pod Security admission (403) is reported at low severity.",
    remediation: 'Confirm the workload needs it; enforce the `baseline` Pod Security level on the namespace.',
    references: ['https://attack.mitre.org/techniques/T1611/'],
  },
  target: { kind: 'audit-event' },
  match: POD_WRITE,
  evaluate: ({ event }) => {
    const names: string[] = [];
    for (const spec of podSpecsForRule(event))
      for (const c of containersOf(spec)) if (isObject(c.securityContext) && c.securityContext.privileged === true) names.push(String(c.name ?? '?'));
    if (names.length === 0) return;
    const sev = attemptSeverity(event);
    return {
      message: `${verbPhrase(event)} has privileged container(s) ${names.join(', ')}`,
      ...(sev ? { severity: sev } : {}),
      evidence: { containers: names },
    };
  },
});

export const hostNamespaces = defineAuditRule({
  id: 'PAL-A011',
  name: 'host-namespace-pod-written',
  title: 'Pod sharing the host network, PID or IPC namespace written',
  severity: 'high',
  category: 'workload-security',
  frameworks: ['mitre:T1611'],
  docs: {
    description: "A pod spec with `hostNetwork`, `hostPID` or `hostIPC` sees the node's network interfaces, processes or shared memory.",
    remediation: 'Remove the host namespace; enforce the `baseline` Pod Security level.',
  },
  target: { kind: 'audit-event' },
  match: POD_WRITE,
  evaluate: ({ event }) => {
    const found = new Set<string>();
    for (const spec of podSpecsForRule(event)) for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[k] === true) found.add(k);
    if (found.size === 0) return;
    const sev = attemptSeverity(event);
    return { message: `${verbPhrase(event)} uses ${[...found].join(', ')}`, ...(sev ? { severity: sev } : {}), evidence: { namespaces: [...found] } };
  },
});

/** Host paths that give away the node (prefix match). */
export const SENSITIVE_HOST_PATHS: readonly string[] = [
  '/proc',
  '/sys',
  '/dev',
  '/etc',
  '/root',
  '/home',
  '/boot',
  '/var/run',
  '/run',
  '/var/lib/kubelet',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/crio',
  '/var/lib/etcd',
  '/var/log',
  '/etc/kubernetes',
  '/usr',
  '/lib',
  '/bin',
  '/sbin',
];

function sensitivePath(p: string): boolean {
  const norm = p.replace(/\/+$/, '') || '/';
  if (norm === '/') return true;
  return SENSITIVE_HOST_PATHS.some((s) => norm === s || norm.startsWith(`${s}/`));
}

export const sensitiveHostPath = defineAuditRule({
  id: 'PAL-A012',
  name: 'sensitive-host-path-mount',
  title: 'Pod mounting a sensitive host path written',
  severity: 'high',
  category: 'workload-security',
  frameworks: ['mitre:T1611'],
  docs: {
    description:
      "A pod spec mounts a host directory that gives control of the node or its secrets: `/`, `/proc`, `/etc`, the container runtime socket, the kubelet's directory, `/var/log` (symlink escapes through the kubelet's log reader), and any path below them. The root filesystem and runtime sockets are critical.",
    remediation: 'Mount only the specific, read-only paths a node agent needs, or use a CSI driver; enforce the `baseline` Pod Security level.',
  },
  target: { kind: 'audit-event' },
  match: POD_WRITE,
  evaluate: ({ event }) => {
    const paths: string[] = [];
    for (const spec of podSpecsForRule(event)) {
      const vols = Array.isArray(spec.volumes) ? spec.volumes : [];
      for (const v of vols)
        if (isObject(v) && isObject(v.hostPath) && typeof v.hostPath.path === 'string' && sensitivePath(v.hostPath.path)) paths.push(v.hostPath.path);
    }
    if (paths.length === 0) return;
    const critical = paths.some((p) => p === '/' || /\.sock$|docker\.sock|containerd|crio/.test(p));
    const sev = attemptSeverity(event) ?? (critical ? 'critical' : undefined);
    return { message: `${verbPhrase(event)} mounts host path(s) ${paths.join(', ')}`, ...(sev ? { severity: sev } : {}), evidence: { paths } };
  },
});

const DANGEROUS_CAPS = new Set(['ALL', 'SYS_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'NET_ADMIN', 'DAC_READ_SEARCH', 'BPF', 'SYS_RAWIO', 'PERFMON']);

export const dangerousCapabilities = defineAuditRule({
  id: 'PAL-A013',
  name: 'dangerous-capabilities-added',
  title: 'Container with dangerous capabilities written',
  severity: 'medium',
  category: 'workload-security',
  frameworks: ['mitre:T1611'],
  docs: {
    description:
      'A container adds capabilities that lead out of the container (`SYS_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `NET_ADMIN`, `DAC_READ_SEARCH`, `BPF`, `ALL`).',
    remediation: 'Drop the capability; enforce the `baseline` Pod Security level.',
  },
  target: { kind: 'audit-event' },
  match: POD_WRITE,
  evaluate: ({ event }) => {
    const found = new Set<string>();
    for (const spec of podSpecsForRule(event))
      for (const c of containersOf(spec)) {
        const add = isObject(c.securityContext) && isObject(c.securityContext.capabilities) ? c.securityContext.capabilities.add : undefined;
        if (Array.isArray(add))
          for (const cap of add) if (typeof cap === 'string' && DANGEROUS_CAPS.has(cap.toUpperCase().replace(/^CAP_/, ''))) found.add(cap);
      }
    if (found.size === 0) return;
    const sev = attemptSeverity(event);
    return { message: `${verbPhrase(event)} adds ${[...found].join(', ')}`, ...(sev ? { severity: sev } : {}), evidence: { capabilities: [...found] } };
  },
});

export const podInKubeNamespace = defineAuditRule({
  id: 'PAL-A014',
  name: 'workload-in-kube-namespace',
  title: 'Workload created in a Kubernetes system namespace by a non-system identity',
  severity: 'medium',
  category: 'persistence',
  frameworks: ['mitre:T1610', 'mitre:T1036'],
  docs: {
    description:
      'Pods and workloads in `kube-system` or `kube-public` blend in with the control plane and usually run with powerful service accounts. Only the control plane and cluster installers should create them.',
    remediation: 'Confirm the installer; deploy add-ons from a pipeline identity listed in `checks.PAL-A014.params.ignoreUsers`.',
  },
  target: { kind: 'audit-event' },
  match: { resources: [...POD_BEARING], verbs: ['create'] },
  evaluate: ({ event }) => {
    const ns = event.objectRef?.namespace;
    if (!ns || !KUBE_NAMESPACES.has(ns) || !succeeded(event) || isControlPlane(userName(event))) return;
    return { message: `${podWriteTarget(event)} created in ${ns} by ${actor(event)}` };
  },
});

export const workloadRules = [
  podExec,
  podAttach,
  podPortForward,
  ephemeralContainer,
  nodeProxy,
  nodeRegistered,
  privilegedPod,
  hostNamespaces,
  sensitiveHostPath,
  dangerousCapabilities,
  podInKubeNamespace,
] as const;
