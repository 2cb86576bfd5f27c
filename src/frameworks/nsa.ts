/**
 * NSA/CISA Kubernetes Hardening Guidance v1.2 (August 2022). The guide does not number its
 * recommendations; the `NSA-nn` ids are Palisade's own, stable, in the guide's order.
 */
import type { Framework } from './types.js';

const POD = 'Kubernetes Pod security';
const NET = 'Network separation and hardening';
const AUTH = 'Authentication and authorization';
const LOG = 'Audit logging and threat detection';
const UPGRADE = 'Upgrading and application security practices';

export const nsa: Framework = {
  id: 'nsa-1.2',
  names: ['nsa', 'nsa-cisa'],
  prefix: 'nsa',
  title: 'NSA/CISA Kubernetes Hardening Guidance',
  version: 'v1.2',
  url: 'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
  description: 'Recommendations of the NSA/CISA Kubernetes hardening guide; the NSA-nn ids are Palisade-local.',
  controls: [
    { id: 'NSA-01', section: POD, method: 'api', title: 'Run containers as non-root; use rootless engines' },
    { id: 'NSA-02', section: POD, method: 'api', title: 'Immutable root filesystem (readOnlyRootFilesystem: true)' },
    { id: 'NSA-03', section: POD, method: 'api', title: 'Build secure images; scan images; use trusted registries' },
    { id: 'NSA-04', section: POD, method: 'api', title: 'Deny privileged containers' },
    { id: 'NSA-05', section: POD, method: 'api', title: 'No hostPID, hostIPC or hostNetwork' },
    { id: 'NSA-06', section: POD, method: 'api', title: 'No privilege escalation' },
    { id: 'NSA-07', section: POD, method: 'api', title: 'Drop capabilities; no dangerous capabilities' },
    { id: 'NSA-08', section: POD, method: 'api', title: 'Use seccomp, AppArmor or SELinux' },
    { id: 'NSA-09', section: POD, method: 'api', title: 'Avoid hostPath and hostPort' },
    { id: 'NSA-10', section: POD, method: 'api', title: 'Enforce pod security through PSA or another admission controller' },
    { id: 'NSA-11', section: POD, method: 'api', title: 'Do not auto-mount service-account tokens unless needed' },
    {
      id: 'NSA-12',
      section: POD,
      method: 'manual',
      title: 'Sandboxed runtimes (gVisor, Kata) for untrusted workloads',
      manual: 'Judgement: which workloads are untrusted and need a sandboxed RuntimeClass is a decision about the workloads.',
    },
    { id: 'NSA-13', section: NET, method: 'api', title: 'Separate workloads with namespaces; keep user workloads out of default and kube-system' },
    { id: 'NSA-14', section: NET, method: 'api', title: 'Default-deny ingress and egress NetworkPolicy per namespace' },
    { id: 'NSA-15', section: NET, method: 'api', title: 'LimitRange, ResourceQuota, CPU and memory limits, PID limits' },
    { id: 'NSA-16', section: NET, method: 'api-cp', title: 'TLS on every component; no insecure API port', provider: true },
    { id: 'NSA-17', section: NET, method: 'api-cp', title: 'Protect etcd: TLS, client certificates, reachable only by the API server', provider: true },
    { id: 'NSA-18', section: NET, method: 'api-cp', title: 'Encrypt Secrets at rest, preferably with KMS', provider: true },
    { id: 'NSA-19', section: NET, method: 'node', title: 'Protect kubeconfig files; firewall the control-plane ports' },
    {
      id: 'NSA-20',
      section: NET,
      method: 'manual',
      title: 'Block Pod access to the instance metadata service',
      manual:
        'Needs the network path from pods to 169.254.169.254, which depends on the cloud and CNI; review egress policies and the metadata service settings (IMDSv2 hop limit, GKE metadata server).',
    },
    { id: 'NSA-21', section: AUTH, method: 'api-cp', title: 'Disable anonymous access to the API server and kubelet' },
    { id: 'NSA-22', section: AUTH, method: 'api-node', title: 'Kubelet client TLS authentication' },
    {
      id: 'NSA-23',
      section: AUTH,
      method: 'api-cp',
      title: 'Strong user authentication (OIDC); no static tokens, service-account tokens or client certificates for people',
    },
    { id: 'NSA-24', section: AUTH, method: 'api-cp', title: 'RBAC enabled (--authorization-mode=Node,RBAC), kubelet in Webhook mode' },
    { id: 'NSA-25', section: AUTH, method: 'api', title: 'Least privilege: few admin roles, no pods/exec for routine users' },
    { id: 'NSA-26', section: LOG, method: 'api-cp', title: 'API server audit logging with a policy; retention', provider: true },
    {
      id: 'NSA-27',
      section: LOG,
      method: 'manual',
      title: 'Aggregate container and node logs to a SIEM; alerting; runtime threat detection',
      manual: 'Log shipping and alerting live outside the cluster objects; review the logging pipeline (palisade audit reads the audit log itself).',
    },
    {
      id: 'NSA-28',
      section: UPGRADE,
      method: 'api',
      title: 'Patch Kubernetes and add-ons promptly; scan regularly; remove unused components',
      checks: ['deprecated-api-version', 'removed-api-version', 'ingress-nginx-snippet-annotation'],
    },
  ],
};
