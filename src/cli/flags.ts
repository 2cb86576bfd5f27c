/**
 * Argument parsers shared by commands' repeatable options.
 */

/** Repeatable option, one value per use: `--checks-dir a --checks-dir b`. */
export const collectRaw = (v: string, prev: string[]): string[] => [...prev, v];

/** Repeatable option taking comma-separated lists: `--include a,b --include c`. */
export const collectList = (v: string, prev: string[]): string[] => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
