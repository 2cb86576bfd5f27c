import type { Command } from 'commander';
import type { SourcedValue, ValueSource } from '../config/settings.js';

/**
 * An option's value with where it came from (typed, environment, default), so that the library
 * can rank it against the configuration file without comparing it to its default.
 *
 * @example
 * resolveScanSettings(config, { maxFileSize: sourcedValue(cmd, 'maxFileSize') });
 */
export function sourcedValue<T>(cmd: Command, key: string): SourcedValue<T> {
  return { value: cmd.getOptionValue(key) as T | undefined, source: cmd.getOptionValueSource(key) as ValueSource | undefined };
}
