import { defineCheck, type Violation } from '../../core/check.js';
import { capabilitiesOf, describeContainer, isWindowsPod } from '../../security-context/security-context.js';
import type { Severity } from '../../core/types.js';

/** Capabilities that break container isolation or hand over the host, with why (for messages). */
const DANGEROUS: Readonly<Record<string, string>> = {
  ALL: 'use every capability, close to a privileged container',
  SYS_ADMIN: 'mount filesystems, use namespaces and many kernel interfaces, the classic escape capability',
  NET_ADMIN: 'reconfigure interfaces, routes and firewall rules of the pod network',
  SYS_PTRACE: 'trace and inject code into other processes it can see',
  SYS_MODULE: 'load kernel modules into the host kernel',
  DAC_READ_SEARCH: 'bypass file read permissions and open files by handle (the "shocker" escape)',
  SYS_RAWIO: 'do raw I/O to devices and memory',
  BPF: 'load eBPF programs into the host kernel',
  PERFMON: 'use performance monitoring and tracing of the host kernel',
  SYS_BOOT: 'reboot the node or load a new kernel',
  SYSLOG: 'read kernel logs, including kernel addresses',
  MAC_ADMIN: 'change the AppArmor or SELinux policy',
  MAC_OVERRIDE: 'bypass AppArmor or SELinux policy',
  SYS_TIME: "set the node's clock, which is not namespaced",
};

/** These two amount to (nearly) a privileged container. */
const CRITICAL: ReadonlySet<string> = new Set(['ALL', 'SYS_ADMIN']);

/** A handful of capabilities undo most of what a container boundary provides. */
export default defineCheck({
  id: 'PAL-0113',
  name: 'dangerous-capabilities',
  title: 'Container adds a dangerous Linux capability',
  severity: 'high',
  category: 'security-context',
  frameworks: ['nsa:NSA-07', 'cis:5.2.9', 'mitre:T1611', 'mitre:T1068'],
  docs: {
    description:
      '`securityContext.capabilities.add` grants a capability that breaks container isolation: `SYS_ADMIN` or `ALL` (critical: ' +
      'close to privileged), `SYS_MODULE`, `SYS_PTRACE`, `SYS_RAWIO`, `DAC_READ_SEARCH`, `BPF`, `PERFMON`, `NET_ADMIN`, `SYS_BOOT`, ' +
      '`SYS_TIME`, `SYSLOG`, `MAC_ADMIN` or `MAC_OVERRIDE`. Names are compared as the runtimes do: case-insensitive and with or without ' +
      'the `CAP_` prefix. Privileged containers, which get every capability anyway, are reported by the privileged-container check; ' +
      'Windows pods have no Linux capabilities and are skipped.',
    remediation:
      'Remove the capability from `capabilities.add`, and start from `capabilities.drop: [ALL]` adding back only what the process ' +
      'needs (usually nothing, or `NET_BIND_SERVICE`). Node agents that need such a capability belong in a dedicated namespace with ' +
      'an exception that states the reason.',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container',
      'https://man7.org/linux/man-pages/man7/capabilities.7.html',
    ],
  },
  target: { kind: 'container' },
  fixSafety: 'review',
  evaluate({ container }) {
    if (isWindowsPod(container.pod)) return undefined;
    const out: Violation[] = [];
    const caps = capabilitiesOf(container.container);
    // One replace of the whole `add` list, the same for every dangerous entry: the operations of
    // several findings agree instead of shifting each other's indexes.
    const kept = caps.add.filter((c) => DANGEROUS[c.name] === undefined).map((c) => c.raw);
    const fix = [{ op: 'replace' as const, path: `${container.pointer}/securityContext/capabilities/add`, value: kept }];
    for (const cap of caps.add) {
      const why = DANGEROUS[cap.name];
      if (why === undefined) continue;
      const severity: Severity = CRITICAL.has(cap.name) ? 'critical' : 'high';
      out.push({
        path: cap.path,
        message: `${describeContainer(container)} adds capability ${cap.raw}: it can ${why}`,
        severity,
        evidence: { capability: cap.name },
        fix,
      });
    }
    return out;
  },
});
