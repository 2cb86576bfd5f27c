/**
 * TEST UTILITY: renders the subset of Kustomize that deploy/ uses, for machines without
 * kubectl: `resources` (files of YAML documents, and directories holding a kustomization) and
 * `images` (newName, newTag, digest on the containers of pod-bearing objects). Any other field
 * of a kustomization throws, so that the manifests cannot start relying on a feature this
 * renderer would silently ignore; test/deploy-manifests.test.ts checks it against
 * `kubectl kustomize` wherever kubectl is installed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

type Obj = Record<string, unknown>;

interface ImageRule {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'images']);
const FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function kustomizationFile(dir: string): string {
  for (const name of FILE_NAMES) if (existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`${dir}: no kustomization.yaml`);
}

function documents(file: string): Obj[] {
  const out: Obj[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
    const v = doc.toJS() as Obj | null;
    if (v !== null) out.push(v);
  }
  return out;
}

/** `kind/namespace/name`, the identity Kustomize refuses to see twice. */
export function objectId(o: Obj): string {
  const meta = (o.metadata ?? {}) as Obj;
  return `${String(o.kind)}/${String(meta.namespace ?? '')}/${String(meta.name)}`;
}

/** Splits `repo/name:tag@sha256:...` into name, tag and digest. */
function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const rest = at === -1 ? image : image.slice(0, at);
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  return { name: hasTag ? rest.slice(0, colon) : rest, ...(hasTag ? { tag: rest.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}

function applyImages(objects: Obj[], rules: readonly ImageRule[]): void {
  const visit = (spec: unknown): void => {
    if (spec === null || typeof spec !== 'object') return;
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      const cs = (spec as Obj)[list];
      if (!Array.isArray(cs)) continue;
      for (const c of cs as Obj[]) {
        if (typeof c.image !== 'string') continue;
        const img = splitImage(c.image);
        const rule = rules.find((r) => r.name === img.name);
        if (!rule) continue;
        const name = rule.newName ?? img.name;
        const digest = rule.digest ?? (rule.newTag === undefined ? img.digest : undefined);
        const tag = rule.digest !== undefined ? undefined : (rule.newTag ?? img.tag);
        c.image = `${name}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
      }
    }
  };
  for (const o of objects) {
    const spec = o.spec as Obj | undefined;
    if (!spec) continue;
    visit(spec);
    visit((spec.template as Obj | undefined)?.spec);
    visit((((spec.jobTemplate as Obj | undefined)?.spec as Obj | undefined)?.template as Obj | undefined)?.spec);
  }
}

/**
 * The objects `kubectl kustomize DIR` prints, for the subset above.
 *
 * @example
 * renderKustomization('deploy/agent').map(objectId); // ['Namespace//palisade', ...]
 */
export function renderKustomization(dir: string): Obj[] {
  const file = kustomizationFile(dir);
  const k = (parse(readFileSync(file, 'utf8')) ?? {}) as Obj;
  for (const key of Object.keys(k)) if (!SUPPORTED.has(key)) throw new Error(`${file}: kustomize-lite does not support "${key}"`);
  const objects: Obj[] = [];
  for (const r of (k.resources ?? []) as string[]) {
    const path = resolve(dir, r);
    if (!existsSync(path)) throw new Error(`${file}: resource ${r} does not exist`);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : documents(path)));
  }
  const seen = new Set<string>();
  for (const o of objects) {
    const id = objectId(o);
    if (seen.has(id)) throw new Error(`${file}: ${id} appears twice (kustomize refuses it too)`);
    seen.add(id);
  }
  applyImages(objects, (k.images ?? []) as ImageRule[]);
  return objects;
}
