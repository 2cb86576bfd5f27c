/**
 * Test helper: runs the fix writer on one fixture text with a set of checks, the rescan included,
 * as `palisade fix --unsafe-fixes` does on a file.
 */
import type { AnyCheck } from '../../src/core/check.js';
import type { JsonValue } from '../../src/core/types.js';
import { type FixOutcome, planFixes } from '../../src/fix/fix.js';
import { runOn } from './fixtures.js';

/** The fixed text (the input when nothing changed) and the outcome. */
export function fixText(
  checks: readonly AnyCheck[],
  text: string,
  file = 'fixture.yaml',
  params?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>,
  unsafe = true,
): { readonly after: string; readonly outcome: FixOutcome } {
  const findings = runOn(checks, text, file, params);
  const outcome = planFixes({
    findings,
    selection: { unsafe },
    readText: (f) => (f === file ? text : undefined),
    objectOf: () => undefined,
    rescan: ({ texts }) => runOn(checks, texts.get(file) ?? text, file, params),
    remediationOf: (id) => checks.find((c) => c.id === id)?.docs.remediation ?? '',
  });
  return { after: outcome.files.find((f) => f.file === file)?.after ?? text, outcome };
}
