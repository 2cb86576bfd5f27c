/**
 * Builds the webhook's engine settings from the configuration and flags, once at start: the
 * checks are selected and their names and parameters validated exactly as `palisade scan`
 * does (`prepareChecks`), so a misconfigured webhook fails to start (exit 2) instead of
 * answering every request with an error.
 */
import { builtinChecks } from '../checks/index.js';
import type { AdmissionMode, PalisadeConfig } from '../config/config.js';
import { EMPTY_CONFIG } from '../config/config.js';
import type { AnyCheck } from '../core/check.js';
import type { Severity } from '../core/types.js';
import { prepareChecks, targetKubernetesVersion } from '../scan.js';
import type { AdmissionEngine } from './evaluate.js';

/**
 * Checks whose fixes `/mutate` applies when the configuration names none: every check, since the
 * fix engine applies only the fixes it classifies safe (`fixSafety`), proven by a rescan.
 * `admission.mutateChecks` narrows this.
 */
export const DEFAULT_MUTATE_CHECKS: readonly string[] = ['*'];

/** Inputs of {@link buildAdmissionEngine}. */
export interface AdmissionEngineOptions {
  readonly config?: PalisadeConfig;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly extraChecks?: readonly AnyCheck[];
  /** `--fail-on` when typed; else `admission.failOn`, then `failOn` of the config, then `high`. */
  readonly failOn?: Severity;
  /** `--default-mode` when typed; else `admission.defaultMode`, then `warn`. */
  readonly defaultMode?: AdmissionMode;
  readonly allowIncomplete?: boolean;
  readonly exemptNamespaces?: readonly string[];
  readonly exemptUsers?: readonly string[];
  readonly exemptGroups?: readonly string[];
  readonly kubernetesVersion?: string;
}

/**
 * The engine settings of the webhook.
 *
 * @example
 * const engine = buildAdmissionEngine({ config: await loadConfig('.palisade.yaml', false) });
 */
export function buildAdmissionEngine(options: AdmissionEngineOptions = {}): AdmissionEngine {
  const config = options.config ?? EMPTY_CONFIG;
  const scanOptions = {
    config,
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    extraChecks: options.extraChecks ?? [],
    ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: targetKubernetesVersion(options.kubernetesVersion, undefined) as string } : {}),
  };
  // Fails (exit 2) on unknown names, bad params or an empty selection, as palisade scan does.
  const preparedChecks = prepareChecks(scanOptions);
  const a = config.admission;
  return {
    scanOptions: { ...scanOptions, preparedChecks },
    failOn: options.failOn ?? a?.failOn ?? config.failOn ?? 'high',
    defaultMode: options.defaultMode ?? a?.defaultMode ?? 'warn',
    allowIncomplete: options.allowIncomplete ?? config.allowIncomplete ?? false,
    exemptNamespaces: [...(a?.exemptNamespaces ?? []), ...(options.exemptNamespaces ?? [])],
    exemptUsers: [...(a?.exemptUsers ?? []), ...(options.exemptUsers ?? [])],
    exemptGroups: [...(a?.exemptGroups ?? []), ...(options.exemptGroups ?? [])],
    mutateChecks: a?.mutateChecks ?? DEFAULT_MUTATE_CHECKS,
    checks: [...builtinChecks, ...(options.extraChecks ?? [])],
  };
}
