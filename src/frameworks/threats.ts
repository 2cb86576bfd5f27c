/**
 * Threat taxonomies: MITRE ATT&CK for Containers (technique ids, stable across ATT&CK versions)
 * and the Microsoft Threat Matrix for Kubernetes. A technique is "covered" by the posture checks
 * that close a path to it; techniques that are behaviour at run time, not configuration, are
 * manual with that reason. A failing control means: this cluster leaves the technique open.
 */
import type { Control, Framework } from './types.js';

const RUNTIME = 'Runtime behaviour, not configuration: detect it in the audit log (palisade audit) or with a runtime sensor.';
const OUTSIDE = 'Happens outside the cluster configuration Palisade reads (cloud accounts, registries, hosts); review those controls.';

/** id, title, tactic, the manual reason, and checks mapped explicitly (names or references). */
type Row = readonly [id: string, title: string, section: string, manual?: string | undefined, checks?: readonly string[]];

function controls(rows: readonly Row[]): Control[] {
  return rows.map(([id, title, section, manual, checks]) => ({
    id,
    title,
    section,
    method: manual ? 'manual' : 'api',
    ...(manual ? { manual } : {}),
    ...(checks ? { checks } : {}),
  }));
}

export const mitre: Framework = {
  id: 'mitre',
  names: ['mitre-attack', 'attack'],
  prefix: 'mitre',
  title: 'MITRE ATT&CK for Containers',
  version: 'v18',
  url: 'https://attack.mitre.org/matrices/enterprise/containers/',
  description: 'ATT&CK techniques of the Containers platform; a failing technique is one the configuration leaves open.',
  controls: controls([
    ['T1190', 'Exploit Public-Facing Application', 'Initial Access'],
    ['T1133', 'External Remote Services', 'Initial Access'],
    ['T1078', 'Valid Accounts', 'Initial Access'],
    ['T1078.001', 'Valid Accounts: Default Accounts', 'Initial Access'],
    ['T1609', 'Container Administration Command', 'Execution'],
    ['T1610', 'Deploy Container', 'Execution'],
    ['T1053.007', 'Scheduled Task/Job: Container Orchestration Job', 'Execution'],
    ['T1204.003', 'User Execution: Malicious Image', 'Execution'],
    ['T1098.006', 'Account Manipulation: Additional Container Cluster Roles', 'Persistence'],
    ['T1543.005', 'Create or Modify System Process: Container Service', 'Persistence', RUNTIME],
    ['T1525', 'Implant Internal Image', 'Persistence'],
    ['T1611', 'Escape to Host', 'Privilege Escalation'],
    ['T1068', 'Exploitation for Privilege Escalation', 'Privilege Escalation'],
    ['T1612', 'Build Image on Host', 'Defense Evasion', undefined, ['container-runtime-socket-mount']],
    ['T1562.001', 'Impair Defenses: Disable or Modify Tools', 'Defense Evasion'],
    ['T1070', 'Indicator Removal', 'Defense Evasion'],
    ['T1036.005', 'Masquerading: Match Legitimate Name or Location', 'Defense Evasion', RUNTIME],
    ['T1550.001', 'Use Alternate Authentication Material: Application Access Token', 'Defense Evasion'],
    ['T1110', 'Brute Force', 'Credential Access', RUNTIME],
    ['T1528', 'Steal Application Access Token', 'Credential Access'],
    ['T1552', 'Unsecured Credentials', 'Credential Access'],
    ['T1552.001', 'Unsecured Credentials: Credentials In Files', 'Credential Access'],
    ['T1552.005', 'Unsecured Credentials: Cloud Instance Metadata API', 'Credential Access'],
    ['T1552.007', 'Unsecured Credentials: Container API', 'Credential Access'],
    ['T1613', 'Container and Resource Discovery', 'Discovery'],
    ['T1046', 'Network Service Discovery', 'Discovery', undefined, ['namespace-without-network-policy']],
    ['T1069', 'Permission Groups Discovery', 'Discovery', RUNTIME],
    ['T1210', 'Exploitation of Remote Services', 'Lateral Movement'],
    ['T1485', 'Data Destruction', 'Impact', undefined, ['rbac-wildcard', 'rbac-subject-wildcard']],
    ['T1499', 'Endpoint Denial of Service', 'Impact'],
    ['T1490', 'Inhibit System Recovery', 'Impact', RUNTIME],
    ['T1498', 'Network Denial of Service', 'Impact', RUNTIME],
    ['T1496', 'Resource Hijacking', 'Impact'],
    ['T1557', 'Adversary-in-the-Middle', 'Lateral Movement'],
  ]),
};

export const microsoft: Framework = {
  id: 'ms-threat-matrix',
  names: ['ms', 'microsoft'],
  prefix: 'ms',
  title: 'Microsoft Threat Matrix for Kubernetes',
  version: '2023-01',
  url: 'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/',
  description: 'Techniques of the Microsoft threat matrix; a failing technique is one the configuration leaves open.',
  controls: controls([
    ['MS-TA9001', 'Using cloud credentials', 'Initial Access', OUTSIDE],
    ['MS-TA9002', 'Compromised image in registry', 'Initial Access'],
    ['MS-TA9003', 'Kubeconfig file', 'Initial Access', OUTSIDE],
    [
      'MS-TA9004',
      'Application vulnerability',
      'Initial Access',
      'Application code is outside the configuration; scan images for vulnerabilities (palisade image).',
    ],
    ['MS-TA9005', 'Exposed sensitive interfaces', 'Initial Access'],
    ['MS-TA9006', 'Exec into container', 'Execution'],
    ['MS-TA9007', 'bash/cmd inside container', 'Execution', RUNTIME],
    ['MS-TA9008', 'New container', 'Execution'],
    ['MS-TA9009', 'Application exploit (RCE)', 'Execution', RUNTIME],
    ['MS-TA9010', 'SSH server running inside container', 'Execution'],
    ['MS-TA9011', 'Sidecar injection', 'Execution'],
    ['MS-TA9012', 'Backdoor container', 'Persistence', undefined, ['cis:5.1.4']],
    ['MS-TA9013', 'Writable hostPath mount', 'Persistence'],
    ['MS-TA9014', 'Kubernetes CronJob', 'Persistence'],
    ['MS-TA9015', 'Malicious admission controller', 'Persistence'],
    ['MS-TA9016', 'Container service account', 'Credential Access'],
    [
      'MS-TA9017',
      'Static pods',
      'Persistence',
      undefined,
      ['cis:1.1.1', 'cis:1.1.2', 'cis:1.1.3', 'cis:1.1.4', 'cis:1.1.5', 'cis:1.1.6', 'cis:1.1.7', 'cis:1.1.8'],
    ],
    ['MS-TA9018', 'Privileged container', 'Privilege Escalation'],
    ['MS-TA9019', 'Cluster-admin binding', 'Privilege Escalation'],
    ['MS-TA9020', 'Access cloud resources', 'Privilege Escalation', OUTSIDE],
    ['MS-TA9021', 'Clear container logs', 'Defense Evasion', RUNTIME],
    ['MS-TA9022', 'Delete Kubernetes events', 'Defense Evasion'],
    ['MS-TA9023', 'Pod or container name similarity', 'Defense Evasion', RUNTIME],
    ['MS-TA9024', 'Connect from proxy server', 'Defense Evasion', RUNTIME],
    ['MS-TA9025', 'List Kubernetes secrets', 'Credential Access'],
    ['MS-TA9026', 'Mount service principal', 'Credential Access', undefined, ['sensitive-host-path']],
    ['MS-TA9027', 'Application credentials in configuration files', 'Credential Access'],
    ['MS-TA9028', 'Access managed identity credentials', 'Credential Access', OUTSIDE],
    ['MS-TA9029', 'Access Kubernetes API server', 'Discovery', RUNTIME],
    ['MS-TA9030', 'Access Kubelet API', 'Discovery'],
    ['MS-TA9031', 'Network mapping', 'Discovery', undefined, ['namespace-without-network-policy']],
    ['MS-TA9033', 'Instance Metadata API', 'Discovery', undefined, ['mitre:T1552.005']],
    ['MS-TA9034', 'Cluster internal networking', 'Lateral Movement'],
    [
      'MS-TA9035',
      'CoreDNS poisoning',
      'Lateral Movement',
      'Needs write access to the coredns ConfigMap in kube-system; review who holds it (palisade rbac who-can update configmaps -n kube-system).',
    ],
    ['MS-TA9036', 'ARP poisoning and IP spoofing', 'Lateral Movement'],
    [
      'MS-TA9037',
      'Images from a private registry',
      'Collection',
      'Pull credentials (imagePullSecrets, node credentials) grant registry access outside the cluster; review who can read them and the registry permissions.',
    ],
    ['MS-TA9041', 'Collecting data from pod', 'Collection', undefined, ['ms:MS-TA9006']],
    ['MS-TA9038', 'Data destruction', 'Impact', undefined, ['rbac-wildcard', 'rbac-subject-wildcard']],
    ['MS-TA9039', 'Resource hijacking', 'Impact'],
    ['MS-TA9040', 'Denial of service', 'Impact'],
  ]),
};
