/**
 * Fixture conventions shared by the built-in check tests and {@link checkTester}: a fixture is
 * YAML text whose comments say what the check must report.
 *
 * - `# expect: /pointer` (the fixture's first object) or `# expect: Kind/name /pointer`: one
 *   failing pointer per line; `# expect: ""` is the object's root.
 * - `# params: {"key": "value"}`: the check's parameters, as JSON.
 */
import type { JsonValue } from '../core/types.js';

/** One expected failing pointer; the resource defaults to the fixture's first object. */
export interface ExpectedPointer {
  readonly kind?: string;
  readonly name?: string;
  readonly pointer: string;
}

/**
 * Reads the `# expect:` lines of a fixture's text.
 *
 * @example
 * expectedPointersIn('# expect: /spec/hostPID\n# expect: Service/web /spec/type\n');
 * // [{ pointer: '/spec/hostPID' }, { kind: 'Service', name: 'web', pointer: '/spec/type' }]
 */
export function expectedPointersIn(text: string): ExpectedPointer[] {
  const out: ExpectedPointer[] = [];
  for (const line of text.split('\n')) {
    const m = /^#\s*expect:\s*(?:(\S+)\/(\S+)\s+)?(\/\S*|"")\s*$/.exec(line);
    if (!m) continue;
    const pointer = m[3] === '""' ? '' : (m[3] ?? '');
    out.push({ ...(m[1] ? { kind: m[1] } : {}), ...(m[2] ? { name: m[2] } : {}), pointer });
  }
  return out;
}

/**
 * Reads a fixture's `# params: {...}` line (check parameters as JSON), if any.
 *
 * @example
 * fixtureParams('# params: {"registries": ["ghcr.io"]}\n'); // { registries: ['ghcr.io'] }
 */
export function fixtureParams(text: string): Record<string, JsonValue> | undefined {
  const m = /^#\s*params:\s*(\{.*\})\s*$/m.exec(text);
  return m?.[1] ? (JSON.parse(m[1]) as Record<string, JsonValue>) : undefined;
}
