/**
 * Control-plane flags (CIS sections 1.2-1.4, 2 and 3.2), read from the Pods that run the
 * components: the static "mirror" Pods in `kube-system` on kubeadm-style clusters, manifests in
 * `/etc/kubernetes/manifests`, or the running processes `palisade node` presents as Pods. A
 * component is recognised as Trivy and kube-bench do, by the executable in `command[0]`
 * (the basename is `kube-apiserver`). Any other Pod is not applicable: it is neither a pass nor a fail.
 *
 * Spec: CIS Kubernetes Benchmark v1.12 (kube-bench cfg/cis-1.12/master.yaml, etcd.yaml).
 */
import { type Check, type CheckDocs, defineCheck, NOT_APPLICABLE, type Violation } from '../core/check.js';
import { describeObject, isObject } from '../core/object.js';
import type { Resource, Severity } from '../core/types.js';

/** The control-plane components whose flags CIS checks. */
export type Component = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';

/** One flag as written: its value and where it is. */
export interface FlagValue {
  readonly value: string;
  readonly pointer: string;
}

/** The parsed command line of one component container. */
export interface ComponentFlags {
  readonly component: Component;
  readonly container: string;
  /** Pointer to the container. */
  readonly pointer: string;
  /** Pointer to the list the flags are in (`command` or `args`), for a missing flag. */
  readonly listPointer: string;
  /** Flags by name without dashes; the last occurrence wins, as in the components. */
  readonly flags: ReadonlyMap<string, FlagValue>;
  /** Environment variables (etcd reads `ETCD_CERT_FILE` and friends). */
  readonly env: ReadonlyMap<string, FlagValue>;
}

const COMPONENTS: readonly Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

function componentOf(executable: unknown): Component | undefined {
  if (typeof executable !== 'string') return undefined;
  const base = executable.slice(executable.lastIndexOf('/') + 1);
  return COMPONENTS.find((c) => c === base);
}

function parseArgs(list: readonly unknown[], base: string, start: number, into: Map<string, FlagValue>): void {
  for (let i = start; i < list.length; i++) {
    const arg = list[i];
    if (typeof arg !== 'string' || !arg.startsWith('-')) continue;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) {
      into.set(body.slice(0, eq), { value: body.slice(eq + 1), pointer: `${base}/${i}` });
      continue;
    }
    // `--flag value` (the next item does not look like a flag) or a bare boolean `--flag`.
    const next = list[i + 1];
    if (typeof next === 'string' && !next.startsWith('-')) {
      into.set(body, { value: next, pointer: `${base}/${i + 1}` });
      i++;
    } else into.set(body, { value: 'true', pointer: `${base}/${i}` });
  }
}

/**
 * The component containers of a Pod with their flags; empty for other objects.
 *
 * @example
 * componentsOf(resource)[0]?.flags.get('anonymous-auth')?.value; // 'false'
 */
export function componentsOf(resource: Resource): ComponentFlags[] {
  if (resource.ref.kind !== 'Pod') return [];
  const spec = resource.object.spec;
  if (!isObject(spec) || !Array.isArray(spec.containers)) return [];
  const out: ComponentFlags[] = [];
  spec.containers.forEach((c, i) => {
    if (!isObject(c)) return;
    const command = Array.isArray(c.command) ? c.command : [];
    const args = Array.isArray(c.args) ? c.args : [];
    // kubeadm puts the executable and its flags in `command`; other installers use `args`.
    const component = componentOf(command[0]) ?? (command.length === 0 ? componentOf(args[0]) : undefined);
    if (!component) return;
    const pointer = `/spec/containers/${i}`;
    const flags = new Map<string, FlagValue>();
    if (command.length > 0) parseArgs(command, `${pointer}/command`, 1, flags);
    parseArgs(args, `${pointer}/args`, command.length === 0 ? 1 : 0, flags);
    const env = new Map<string, FlagValue>();
    if (Array.isArray(c.env))
      c.env.forEach((e, j) => {
        if (isObject(e) && typeof e.name === 'string' && typeof e.value === 'string') env.set(e.name, { value: e.value, pointer: `${pointer}/env/${j}` });
      });
    const listPointer = command.length > 1 || args.length === 0 ? `${pointer}/command` : `${pointer}/args`;
    out.push({ component, container: typeof c.name === 'string' ? c.name : String(i), pointer, listPointer, flags, env });
  });
  return out;
}

/** The verdict of one rule on one component: a problem, or undefined when compliant. */
export interface FlagProblem {
  readonly message: string;
  /** The flag at fault; the command list when the flag is missing. */
  readonly flag?: string;
}

/** A rule over one component's flags. */
export type FlagRule = (c: ComponentFlags) => FlagProblem | undefined;

/** A flag's value; etcd also reads each flag from an `ETCD_` environment variable. */
function flagValue(c: ComponentFlags, name: string): FlagValue | undefined {
  return c.flags.get(name) ?? (c.component === 'etcd' ? c.env.get(`ETCD_${name.toUpperCase().replace(/-/g, '_')}`) : undefined);
}

const listOf = (v: string | undefined): string[] =>
  v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

/** The flag must be set to a non-empty value (or the environment variable, for etcd). */
export const requireFlags =
  (...names: string[]): FlagRule =>
  (c) => {
    const missing = names.filter((n) => {
      const v = flagValue(c, n)?.value;
      return v === undefined || v === '';
    });
    return missing.length === 0 ? undefined : { message: `does not set ${missing.map((n) => `--${n}`).join(' and ')}` };
  };

/** The flag must be absent. */
export const forbidFlag =
  (name: string): FlagRule =>
  (c) =>
    c.flags.has(name) ? { message: `sets --${name}=${c.flags.get(name)?.value}`, flag: name } : undefined;

/**
 * The flag must equal `want`; `unset` says what an absent flag means: `ok` (the default is
 * compliant) or the default value, which is then judged.
 */
export const flagEquals =
  (name: string, want: string, unset: 'ok' | string): FlagRule =>
  (c) => {
    const f = flagValue(c, name);
    if (f === undefined) return unset === 'ok' || unset === want ? undefined : { message: `does not set --${name}=${want} (the default is ${unset})` };
    return f.value.toLowerCase() === want ? undefined : { message: `sets --${name}=${f.value} instead of ${want}`, flag: name };
  };

/** A comma-separated flag must contain `item` (`--authorization-mode` has `RBAC`). */
export const listContains =
  (name: string, item: string): FlagRule =>
  (c) => {
    const f = c.flags.get(name);
    if (listOf(f?.value).includes(item)) return undefined;
    return f === undefined
      ? { message: `does not set --${name} (it must include ${item})` }
      : { message: `sets --${name}=${f.value}, without ${item}`, flag: name };
  };

/** A comma-separated flag must not contain `item`; an absent flag is compliant. */
export const listLacks =
  (name: string, item: string): FlagRule =>
  (c) => {
    const f = c.flags.get(name);
    return listOf(f?.value).includes(item) ? { message: `sets --${name}=${f?.value}, which includes ${item}`, flag: name } : undefined;
  };

/** A numeric flag must be at least `min`. */
export const atLeast =
  (name: string, min: number): FlagRule =>
  (c) => {
    const f = c.flags.get(name);
    if (f === undefined) return { message: `does not set --${name} (it must be ${min} or more)` };
    const n = Number(f.value);
    return Number.isFinite(n) && n >= min ? undefined : { message: `sets --${name}=${f.value}, below ${min}`, flag: name };
  };

/** Every item of a comma-separated flag must be in `allowed`; an absent flag is compliant (Go's defaults). */
export const subsetOf =
  (name: string, allowed: readonly string[]): FlagRule =>
  (c) => {
    const f = c.flags.get(name);
    const bad = listOf(f?.value).filter((s) => !allowed.includes(s));
    return bad.length === 0 ? undefined : { message: `sets --${name} with ${bad.join(', ')}, outside the allowed list`, flag: name };
  };

/** `--feature-gates` must not turn `gate` off. */
export const gateNotDisabled =
  (gate: string): FlagRule =>
  (c) => {
    const f = c.flags.get('feature-gates');
    return listOf(f?.value).some((g) => g.replace(/\s/g, '') === `${gate}=false`)
      ? { message: `sets --feature-gates with ${gate}=false`, flag: 'feature-gates' }
      : undefined;
  };

/**
 * The rule applies unless `flag` is set: `--authorization-config` (structured authorization)
 * replaces `--authorization-mode`, and its file is not visible here.
 */
export const unlessFlag =
  (flag: string, rule: FlagRule): FlagRule =>
  (c) =>
    c.flags.has(flag) ? undefined : rule(c);

/** Every rule must hold (the first problem is reported). */
export const allOf =
  (...rules: FlagRule[]): FlagRule =>
  (c) => {
    for (const r of rules) {
      const p = r(c);
      if (p) return p;
    }
    return undefined;
  };

/** What a control-plane flag check declares. */
export interface ControlPlaneCheckSpec {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly frameworks: readonly string[];
  readonly docs: CheckDocs;
  readonly component: Component;
  readonly rule: FlagRule;
}

/**
 * Declares a check of one component's flags: Pods that run the component pass or fail, every
 * other Pod is not applicable.
 *
 * @example
 * export default controlPlaneCheck({ id: 'PAL-0800', name: 'apiserver-anonymous-auth', component: 'kube-apiserver',
 *   rule: flagEquals('anonymous-auth', 'false', 'true'), ... });
 */
export function controlPlaneCheck(spec: ControlPlaneCheckSpec): Check<{ readonly kind: 'resource'; readonly kinds: readonly string[] }> {
  const { component, rule, ...meta } = spec;
  return defineCheck({
    ...meta,
    category: 'control-plane',
    target: { kind: 'resource', kinds: ['Pod'] },
    evaluate({ resource }) {
      const found = componentsOf(resource).filter((c) => c.component === component);
      if (found.length === 0) return NOT_APPLICABLE;
      const out: Violation[] = [];
      for (const c of found) {
        const p = rule(c);
        if (!p) continue;
        const at = p.flag !== undefined ? c.flags.get(p.flag)?.pointer : undefined;
        out.push({
          pointer: at ?? c.listPointer,
          message: `${component} in ${describeObject(resource.ref)} ${p.message}`,
          evidence: { component, container: c.container, ...(p.flag !== undefined ? { flag: `--${p.flag}` } : {}) },
        });
      }
      return out;
    },
  });
}
