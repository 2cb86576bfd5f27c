/**
 * The rules an audit run uses: the built-in catalogue plus custom YAML rules (CEL conditions),
 * with the configuration's per-rule settings validated the way `palisade scan` validates
 * check settings (unknown names and bad params are configuration errors, exit 2).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import yaml from 'js-yaml';
import { celAuditRule } from '../audit-rules/cel.js';
import type { AuditEngineOptions, AuditRuleSettings } from '../audit-rules/engine.js';
import { builtinAuditRules } from '../audit-rules/index.js';
import type { AnyAuditRule } from '../audit-rules/rule.js';
import { builtinChecks } from '../checks/index.js';
import type { PalisadeConfig } from '../config/config.js';
import { validateAgainst } from '../config/schema.js';
import { didYouMean } from '../config/suggest.js';
import { PalisadeError } from '../core/errors.js';
import { globMatch } from '../core/exceptions.js';

async function yamlFiles(path: string): Promise<string[]> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch {
    throw new PalisadeError('config-not-found', `rules ${path}: no such file or directory`, { file: path });
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const e of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(path, e.name);
    if (e.isDirectory() && !e.name.startsWith('.')) out.push(...(await yamlFiles(p)));
    else if (e.isFile() && ['.yaml', '.yml'].includes(extname(e.name).toLowerCase())) out.push(p);
  }
  return out;
}

/**
 * Loads custom audit rules from YAML files or directories; a broken rule is a configuration
 * error naming its file (exit 2).
 *
 * @example
 * const custom = await loadAuditRules(['./audit-rules']);
 */
export async function loadAuditRules(paths: readonly string[]): Promise<AnyAuditRule[]> {
  const out: AnyAuditRule[] = [];
  const seen = new Map<string, string>();
  for (const r of builtinAuditRules) {
    seen.set(r.id, 'the built-in catalogue');
    seen.set(r.name, 'the built-in catalogue');
  }
  for (const path of paths) {
    for (const file of await yamlFiles(path)) {
      let docs: unknown[];
      try {
        docs = yaml.loadAll(await readFile(file, 'utf8'), undefined, { schema: yaml.CORE_SCHEMA }).filter((d) => d !== null && d !== undefined);
      } catch (err) {
        const e = err as { mark?: { line?: number }; reason?: string };
        throw new PalisadeError('check-invalid', `${file}:${(e.mark?.line ?? 0) + 1}: not valid YAML: ${e.reason ?? String(err)}`, { file });
      }
      docs.forEach((d, i) => {
        const where = docs.length > 1 ? `${file}#${i + 1}` : file;
        let rule: AnyAuditRule;
        try {
          rule = celAuditRule(d, where);
        } catch (err) {
          if (err instanceof PalisadeError)
            throw new PalisadeError(err.code, err.message.startsWith(where) ? err.message : `${where}: ${err.message}`, { file });
          throw err;
        }
        for (const key of [rule.id, rule.name]) {
          const prev = seen.get(key);
          if (prev) throw new PalisadeError('check-invalid', `${where}: rule ${key} is already defined in ${prev}`, { file });
          seen.set(key, where);
        }
        out.push(rule);
      });
    }
  }
  return out;
}

const COMMON_PARAMS = { ignoreUsers: { type: 'array', items: { type: 'string' } } };

/**
 * The engine options from the configuration and flags, validated: `checks.<id>` settings that
 * name audit rules, exceptions, non-waivable rules. Settings naming checks (PAL-0xxx) are left
 * to `palisade scan`; a name that is neither is an error.
 */
export function engineOptions(
  rules: readonly AnyAuditRule[],
  config: PalisadeConfig,
  flags: { include: readonly string[]; exclude: readonly string[]; today: string },
): AuditEngineOptions {
  const known = rules.flatMap((r) => [r.id, r.name, ...(r.aliases ?? [])]);
  const matches = (p: string): boolean => rules.some((r) => globMatch(p, r.id) || globMatch(p, r.name));
  const isCheck = (p: string): boolean => builtinChecks.some((c) => globMatch(p, c.id) || globMatch(p, c.name));
  const flagProblems = [...flags.include.map((p) => ['--include', p]), ...flags.exclude.map((p) => ['--exclude', p])]
    .filter(([, p]) => !matches(p as string))
    .map(([f, p]) => `${f}: "${p}" names no audit rule${didYouMean(p as string, known)}`);
  if (flagProblems.length > 0) throw new PalisadeError('usage', `${flagProblems.join('; ')}; run palisade audit rules to list them`);
  const problems: string[] = [];
  const settings: Record<string, AuditRuleSettings> = {};
  for (const [key, s] of Object.entries(config.checks)) {
    const rule = rules.find((r) => r.id === key || r.name === key || (r.aliases ?? []).includes(key));
    if (!rule) {
      if (!isCheck(key)) problems.push(`checks.${key}: names no check or audit rule${didYouMean(key, known)}`);
      continue;
    }
    if (s.params !== undefined) {
      const schema = rule.paramsSchema ?? { type: 'object', additionalProperties: false, properties: COMMON_PARAMS };
      const props = { ...COMMON_PARAMS, ...((schema.properties as object | undefined) ?? {}) };
      problems.push(
        ...validateAgainst({ type: 'object', additionalProperties: rule.origin !== undefined, properties: props }, s.params, `checks.${key}.params`),
      );
    }
    settings[key] = s;
  }
  for (const [i, e] of config.exceptions.entries())
    if (!matches(e.check) && !isCheck(e.check)) problems.push(`exceptions[${i}].check: "${e.check}" names no check or audit rule`);
  if (problems.length > 0) throw new PalisadeError('config-invalid', `${config.file ?? 'configuration'}: ${problems.join('; ')}`, { problems });
  return {
    settings,
    include: flags.include,
    exclude: flags.exclude,
    exceptions: config.exceptions,
    nonWaivable: config.nonWaivable,
    today: flags.today,
  };
}
