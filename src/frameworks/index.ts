/**
 * Control catalogues as data, and the mapping between controls and checks. A check names the
 * controls it covers as `prefix:control` (`cis:5.2.2`); a control may also list checks itself
 * (mapping frameworks such as SOC 2 and user frameworks). Reports and selections invert that
 * mapping here, so `--include 'cis:5.2.*'`, `--framework nsa-1.2`, exceptions naming a control
 * and `palisade compliance` all agree on which checks cover which control.
 */
import type { CheckMeta } from '../core/check.js';
import { globMatch } from '../core/exceptions.js';
import { cis } from './cis.js';
import { nsa } from './nsa.js';
import { pssBaseline, pssRestricted } from './pss.js';
import { soc2 } from './soc2.js';
import { microsoft, mitre } from './threats.js';
import type { Control, Framework } from './types.js';

export type { Control, ControlMethod, Framework } from './types.js';

/** The built-in frameworks, in the order `palisade compliance --list` shows them. */
export const BUILTIN_FRAMEWORKS: readonly Framework[] = [cis, nsa, pssBaseline, pssRestricted, mitre, microsoft, soc2];

/** Every built-in framework, keyed by id (`cis-1.12`). */
export const FRAMEWORKS: Readonly<Record<string, Framework>> = Object.fromEntries(BUILTIN_FRAMEWORKS.map((f) => [f.id, f]));

/** The check fields the mapping reads. */
export type MappedCheck = Pick<CheckMeta, 'id' | 'name' | 'frameworks'> & { readonly aliases?: readonly string[] | undefined };

/**
 * Finds a framework by id, alias name or reference prefix (`cis-1.12`, `cis`, `nsa`).
 *
 * @example
 * findFramework('nsa')?.id; // 'nsa-1.2'
 */
export function findFramework(name: string, frameworks: readonly Framework[] = BUILTIN_FRAMEWORKS): Framework | undefined {
  return (
    frameworks.find((f) => f.id === name) ??
    frameworks.find((f) => f.names?.includes(name)) ??
    // Several frameworks may share a prefix (pss-baseline, pss-restricted): the largest wins.
    frameworks.filter((f) => f.prefix === name).sort((a, b) => b.controls.length - a.controls.length)[0]
  );
}

/**
 * Resolves a `prefix:control` reference, or undefined when either part is unknown.
 *
 * @example
 * resolveReference('cis:5.2.2')?.title; // 'Limit privileged containers'
 */
export function resolveReference(
  ref: string,
  frameworks: readonly Framework[] = BUILTIN_FRAMEWORKS,
): { framework: Framework; control: string; title: string } | undefined {
  const i = ref.indexOf(':');
  if (i <= 0) return undefined;
  const prefix = ref.slice(0, i);
  const id = ref.slice(i + 1);
  for (const framework of frameworks.filter((f) => f.prefix === prefix).sort((a, b) => b.controls.length - a.controls.length)) {
    const control = framework.controls.find((c) => c.id === id);
    if (control) return { framework, control: control.id, title: control.title };
  }
  return undefined;
}

/** Does a check pattern (id, name, glob, or a reference glob such as `cis:5.1.*`) name this check? */
function namesCheck(pattern: string, check: MappedCheck): boolean {
  if (pattern.includes(':')) return check.frameworks.some((ref) => globMatch(pattern, ref));
  return globMatch(pattern, check.id) || globMatch(pattern, check.name) || (check.aliases ?? []).some((a) => globMatch(pattern, a));
}

/**
 * True when the check covers the control: it references the control, or the control lists it.
 *
 * @example
 * covers(FRAMEWORKS['cis-1.12'], control, check);
 */
export function covers(framework: Framework, control: Control, check: MappedCheck): boolean {
  if (check.frameworks.includes(`${framework.prefix}:${control.id}`)) return true;
  return (control.checks ?? []).some((p) => namesCheck(p, check));
}

/**
 * The checks that cover a control, in the order given.
 *
 * @example
 * checksFor(FRAMEWORKS['cis-1.12'], control, builtinChecks).map((c) => c.id);
 */
export function checksFor<C extends MappedCheck>(framework: Framework, control: Control, checks: readonly C[]): C[] {
  return checks.filter((c) => covers(framework, control, c));
}

/** A parsed control pattern: the framework and the controls it selects. */
export interface ControlSelection {
  readonly framework: Framework;
  readonly controls: readonly Control[];
}

/**
 * Parses a control pattern `framework:glob` (`cis:5.2.*`, `nsa-1.2:*`, `cis-1.11:5.2.10`, where an
 * earlier version's numbering goes through the controls' aliases). Undefined when the part
 * before the colon names no framework; an empty `controls` when the glob matches none.
 *
 * @example
 * selectControls('cis-1.10:5.7.*')?.controls.map((c) => c.id); // ['5.6.1', '5.6.2', '5.6.3', '5.6.4']
 */
export function selectControls(pattern: string, frameworks: readonly Framework[] = BUILTIN_FRAMEWORKS): ControlSelection | undefined {
  const i = pattern.indexOf(':');
  if (i <= 0) return undefined;
  const name = pattern.slice(0, i);
  const glob = pattern.slice(i + 1) || '*';
  const framework = findFramework(name, frameworks);
  if (framework) return { framework, controls: framework.controls.filter((c) => globMatch(glob, c.id)) };
  // An earlier version of a framework, through the aliases (`cis-1.11:5.2.10` is v1.12's 5.2.9).
  const versioned = frameworks.find((f) => f.controls.some((c) => c.aliases?.some((a) => a.startsWith(`${name}:`))));
  if (!versioned) return undefined;
  return {
    framework: versioned,
    controls: versioned.controls.filter((c) => c.aliases?.some((a) => a.startsWith(`${name}:`) && globMatch(glob, a.slice(name.length + 1)))),
  };
}

/**
 * True when `pattern` is a control pattern (`framework:glob`) rather than a check id, name or glob.
 *
 * @example
 * isControlPattern('cis:5.2.*'); // true
 * isControlPattern('PAL-01*'); // false
 */
export function isControlPattern(pattern: string): boolean {
  return pattern.indexOf(':') > 0;
}

/**
 * True when the check covers a control the pattern selects.
 *
 * @example
 * matchesControlPattern('cis:5.2.*', check);
 */
export function matchesControlPattern(pattern: string, check: MappedCheck, frameworks: readonly Framework[] = BUILTIN_FRAMEWORKS): boolean {
  const sel = selectControls(pattern, frameworks);
  if (!sel) return false;
  return sel.controls.some((c) => covers(sel.framework, c, check));
}

/**
 * Names every framework id and alias, for "did you mean" and `--framework` help.
 *
 * @example
 * frameworkNames(); // ['cis-1.12', 'cis', ...]
 */
export function frameworkNames(frameworks: readonly Framework[] = BUILTIN_FRAMEWORKS): string[] {
  return frameworks.flatMap((f) => [f.id, ...(f.names ?? [])]);
}
