import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import type { Severity } from '../../core/types.js';

const DASHBOARD_IMAGE = /(?:^|\/)(?:kubernetesui\/dashboard(?:-api|-auth|-web)?|kubernetes-dashboard(?:-amd64)?)(?:[:@]|$)/;

interface RiskyFlag {
  readonly flag: string;
  readonly severity: Severity;
  readonly why: string;
  /** True when the flag's value makes it risky (booleans: absent or `true`). */
  readonly risky: (value: string | undefined) => boolean;
}

const enabled = (v: string | undefined): boolean => v === undefined || v.toLowerCase() === 'true';

/** Flags of the Kubernetes Dashboard that switch off authentication or protect nothing; see its docs/common/arguments.md. */
const RISKY_FLAGS: readonly RiskyFlag[] = [
  {
    flag: '--enable-skip-login',
    severity: 'critical',
    why: 'shows a Skip button that lets anyone use the dashboard with its own service account permissions',
    risky: enabled,
  },
  { flag: '--enable-insecure-login', severity: 'high', why: 'accepts logins over plain HTTP, sending bearer tokens in clear text', risky: enabled },
  { flag: '--disable-settings-authorizer', severity: 'medium', why: 'lets any user change the global dashboard settings', risky: enabled },
  {
    flag: '--insecure-bind-address',
    severity: 'high',
    why: 'serves the dashboard over plain HTTP on a non-loopback address',
    risky: (v) => v !== undefined && !/^(?:127\.\d+\.\d+\.\d+|::1|localhost)$/.test(v),
  },
];

/** Splits `--flag=value`; a separate next argument is the value of non-boolean flags. */
function parseFlag(args: readonly unknown[], i: number): { name: string; value: string | undefined } | undefined {
  const a = args[i];
  if (typeof a !== 'string' || !a.startsWith('-')) return undefined;
  const eq = a.indexOf('=');
  const name = `--${(eq === -1 ? a : a.slice(0, eq)).replace(/^-+/, '')}`;
  if (eq !== -1) return { name, value: a.slice(eq + 1) };
  const next = args[i + 1];
  return { name, value: name === '--insecure-bind-address' && typeof next === 'string' ? next : undefined };
}

/** The dashboard runs with a service account that is often highly privileged; its login is the only gate. */
export default defineCheck({
  id: 'PAL-0209',
  name: 'dashboard-insecure-login',
  title: 'Kubernetes Dashboard runs with login protections switched off',
  severity: 'high',
  category: 'access-control',
  frameworks: ['ms:MS-TA9005', 'mitre:T1133', 'mitre:T1078.001'],
  docs: {
    description:
      'A Kubernetes Dashboard container is started with flags that weaken its login: `--enable-skip-login` lets anyone who reaches ' +
      'the UI skip authentication and act with the permissions of the dashboard service account (critical: many installations ' +
      'bind it to broad roles); `--enable-insecure-login` allows logging in over plain HTTP, exposing bearer tokens; ' +
      '`--insecure-bind-address` on a non-loopback address serves the UI over HTTP to the network; `--disable-settings-authorizer` ' +
      'lets every user change global settings. The container is recognised by its image (`kubernetesui/dashboard*`, ' +
      '`kubernetes-dashboard`) or its name.',
    remediation:
      'Remove these flags (or set the boolean ones to `=false`), serve the dashboard over HTTPS only, require a bearer token or ' +
      'an OIDC proxy for login, and give the dashboard service account minimal permissions.',
    references: [
      'https://kubernetes.io/docs/tasks/access-application-cluster/web-ui-dashboard/',
      'https://github.com/kubernetes/dashboard/blob/master/docs/common/arguments.md',
    ],
  },
  target: { kind: 'container' },
  evaluate({ container, resource }) {
    const image = typeof container.container.image === 'string' ? container.container.image : '';
    if (!DASHBOARD_IMAGE.test(image) && container.name !== 'kubernetes-dashboard') return undefined;
    const out: Violation[] = [];
    for (const field of ['command', 'args'] as const) {
      const args = container.container[field];
      if (!Array.isArray(args)) continue;
      for (let i = 0; i < args.length; i++) {
        const parsed = parseFlag(args, i);
        if (!parsed) continue;
        const rule = RISKY_FLAGS.find((f) => f.flag === parsed.name);
        if (!rule?.risky(parsed.value)) continue;
        out.push({
          path: joinPointer('', field, i),
          message: `dashboard container "${container.name}" of ${resource.ref.kind} ${resource.ref.name} sets ${String(args[i])}, which ${rule.why}`,
          evidence: { flag: rule.flag, ...(parsed.value !== undefined ? { value: parsed.value } : {}), image },
          severity: rule.severity,
        });
      }
    }
    return out;
  },
});
