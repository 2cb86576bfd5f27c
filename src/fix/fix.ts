/**
 * The fix writer: applies the fix operations of failing findings to manifest files (in place,
 * through the comment-preserving editor) or, for objects without an editable file (stdin, Helm
 * output, live clusters), to the objects themselves; then proves each object's fix with a scan of
 * the result by the same engine. An object whose fixed findings are not all gone, or that gained
 * a finding, is rolled back and reported as not fixable automatically, with the check's manual
 * remediation.
 *
 * The scan itself is the caller's (`rescan`): this module sits in the I/O ring and the library
 * (`src/scan.ts`) owns check selection, configuration and exceptions.
 */
import type { FixOperation } from '../core/check.js';
import { applyFixes } from '../core/fix.js';
import { sourceFileOf } from '../core/finding.js';
import type { Finding, JsonObject, ResourceRef } from '../core/types.js';
import { splitDocuments } from '../sources/yaml-loader.js';
import { type FixSelection, type ObjectSite, objectSites, rebaseOperations, selectedForFix, siteOf } from './plan.js';
import { detectStyle, EditError, editDocument } from './yaml-edit.js';

/** What the rescan of a fix run replaces in the scanned inventory. */
export interface FixedSources {
  /** New texts of edited files, by file name as the scan shows it. */
  readonly texts: ReadonlyMap<string, string>;
  /** Patched objects without an editable file, by {@link objectKey}. */
  readonly objects: ReadonlyMap<string, JsonObject>;
}

/** What {@link planFixes} needs from the caller. */
export interface FixInput {
  /** Every finding of the scan of the unchanged sources (failing ones at least). */
  readonly findings: readonly Finding[];
  readonly selection?: FixSelection;
  /** The text of a manifest file that may be edited in place; undefined for other sources. */
  readText(file: string): string | undefined;
  /** The object a finding is about, for sources that are not edited in place. */
  objectOf(finding: Finding): JsonObject | undefined;
  /** Scans the sources with these replacements, with the options of the first scan. */
  rescan(fixed: FixedSources): readonly Finding[];
  /** The manual remediation text of a check. */
  remediationOf(checkId: string): string;
  /**
   * Runs the checks on one object alone (no other object of the inventory): used to find, before
   * the full rescan, the findings an object's fixes reveal, so that one rescan usually proves all.
   */
  checkObject?(object: JsonObject): readonly Finding[];
}

/** One object whose fixes were applied and proven. */
export interface ObjectFix {
  readonly resource: ResourceRef;
  /** The file the object is in, or the label of its source (`<stdin>`); undefined for cluster objects. */
  readonly file: string | undefined;
  /** Whether the object is edited in its file (else only patches describe the change). */
  readonly inPlace: boolean;
  /** The JSON Patch that was applied (pointers into the object). */
  readonly patch: readonly FixOperation[];
  readonly findings: readonly Finding[];
}

/** A finding whose fix was not applied. */
export interface NotFixed {
  readonly finding: Finding;
  /** Why: the edit could not be written, or the rescan disproved it. */
  readonly reason: string;
  /** The check's manual remediation. */
  readonly remediation: string;
}

/** A file changed by a fix run. */
export interface FileChange {
  readonly file: string;
  readonly before: string;
  readonly after: string;
}

/** The result of {@link planFixes}; nothing is written yet. */
export interface FixOutcome {
  readonly files: readonly FileChange[];
  readonly objects: readonly ObjectFix[];
  readonly notFixed: readonly NotFixed[];
  /** The findings of the final rescan (the sources with every kept fix applied). */
  readonly after: readonly Finding[];
}

/**
 * The key of an object across scans: its source file (or none) and identity.
 *
 * @example
 * objectKey({ apiVersion: 'v1', kind: 'Pod', name: 'a' }, 'pod.yaml'); // 'pod.yaml\u0000Pod\u0000\u0000a'
 */
export function objectKey(ref: ResourceRef, file: string | undefined): string {
  return `${file ?? ''}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}${ref.cluster !== undefined ? `\u0000${ref.cluster}` : ''}`;
}

/** Rounds in which the fixes of findings revealed by earlier fixes are taken up. */
const MAX_FOLLOW_UP_ROUNDS = 5;

interface Target {
  readonly key: string;
  readonly resource: ResourceRef;
  readonly file: string | undefined;
  readonly findings: Finding[];
  /**
   * Findings that appeared only once the first fixes were applied (un-privileging a container
   * reveals that it keeps NET_RAW) and whose own fixes the run applies too, as ESLint's passes do.
   */
  readonly followUps: Finding[];
  site?: ObjectSite | undefined;
  object?: JsonObject;
  ops?: FixOperation[];
}

function countByCheck(findings: readonly Finding[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    const key = objectKey(f.resource, sourceFileOf(f));
    let m = out.get(key);
    if (!m) {
      m = new Map();
      out.set(key, m);
    }
    m.set(f.check, (m.get(f.check) ?? 0) + 1);
  }
  return out;
}

/**
 * Plans and proves the fixes of a scan's findings: edits texts and objects in memory, rescans,
 * rolls back what the rescan disproves, and returns the changed files, the applied patches and
 * what is left to fix by hand. Writes nothing.
 *
 * @example
 * const outcome = planFixes({ findings: report.findings, readText, objectOf, rescan, remediationOf });
 * for (const f of outcome.files) writeFileSync(f.file, f.after);
 */
export function planFixes(input: FixInput): FixOutcome {
  const notFixed: NotFixed[] = [];
  const refuse = (t: Target, reason: string): void => {
    for (const finding of t.findings) notFixed.push({ finding, reason, remediation: input.remediationOf(finding.check) });
  };
  // Group the selected findings by object.
  const targets = new Map<string, Target>();
  for (const f of input.findings) {
    if (!selectedForFix(f, input.selection)) continue;
    const file = sourceFileOf(f);
    const key = objectKey(f.resource, file);
    let t = targets.get(key);
    if (!t) {
      t = { key, resource: f.resource, file, findings: [], followUps: [] };
      targets.set(key, t);
    }
    t.findings.push(f);
  }
  // Find each object and rebase its operations on it.
  const texts = new Map<string, string | undefined>();
  const sites = new Map<string, ObjectSite[]>();
  const textOf = (file: string): string | undefined => {
    if (!texts.has(file)) texts.set(file, input.readText(file));
    return texts.get(file);
  };
  const active = new Set<string>();
  for (const t of targets.values()) {
    const text = t.file !== undefined ? textOf(t.file) : undefined;
    let object: JsonObject | undefined;
    if (text !== undefined && t.file !== undefined) {
      let list = sites.get(t.file);
      if (!list) {
        list = objectSites(text);
        sites.set(t.file, list);
      }
      t.site = siteOf(list, t.resource, () => t.findings.find((f) => f.location)?.location?.line);
      if (!t.site) {
        refuse(t, `the object was not found in ${t.file} (a document the editor cannot parse?)`);
        continue;
      }
      object = t.site.object;
    } else object = input.objectOf(t.findings[0] as Finding);
    if (!object) {
      refuse(t, 'the object is not available to patch');
      continue;
    }
    t.object = object;
    try {
      t.ops = rebaseOperations(
        object,
        t.findings.flatMap((f) => f.fix ?? []),
      );
    } catch (err) {
      refuse(t, `the fix operations do not apply: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    active.add(t.key);
  }

  // Findings the fixes reveal (an un-privileged container that keeps NET_RAW) are found on each
  // object alone first, and their fixes taken up, so that the full rescan rarely needs a second round.
  if (input.checkObject) {
    const unsafeOnly = input.selection?.unsafe ? { unsafe: true } : {};
    for (const t of targets.values()) {
      if (!active.has(t.key) || !t.object || !t.ops) continue;
      const keyOf = (f: Finding): string => `${f.check} ${f.pointer}`;
      const had = new Set(
        input
          .checkObject(t.object)
          .filter((f) => f.status === 'fail')
          .map(keyOf),
      );
      for (let round = 0; round < MAX_FOLLOW_UP_ROUNDS; round++) {
        let patched: JsonObject;
        try {
          patched = applyFixes(t.object, t.ops);
        } catch {
          break;
        }
        const seen = new Set([...t.findings, ...t.followUps].map(keyOf));
        const revealed = input.checkObject(patched).filter((f) => !had.has(keyOf(f)) && !seen.has(keyOf(f)) && selectedForFix(f, unsafeOnly));
        if (revealed.length === 0) break;
        try {
          t.ops = rebaseOperations(t.object, [...t.ops, ...revealed.flatMap((f) => f.fix ?? [])]);
        } catch {
          break;
        }
        t.followUps.push(...revealed);
      }
    }
  }

  const before = countByCheck(input.findings);
  let after: readonly Finding[] = [];
  let built: FixedSources = { texts: new Map(), objects: new Map() };
  const memo: EditMemo = new Map();
  // Each round drops the objects the rescan disproved; a round without one ends it.
  for (let round = 0; round <= targets.size + MAX_FOLLOW_UP_ROUNDS; round++) {
    built = build(
      [...targets.values()].filter((t) => active.has(t.key)),
      textOf,
      (t, reason) => {
        active.delete(t.key);
        refuse(t, reason);
      },
      memo,
    );
    if (active.size === 0) break;
    after = input.rescan(built);
    const counts = countByCheck(after);
    const disproved: Target[] = [];
    let retry = false;
    for (const key of active) {
      const t = targets.get(key) as Target;
      const was = before.get(key) ?? new Map<string, number>();
      const now = counts.get(key) ?? new Map<string, number>();
      const fixedPerCheck = new Map<string, number>();
      for (const f of t.findings) fixedPerCheck.set(f.check, (fixedPerCheck.get(f.check) ?? 0) + 1);
      const problems: string[] = [];
      const worse = new Set<string>();
      for (const [check, n] of fixedPerCheck) {
        const left = now.get(check) ?? 0;
        if (left > (was.get(check) ?? 0) - n) {
          problems.push(`${check} still fails after the fix`);
          worse.add(check);
        }
      }
      for (const [check, n] of now)
        if (!fixedPerCheck.has(check) && n > (was.get(check) ?? 0)) {
          problems.push(`the fix makes ${check} fail`);
          worse.add(check);
        }
      if (problems.length === 0) continue;
      // Findings the fixes revealed: when the run would fix them too, take their fixes and retry.
      const seen = new Set([...t.findings, ...t.followUps].map((f) => `${f.check} ${f.pointer}`));
      const revealed =
        round < MAX_FOLLOW_UP_ROUNDS
          ? after.filter(
              (f) =>
                worse.has(f.check) &&
                objectKey(f.resource, sourceFileOf(f)) === key &&
                !seen.has(`${f.check} ${f.pointer}`) &&
                // Whatever their severity: without them the fixes the run selected would make the object worse.
                selectedForFix(f, { ...(input.selection?.unsafe ? { unsafe: true } : {}) }),
            )
          : [];
      if (revealed.length > 0 && t.object) {
        try {
          t.ops = rebaseOperations(t.object, [...(t.ops ?? []), ...revealed.flatMap((f) => f.fix ?? [])]);
          t.followUps.push(...revealed);
          retry = true;
          continue;
        } catch {
          // The revealed fixes do not apply: the object is rolled back below.
        }
      }
      disproved.push(t);
      active.delete(key);
      refuse(t, `rolled back: ${problems.join('; ')}`);
    }
    // Rolling an object back does not call for another rescan: the objects left were proven with
    // those edits in place, and the fields fixes write are not what cross-object checks read.
    if (!retry) {
      if (disproved.length > 0)
        built = build(
          [...targets.values()].filter((t) => active.has(t.key)),
          textOf,
          (t, reason) => {
            active.delete(t.key);
            refuse(t, reason);
          },
          memo,
        );
      break;
    }
  }
  if (active.size === 0) {
    built = { texts: new Map(), objects: new Map() };
    after = input.findings;
  }
  const files: FileChange[] = [];
  for (const [file, text] of built.texts) {
    const original = textOf(file) as string;
    if (text !== original) files.push({ file, before: original, after: text });
  }
  const objects: ObjectFix[] = [...targets.values()]
    .filter((t) => active.has(t.key))
    .map((t) => ({ resource: t.resource, file: t.file, inPlace: t.site !== undefined, patch: t.ops ?? [], findings: t.findings }));
  return { files, objects, notFixed, after };
}

/** Applies the operations of the active targets: edits the texts of files, patches the other objects. */
/**
 * One object's edit of one document, by the document's text and the operations: rounds after
 * the first re-apply the same edits to the documents they did not change, which then cost nothing.
 */
type EditMemo = Map<string, { readonly text: string } | { readonly error: string }>;

function build(
  active: readonly Target[],
  textOf: (file: string) => string | undefined,
  fail: (t: Target, reason: string) => void,
  memo: EditMemo,
): FixedSources {
  const texts = new Map<string, string>();
  const objects = new Map<string, JsonObject>();
  const byFile = new Map<string, Target[]>();
  for (const t of active) {
    if (t.site && t.file !== undefined) {
      const list = byFile.get(t.file);
      if (list) list.push(t);
      else byFile.set(t.file, [t]);
    } else if (t.object && t.ops) {
      try {
        objects.set(t.key, applyFixes(t.object, t.ops));
      } catch (err) {
        fail(t, `the fix operations do not apply: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  for (const [file, list] of byFile) {
    let text = textOf(file) as string;
    const chunks = splitDocuments(text);
    // Later documents first: an edit does not move the documents before it.
    const byChunk = new Map<number, Target[]>();
    for (const t of list) {
      const c = (t.site as ObjectSite).chunk;
      const l = byChunk.get(c);
      if (l) l.push(t);
      else byChunk.set(c, [t]);
    }
    for (const c of [...byChunk.keys()].sort((a, b) => b - a)) {
      const chunk = chunks[c];
      if (!chunk) continue;
      let doc = text.slice(chunk.start, chunk.end);
      const targets = byChunk.get(c) as Target[];
      const style = targets.length > 1 ? detectStyle(doc) : undefined;
      for (const t of targets) {
        const key = `${doc}\u0000${JSON.stringify((t.site as ObjectSite).path)}\u0000${JSON.stringify(t.ops ?? [])}`;
        let result = memo.get(key);
        if (!result) {
          try {
            result = { text: editDocument(doc, (t.site as ObjectSite).path, t.ops ?? [], style) };
          } catch (err) {
            result = { error: err instanceof EditError ? `the edit cannot be written safely: ${err.message}` : `the edit failed: ${String(err)}` };
          }
          memo.set(key, result);
        }
        if ('text' in result) doc = result.text;
        else fail(t, result.error);
      }
      text = text.slice(0, chunk.start) + doc + text.slice(chunk.end);
    }
    texts.set(file, text);
  }
  return { texts, objects };
}
