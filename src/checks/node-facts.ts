/**
 * Checks of a node's files and processes (CIS 1.1, 4.1 and the node-only controls), read from
 * the `NodeFacts` object that `palisade node` collects (docs/node.md): file modes and owners by
 * role, process arguments, certificates, and the parsed encryption and audit policy files.
 * Facts the node does not have (a worker has no kube-apiserver manifest) are not applicable.
 *
 * Spec: CIS Kubernetes Benchmark v1.12 (kube-bench cfg/cis-1.12/master.yaml, node.yaml). Modes
 * are compared as kube-bench's `bitmask`: a file passes when it has no permission bit outside
 * the allowed mode.
 */
import { type Check, type CheckDocs, defineCheck, NOT_APPLICABLE, type Violation } from '../core/check.js';
import { isObject } from '../core/object.js';
import type { JsonObject, Resource, Severity } from '../core/types.js';

/** The kind `palisade node` gives its facts. */
export const NODE_FACTS_KIND = 'NodeFacts';

/** One file or directory as collected. */
export interface NodeFile {
  readonly index: number;
  readonly role: string;
  readonly path: string;
  readonly type: string;
  /** Permission bits, e.g. 0o600. */
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
}

/** The files of the given roles in a `NodeFacts` object. */
export function nodeFiles(resource: Resource, roles: readonly string[]): NodeFile[] {
  const spec = resource.object.spec;
  if (!isObject(spec) || !Array.isArray(spec.files)) return [];
  const out: NodeFile[] = [];
  spec.files.forEach((f, index) => {
    if (!isObject(f) || typeof f.role !== 'string' || !roles.includes(f.role) || typeof f.path !== 'string') return;
    const mode = typeof f.mode === 'string' ? Number.parseInt(f.mode, 8) : Number.NaN;
    out.push({
      index,
      role: f.role,
      path: f.path,
      type: typeof f.type === 'string' ? f.type : 'file',
      mode,
      owner: typeof f.owner === 'string' ? f.owner : String(f.uid),
      group: typeof f.group === 'string' ? f.group : String(f.gid),
    });
  });
  return out;
}

/** The arguments of a process (`kubelet`) as collected, or undefined when it does not run. */
export function processArgs(resource: Resource, name: string): { readonly args: readonly string[]; readonly pointer: string } | undefined {
  const spec = resource.object.spec;
  if (!isObject(spec) || !Array.isArray(spec.processes)) return undefined;
  const i = spec.processes.findIndex((p) => isObject(p) && p.name === name);
  const p = spec.processes[i];
  if (!isObject(p) || !Array.isArray(p.args)) return undefined;
  return { args: p.args.filter((a): a is string => typeof a === 'string'), pointer: `/spec/processes/${i}/args` };
}

/** The object `palisade node` recorded under `spec[key]` (`encryptionConfiguration`), with its pointer. */
export function nodeDocument(resource: Resource, key: string): { readonly path: string; readonly content: JsonObject; readonly pointer: string } | undefined {
  const spec = resource.object.spec;
  const d = isObject(spec) ? spec[key] : undefined;
  if (!isObject(d) || typeof d.path !== 'string' || !isObject(d.content)) return undefined;
  return { path: d.path, content: d.content, pointer: `/spec/${key}/content` };
}

const octal = (n: number): string => n.toString(8).padStart(3, '0');

/** What a file check declares. */
export interface NodeFileCheckSpec {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly frameworks: readonly string[];
  readonly docs: CheckDocs;
  /** File roles the check reads (docs/node.md lists them). */
  readonly roles: readonly string[];
  /** Most permissive mode allowed (0o600), or the owner and group required (`root:root`). */
  readonly rule: { readonly maxMode: number } | { readonly owner: string };
}

/**
 * Declares a check of file modes or owners in `NodeFacts`.
 *
 * @example
 * export default nodeFileCheck({ id: 'PAL-0870', name: 'apiserver-manifest-mode', roles: ['apiserver-manifest'],
 *   rule: { maxMode: 0o600 }, ... });
 */
export function nodeFileCheck(spec: NodeFileCheckSpec): Check<{ readonly kind: 'resource'; readonly kinds: readonly string[] }> {
  const { roles, rule, ...meta } = spec;
  return defineCheck({
    ...meta,
    category: 'node',
    target: { kind: 'resource', kinds: [NODE_FACTS_KIND] },
    evaluate({ resource }) {
      const files = nodeFiles(resource, roles);
      if (files.length === 0) return NOT_APPLICABLE;
      const out: Violation[] = [];
      for (const f of files) {
        if ('maxMode' in rule) {
          if (Number.isNaN(f.mode) || (f.mode & ~rule.maxMode & 0o7777) !== 0)
            out.push({
              pointer: `/spec/files/${f.index}/mode`,
              message: `${f.path} has mode ${Number.isNaN(f.mode) ? 'unknown' : octal(f.mode)}, more permissive than ${octal(rule.maxMode)}`,
              evidence: { path: f.path, mode: Number.isNaN(f.mode) ? null : octal(f.mode), allowed: octal(rule.maxMode) },
            });
        } else if (`${f.owner}:${f.group}` !== rule.owner)
          out.push({
            pointer: `/spec/files/${f.index}/owner`,
            message: `${f.path} is owned by ${f.owner}:${f.group}, not ${rule.owner}`,
            evidence: { path: f.path, owner: `${f.owner}:${f.group}`, required: rule.owner },
          });
      }
      return out;
    },
  });
}
