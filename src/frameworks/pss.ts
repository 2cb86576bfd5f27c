/**
 * Pod Security Standards (k8s.io/pod-security-admission), one control per PSA check. The
 * `pss-baseline` report lists the baseline controls; `pss-restricted` lists all of them, as
 * the restricted level is baseline plus the restricted checks.
 */
import type { Control, Framework } from './types.js';

const baseline: readonly Control[] = [
  { id: 'baseline/host-process', title: 'HostProcess' },
  { id: 'baseline/host-namespaces', title: 'Host Namespaces' },
  { id: 'baseline/privileged', title: 'Privileged Containers' },
  { id: 'baseline/capabilities', title: 'Capabilities' },
  { id: 'baseline/host-path-volumes', title: 'HostPath Volumes' },
  { id: 'baseline/host-ports', title: 'Host Ports' },
  { id: 'baseline/host-probes', title: 'Host Probes / Lifecycle Hooks' },
  { id: 'baseline/apparmor', title: 'AppArmor' },
  { id: 'baseline/selinux', title: 'SELinux' },
  { id: 'baseline/proc-mount', title: '/proc Mount Type' },
  { id: 'baseline/seccomp', title: 'Seccomp' },
  { id: 'baseline/sysctls', title: 'Sysctls' },
].map((c) => ({ ...c, section: 'Baseline', method: 'api' }));

const restricted: readonly Control[] = [
  { id: 'restricted/volume-types', title: 'Volume Types' },
  { id: 'restricted/privilege-escalation', title: 'Privilege Escalation' },
  { id: 'restricted/run-as-non-root', title: 'Running as Non-root' },
  { id: 'restricted/run-as-user', title: 'Running as Non-root user' },
  { id: 'restricted/seccomp', title: 'Seccomp' },
  { id: 'restricted/capabilities', title: 'Capabilities' },
  { id: 'restricted/proc-mount', title: '/proc Mount Type (strict)' },
].map((c) => ({ ...c, section: 'Restricted', method: 'api' }));

const common = {
  prefix: 'pss',
  title: 'Kubernetes Pod Security Standards',
  version: 'v1.0-v1.37',
  url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
} as const;

export const pssBaseline: Framework = {
  ...common,
  id: 'pss-baseline',
  title: 'Kubernetes Pod Security Standards: baseline',
  description: 'The baseline level: prevents known privilege escalations.',
  controls: baseline,
};

export const pssRestricted: Framework = {
  ...common,
  id: 'pss-restricted',
  names: ['pss'],
  title: 'Kubernetes Pod Security Standards',
  description: 'The restricted level: baseline plus current pod hardening practice.',
  controls: [...baseline, ...restricted],
};
