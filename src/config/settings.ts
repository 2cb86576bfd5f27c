/**
 * Where a setting comes from and which source wins: an option the user typed (or set in the
 * environment) beats the configuration file, which beats the option's default. The CLI says
 * where each value came from (commander's `getOptionValueSource`); nothing compares values
 * with their defaults to guess.
 */
import { PalisadeError } from '../core/errors.js';
import { isSeverity, type Severity } from '../core/types.js';
import type { PalisadeConfig } from './config.js';
import { parseSize } from './config.js';

/** Where an option's value came from, as commander reports it. */
export type ValueSource = 'default' | 'config' | 'env' | 'cli' | 'implied';

/** A command-line value and its source (`undefined` source: the option was not set at all). */
export interface SourcedValue<T> {
  readonly value: T | undefined;
  readonly source: ValueSource | undefined;
}

/** The gate and loading settings a scan takes from flags and configuration. */
export interface ScanSettings {
  readonly failOn?: Severity;
  readonly maxFileSize?: number;
  readonly allowIncomplete: boolean;
}

/** True when the user chose the value (typed it, or set it in the environment). */
const chosen = (v: SourcedValue<unknown> | undefined): boolean => v?.source === 'cli' || v?.source === 'env';

/** Picks the value: chosen flag, then config, then the flag's default. */
function pick<T>(flag: SourcedValue<T> | undefined, fromConfig: T | undefined): { value: T | undefined; fromFlag: boolean } {
  if (flag?.value !== undefined && chosen(flag)) return { value: flag.value, fromFlag: true };
  if (fromConfig !== undefined) return { value: fromConfig, fromFlag: false };
  return { value: flag?.value, fromFlag: flag?.value !== undefined };
}

/**
 * Resolves the scan settings from the flags (with their sources) and the configuration.
 * Invalid flag values are usage errors (exit 2) naming the flag.
 *
 * @example
 * resolveScanSettings(config, { maxFileSize: { value: '20MB', source: 'cli' } }).maxFileSize; // 20971520, even when the config says 1MB
 */
export function resolveScanSettings(
  config: PalisadeConfig,
  flags: {
    readonly failOn?: SourcedValue<string>;
    readonly maxFileSize?: SourcedValue<string>;
    readonly allowIncomplete?: SourcedValue<boolean>;
  },
): ScanSettings {
  const failOn = pick(flags.failOn, config.failOn);
  if (failOn.value !== undefined && !isSeverity(failOn.value)) throw new PalisadeError('usage', `--fail-on: unknown severity "${failOn.value}"`);
  let maxFileSize: number | undefined;
  const size = pick<string | number>(flags.maxFileSize, config.maxFileSize);
  if (size.value !== undefined) {
    maxFileSize = parseSize(size.value);
    if (maxFileSize === undefined) throw new PalisadeError('usage', `--max-file-size: "${size.value}" is not a size such as 20MB`);
  }
  const allowIncomplete = pick(flags.allowIncomplete, config.allowIncomplete).value === true;
  return {
    ...(failOn.value !== undefined ? { failOn: failOn.value as Severity } : {}),
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    allowIncomplete,
  };
}
