/**
 * `.palisade.yaml`: per-check enable/severity/params, include/exclude, exceptions,
 * non-waivable checks, custom check directories. Validated at the boundary; every problem
 * is reported with its field path.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import yaml from 'js-yaml';
import { PalisadeError } from '../core/errors.js';
import type { ExceptionRule } from '../core/exceptions.js';
import { isSeverity, type JsonValue, type Severity } from '../core/types.js';

/** Settings of one check. */
export interface CheckSettings {
  readonly enabled?: boolean;
  readonly severity?: Severity;
  readonly params?: Readonly<Record<string, JsonValue>>;
}

/** The validated configuration. */
export interface PalisadeConfig {
  /** Keyed by check id or name. */
  readonly checks: Readonly<Record<string, CheckSettings>>;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly exceptions: readonly ExceptionRule[];
  readonly nonWaivable: readonly string[];
  /** Absolute directories of custom checks. */
  readonly checksDirs: readonly string[];
  readonly failOn?: Severity;
  readonly maxFileSize?: number;
  /** The file this came from, when any. */
  readonly file?: string;
}

export const EMPTY_CONFIG: PalisadeConfig = { checks: {}, include: [], exclude: [], exceptions: [], nonWaivable: [], checksDirs: [] };

/** Default config file name, looked up in the working directory. */
export const CONFIG_FILE_NAME = '.palisade.yaml';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses sizes such as `20MB`, `512k`, `1048576`. */
export function parseSize(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const out = Math.floor(n * mult);
  return out > 0 ? out : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates a parsed configuration object.
 *
 * @param raw the parsed YAML
 * @param file the file it came from (for messages and relative paths)
 * @example
 * const cfg = validateConfig({ failOn: 'high' }, '.palisade.yaml');
 */
export function validateConfig(raw: unknown, file: string): PalisadeConfig {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { ...EMPTY_CONFIG, file };
  if (!isRecord(raw)) throw new PalisadeError('config-invalid', `${file}: the configuration must be a mapping`, { file });
  const known = new Set(['checks', 'include', 'exclude', 'exceptions', 'nonWaivable', 'checksDir', 'failOn', 'maxFileSize']);
  for (const k of Object.keys(raw)) if (!known.has(k)) problems.push(`${k}: unknown setting (known: ${[...known].join(', ')})`);

  const checks: Record<string, CheckSettings> = {};
  if (raw.checks !== undefined) {
    if (!isRecord(raw.checks)) problems.push('checks: must be a mapping of check id or name to settings');
    else {
      for (const [id, v] of Object.entries(raw.checks)) {
        if (!isRecord(v)) {
          problems.push(`checks.${id}: must be a mapping (enabled, severity, params)`);
          continue;
        }
        const s: { enabled?: boolean; severity?: Severity; params?: Record<string, JsonValue> } = {};
        for (const k of Object.keys(v)) if (!['enabled', 'severity', 'params'].includes(k)) problems.push(`checks.${id}.${k}: unknown setting`);
        if (v.enabled !== undefined) {
          if (typeof v.enabled !== 'boolean') problems.push(`checks.${id}.enabled: must be true or false`);
          else s.enabled = v.enabled;
        }
        if (v.severity !== undefined) {
          if (!isSeverity(v.severity)) problems.push(`checks.${id}.severity: must be critical, high, medium, low or info`);
          else s.severity = v.severity;
        }
        if (v.params !== undefined) {
          if (!isRecord(v.params)) problems.push(`checks.${id}.params: must be a mapping`);
          else s.params = v.params as Record<string, JsonValue>;
        }
        checks[id] = s;
      }
    }
  }

  const stringList = (key: string, v: unknown): string[] => {
    if (v === undefined) return [];
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problems.push(`${key}: must be a list of strings`);
    return [];
  };
  const include = stringList('include', raw.include);
  const exclude = stringList('exclude', raw.exclude);
  const nonWaivable = stringList('nonWaivable', raw.nonWaivable);
  const base = dirname(resolve(file));
  const checksDirs = stringList('checksDir', raw.checksDir).map((d) => resolve(base, d));

  const exceptions: ExceptionRule[] = [];
  if (raw.exceptions !== undefined) {
    if (!Array.isArray(raw.exceptions)) problems.push('exceptions: must be a list');
    else {
      raw.exceptions.forEach((e, i) => {
        const at = `exceptions[${i}]`;
        if (!isRecord(e)) {
          problems.push(`${at}: must be a mapping`);
          return;
        }
        for (const k of Object.keys(e))
          if (!['check', 'kind', 'namespace', 'name', 'container', 'reason', 'expires'].includes(k)) problems.push(`${at}.${k}: unknown field`);
        if (typeof e.check !== 'string' || e.check === '') problems.push(`${at}.check: required (a check id, name or glob)`);
        if (typeof e.reason !== 'string' || e.reason.trim() === '') problems.push(`${at}.reason: required, say why the exception is acceptable`);
        for (const k of ['kind', 'namespace', 'name', 'container'] as const)
          if (e[k] !== undefined && typeof e[k] !== 'string') problems.push(`${at}.${k}: must be a string (globs allowed)`);
        let expires: string | undefined;
        if (e.expires !== undefined) {
          const d = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : e.expires;
          if (typeof d !== 'string' || !DATE_RE.test(d) || Number.isNaN(Date.parse(d))) problems.push(`${at}.expires: must be a date YYYY-MM-DD`);
          else expires = d;
        }
        if (typeof e.check === 'string' && typeof e.reason === 'string') {
          exceptions.push({
            check: e.check,
            reason: e.reason,
            ...(typeof e.kind === 'string' ? { kind: e.kind } : {}),
            ...(typeof e.namespace === 'string' ? { namespace: e.namespace } : {}),
            ...(typeof e.name === 'string' ? { name: e.name } : {}),
            ...(typeof e.container === 'string' ? { container: e.container } : {}),
            ...(expires ? { expires } : {}),
          });
        }
      });
    }
  }

  let failOn: Severity | undefined;
  if (raw.failOn !== undefined) {
    if (!isSeverity(raw.failOn)) problems.push('failOn: must be critical, high, medium, low or info');
    else failOn = raw.failOn;
  }
  let maxFileSize: number | undefined;
  if (raw.maxFileSize !== undefined) {
    maxFileSize = typeof raw.maxFileSize === 'string' || typeof raw.maxFileSize === 'number' ? parseSize(raw.maxFileSize) : undefined;
    if (maxFileSize === undefined) problems.push('maxFileSize: must be a size such as 20MB');
  }

  if (problems.length > 0) {
    throw new PalisadeError('config-invalid', `${file}: invalid configuration: ${problems.join('; ')}`, { file, problems });
  }
  return {
    checks,
    include,
    exclude,
    exceptions,
    nonWaivable,
    checksDirs,
    ...(failOn ? { failOn } : {}),
    ...(maxFileSize ? { maxFileSize } : {}),
    file,
  };
}

/**
 * Loads a config file. With `explicit` false, a missing file yields the empty config.
 *
 * @example
 * const cfg = await loadConfig('.palisade.yaml', false);
 */
export async function loadConfig(file: string, explicit: boolean): Promise<PalisadeConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return EMPTY_CONFIG;
    throw new PalisadeError(code === 'ENOENT' ? 'config-not-found' : 'config-invalid', `${file}: cannot read configuration (${code ?? String(err)})`, { file });
  }
  let raw: unknown;
  try {
    raw = yaml.load(text);
  } catch (err) {
    const e = err as { mark?: { line?: number }; reason?: string };
    throw new PalisadeError('config-invalid', `${file}:${(e.mark?.line ?? 0) + 1}: configuration is not valid YAML: ${e.reason ?? String(err)}`, { file });
  }
  return validateConfig(raw, file);
}
