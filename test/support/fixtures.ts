/**
 * Test helpers: load fixture files into an inventory and run checks on them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyCheck } from '../../src/core/check.js';
import { builtinModels } from '../../src/checks/models.js';
import { runChecks } from '../../src/core/engine.js';
import type { ScanInputs } from '../../src/core/models.js';
import { Inventory } from '../../src/core/inventory.js';
import type { Diagnostic, Finding, JsonObject, JsonValue } from '../../src/core/types.js';
import { type ExpectedPointer, expectedPointersIn } from '../../src/testing/fixtures.js';
import { addManifestText, type LoadStats } from '../../src/sources/files.js';

/** Loads YAML text into a fresh inventory. */
export function inventoryOf(text: string, file = 'fixture.yaml'): { inventory: Inventory; diagnostics: Diagnostic[]; stats: LoadStats } {
  const inventory = new Inventory();
  const diagnostics: Diagnostic[] = [];
  const stats: LoadStats = { files: 1, documents: 0, resources: 0, nonKubernetes: 0, parseErrors: 0, skippedFiles: 0 };
  addManifestText(inventory, text, file, diagnostics, stats);
  return { inventory, diagnostics, stats };
}

/** Runs checks on YAML text and returns all findings, passes included. */
export function runOn(
  checks: readonly AnyCheck[],
  text: string,
  file = 'fixture.yaml',
  params?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>,
  inputs?: ScanInputs,
): Finding[] {
  return runChecks(inventoryOf(text, file).inventory, {
    checks,
    models: builtinModels,
    includePassed: true,
    ...(params ? { params } : {}),
    ...(inputs ? { inputs } : {}),
  }).findings;
}

/**
 * The model inputs of a check's fixtures (`fixtures/inputs.json`: the per-scan data a check
 * that `requires` an input is given, e.g. `{ "images": ..., "vulnerabilities": ... }`), if any.
 */
export function fixtureInputs(dir: string): ScanInputs | undefined {
  const file = join(dir, 'inputs.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ScanInputs) : undefined;
}

/** The `# expect-error: /pointer` lines of a fixture: where the check must report an `error` (input it could not read). */
export function expectedErrorPointers(text: string): string[] {
  return [...text.matchAll(/^#\s*expect-error:\s*(\/\S*)\s*$/gm)].map((m) => m[1] as string);
}

export { fixtureParams } from '../../src/testing/fixtures.js';

/**
 * Reads the `# expect:` lines of a fail fixture: `# expect: /pointer` or
 * `# expect: Kind/name /pointer` (the resource defaults to the fixture's first object).
 */
export function expectedPointers(file: string): ExpectedPointer[] {
  return expectedPointersIn(readFileSync(file, 'utf8'));
}

/**
 * A Pod in namespace `web` with a stable uid and one container, privileged or not: the object the
 * server and agent end-to-end tests add, change and delete on the test API server.
 */
export function webPod(name: string, privileged: boolean): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'web', uid: `uid-${name}` },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged } }] },
  };
}
