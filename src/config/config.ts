/**
 * `.palisade.yaml`: per-check enable/severity/params, include/exclude, exceptions,
 * non-waivable checks, custom check directories. Validated at the boundary against a JSON
 * Schema (./schema.ts); every problem is reported with its field path. The reference is
 * docs/configuration.md.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import yaml from 'js-yaml';
import { PalisadeError } from '../core/errors.js';
import type { ExceptionRule } from '../core/exceptions.js';
import type { JsonValue, Severity } from '../core/types.js';
import { CONFIG_SCHEMA, validateAgainst } from './schema.js';
import { isObject } from '../core/object.js';

/** Settings of one check. */
export interface CheckSettings {
  readonly enabled?: boolean;
  readonly severity?: Severity;
  readonly params?: Readonly<Record<string, JsonValue>>;
}

/** How namespaces without a `palisade.dev/enforce` label are treated at admission. */
export type AdmissionMode = 'enforce' | 'warn' | 'audit';

/** The `admission` section: settings of `palisade admission serve`. */
export interface AdmissionConfig {
  readonly defaultMode?: AdmissionMode;
  readonly failOn?: Severity;
  readonly exemptNamespaces: readonly string[];
  readonly exemptUsers: readonly string[];
  readonly exemptGroups: readonly string[];
  /** Checks whose fixes the mutating webhook applies; absent: the built-in default. */
  readonly mutateChecks?: readonly string[];
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
  /** Let a gate pass although some input could not be read (as `--allow-incomplete`). */
  readonly allowIncomplete?: boolean;
  /** How many attack paths the report's Top risks list (as `--top-risks`; 0: none). */
  readonly topRisks?: number;
  /** Values `palisade fix` writes (the `fix` section). */
  readonly fix?: FixConfig;
  /** Settings of the admission webhook. */
  readonly admission?: AdmissionConfig;
  /** The file this came from, when any. */
  readonly file?: string;
}

/** The `fix` section: values fixes write where the right one depends on the workload. */
export interface FixConfig {
  readonly resources?: {
    readonly limits?: Readonly<Record<'cpu' | 'memory' | 'ephemeral-storage', string | undefined>>;
    readonly requests?: Readonly<Record<'cpu' | 'memory' | 'ephemeral-storage', string | undefined>>;
  };
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly emptyDirSizeLimit?: string;
}

/** Which value of the `fix` section each fixing check takes as its `fixValue` parameter. */
const FIX_VALUE_OF: Readonly<Record<string, (fix: FixConfig) => string | number | undefined>> = {
  'missing-cpu-limit': (f) => f.resources?.limits?.cpu,
  'missing-memory-limit': (f) => f.resources?.limits?.memory,
  'missing-ephemeral-storage-limit': (f) => f.resources?.limits?.['ephemeral-storage'],
  'missing-cpu-request': (f) => f.resources?.requests?.cpu,
  'missing-memory-request': (f) => f.resources?.requests?.memory,
  'pss-run-as-user': (f) => f.runAsUser,
  'pss-run-as-non-root': (f) => f.runAsUser,
  'run-as-low-uid': (f) => f.runAsUser,
  'run-as-root-group': (f) => f.runAsGroup,
  'emptydir-without-size-limit': (f) => f.emptyDirSizeLimit,
};

/**
 * The `fixValue` parameter the `fix` section gives a check (by check name), if any; a check's
 * own `checks.<id>.params.fixValue` wins over it.
 *
 * @example
 * fixValueFor('missing-cpu-limit', { checks: {}, ..., fix: { resources: { limits: { cpu: '1' } } } }); // '1'
 */
export function fixValueFor(checkName: string, config: PalisadeConfig): string | number | undefined {
  const pick = FIX_VALUE_OF[checkName];
  return pick && config.fix ? pick(config.fix) : undefined;
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

const asList = (v: unknown): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : (v as string[]));

/**
 * Validates a parsed configuration object against the configuration schema
 * ({@link CONFIG_SCHEMA}); every problem is reported at once, with its field path.
 *
 * @param raw the parsed YAML
 * @param file the file it came from (for messages and relative paths)
 * @example
 * const cfg = validateConfig({ failOn: 'high' }, '.palisade.yaml');
 */
export function validateConfig(raw: unknown, file: string): PalisadeConfig {
  if (raw === undefined || raw === null) return { ...EMPTY_CONFIG, file };
  if (!isObject(raw)) throw new PalisadeError('config-invalid', `${file}: the configuration must be a mapping`, { file });
  // YAML 1.1 loaders (and library callers) hand over dates as Date objects.
  const input: Record<string, unknown> = Array.isArray(raw.exceptions)
    ? {
        ...raw,
        exceptions: raw.exceptions.map((e) =>
          isObject(e) && e.expires instanceof Date && !Number.isNaN(e.expires.getTime()) ? { ...e, expires: e.expires.toISOString().slice(0, 10) } : e,
        ),
      }
    : raw;
  const problems = validateAgainst(CONFIG_SCHEMA, input);
  if (Array.isArray(input.exceptions))
    input.exceptions.forEach((e, i) => {
      if (isObject(e) && typeof e.expires === 'string' && DATE_RE.test(e.expires) && Number.isNaN(Date.parse(e.expires)))
        problems.push(`exceptions[${i}].expires: must be a date YYYY-MM-DD`);
    });
  const maxFileSize = input.maxFileSize === undefined ? undefined : parseSize(input.maxFileSize as string | number);
  if (input.maxFileSize !== undefined && maxFileSize === undefined && !problems.some((p) => p.startsWith('maxFileSize:')))
    problems.push('maxFileSize: must be a size such as 20MB');
  if (problems.length > 0) {
    throw new PalisadeError('config-invalid', `${file}: invalid configuration: ${problems.join('; ')}`, { file, problems });
  }
  const base = dirname(resolve(file));
  const checks = (input.checks ?? {}) as Record<string, CheckSettings>;
  const exceptions = ((input.exceptions ?? []) as ExceptionRule[]).map((e) => ({ ...e }));
  const failOn = input.failOn as Severity | undefined;
  return {
    checks,
    include: asList(input.include),
    exclude: asList(input.exclude),
    exceptions,
    nonWaivable: asList(input.nonWaivable),
    checksDirs: asList(input.checksDir).map((d) => resolve(base, d)),
    ...(failOn ? { failOn } : {}),
    ...(maxFileSize ? { maxFileSize } : {}),
    ...(input.allowIncomplete === true ? { allowIncomplete: true } : {}),
    ...(typeof input.topRisks === 'number' ? { topRisks: input.topRisks } : {}),
    ...(isObject(input.fix) ? { fix: input.fix as FixConfig } : {}),
    ...(isObject(input.admission) ? { admission: admissionConfig(input.admission) } : {}),
    file,
  };
}

function admissionConfig(raw: Record<string, unknown>): AdmissionConfig {
  return {
    ...(raw.defaultMode !== undefined ? { defaultMode: raw.defaultMode as AdmissionMode } : {}),
    ...(raw.failOn !== undefined ? { failOn: raw.failOn as Severity } : {}),
    exemptNamespaces: asList(raw.exemptNamespaces),
    exemptUsers: asList(raw.exemptUsers),
    exemptGroups: asList(raw.exemptGroups),
    ...(raw.mutateChecks !== undefined ? { mutateChecks: asList(raw.mutateChecks) } : {}),
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
    // No YAML timestamps: `expires: 2027-03-31` stays the string it looks like.
    raw = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    const e = err as { mark?: { line?: number }; reason?: string };
    throw new PalisadeError('config-invalid', `${file}:${(e.mark?.line ?? 0) + 1}: configuration is not valid YAML: ${e.reason ?? String(err)}`, { file });
  }
  return validateConfig(raw, file);
}
