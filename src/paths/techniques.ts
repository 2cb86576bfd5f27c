/**
 * The attack primitives of the attack graph: one entry per edge kind, with its MITRE ATT&CK
 * technique, its Microsoft Threat Matrix for Kubernetes technique, a one-line explanation and
 * the likelihood that an attacker standing at the edge's start succeeds in taking it.
 *
 * Edge kinds follow KubeHound's attack list (docs/reference/attacks) where one exists, plus the
 * primitives it lacks (network reachability from NetworkPolicies, cloud metadata, workload
 * identity, `escalate`, impersonation, TokenRequest, CSR signing, `nodes/proxy`, admission
 * webhook configuration changes, NET_RAW/NET_ADMIN man-in-the-middle).
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
  | 'net-raw-mitm'
  | 'spoofed-traffic'
  | 'token-theft'
  | 'token-list'
  | 'use-token'
  | 'cloud-metadata'
  | 'workload-identity'
  | 'read-secrets'
  | 'pod-exec'
  | 'exec-into-container'
  | 'create-privileged-pod'
  | 'modify-webhooks'
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
  /** One line: the change that removes the edge (Top risks say it for the hop that cuts a path). */
  readonly cut: string;
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
    cut: 'admit only the ingress controller (or nothing) with an ingress NetworkPolicy, or stop exposing the Service',
  },
  'exploit-vulnerable-image': {
    kind: 'exploit-vulnerable-image',
    kubehound: 'ENDPOINT_EXPLOIT',
    mitre: EXPLOIT_PUBLIC,
    ms: T('MS-TA9004', 'Application vulnerability'),
    explanation: 'traffic from outside reaches a container whose image has a known, fixable or actively exploited vulnerability',
    likelihood: 0.8,
    cut: 'rebuild the image with the fixed package versions, or close the exposure with an ingress NetworkPolicy',
  },
  'run-in-container': {
    kind: 'run-in-container',
    mitre: ADMIN_CMD,
    ms: T('MS-TA9007', 'bash/cmd inside container'),
    explanation: 'a compromised pod of the workload runs the attacker code in this container',
    likelihood: 1,
    cut: 'nothing to change here: cut a later hop',
  },
  'shared-process-namespace': {
    kind: 'shared-process-namespace',
    kubehound: 'SHARE_PS_NAMESPACE',
    mitre: ADMIN_CMD,
    ms: T('MS-TA9007', 'bash/cmd inside container'),
    explanation: 'shareProcessNamespace lets one container see and enter the processes and filesystems of its siblings',
    likelihood: 0.9,
    cut: 'remove shareProcessNamespace: true',
  },
  'privileged-escape': {
    kind: 'privileged-escape',
    kubehound: 'CE_PRIV_MOUNT',
    mitre: ESCAPE,
    ms: T('MS-TA9018', 'Privileged container'),
    explanation: 'a privileged container sees every host device and mounts the host disk: root on the node',
    likelihood: 0.95,
    cut: 'remove privileged: true (add only the capabilities the container needs)',
  },
  'host-pid-escape': {
    kind: 'host-pid-escape',
    kubehound: 'CE_NSENTER',
    mitre: ESCAPE,
    ms: T('MS-TA9018', 'Privileged container'),
    explanation: 'hostPID with SYS_PTRACE (or privileged) lets the container nsenter or ptrace host processes: root on the node',
    likelihood: 0.9,
    cut: 'remove hostPID: true (and SYS_PTRACE)',
  },
  'module-load': {
    kind: 'module-load',
    kubehound: 'CE_MODULE_LOAD',
    mitre: ESCAPE,
    ms: T('MS-TA9018', 'Privileged container'),
    explanation: 'CAP_SYS_MODULE loads a kernel module: code in the host kernel',
    likelihood: 0.9,
    cut: 'drop CAP_SYS_MODULE from capabilities.add',
  },
  'sys-admin-escape': {
    kind: 'sys-admin-escape',
    mitre: ESCAPE,
    ms: T('MS-TA9018', 'Privileged container'),
    explanation: 'CAP_SYS_ADMIN mounts cgroupfs and abuses release_agent (or similar) to run a command on the host',
    likelihood: 0.7,
    cut: 'drop CAP_SYS_ADMIN from capabilities.add',
  },
  'runtime-socket': {
    kind: 'runtime-socket',
    kubehound: 'EXPLOIT_CONTAINERD_SOCK',
    mitre: DEPLOY,
    ms: T('MS-TA9008', 'New container'),
    explanation: 'the container runtime socket starts a privileged container on the node: root on the node',
    likelihood: 0.95,
    cut: 'remove the hostPath volume of the container runtime socket',
  },
  'host-write': {
    kind: 'host-write',
    kubehound: 'EXPLOIT_HOST_WRITE',
    mitre: ESCAPE,
    ms: T('MS-TA9013', 'Writable hostPath mount'),
    explanation: 'a writable mount of a sensitive host path (cron, systemd, kubelet, SSH keys) runs code as root on the node',
    likelihood: 0.9,
    cut: 'remove the hostPath volume, or mount it readOnly and narrow it to the directory needed',
  },
  'host-read': {
    kind: 'host-read',
    kubehound: 'EXPLOIT_HOST_READ',
    mitre: T('T1552.001', 'Unsecured Credentials: Credentials In Files'),
    ms: T('MS-TA9026', 'Mount service principal'),
    explanation: "a read-only mount of a sensitive host path exposes the node's credentials (kubelet client certificate, SSH keys, shadow)",
    likelihood: 0.6,
    cut: 'remove the hostPath volume, or narrow it to a directory without credentials',
  },
  'var-log-symlink': {
    kind: 'var-log-symlink',
    kubehound: 'CE_VAR_LOG_SYMLINK',
    mitre: ESCAPE,
    ms: T('MS-TA9013', 'Writable hostPath mount'),
    explanation: 'root with the host /var/log mounted plants a symlink that the kubelet follows when serving logs: any host file',
    likelihood: 0.7,
    cut: 'mount /var/log readOnly, or run the container as a non-root user',
  },
  'core-pattern': {
    kind: 'core-pattern',
    kubehound: 'CE_UMH_CORE_PATTERN',
    mitre: ESCAPE,
    ms: T('MS-TA9013', 'Writable hostPath mount'),
    explanation: 'a writable host /proc/sys/kernel sets core_pattern to a program the host kernel runs as root',
    likelihood: 0.9,
    cut: 'remove the writable hostPath volume of /proc/sys',
  },
  'net-raw-mitm': {
    kind: 'net-raw-mitm',
    mitre: T('T1557', 'Adversary-in-the-Middle'),
    ms: T('MS-TA9036', 'ARP poisoning and IP spoofing'),
    explanation:
      'NET_RAW or NET_ADMIN (or the host network) lets the container forge ARP and DNS answers on the pod network of its namespace: traffic of the other pods is redirected through it and their plain-text sessions and credentials are read or changed',
    likelihood: 0.3,
    cut: 'drop NET_RAW and NET_ADMIN (capabilities.drop: [ALL]) and leave hostNetwork off',
  },
  'spoofed-traffic': {
    kind: 'spoofed-traffic',
    mitre: T('T1557', 'Adversary-in-the-Middle'),
    ms: T('MS-TA9036', 'ARP poisoning and IP spoofing'),
    explanation: 'traffic redirected through the spoofer reaches this container: forged answers and stolen sessions act on it',
    likelihood: 1,
    cut: 'nothing to change here: cut the spoofing capability before it',
  },
  'token-theft': {
    kind: 'token-theft',
    kubehound: 'IDENTITY_ASSUME',
    mitre: STEAL_TOKEN,
    ms: T('MS-TA9016', 'Container service account'),
    explanation: 'the pod mounts its service account token: code in the container acts as that service account',
    likelihood: 0.95,
    cut: 'set automountServiceAccountToken: false on the pod (or its ServiceAccount) when it does not call the API',
  },
  'token-list': {
    kind: 'token-list',
    kubehound: 'TOKEN_LIST',
    mitre: T('T1528', 'Steal Application Access Token'),
    ms: T('MS-TA9025', 'List Kubernetes secrets'),
    explanation:
      'RBAC lets the identity list (or get by name) the Secrets of the namespace, among them a service account token Secret: it acts as that service account',
    likelihood: 0.95,
    cut: 'remove get/list/watch on secrets from the role, or delete the legacy token Secret (use TokenRequest tokens)',
  },
  'use-token': {
    kind: 'use-token',
    kubehound: 'IDENTITY_ASSUME',
    mitre: T('T1528', 'Steal Application Access Token'),
    ms: T('MS-TA9016', 'Container service account'),
    explanation: 'the token read from the Secret authenticates as its service account',
    likelihood: 1,
    cut: 'delete the legacy token Secret (service accounts get short-lived TokenRequest tokens)',
  },
  'cloud-metadata': {
    kind: 'cloud-metadata',
    mitre: T('T1552.005', 'Unsecured Credentials: Cloud Instance Metadata API'),
    ms: T('MS-TA9033', 'Instance Metadata API'),
    explanation: "NetworkPolicies let the pod reach 169.254.169.254:80; unless the node blocks it, the node's cloud credentials come back",
    likelihood: 0.5,
    cut: 'deny egress to 169.254.169.254 with an egress NetworkPolicy (and require IMDSv2 with hop limit 1 on the nodes)',
  },
  'workload-identity': {
    kind: 'workload-identity',
    mitre: T('T1550.001', 'Use Alternate Authentication Material: Application Access Token'),
    ms: T('MS-TA9028', 'Access managed identity credentials'),
    explanation: 'the service account is federated with a cloud identity (IRSA, GKE or Azure Workload Identity): its token buys cloud credentials',
    likelihood: 0.95,
    cut: 'remove the cloud identity annotation, or narrow the cloud role it maps to',
  },
  'read-secrets': {
    kind: 'read-secrets',
    kubehound: 'TOKEN_LIST',
    mitre: T('T1552.007', 'Unsecured Credentials: Container API'),
    ms: T('MS-TA9025', 'List Kubernetes secrets'),
    explanation: 'RBAC lets the identity list (or get) the Secrets of the namespace',
    likelihood: 0.95,
    cut: 'remove get/list/watch on secrets from the role, or the binding that grants it',
  },
  'pod-exec': {
    kind: 'pod-exec',
    kubehound: 'POD_EXEC',
    mitre: ADMIN_CMD,
    ms: T('MS-TA9006', 'Exec into container'),
    explanation: 'RBAC lets the identity exec into, attach to or patch the running pods of the namespace',
    likelihood: 0.9,
    cut: 'remove pods/exec, pods/attach and patch pods from the role, or the binding that grants it',
  },
  'exec-into-container': {
    kind: 'exec-into-container',
    kubehound: 'CONTAINER_ATTACH',
    mitre: ADMIN_CMD,
    ms: T('MS-TA9006', 'Exec into container'),
    explanation: 'control of the running pods of the namespace runs a command in this container',
    likelihood: 1,
    cut: 'nothing to change here: cut the exec right before it',
  },
  'create-privileged-pod': {
    kind: 'create-privileged-pod',
    kubehound: 'POD_CREATE',
    mitre: DEPLOY,
    ms: T('MS-TA9008', 'New container'),
    explanation: 'RBAC lets the identity create pods where Pod Security admission does not forbid privileged ones: a privileged pod is root on its node',
    likelihood: 0.9,
    cut: 'enforce Pod Security baseline or restricted on the namespace (pod-security.kubernetes.io/enforce), or remove create pods',
  },
  'modify-webhooks': {
    kind: 'modify-webhooks',
    mitre: T('T1546', 'Event Triggered Execution'),
    ms: T('MS-TA9015', 'Malicious admission controller'),
    explanation:
      'RBAC lets the identity create or change admission webhook configurations: a mutating webhook rewrites every pod created (privileged containers, stolen tokens), a validating one receives every object written, Secrets included',
    likelihood: 0.8,
    cut: 'remove create/update/patch on mutatingwebhookconfigurations and validatingwebhookconfigurations from the role, or the binding that grants it',
  },
  'rbac-escalation': {
    kind: 'rbac-escalation',
    kubehound: 'ROLE_BIND',
    mitre: T('T1098.006', 'Account Manipulation: Additional Container Cluster Roles'),
    ms: T('MS-TA9019', 'Cluster-admin binding'),
    explanation: 'a chain of RBAC primitives (bind, escalate, impersonate, token minting, workload creation) reaches the privilege',
    likelihood: 0.9,
    cut: 'remove the binding or rule named in the evidence of the first RBAC step',
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
