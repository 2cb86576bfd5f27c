/**
 * Loads custom checks from directories: JavaScript modules (`.js`, `.mjs`) exporting checks
 * made with `defineCheck` (or plain check objects), and YAML files of declarative CEL checks.
 * A broken custom check is a configuration error: a CI gate must not silently lose a policy.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { builtinChecks } from '../checks/index.js';
import { type AnyCheck, defineCheck } from '../core/check.js';
import { PalisadeError } from '../core/errors.js';
import type { Diagnostic } from '../core/types.js';

export interface CustomChecks {
  readonly checks: AnyCheck[];
  readonly diagnostics: Diagnostic[];
}

async function listFiles(dir: string): Promise<string[]> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(dir);
  } catch {
    throw new PalisadeError('config-not-found', `checks directory ${dir} does not exist`, { dir });
  }
  if (!st.isDirectory()) return [dir];
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && e.name !== 'node_modules') out.push(...(await listFiles(p)));
    } else out.push(p);
  }
  return out;
}

function looksLikeCheck(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'id' in v && 'evaluate' in v;
}

async function fromModule(file: string): Promise<AnyCheck[]> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new PalisadeError('check-load-failed', `${file}: cannot load check module: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, {
      file,
    });
  }
  const found: AnyCheck[] = [];
  for (const value of Object.values(mod)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (!looksLikeCheck(v)) continue;
      try {
        found.push(
          Object.isFrozen(v) ? (v as AnyCheck) : (defineCheck({ ...(v as object), origin: file } as unknown as Parameters<typeof defineCheck>[0]) as AnyCheck),
        );
      } catch (err) {
        throw new PalisadeError('check-invalid', `${file}: ${err instanceof Error ? err.message : String(err)}`, { file });
      }
    }
  }
  if (found.length === 0) throw new PalisadeError('check-invalid', `${file}: exports no check (export default defineCheck({...}))`, { file });
  return [...new Set(found)];
}

async function fromYaml(file: string): Promise<AnyCheck[]> {
  const text = await readFile(file, 'utf8');
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text).filter((d) => d !== null && d !== undefined);
  } catch (err) {
    const e = err as { mark?: { line?: number }; reason?: string };
    throw new PalisadeError('check-invalid', `${file}:${(e.mark?.line ?? 0) + 1}: not valid YAML: ${e.reason ?? String(err)}`, { file });
  }
  // Loaded on first use: the CEL engine is a dozen modules every other scan would load for nothing.
  const { celCheck } = await import('./cel-check.js');
  return docs.map((d, i) => {
    try {
      return celCheck(d, docs.length > 1 ? `${file}#${i + 1}` : file);
    } catch (err) {
      if (err instanceof PalisadeError) throw err;
      throw new PalisadeError('check-invalid', `${file}: ${err instanceof Error ? err.message : String(err)}`, { file });
    }
  });
}

/**
 * Loads every custom check under the directories (recursively).
 *
 * @example
 * const { checks } = await loadCustomChecks(['./policies']);
 */
export async function loadCustomChecks(dirs: readonly string[]): Promise<CustomChecks> {
  const checks: AnyCheck[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const c of builtinChecks) {
    seen.set(c.id, 'built-in catalogue');
    seen.set(c.name, 'built-in catalogue');
  }
  for (const dir of dirs) {
    for (const file of await listFiles(dir)) {
      const ext = extname(file).toLowerCase();
      let loaded: AnyCheck[];
      if (ext === '.js' || ext === '.mjs') loaded = await fromModule(file);
      else if (ext === '.yaml' || ext === '.yml') loaded = await fromYaml(file);
      else continue;
      for (const c of loaded) {
        for (const key of [c.id, c.name]) {
          const prev = seen.get(key);
          if (prev) throw new PalisadeError('check-invalid', `${file}: check ${key} is already defined in ${prev}`, { file });
        }
        seen.set(c.id, file);
        seen.set(c.name, file);
        checks.push(c);
      }
    }
  }
  if (dirs.length > 0 && checks.length === 0)
    diagnostics.push({ level: 'warning', code: 'no-custom-checks', message: `no custom checks found in ${dirs.join(', ')}` });
  return { checks, diagnostics };
}
