/**
 * The evaluator against hand-written pods: every control, every version boundary of the
 * upstream registry, the Windows exemption, the hostUsers relaxation, clamping, overrides
 * and the privileged level. Assertions name the exact set of violated controls.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PalisadeError } from '../core/errors.js';
import type { JsonObject } from '../core/types.js';
import { evaluateControl, evaluatePodSecurity } from './evaluate.js';
import { activeChecks, listControls, NEWEST_VERSION, PSS_CONTROLS } from './registry.js';
import type { PodInput, PssLevel } from './types.js';
import { parsePolicyVersion } from './version.js';

/** A container that satisfies Restricted at every version. */
function goodContainer(name = 'app', extra: JsonObject = {}): JsonObject {
  return {
    name,
    image: 'registry.example.com/app:1.0',
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } },
    ...extra,
  };
}

/** A container with `securityContext` fields merged over the good ones. */
function containerWith(sc: JsonObject, name = 'app'): JsonObject {
  const base = goodContainer(name);
  return { ...base, securityContext: { ...(base.securityContext as JsonObject), ...sc } };
}

/** A pod that satisfies Restricted at every version, with spec fields replaced. */
function pod(spec: JsonObject = {}, metadata: JsonObject = {}): PodInput {
  return { metadata: { name: 'p', ...metadata }, spec: { containers: [goodContainer()], ...spec } };
}

/** The sorted, distinct control ids a pod violates. */
function denied(p: PodInput, level: PssLevel, version = 'latest'): string[] {
  const r = evaluatePodSecurity(p, { level, version });
  assert.equal(r.allowed, r.violations.length === 0);
  return [...new Set(r.violations.map((v) => v.control))].sort();
}

/** Asserts the violated controls of a pod per level and version: `{ 'baseline@v1.18': [...] }`. */
function expectDenied(p: PodInput, cases: Readonly<Record<string, readonly string[]>>): void {
  for (const [key, want] of Object.entries(cases)) {
    const [level, version] = key.split('@') as [PssLevel, string | undefined];
    assert.deepEqual(denied(p, level, version ?? 'latest'), [...want].sort(), key);
  }
}

describe('pss registry', () => {
  it('registers 12 Baseline and 7 Restricted controls, newest version v1.37', () => {
    assert.equal(PSS_CONTROLS.filter((c) => c.level === 'baseline').length, 12);
    assert.equal(PSS_CONTROLS.filter((c) => c.level === 'restricted').length, 7);
    assert.equal(NEWEST_VERSION, 'v1.37');
  });

  it('composes levels: Restricted = Baseline minus overridden plus Restricted', () => {
    const ids = (level: PssLevel, minor: number): string[] => activeChecks(level, minor).map((a) => a.control.id);
    assert.deepEqual(ids('privileged', 37), []);
    assert.equal(ids('baseline', 37).length, 12);
    assert.deepEqual(ids('baseline', 33).includes('hostProbesAndHostLifecycle'), false);
    assert.deepEqual(ids('restricted', 37), [
      'windowsHostProcess',
      'hostNamespaces',
      'privileged',
      'hostPorts',
      'hostProbesAndHostLifecycle',
      'appArmorProfile',
      'seLinuxOptions',
      'sysctls',
      'restrictedVolumes',
      'allowPrivilegeEscalation',
      'runAsNonRoot',
      'runAsUser',
      'seccompProfile_restricted',
      'capabilities_restricted',
      'procMount_restricted',
    ]);
    // v1.0: no allowPrivilegeEscalation (v1.8), runAsUser (v1.23), restricted seccomp (v1.19) or capabilities (v1.22).
    assert.deepEqual(ids('restricted', 0), [
      'windowsHostProcess',
      'hostNamespaces',
      'privileged',
      'capabilities_baseline',
      'hostPorts',
      'appArmorProfile',
      'seLinuxOptions',
      'procMount',
      'seccompProfile_baseline',
      'sysctls',
      'restrictedVolumes',
      'runAsNonRoot',
    ]);
  });

  it('lists controls with their versions for docs', () => {
    const sysctls = listControls().find((c) => c.id === 'sysctls');
    assert.deepEqual(
      sysctls?.versions.map((v) => v.version),
      ['v1.0', 'v1.27', 'v1.29', 'v1.32', 'v1.37'],
    );
    const caps = listControls().find((c) => c.id === 'capabilities_restricted');
    assert.deepEqual(caps?.versions[0]?.overrides, ['capabilities_baseline']);
  });
});

describe('pss versions', () => {
  it('parses latest, v1.N and 1.N', () => {
    assert.deepEqual(parsePolicyVersion('latest'), { kind: 'latest' });
    assert.deepEqual(parsePolicyVersion('v1.25'), { kind: 'minor', minor: 25 });
    assert.deepEqual(parsePolicyVersion('1.25'), { kind: 'minor', minor: 25 });
    assert.deepEqual(parsePolicyVersion('v1.0'), { kind: 'minor', minor: 0 });
  });

  it('rejects malformed versions with a usage error', () => {
    for (const bad of ['v2.x', 'v2.0', '2.1', '1', 'v1', 'v1.', 'v1.05', 'V1.25', 'Latest', '', ' v1.25', 'v1.25.3', 'v1.-1']) {
      assert.throws(
        () => parsePolicyVersion(bad),
        (err: unknown) => err instanceof PalisadeError && err.code === 'usage' && err.message.includes(`"${bad}"`),
        bad,
      );
    }
    assert.throws(() => evaluatePodSecurity(pod(), { level: 'baseline', version: 'v2.x' }), PalisadeError);
  });

  it('clamps versions above the newest to it; latest means the newest', () => {
    const p = pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }] } });
    const latest = evaluatePodSecurity(p, { level: 'baseline' });
    assert.equal(latest.version, 'latest');
    assert.equal(latest.effectiveVersion, 'v1.37');
    const future = evaluatePodSecurity(p, { level: 'baseline', version: 'v1.99' });
    assert.equal(future.version, 'v1.99');
    assert.equal(future.effectiveVersion, 'v1.37');
    assert.equal(future.allowed, true);
    const short = evaluatePodSecurity(p, { level: 'baseline', version: '1.36' });
    assert.equal(short.version, 'v1.36');
    assert.equal(short.effectiveVersion, 'v1.36');
    assert.equal(short.allowed, false);
  });
});

describe('pss levels', () => {
  const everythingWrong = pod(
    {
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      securityContext: { runAsUser: 0, sysctls: [{ name: 'kernel.msgmax', value: '1' }], seccompProfile: { type: 'Unconfined' } },
      containers: [
        {
          name: 'bad',
          image: 'x',
          ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] }, procMount: 'Unmasked', seLinuxOptions: { type: 'spc_t' } },
          livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } },
        },
      ],
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
    },
    { annotations: { 'container.apparmor.security.beta.kubernetes.io/bad': 'unconfined' } },
  );

  it('privileged allows everything', () => {
    const r = evaluatePodSecurity(everythingWrong, { level: 'privileged' });
    assert.equal(r.allowed, true);
    assert.deepEqual(r.violations, []);
    assert.equal(r.effectiveVersion, 'v1.37');
  });

  it('baseline and restricted deny with the exact controls', () => {
    expectDenied(everythingWrong, {
      baseline: [
        'hostNamespaces',
        'privileged',
        'capabilities_baseline',
        'hostPathVolumes',
        'hostPorts',
        'hostProbesAndHostLifecycle',
        'appArmorProfile',
        'seLinuxOptions',
        'procMount',
        'seccompProfile_baseline',
        'sysctls',
      ],
      restricted: [
        'hostNamespaces',
        'privileged',
        'hostPorts',
        'hostProbesAndHostLifecycle',
        'appArmorProfile',
        'seLinuxOptions',
        'sysctls',
        'restrictedVolumes',
        'allowPrivilegeEscalation',
        'runAsNonRoot',
        'runAsUser',
        'seccompProfile_restricted',
        'capabilities_restricted',
        'procMount_restricted',
      ],
    });
  });

  it('a Restricted-compliant pod is allowed at every version', () => {
    for (let minor = 0; minor <= 40; minor++) assert.deepEqual(denied(pod(), 'restricted', `v1.${minor}`), [], `v1.${minor}`);
  });
});

describe('pss baseline controls', () => {
  it('windowsHostProcess: pod and container level', () => {
    expectDenied(pod({ securityContext: { windowsOptions: { hostProcess: true } } }), { baseline: ['windowsHostProcess'], restricted: ['windowsHostProcess'] });
    expectDenied(pod({ containers: [containerWith({ windowsOptions: { hostProcess: true } })] }), { 'baseline@v1.0': ['windowsHostProcess'] });
    expectDenied(pod({ securityContext: { windowsOptions: { hostProcess: false } } }), { baseline: [], restricted: [] });
    // The Windows exemption of Restricted controls does not reach Baseline ones.
    expectDenied(pod({ os: { name: 'windows' }, securityContext: { windowsOptions: { hostProcess: true } } }), { restricted: ['windowsHostProcess'] });
  });

  it('hostNamespaces: each of hostNetwork, hostPID, hostIPC', () => {
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      expectDenied(pod({ [field]: true }), { 'baseline@v1.0': ['hostNamespaces'], baseline: ['hostNamespaces'], restricted: ['hostNamespaces'] });
      expectDenied(pod({ [field]: false }), { baseline: [] });
    }
  });

  it('privileged: any container list', () => {
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      expectDenied(pod({ [list]: [containerWith({ privileged: true }, 'x')], ...(list === 'containers' ? {} : { containers: [goodContainer()] }) }), {
        baseline: ['privileged'],
        restricted: ['privileged'],
      });
    }
    expectDenied(pod({ containers: [containerWith({ privileged: false })] }), { baseline: [] });
  });

  it('capabilities_baseline: only the Baseline list may be added; NET_RAW may not', () => {
    expectDenied(pod({ containers: [containerWith({ capabilities: { drop: ['ALL'], add: ['CHOWN', 'SYS_CHROOT', 'NET_BIND_SERVICE'] } })] }), {
      baseline: [],
      'restricted@v1.21': [],
      restricted: ['capabilities_restricted'],
    });
    expectDenied(pod({ containers: [containerWith({ capabilities: { drop: ['ALL'], add: ['NET_RAW'] } })] }), {
      baseline: ['capabilities_baseline'],
      'restricted@v1.21': ['capabilities_baseline'],
      restricted: ['capabilities_restricted'],
    });
  });

  it('hostPathVolumes: restricted reports it once, as restrictedVolumes', () => {
    const p = pod({ volumes: [{ name: 'h', hostPath: { path: '/var/run/docker.sock' } }] });
    expectDenied(p, {
      baseline: ['hostPathVolumes'],
      'baseline@v1.0': ['hostPathVolumes'],
      restricted: ['restrictedVolumes'],
      'restricted@v1.0': ['restrictedVolumes'],
    });
    const r = evaluatePodSecurity(p, { level: 'restricted' });
    assert.equal(r.violations.length, 1);
    assert.deepEqual(r.violations[0]?.pointers, ['/spec/volumes/0/hostPath']);
  });

  it('hostPorts: any non-zero hostPort, no range', () => {
    expectDenied(pod({ containers: [goodContainer('a', { ports: [{ containerPort: 8080, hostPort: 8080 }] })] }), {
      baseline: ['hostPorts'],
      restricted: ['hostPorts'],
    });
    expectDenied(pod({ containers: [goodContainer('a', { ports: [{ containerPort: 8080, hostPort: 0 }] })] }), { baseline: [] });
  });

  it('hostProbesAndHostLifecycle: new in v1.34 (boundary 1.33/1.34)', () => {
    const probes: readonly JsonObject[] = [
      { livenessProbe: { httpGet: { host: '169.254.169.254', port: 80 } } },
      { readinessProbe: { tcpSocket: { host: 'example.com', port: 80 } } },
      { startupProbe: { httpGet: { host: '10.0.0.1', port: 80 } } },
      { lifecycle: { postStart: { httpGet: { host: '10.0.0.1', port: 80 } } } },
      { lifecycle: { preStop: { tcpSocket: { host: '10.0.0.1', port: 80 } } } },
    ];
    for (const extra of probes) {
      expectDenied(pod({ containers: [goodContainer('a', extra)] }), {
        'baseline@v1.33': [],
        'baseline@v1.34': ['hostProbesAndHostLifecycle'],
        'restricted@v1.33': [],
        'restricted@v1.34': ['hostProbesAndHostLifecycle'],
      });
    }
    expectDenied(pod({ containers: [goodContainer('a', { livenessProbe: { httpGet: { host: '', port: 80 } } })] }), { baseline: [] });
  });

  it('appArmorProfile: fields and annotations at every version', () => {
    expectDenied(pod({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }), {
      'baseline@v1.0': ['appArmorProfile'],
      baseline: ['appArmorProfile'],
    });
    expectDenied(pod({ containers: [containerWith({ appArmorProfile: { type: 'Unconfined' } })] }), { restricted: ['appArmorProfile'] });
    expectDenied(pod({ securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-apparmor' } } }), { baseline: [] });
    expectDenied(pod({}, { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } }), {
      'baseline@v1.0': ['appArmorProfile'],
      baseline: ['appArmorProfile'],
    });
    for (const ok of ['runtime/default', 'localhost/my-profile', '']) {
      expectDenied(pod({}, { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': ok } }), { baseline: [] });
    }
  });

  it('seLinuxOptions: container_engine_t from v1.31 (boundary 1.30/1.31); user and role never', () => {
    const engine = pod({ securityContext: { seLinuxOptions: { type: 'container_engine_t' } } });
    expectDenied(engine, { 'baseline@v1.30': ['seLinuxOptions'], 'baseline@v1.31': [], 'restricted@v1.30': ['seLinuxOptions'], 'restricted@v1.31': [] });
    expectDenied(pod({ containers: [containerWith({ seLinuxOptions: { type: 'container_init_t', level: 's0:c123,c456' } })] }), { 'baseline@v1.0': [] });
    expectDenied(pod({ containers: [containerWith({ seLinuxOptions: { type: 'spc_t' } })] }), { baseline: ['seLinuxOptions'] });
    expectDenied(pod({ securityContext: { seLinuxOptions: { user: 'system_u' } } }), { baseline: ['seLinuxOptions'] });
    expectDenied(pod({ containers: [containerWith({ seLinuxOptions: { role: 'sysadm_r' } })] }), { baseline: ['seLinuxOptions'] });
  });

  it('procMount: Unmasked fails; Default passes', () => {
    expectDenied(pod({ containers: [containerWith({ procMount: 'Unmasked' })] }), {
      'baseline@v1.0': ['procMount'],
      baseline: ['procMount'],
      'restricted@v1.34': ['procMount'],
      restricted: ['procMount_restricted'],
    });
    expectDenied(pod({ containers: [containerWith({ procMount: 'Default' })] }), { baseline: [], restricted: [] });
  });

  it('seccompProfile_baseline: annotations up to v1.18, fields from v1.19 (boundary 1.18/1.19)', () => {
    for (const key of ['seccomp.security.alpha.kubernetes.io/pod', 'container.seccomp.security.alpha.kubernetes.io/app']) {
      expectDenied(pod({}, { annotations: { [key]: 'unconfined' } }), {
        'baseline@v1.18': ['seccompProfile_baseline'],
        'baseline@v1.19': [],
        'restricted@v1.18': ['seccompProfile_baseline'],
        'restricted@v1.19': [],
      });
    }
    for (const ok of ['runtime/default', 'docker/default', 'localhost/profile.json']) {
      expectDenied(pod({}, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': ok } }), { 'baseline@v1.18': [] });
    }
    // An annotation for a container that does not exist is not checked.
    expectDenied(pod({}, { annotations: { 'container.seccomp.security.alpha.kubernetes.io/other': 'unconfined' } }), { 'baseline@v1.18': [] });
    const unconfined = pod({ securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [containerWith({ seccompProfile: null })] });
    expectDenied(unconfined, {
      'baseline@v1.18': [],
      'baseline@v1.19': ['seccompProfile_baseline'],
      'restricted@v1.18': [],
      'restricted@v1.19': ['seccompProfile_restricted'],
    });
  });

  it('sysctls: the safe set grows at v1.27, v1.29, v1.32 and v1.37', () => {
    const withSysctl = (name: string): PodInput => pod({ securityContext: { sysctls: [{ name, value: '1' }] } });
    expectDenied(withSysctl('net.ipv4.ping_group_range'), { 'baseline@v1.0': [] });
    expectDenied(withSysctl('kernel.msgmax'), { baseline: ['sysctls'], restricted: ['sysctls'] });
    expectDenied(withSysctl('net.ipv4.ip_local_reserved_ports'), { 'baseline@v1.26': ['sysctls'], 'baseline@v1.27': [] });
    for (const name of ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']) {
      expectDenied(withSysctl(name), { 'baseline@v1.28': ['sysctls'], 'baseline@v1.29': [] });
    }
    for (const name of ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']) {
      expectDenied(withSysctl(name), { 'baseline@v1.31': ['sysctls'], 'baseline@v1.32': [], 'restricted@v1.31': ['sysctls'], 'restricted@v1.32': [] });
    }
    for (const name of ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']) {
      expectDenied(withSysctl(name), { 'baseline@v1.36': ['sysctls'], 'baseline@v1.37': [], baseline: [] });
    }
  });
});

describe('pss restricted controls', () => {
  it('restrictedVolumes: allowed types, image included at every version', () => {
    const allowed: readonly JsonObject[] = [
      { name: 'a', configMap: { name: 'c' } },
      { name: 'b', csi: { driver: 'd' } },
      { name: 'c', downwardAPI: { items: [] } },
      { name: 'd', emptyDir: {} },
      { name: 'e', ephemeral: { volumeClaimTemplate: { spec: {} } } },
      { name: 'f', persistentVolumeClaim: { claimName: 'x' } },
      { name: 'g', projected: { sources: [] } },
      { name: 'h', secret: { secretName: 's' } },
      { name: 'i', image: { reference: 'registry.example.com/data:1' } },
    ];
    expectDenied(pod({ volumes: [...allowed] }), { 'restricted@v1.0': [], restricted: [] });
    for (const bad of [
      { name: 'n', nfs: { server: 's', path: '/' } },
      { name: 'g', gitRepo: { repository: 'r' } },
      { name: 'u', somethingNew: {} },
    ]) {
      expectDenied(pod({ volumes: [bad] }), { baseline: [], restricted: ['restrictedVolumes'] });
    }
  });

  it('allowPrivilegeEscalation: from v1.8, must be explicitly false', () => {
    const unset = pod({ containers: [containerWith({ allowPrivilegeEscalation: null })] });
    expectDenied(unset, { 'restricted@v1.7': [], 'restricted@v1.8': ['allowPrivilegeEscalation'], baseline: [] });
    expectDenied(pod({ initContainers: [containerWith({ allowPrivilegeEscalation: true }, 'init')] }), { restricted: ['allowPrivilegeEscalation'] });
  });

  it('runAsNonRoot: pod true covers containers; explicit false anywhere fails; otherwise every container sets true', () => {
    const c = (runAsNonRoot: boolean | null, name = 'app'): JsonObject => containerWith({ runAsNonRoot }, name);
    expectDenied(pod({ securityContext: { runAsNonRoot: true }, containers: [c(null)] }), { 'restricted@v1.0': [], restricted: [] });
    expectDenied(pod({ securityContext: { runAsNonRoot: true }, containers: [c(false)] }), { restricted: ['runAsNonRoot'] });
    expectDenied(pod({ securityContext: { runAsNonRoot: false }, containers: [c(true)] }), { restricted: ['runAsNonRoot'] });
    expectDenied(pod({ containers: [c(true), c(true, 'b')] }), { restricted: [] });
    expectDenied(pod({ containers: [c(true), c(null, 'b')] }), { 'restricted@v1.0': ['runAsNonRoot'], restricted: ['runAsNonRoot'] });
    expectDenied(pod({ containers: [c(true)], ephemeralContainers: [c(null, 'debug')] }), { restricted: ['runAsNonRoot'] });
  });

  it('runAsUser: from v1.23 (boundary 1.22/1.23)', () => {
    expectDenied(pod({ securityContext: { runAsUser: 0 } }), { 'restricted@v1.22': [], 'restricted@v1.23': ['runAsUser'], baseline: [] });
    expectDenied(pod({ containers: [containerWith({ runAsUser: 0 })] }), { 'restricted@v1.23': ['runAsUser'] });
    expectDenied(pod({ securityContext: { runAsUser: 1000 } }), { restricted: [] });
  });

  it('seccompProfile_restricted: from v1.19; unset containers need a valid pod level', () => {
    const noSeccomp = containerWith({ seccompProfile: null });
    expectDenied(pod({ containers: [noSeccomp] }), { 'restricted@v1.18': [], 'restricted@v1.19': ['seccompProfile_restricted'], baseline: [] });
    expectDenied(pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [noSeccomp] }), { restricted: [] });
    expectDenied(pod({ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }, containers: [noSeccomp] }), { restricted: [] });
    expectDenied(pod({ securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [goodContainer()] }), {
      baseline: ['seccompProfile_baseline'],
      restricted: ['seccompProfile_restricted'],
    });
    expectDenied(pod({ containers: [containerWith({ seccompProfile: { type: 'Unconfined' } })] }), { restricted: ['seccompProfile_restricted'] });
  });

  it('capabilities_restricted: from v1.22 (boundary 1.21/1.22); drop ALL, add only NET_BIND_SERVICE', () => {
    const noDrop = pod({ containers: [containerWith({ capabilities: null })] });
    expectDenied(noDrop, { 'restricted@v1.21': [], 'restricted@v1.22': ['capabilities_restricted'], baseline: [] });
    expectDenied(pod({ containers: [containerWith({ capabilities: { drop: ['NET_RAW'] } })] }), { restricted: ['capabilities_restricted'] });
    expectDenied(pod({ containers: [containerWith({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })] }), { restricted: [] });
    const sysAdmin = pod({ containers: [containerWith({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } })] });
    expectDenied(sysAdmin, {
      'restricted@v1.21': ['capabilities_baseline'],
      'restricted@v1.22': ['capabilities_restricted'],
      baseline: ['capabilities_baseline'],
    });
    // The override is real: the restricted check reports SYS_ADMIN once, not twice.
    assert.equal(evaluatePodSecurity(sysAdmin, { level: 'restricted' }).violations.length, 1);
  });
});

/**
 * Absent versus empty fields, compared with pod-security-admission's check_*.go, which sees
 * the pod after API decoding (YAML null is nil, an empty object is a non-nil pointer to a
 * zero value) and after the API server's defaulting.
 */
describe('pss absent and empty fields, as PSA sees them', () => {
  it('a volume with no source (or only null sources) is defaulted to emptyDir and allowed', () => {
    for (const v of [{ name: 'scratch' }, { name: 'scratch', emptyDir: null }, { name: 'scratch', hostPath: null, nfs: null }]) {
      expectDenied(pod({ volumes: [v] }), { 'restricted@v1.0': [], restricted: [], baseline: [] });
    }
    expectDenied(pod({ volumes: [] }), { restricted: [] });
    expectDenied(pod({ volumes: null }), { restricted: [] });
    // An empty source object is set: hostPath: {} is a hostPath volume.
    expectDenied(pod({ volumes: [{ name: 'h', hostPath: {} }] }), { baseline: ['hostPathVolumes'], restricted: ['restrictedVolumes'] });
  });

  it('hostNetwork defaults unset or zero hostPorts of containers and init containers to their containerPort', () => {
    const withPorts = pod({
      hostNetwork: true,
      initContainers: [goodContainer('init', { ports: [{ containerPort: 9000 }] })],
      containers: [goodContainer('a', { ports: [{ containerPort: 8080, hostPort: 0 }, { name: 'none' }] })],
      ephemeralContainers: [goodContainer('debug', { ports: [{ containerPort: 7000 }] })],
    });
    expectDenied(withPorts, { baseline: ['hostNamespaces', 'hostPorts'] });
    const pointers = evaluateControl('hostPorts', withPorts).map((v) => v.pointers[0]);
    assert.deepEqual(pointers, ['/spec/initContainers/0/ports/0/hostPort', '/spec/containers/0/ports/0/hostPort']);
    expectDenied(pod({ hostNetwork: false, containers: [goodContainer('a', { ports: [{ containerPort: 8080 }] })] }), { baseline: [] });
    expectDenied(pod({ containers: [goodContainer('a', { ports: [{ containerPort: 8080, hostPort: null }] })] }), { baseline: [] });
  });

  it('an empty securityContext sets nothing: Baseline allows it, Restricted requires its fields', () => {
    const empty = pod({ securityContext: {}, containers: [{ name: 'app', image: 'i', securityContext: {} }] });
    expectDenied(empty, {
      baseline: [],
      restricted: ['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted'],
    });
    expectDenied(pod({ securityContext: null, containers: [{ name: 'app', image: 'i', securityContext: null }] }), {
      baseline: [],
      restricted: ['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted'],
    });
  });

  it('capabilities: {} has no drop ALL; empty or null add lists are fine', () => {
    expectDenied(pod({ containers: [containerWith({ capabilities: {} })] }), { baseline: [], restricted: ['capabilities_restricted'] });
    expectDenied(pod({ containers: [containerWith({ capabilities: { drop: ['ALL'], add: [] } })] }), { baseline: [], restricted: [] });
    expectDenied(pod({ containers: [containerWith({ capabilities: { drop: ['ALL'], add: null } })] }), { baseline: [], restricted: [] });
    expectDenied(pod({ containers: [containerWith({ capabilities: { drop: [] } })] }), { restricted: ['capabilities_restricted'] });
    // PSA compares the names exactly: lower-case "all" does not drop everything.
    expectDenied(pod({ containers: [containerWith({ capabilities: { drop: ['all'] } })] }), { restricted: ['capabilities_restricted'] });
  });

  it('seccompProfile without a type is an invalid (empty) type at both levels; null is unset', () => {
    expectDenied(pod({ securityContext: { seccompProfile: {} } }), { baseline: ['seccompProfile_baseline'], restricted: ['seccompProfile_restricted'] });
    expectDenied(pod({ containers: [containerWith({ seccompProfile: {} })] }), {
      baseline: ['seccompProfile_baseline'],
      restricted: ['seccompProfile_restricted'],
    });
    // A container with an invalid profile is not covered by a valid pod-level one.
    expectDenied(pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [containerWith({ seccompProfile: {} })] }), {
      restricted: ['seccompProfile_restricted'],
    });
    expectDenied(pod({ securityContext: { seccompProfile: null } }), { baseline: [], restricted: [] });
    // v1.0-v1.18 annotations: present but empty is not an allowed value.
    expectDenied(pod({}, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': '' } }), { 'baseline@v1.18': ['seccompProfile_baseline'] });
  });

  it('appArmorProfile without a type is denied; empty or null annotations are allowed', () => {
    expectDenied(pod({ securityContext: { appArmorProfile: {} } }), { baseline: ['appArmorProfile'] });
    expectDenied(pod({ containers: [containerWith({ appArmorProfile: {} })] }), { baseline: ['appArmorProfile'] });
    expectDenied(pod({ securityContext: { appArmorProfile: null } }), { baseline: [] });
    for (const value of ['', null]) {
      expectDenied(pod({}, { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': value } }), { baseline: [] });
    }
  });

  it('runAsUser: 0 is denied at pod level even when every container overrides it, and at container level under a non-zero pod', () => {
    expectDenied(pod({ securityContext: { runAsUser: 0 }, containers: [containerWith({ runAsUser: 1000 })] }), { restricted: ['runAsUser'] });
    expectDenied(pod({ securityContext: { runAsUser: 1000 }, containers: [containerWith({ runAsUser: 0 })] }), { restricted: ['runAsUser'] });
    expectDenied(pod({ securityContext: { runAsUser: null }, containers: [containerWith({ runAsUser: null })] }), { restricted: [] });
  });

  it('runAsNonRoot: null at pod level covers nothing; null in a container falls back to the pod', () => {
    expectDenied(pod({ securityContext: { runAsNonRoot: null }, containers: [containerWith({ runAsNonRoot: null })] }), { restricted: ['runAsNonRoot'] });
    expectDenied(pod({ securityContext: { runAsNonRoot: true }, containers: [containerWith({ runAsNonRoot: null })] }), { restricted: [] });
  });

  it('empty seLinuxOptions, empty type/user/role, empty windowsOptions and empty probe hosts are allowed', () => {
    expectDenied(pod({ securityContext: { seLinuxOptions: {}, windowsOptions: {} } }), { baseline: [] });
    expectDenied(pod({ containers: [containerWith({ seLinuxOptions: { type: '', user: '', role: '' }, windowsOptions: { hostProcess: null } })] }), {
      baseline: [],
    });
    expectDenied(
      pod({
        containers: [goodContainer('a', { livenessProbe: { httpGet: { host: '', port: 80 } }, readinessProbe: { tcpSocket: { host: null, port: 80 } } })],
      }),
      {
        baseline: [],
      },
    );
  });

  it('procMount: unset or null passes; an empty string is not Default', () => {
    expectDenied(pod({ containers: [containerWith({ procMount: null })] }), { baseline: [], restricted: [] });
    expectDenied(pod({ containers: [containerWith({ procMount: '' })] }), { baseline: ['procMount'], restricted: ['procMount_restricted'] });
  });

  it('sysctls: empty or null lists pass; an entry without a name is not in the safe set', () => {
    expectDenied(pod({ securityContext: { sysctls: [] } }), { baseline: [] });
    expectDenied(pod({ securityContext: { sysctls: null } }), { baseline: [] });
    expectDenied(pod({ securityContext: { sysctls: [{ value: '1' }] } }), { baseline: ['sysctls'] });
  });
});

describe('pss Windows exemption (boundary 1.24/1.25)', () => {
  const windowsPod = pod({
    os: { name: 'windows' },
    securityContext: { runAsNonRoot: true },
    containers: [{ name: 'win', image: 'mcr.microsoft.com/windows/nanoserver:ltsc2022' }],
  });

  it('exempts Windows pods from allowPrivilegeEscalation, seccomp and capabilities from v1.25', () => {
    expectDenied(windowsPod, {
      'restricted@v1.24': ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted'],
      'restricted@v1.25': [],
      restricted: [],
      baseline: [],
    });
  });

  it('does not exempt them from runAsNonRoot', () => {
    const noRoot = pod({ os: { name: 'windows' }, containers: [{ name: 'win', image: 'nano' }] });
    expectDenied(noRoot, { 'restricted@v1.25': ['runAsNonRoot'] });
  });

  it('does not exempt Linux pods', () => {
    expectDenied(pod({ os: { name: 'linux' }, containers: [{ name: 'c', image: 'x', securityContext: { runAsNonRoot: true } }] }), {
      restricted: ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted'],
    });
  });
});

describe('pss hostUsers: false relaxation (boundary 1.34/1.35)', () => {
  const userNs = (hostUsers: boolean | null): PodInput =>
    pod({
      hostUsers,
      securityContext: { runAsUser: 0 },
      containers: [containerWith({ runAsNonRoot: null, procMount: 'Unmasked' })],
    });

  it('relaxes procMount, runAsNonRoot and runAsUser from v1.35 only', () => {
    expectDenied(userNs(false), {
      'baseline@v1.34': ['procMount'],
      'baseline@v1.35': [],
      'restricted@v1.34': ['procMount', 'runAsNonRoot', 'runAsUser'],
      'restricted@v1.35': ['procMount_restricted'],
      restricted: ['procMount_restricted'],
    });
  });

  it('does not relax pods in the host user namespace', () => {
    for (const hostUsers of [true, null]) {
      expectDenied(userNs(hostUsers), {
        'baseline@v1.35': ['procMount'],
        'restricted@v1.35': ['procMount_restricted', 'runAsNonRoot', 'runAsUser'],
      });
    }
  });
});

describe('pss pointers and reasons', () => {
  const template: PodInput = {
    pointer: '/spec/template/spec',
    metadataPointer: '/spec/template/metadata',
    metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' } },
    spec: {
      initContainers: [{ name: 'init', image: 'x', securityContext: { runAsNonRoot: false } }],
      containers: [{ name: 'web', image: 'x', securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'CHOWN'] } } }],
    },
  };

  it('points at the offending field, or where the missing one belongs', () => {
    const r = evaluatePodSecurity(template, { level: 'restricted' });
    const got = r.violations.map((v) => `${v.control} ${v.pointers.join(' ')}`);
    assert.deepEqual(got, [
      'privileged /spec/template/spec/containers/0/securityContext/privileged',
      'appArmorProfile /spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1web',
      'allowPrivilegeEscalation /spec/template/spec/initContainers/0/securityContext/allowPrivilegeEscalation',
      'allowPrivilegeEscalation /spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation',
      'runAsNonRoot /spec/template/spec/initContainers/0/securityContext/runAsNonRoot',
      'runAsNonRoot /spec/template/spec/containers/0/securityContext/runAsNonRoot /spec/template/spec/securityContext/runAsNonRoot',
      'seccompProfile_restricted /spec/template/spec/initContainers/0/securityContext/seccompProfile/type /spec/template/spec/securityContext/seccompProfile/type',
      'seccompProfile_restricted /spec/template/spec/containers/0/securityContext/seccompProfile/type /spec/template/spec/securityContext/seccompProfile/type',
      'capabilities_restricted /spec/template/spec/initContainers/0/securityContext/capabilities/drop',
      'capabilities_restricted /spec/template/spec/containers/0/securityContext/capabilities/drop',
      'capabilities_restricted /spec/template/spec/containers/0/securityContext/capabilities/add/0',
      'capabilities_restricted /spec/template/spec/containers/0/securityContext/capabilities/add/1',
    ]);
  });

  it('gives concrete reasons naming the container and field', () => {
    const r = evaluatePodSecurity(template, { level: 'baseline' });
    assert.deepEqual(
      r.violations.map((v) => [v.control, v.controlTitle, v.level, v.reason]),
      [
        ['privileged', 'Privileged Containers', 'baseline', 'container "web" must not set securityContext.privileged=true'],
        [
          'capabilities_baseline',
          'Capabilities',
          'baseline',
          'container "web" must not add capability "NET_ADMIN": it is not in the Baseline set (securityContext.capabilities.add)',
        ],
        [
          'appArmorProfile',
          'AppArmor',
          'baseline',
          'annotation container.apparmor.security.beta.kubernetes.io/web="unconfined" is forbidden (allowed: runtime/default, localhost/*)',
        ],
      ],
    );
  });

  it('defaults to the pointers of a Pod', () => {
    const r = evaluatePodSecurity({ spec: { hostPID: true, containers: [] } }, { level: 'baseline' });
    assert.deepEqual(r.violations[0]?.pointers, ['/spec/hostPID']);
  });

  it('evaluateControl runs one control alone at the newest version', () => {
    const p = pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }] });
    assert.deepEqual(
      evaluateControl('hostPathVolumes', p).map((v) => v.reason),
      ['volume "h" must not use hostPath'],
    );
    assert.deepEqual(
      evaluateControl('restrictedVolumes', p).map((v) => v.pointers),
      [['/spec/volumes/0/hostPath']],
    );
    assert.deepEqual(
      evaluateControl('hostProbesAndHostLifecycle', pod({ containers: [goodContainer('a', { livenessProbe: { httpGet: { host: 'h' } } })] }), 'v1.33'),
      [],
    );
  });
});
