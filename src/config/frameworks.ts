/**
 * User-defined frameworks: a YAML file listing controls and the checks that cover them (ids,
 * names, globs, or references to other frameworks' controls such as `cis:5.1.*`), or the reason
 * a control is manual. Validated at the boundary with a JSON Schema (ajv), as the configuration
 * is; every problem names the file and the path in it. The templates in
 * docs/examples/frameworks/ (NIST SP 800-190, PCI DSS, HIPAA) use this format.
 */
import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import type { SchemaObject } from 'ajv';
import type { AnyCheck } from '../core/check.js';
import { PalisadeError } from '../core/errors.js';
import { BUILTIN_FRAMEWORKS, checksFor, type Framework } from '../frameworks/index.js';
import { didYouMean } from './suggest.js';
import { validateAgainst } from './schema.js';

/** The schema of a framework file (JSON Schema draft-07). */
export const FRAMEWORK_SCHEMA: SchemaObject = {
  $id: 'https://palisade.dev/schemas/framework.json',
  title: 'Palisade user-defined framework',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'controls'],
  properties: {
    apiVersion: { const: 'palisade.dev/v1alpha1' },
    kind: { const: 'Framework' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*$', 'x-hint': 'must be a lower-case id such as acme-baseline' },
    title: { type: 'string', minLength: 1 },
    version: { type: 'string' },
    url: { type: 'string' },
    description: { type: 'string' },
    controls: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title'],
        properties: {
          id: { type: 'string', minLength: 1 },
          title: { type: 'string', minLength: 1 },
          section: { type: 'string' },
          checks: { type: 'array', items: { type: 'string', minLength: 1 } },
          manual: { type: 'string', pattern: '\\S', 'x-hint': 'must say why no check can decide the control' },
        },
        anyOf: [
          { properties: { checks: {} }, required: ['checks'] },
          { properties: { manual: {} }, required: ['manual'] },
        ],
        'x-hint': 'needs checks or a manual reason',
      },
    },
  },
};

/**
 * Parses and validates a framework file's text. `checks` are every check the scan knows
 * (custom ones included): a check pattern that names none is an error, as a typo would
 * otherwise make the control silently manual.
 *
 * @example
 * parseFramework(text, 'acme.yaml', builtinChecks).controls.length;
 */
export function parseFramework(text: string, file: string, checks: readonly AnyCheck[]): Framework {
  let raw: unknown;
  try {
    raw = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    const e = err as { mark?: { line?: number }; reason?: string };
    throw new PalisadeError('config-invalid', `${file}:${(e.mark?.line ?? 0) + 1}: framework is not valid YAML: ${e.reason ?? String(err)}`, { file });
  }
  const problems = validateAgainst(FRAMEWORK_SCHEMA, raw);
  if (problems.length > 0) throw new PalisadeError('config-invalid', `${file}: invalid framework: ${problems.join('; ')}`, { file, problems });
  const input = raw as {
    id: string;
    title: string;
    version?: string;
    url?: string;
    description?: string;
    controls: { id: string; title: string; section?: string; checks?: string[]; manual?: string }[];
  };
  if (BUILTIN_FRAMEWORKS.some((f) => f.id === input.id || f.names?.includes(input.id) || f.prefix === input.id))
    throw new PalisadeError('config-invalid', `${file}: id: "${input.id}" is a built-in framework; choose another id`, { file });
  const seen = new Set<string>();
  const names = checks.flatMap((c) => [c.id, c.name]);
  for (const [i, c] of input.controls.entries()) {
    if (seen.has(c.id)) problems.push(`controls[${i}].id: duplicate control id "${c.id}"`);
    seen.add(c.id);
    for (const [j, p] of (c.checks ?? []).entries()) {
      const probe: Framework = { id: input.id, prefix: input.id, title: '', version: '', controls: [] };
      if (checksFor(probe, { id: c.id, title: c.title, checks: [p] }, checks).length === 0)
        problems.push(`controls[${i}].checks[${j}]: "${p}" names no check${p.includes(':') ? '' : didYouMean(p, names)}`);
    }
  }
  if (problems.length > 0) throw new PalisadeError('config-invalid', `${file}: invalid framework: ${problems.join('; ')}`, { file, problems });
  return {
    id: input.id,
    prefix: input.id,
    title: input.title,
    version: input.version ?? '',
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    origin: file,
    controls: input.controls.map((c) => ({
      id: c.id,
      title: c.title,
      ...(c.section !== undefined ? { section: c.section } : {}),
      ...(c.checks !== undefined && c.checks.length > 0 ? { checks: c.checks } : {}),
      ...(c.manual !== undefined ? { manual: c.manual } : {}),
    })),
  };
}

/**
 * Reads a framework file (exit 2 when it is missing or invalid).
 *
 * @example
 * const nist = await loadFrameworkFile('docs/examples/frameworks/nist-800-190.yaml', builtinChecks);
 */
export async function loadFrameworkFile(file: string, checks: readonly AnyCheck[]): Promise<Framework> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new PalisadeError(code === 'ENOENT' ? 'config-not-found' : 'config-invalid', `${file}: cannot read framework (${code})`, { file });
  }
  return parseFramework(text, file, checks);
}
