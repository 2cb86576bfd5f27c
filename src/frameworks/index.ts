/**
 * Control catalogues as data. A check names the controls it covers as `framework:control`
 * (`cis:5.2.2`); reports invert that mapping. Titles are paraphrased.
 */

/** One framework: its id (the prefix in references), full title, version and controls. */
export interface Framework {
  readonly id: string;
  readonly title: string;
  readonly version: string;
  readonly url: string;
  readonly controls: Readonly<Record<string, string>>;
}

const cis: Framework = {
  id: 'cis',
  title: 'CIS Kubernetes Benchmark',
  version: 'v1.12.0',
  url: 'https://www.cisecurity.org/benchmark/kubernetes',
  controls: {
    '5.1.1': 'cluster-admin bound only where needed',
    '5.1.2': 'Minimise secret read access',
    '5.1.3': 'Minimise wildcards in roles',
    '5.1.4': 'Minimise pod-create access',
    '5.1.5': 'Default SAs not used',
    '5.1.6': 'SA token mounted only where needed',
    '5.1.7': 'Avoid system:masters',
    '5.1.8': 'Limit bind/impersonate/escalate',
    '5.1.9': 'Minimise PV create access',
    '5.1.10': 'Minimise nodes/proxy access',
    '5.1.11': 'Minimise CSR approval access',
    '5.1.12': 'Minimise webhook-config access',
    '5.1.13': 'Minimise SA token creation',
    '5.2.1': 'At least one pod-policy mechanism active',
    '5.2.2': 'Limit privileged containers',
    '5.2.3': 'Limit hostPID',
    '5.2.4': 'Limit hostIPC',
    '5.2.5': 'Limit hostNetwork',
    '5.2.6': 'Limit allowPrivilegeEscalation',
    '5.2.7': 'Limit root containers',
    '5.2.8': 'Limit NET_RAW',
    '5.2.9': 'Limit assigned capabilities',
    '5.2.10': 'Limit Windows HostProcess',
    '5.2.11': 'Limit hostPath volumes',
    '5.2.12': 'Limit hostPorts',
    '5.3.1': 'CNI supports NetworkPolicy',
    '5.3.2': 'Every namespace has a NetworkPolicy',
    '5.4.1': 'Secrets as files, not env vars',
    '5.4.2': 'Consider external secret store',
    '5.5.1': 'Image provenance via ImagePolicyWebhook',
    '5.6.1': 'Namespaces as admin boundaries',
    '5.6.2': 'Pods use seccomp RuntimeDefault',
    '5.6.3': 'Apply securityContext to pods/containers',
    '5.6.4': 'Default namespace unused',
  },
};

const nsa: Framework = {
  id: 'nsa',
  title: 'NSA/CISA Kubernetes Hardening Guidance (Palisade-local ids)',
  version: 'v1.2',
  url: 'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
  controls: {
    'NSA-01': 'Run containers as non-root; use rootless engines',
    'NSA-02': 'Immutable root filesystem (`readOnlyRootFilesystem: true`)',
    'NSA-03': 'Build secure images; scan images; use trusted registries',
    'NSA-04': 'Deny privileged containers',
    'NSA-05': 'No hostPID, hostIPC or hostNetwork',
    'NSA-06': 'No privilege escalation',
    'NSA-07': 'Drop capabilities; no dangerous capabilities',
    'NSA-08': 'Use seccomp, AppArmor or SELinux',
    'NSA-09': 'Avoid hostPath and hostPort',
    'NSA-10': 'Enforce pod security through PSA or another admission controller',
    'NSA-11': 'Do not auto-mount SA tokens unless needed',
    'NSA-12': 'Sandboxed runtimes (gVisor, Kata) for untrusted workloads',
    'NSA-13': 'Separate workloads with namespaces; keep user workloads out of `default` and `kube-system`',
    'NSA-14': 'Default-deny ingress **and** egress NetworkPolicy per namespace',
    'NSA-15': 'LimitRange, ResourceQuota, CPU and memory limits, PID limits',
    'NSA-16': 'TLS on every component; no insecure API port',
    'NSA-17': 'Protect etcd: TLS, client certs, reachable only by the API server',
    'NSA-18': 'Encrypt Secrets at rest, preferably with KMS',
    'NSA-19': 'Protect kubeconfig files; firewall control-plane ports (6443, 2379–2380, 10250, 10257, 10259; NodePort 30000–32767)',
    'NSA-20': 'Block Pod access to the instance metadata service',
    'NSA-21': 'Disable anonymous access to the API server and kubelet',
    'NSA-22': 'Kubelet client TLS authentication',
    'NSA-23': 'Strong user authentication (OIDC); no SA tokens or client certs for people',
    'NSA-24': 'RBAC enabled (`--authorization-mode=RBAC,Node`), kubelet in Webhook mode',
    'NSA-25': 'Least privilege: few admin roles, no `pods/exec` for routine users',
    'NSA-26': 'API server audit logging with a policy; retention',
    'NSA-27': 'Aggregate container and node logs to a SIEM; alerting; runtime threat detection',
    'NSA-28': 'Patch Kubernetes and add-ons promptly; scan regularly; remove unused components',
  },
};

const pss: Framework = {
  id: 'pss',
  title: 'Kubernetes Pod Security Standards',
  version: 'v1.0-v1.37',
  url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  controls: {
    'baseline/host-process': 'HostProcess',
    'baseline/host-namespaces': 'Host Namespaces',
    'baseline/privileged': 'Privileged Containers',
    'baseline/capabilities': 'Capabilities',
    'baseline/host-path-volumes': 'HostPath Volumes',
    'baseline/host-ports': 'Host Ports',
    'baseline/host-probes': 'Host Probes / Lifecycle Hooks',
    'baseline/apparmor': 'AppArmor',
    'baseline/selinux': 'SELinux',
    'baseline/proc-mount': '/proc Mount Type',
    'baseline/seccomp': 'Seccomp',
    'baseline/sysctls': 'Sysctls',
    'restricted/volume-types': 'Volume Types',
    'restricted/privilege-escalation': 'Privilege Escalation',
    'restricted/run-as-non-root': 'Running as Non-root',
    'restricted/run-as-user': 'Running as Non-root user',
    'restricted/seccomp': 'Seccomp',
    'restricted/capabilities': 'Capabilities',
    'restricted/proc-mount': '/proc Mount Type (strict)',
  },
};

const mitre: Framework = {
  id: 'mitre',
  title: 'MITRE ATT&CK (Containers)',
  version: 'v18',
  url: 'https://attack.mitre.org/matrices/enterprise/containers/',
  controls: {
    T1190: 'Exploit Public-Facing Application',
    T1133: 'External Remote Services',
    T1078: 'Valid Accounts',
    'T1078.001': 'Valid Accounts: Default Accounts',
    T1609: 'Container Administration Command',
    T1610: 'Deploy Container',
    'T1053.007': 'Scheduled Task/Job: Container Orchestration Job',
    'T1204.003': 'User Execution: Malicious Image',
    'T1098.006': 'Account Manipulation: Additional Container Cluster Roles',
    'T1543.005': 'Create or Modify System Process: Container Service',
    T1525: 'Implant Internal Image',
    T1611: 'Escape to Host',
    T1068: 'Exploitation for Privilege Escalation',
    T1612: 'Build Image on Host',
    'T1562.001': 'Impair Defenses: Disable or Modify Tools',
    T1070: 'Indicator Removal',
    'T1036.005': 'Masquerading: Match Legitimate Name or Location',
    'T1550.001': 'Use Alternate Authentication Material: Application Access Token',
    T1110: 'Brute Force',
    T1528: 'Steal Application Access Token',
    T1552: 'Unsecured Credentials',
    'T1552.001': 'Unsecured Credentials: Credentials In Files',
    'T1552.005': 'Unsecured Credentials: Cloud Instance Metadata API',
    'T1552.007': 'Unsecured Credentials: Container API',
    T1613: 'Container and Resource Discovery',
    T1046: 'Network Service Discovery',
    T1069: 'Permission Groups Discovery',
    T1210: 'Exploitation of Remote Services',
    T1485: 'Data Destruction',
    T1499: 'Endpoint Denial of Service',
    T1490: 'Inhibit System Recovery',
    T1498: 'Network Denial of Service',
    T1496: 'Resource Hijacking',
    T1557: 'Adversary-in-the-Middle',
  },
};

const ms: Framework = {
  id: 'ms',
  title: 'Microsoft Threat Matrix for Kubernetes',
  version: '2023-01',
  url: 'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/',
  controls: {
    'MS-TA9001': 'Using cloud credentials',
    'MS-TA9002': 'Compromised image in registry',
    'MS-TA9003': 'Kubeconfig file',
    'MS-TA9004': 'Application vulnerability',
    'MS-TA9005': 'Exposed sensitive interfaces',
    'MS-TA9006': 'Exec into container',
    'MS-TA9007': 'bash/cmd inside container',
    'MS-TA9008': 'New container',
    'MS-TA9009': 'Application exploit (RCE)',
    'MS-TA9010': 'SSH server running inside container',
    'MS-TA9011': 'Sidecar injection',
    'MS-TA9012': 'Backdoor container',
    'MS-TA9013': 'Writable hostPath mount',
    'MS-TA9014': 'Kubernetes CronJob',
    'MS-TA9015': 'Malicious admission controller',
    'MS-TA9016': 'Container service account',
    'MS-TA9017': 'Static pods',
    'MS-TA9018': 'Privileged container',
    'MS-TA9019': 'Cluster-admin binding',
    'MS-TA9020': 'Access cloud resources',
    'MS-TA9021': 'Clear container logs',
    'MS-TA9022': 'Delete Kubernetes events',
    'MS-TA9023': 'Pod or container name similarity',
    'MS-TA9024': 'Connect from proxy server',
    'MS-TA9025': 'List Kubernetes secrets',
    'MS-TA9026': 'Mount service principal',
    'MS-TA9027': 'Application credentials in configuration files',
    'MS-TA9028': 'Access managed identity credentials',
    'MS-TA9029': 'Access Kubernetes API server',
    'MS-TA9030': 'Access Kubelet API',
    'MS-TA9031': 'Network mapping',
    'MS-TA9033': 'Instance Metadata API',
    'MS-TA9034': 'Cluster internal networking',
    'MS-TA9035': 'CoreDNS poisoning',
    'MS-TA9036': 'ARP poisoning and IP spoofing',
    'MS-TA9037': 'Images from a private registry',
    'MS-TA9041': 'Collecting data from pod',
    'MS-TA9038': 'Data destruction',
    'MS-TA9039': 'Resource hijacking',
    'MS-TA9040': 'Denial of service',
  },
};

/** Every framework, keyed by id. */
export const FRAMEWORKS: Readonly<Record<string, Framework>> = { cis, nsa, pss, mitre, ms };

/**
 * Resolves a `framework:control` reference, or undefined when either part is unknown.
 *
 * @example
 * resolveReference('cis:5.2.2')?.title; // 'Limit privileged containers'
 */
export function resolveReference(ref: string): { framework: Framework; control: string; title: string } | undefined {
  const i = ref.indexOf(':');
  if (i <= 0) return undefined;
  const framework = FRAMEWORKS[ref.slice(0, i)];
  const control = ref.slice(i + 1);
  const title = framework?.controls[control];
  return framework && title !== undefined ? { framework, control, title } : undefined;
}
