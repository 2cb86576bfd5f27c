/**
 * The attack primitives of the attack graph: one entry per edge kind, with its MITRE ATT&CK
 * technique, its Microsoft Threat Matrix for Kubernetes technique, a one-line explanation and
 * the likelihood that an attacker standing at the edge's start succeeds in taking it.
 *
 * Edge kinds follow KubeHound's attack list (docs/reference/attacks) where one exists, plus the
 * primitives it lacks (network reachability from NetworkPolicies, cloud metadata, workload
 * identity, `escalate`, impersonation, TokenRequest, CSR signing, `nodes/proxy`).
 * Likelihoods are a coarse, documented scale (docs/attack-paths.md): near-certain (0.95) for
 * what needs no exploit (a mounted token, a runtime socket), lower where a technique may be
 * blocked by something the input does not show (0.5 for the metadata service, which IMDSv2
 * or metadata concealment may close; 0.3 for "the exposed application has an exploitable bug"
 * when no vulnerability data says so).
 */

/** Every edge kind of the graph. */
export type EdgeKind =
  | 'exploit-exposed-service'
  | 'exploit-vulnerable-image'
  | 'run-in-container'
  | 'shared-process-namespace'
  | 'privileged-escape'
  | 'host-pid-escape'
  | 'module-load'
  | 'sys-admin-escape'
  | 'runtime-socket'
  | 'host-write'
  | 'host-read'
  | 'var-log-symlink'
  | 'core-pattern'
  | 'token-theft'
  | 'cloud-metadata'
  | 'workload-identity'
  | 'read-secrets'
  | 'pod-exec'
  | 'exec-into-container'
  | 'create-privileged-pod'
  | 'rbac-escalation';

/** A technique reference: framework id and name. */
export interface TechniqueRef {
  readonly id: string;
  readonly name: string;
}

/** What one edge kind means. */
export interface EdgeSpec {
  readonly kind: EdgeKind;
  /** The KubeHound edge it corresponds to, when there is one. */
  readonly kubehound?: string;
  readonly mitre: TechniqueRef;
  readonly ms: TechniqueRef;
  /** One line: what the attacker does. */
  readonly explanation: string;
  /** Likelihood (0..1] that the step succeeds once its start is held. */
  readonly likelihood: number;
}

const T = (id: string, name: string): TechniqueRef => ({ id, name });

const EXPLOIT_PUBLIC = T('T1190', 'Exploit Public-Facing Application');
const ESCAPE = T('T1611', 'Escape to Host');
const ADMIN_CMD = T('T1609', 'Container Administration Command');
const DEPLOY = T('T1610', 'Deploy Container');
const STEAL_TOKEN = T('T1528', 'Steal Application Access Token');

/**
 * The catalogue of edge kinds.
 *
 * @example
 * EDGE_SPECS['privileged-escape'].mitre.id; // 'T1611'
 */
export const EDGE_SPECS: Readonly<Record<EdgeKind, EdgeSpec>> = {
  'exploit-exposed-service': {
    kind: 'exploit-exposed-service',
    kubehound: 'ENDPOINT_EXPLOIT',
    mitre: EXPLOIT_PUBLIC,
    ms: T('MS-TA9009', 'Application exploit (RCE)'),
    explanation: 'traffic from outside reaches the container port; a bug in the application gives code execution in the container',
    likelihood: 0.3,
  },
  'exploit-vulnerable-image': {
    kind: 'exploit-vulnerable-image',
    kubehound: 'ENDPOINT_EXPLOIT',
    mitre: EXPLOIT_PUBLIC,
    ms: T('MS-TA9004', 'Application vulnerability'),
    explanation: 'traffic from outside reaches a container whose image has a known, fixable or actively exploited vulnerability',
    likelihood: 0.8,
  },
  'run-in-container': {
    kind: 'run-in-container',
    mitre: ADMIN_CMD,
    ms: T('MS-TA9007', 'bash/cmd inside container'),
    explanation: 'a compromised pod of the workload runs the attacker code in this container',
    likelihood: 1,
  },
  'shared-process-namespace': {
    kind: 'shared-process-namespace',
    kubehound: 'SHARE_PS_NAMESPACE',
    mitre: ADMIN_CMD,
    ms: T('MS-TA9007', 'bash/cmd inside container'),
    explanation: 'shareProcessNamespace lets one container see and enter the processes and filesystems of its siblings',
    likelihood: 0.9,
  },
  'privileged-escape': {
    kind: 'privileged-escape',
    kubehound: 'CE_PRIV_MOUNT',
    mitre: ESCAPE,
    ms: T('MS-TA9018', 'Privileged container'),
    explanation: 'a privileged container sees every host device and mounts the host disk: root on the node',
    likelihood: 0.95,
  },
  'host-pid-escape': {
    kind: 'host-pid-escape',
    kubehound: 'CE_NSENTER',
    mitre: ESCAPE,
    ms: T('MS-TA9018', 'Privileged container'),
    explanation: 'hostPID with SYS_PTRACE (or privileged) lets the container nsenter or ptrace host processes: root on the node',
    likelihood: 0.9,
  },
  'module-load': {
    kind: 'module-load',
    kubehound: 'CE_MODULE_LOAD',
    mitre: ESCAPE,
    ms: T('MS-TA9018', 'Privileged container'),
    explanation: 'CAP_SYS_MODULE loads a kernel module: code in the host kernel',
    likelihood: 0.9,
  },
  'sys-admin-escape': {
    kind: 'sys-admin-escape',
    mitre: ESCAPE,
    ms: T('MS-TA9018', 'Privileged container'),
    explanation: 'CAP_SYS_ADMIN mounts cgroupfs and abuses release_agent (or similar) to run a command on the host',
    likelihood: 0.7,
  },
  'runtime-socket': {
    kind: 'runtime-socket',
    kubehound: 'EXPLOIT_CONTAINERD_SOCK',
    mitre: DEPLOY,
    ms: T('MS-TA9008', 'New container'),
    explanation: 'the container runtime socket starts a privileged container on the node: root on the node',
    likelihood: 0.95,
  },
  'host-write': {
    kind: 'host-write',
    kubehound: 'EXPLOIT_HOST_WRITE',
    mitre: ESCAPE,
    ms: T('MS-TA9013', 'Writable hostPath mount'),
    explanation: 'a writable mount of a sensitive host path (cron, systemd, kubelet, SSH keys) runs code as root on the node',
    likelihood: 0.9,
  },
  'host-read': {
    kind: 'host-read',
    kubehound: 'EXPLOIT_HOST_READ',
    mitre: T('T1552.001', 'Unsecured Credentials: Credentials In Files'),
    ms: T('MS-TA9026', 'Mount service principal'),
    explanation: "a read-only mount of a sensitive host path exposes the node's credentials (kubelet client certificate, SSH keys, shadow)",
    likelihood: 0.6,
  },
  'var-log-symlink': {
    kind: 'var-log-symlink',
    kubehound: 'CE_VAR_LOG_SYMLINK',
    mitre: ESCAPE,
    ms: T('MS-TA9013', 'Writable hostPath mount'),
    explanation: 'root with the host /var/log mounted plants a symlink that the kubelet follows when serving logs: any host file',
    likelihood: 0.7,
  },
  'core-pattern': {
    kind: 'core-pattern',
    kubehound: 'CE_UMH_CORE_PATTERN',
    mitre: ESCAPE,
    ms: T('MS-TA9013', 'Writable hostPath mount'),
    explanation: 'a writable host /proc/sys/kernel sets core_pattern to a program the host kernel runs as root',
    likelihood: 0.9,
  },
  'token-theft': {
    kind: 'token-theft',
    kubehound: 'IDENTITY_ASSUME',
    mitre: STEAL_TOKEN,
    ms: T('MS-TA9016', 'Container service account'),
    explanation: 'the pod mounts its service account token: code in the container acts as that service account',
    likelihood: 0.95,
  },
  'cloud-metadata': {
    kind: 'cloud-metadata',
    mitre: T('T1552.005', 'Unsecured Credentials: Cloud Instance Metadata API'),
    ms: T('MS-TA9033', 'Instance Metadata API'),
    explanation: "NetworkPolicies let the pod reach 169.254.169.254:80; unless the node blocks it, the node's cloud credentials come back",
    likelihood: 0.5,
  },
  'workload-identity': {
    kind: 'workload-identity',
    mitre: T('T1550.001', 'Use Alternate Authentication Material: Application Access Token'),
    ms: T('MS-TA9028', 'Access managed identity credentials'),
    explanation: 'the service account is federated with a cloud identity (IRSA, GKE or Azure Workload Identity): its token buys cloud credentials',
    likelihood: 0.95,
  },
  'read-secrets': {
    kind: 'read-secrets',
    kubehound: 'TOKEN_LIST',
    mitre: T('T1552.007', 'Unsecured Credentials: Container API'),
    ms: T('MS-TA9025', 'List Kubernetes secrets'),
    explanation: 'RBAC lets the identity list (or get) the Secrets of the namespace',
    likelihood: 0.95,
  },
  'pod-exec': {
    kind: 'pod-exec',
    kubehound: 'POD_EXEC',
    mitre: ADMIN_CMD,
    ms: T('MS-TA9006', 'Exec into container'),
    explanation: 'RBAC lets the identity exec into, attach to or patch the running pods of the namespace',
    likelihood: 0.9,
  },
  'exec-into-container': {
    kind: 'exec-into-container',
    kubehound: 'CONTAINER_ATTACH',
    mitre: ADMIN_CMD,
    ms: T('MS-TA9006', 'Exec into container'),
    explanation: 'control of the running pods of the namespace runs a command in this container',
    likelihood: 1,
  },
  'create-privileged-pod': {
    kind: 'create-privileged-pod',
    kubehound: 'POD_CREATE',
    mitre: DEPLOY,
    ms: T('MS-TA9008', 'New container'),
    explanation: 'RBAC lets the identity create pods where Pod Security admission does not forbid privileged ones: a privileged pod is root on its node',
    likelihood: 0.9,
  },
  'rbac-escalation': {
    kind: 'rbac-escalation',
    kubehound: 'ROLE_BIND',
    mitre: T('T1098.006', 'Account Manipulation: Additional Container Cluster Roles'),
    ms: T('MS-TA9019', 'Cluster-admin binding'),
    explanation: 'a chain of RBAC primitives (bind, escalate, impersonate, token minting, workload creation) reaches the privilege',
    likelihood: 0.9,
  },
};

/**
 * The techniques of one step of an RBAC escalation path (`rbac/paths.ts` edge kinds), so that
 * every hop of a path names its own technique.
 *
 * @example
 * rbacStepTechniques('bind').mitre.id; // 'T1098.006'
 */
export function rbacStepTechniques(kind: string): { readonly mitre: TechniqueRef; readonly ms: TechniqueRef } {
  switch (kind) {
    case 'create-workload':
      return { mitre: DEPLOY, ms: T('MS-TA9008', 'New container') };
    case 'control-pod':
      return { mitre: ADMIN_CMD, ms: T('MS-TA9006', 'Exec into container') };
    case 'nodes-proxy':
      return { mitre: ADMIN_CMD, ms: T('MS-TA9030', 'Access Kubelet API') };
    case 'token-request':
    case 'mint-token-secret':
      return { mitre: STEAL_TOKEN, ms: T('MS-TA9016', 'Container service account') };
    case 'read-token-secret':
      return { mitre: T('T1552.007', 'Unsecured Credentials: Container API'), ms: T('MS-TA9025', 'List Kubernetes secrets') };
    case 'impersonate-user':
    case 'impersonate-group':
    case 'impersonate-service-account':
      return { mitre: T('T1078', 'Valid Accounts'), ms: T('MS-TA9029', 'Access Kubernetes API server') };
    case 'issue-certificate':
      return { mitre: T('T1550.001', 'Use Alternate Authentication Material: Application Access Token'), ms: T('MS-TA9029', 'Access Kubernetes API server') };
    case 'bind':
    case 'escalate':
      return { mitre: T('T1098.006', 'Account Manipulation: Additional Container Cluster Roles'), ms: T('MS-TA9019', 'Cluster-admin binding') };
    default:
      return { mitre: T('T1078', 'Valid Accounts'), ms: T('MS-TA9029', 'Access Kubernetes API server') };
  }
}
