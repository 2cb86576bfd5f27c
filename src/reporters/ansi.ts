/**
 * Tiny ANSI helpers for the table reporter: a painter that is the identity when colour is
 * off, and width helpers that ignore escape sequences. Enough for our needs, so no
 * dependency.
 */
import type { Severity } from '../core/types.js';

/** Wraps text in SGR codes, or returns it unchanged when colour is off. */
export interface Painter {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  /** The severity's colour (critical and high also bold). */
  severity(severity: Severity, text: string): string;
  /** A coloured badge for headings (` CRITICAL ` on a magenta background); the bare text without colour. */
  badge(severity: Severity, text: string): string;
}

const RESET = '\u001b[0m';
const sgr = (codes: string) => (text: string) => `\u001b[${codes}m${text}${RESET}`;

// 256-colour codes would look nicer but 16-colour ones follow the user's terminal theme.
const SEVERITY_SGR: Readonly<Record<Severity, string>> = {
  critical: '1;35',
  high: '1;31',
  medium: '33',
  low: '36',
  info: '90',
};
const BADGE_SGR: Readonly<Record<Severity, string>> = {
  critical: '1;97;45',
  high: '1;97;41',
  medium: '1;30;43',
  low: '1;30;46',
  info: '1;97;100',
};

const identity = (text: string): string => text;

/**
 * Returns a painter; every method is the identity when `enabled` is false.
 *
 * @example
 * const p = painter(true);
 * p.severity('high', 'HIGH'); // '\u001b[1;31mHIGH\u001b[0m'
 */
export function painter(enabled: boolean): Painter {
  if (!enabled) {
    return { enabled, bold: identity, dim: identity, severity: (_s, t) => t, badge: (_s, t) => t };
  }
  return {
    enabled,
    bold: sgr('1'),
    dim: sgr('2'),
    severity: (s, t) => sgr(SEVERITY_SGR[s])(t),
    badge: (s, t) => sgr(BADGE_SGR[s])(` ${t} `),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips our own SGR sequences
const SGR_RE = /\u001b\[[0-9;]*m/g;

/**
 * Length of text as shown on a terminal, ignoring SGR sequences.
 *
 * @example
 * visibleLength('\u001b[1mab\u001b[0m'); // 2
 */
export function visibleLength(text: string): number {
  return [...text.replace(SGR_RE, '')].length;
}

/**
 * Pads to a visible width (escape sequences do not count).
 *
 * @example
 * padVisible('ab', 4); // 'ab  '
 */
export function padVisible(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

/**
 * Word-wraps plain text to `width` columns. The first line is prefixed with `indent`, the
 * others with `hangingIndent` (the same by default); words longer than a line are split.
 *
 * @example
 * wrap('one two three', 9, '  '); // ['  one two', '  three']
 */
export function wrap(text: string, width: number, indent: string, hangingIndent: string = indent): string[] {
  const lines: string[] = [];
  const room = () => Math.max(10, width - (lines.length === 0 ? indent : hangingIndent).length);
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while ([...w].length > room()) {
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      const chars = [...w];
      const r = room();
      lines.push(chars.slice(0, r).join(''));
      w = chars.slice(r).join('');
    }
    if (line === '') line = w;
    else if ([...line].length + 1 + [...w].length <= room()) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? indent : hangingIndent) + l);
}
