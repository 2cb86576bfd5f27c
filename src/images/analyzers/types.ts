/**
 * What a package analyser reports for one file, before the distribution is known: the image
 * assembler turns these into the `InstalledPackage` contract (ecosystem and package URL need the
 * distro from os-release, which may sit in another layer).
 */
import type { OsRelease } from '../../packages/packages.js';

/** Package URL types the analysers produce (https://github.com/package-url/purl-spec). */
export type PackageType = 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven' | 'gem' | 'cargo';

/** One package as found in one file. */
export interface FoundPackage {
  readonly type: PackageType;
  /** Name as the ecosystem writes it: `libcurl4`, `@scope/pkg`, `org.apache:commons-text` (Maven group:artifact). */
  readonly name: string;
  readonly version: string;
  readonly arch?: string;
  /** rpm epoch, when the header has one. */
  readonly epoch?: number;
  readonly source?: { readonly name: string; readonly version: string };
  readonly licenses?: readonly string[];
  /** Path of the file it was read from, inside the image (for nested jars: `a.jar!/lib/b.jar`). */
  readonly path: string;
}

/** What one analysed file yields. */
export interface FileAnalysis {
  readonly packages?: readonly FoundPackage[];
  readonly os?: OsRelease;
}

/** Splits RFC 822-style stanzas (dpkg status, PKG-INFO headers) into field maps; continuation lines are joined with `\n`. */
export function parseStanzas(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (cur.size > 0) out.push(cur);
      cur = new Map();
      last = undefined;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      cur.set(last, `${cur.get(last) ?? ''}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    cur.set(last, line.slice(colon + 1).trim());
  }
  if (cur.size > 0) out.push(cur);
  return out;
}
