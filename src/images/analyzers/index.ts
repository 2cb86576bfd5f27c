/**
 * The analyser registry: which files of a layer are kept (claimed) and what each yields.
 * Everything else is drained without being held in memory.
 */
import { APK_DB_PATHS, parseApkInstalled } from './apk.js';
import { isElf, parseExecutable } from './binaries.js';
import { isDpkgDb, parseDpkgStatus } from './dpkg.js';
import { isJavaArchive, parseJavaArchive } from './java.js';
import { isGemspec, isNpmPackageJson, isPythonMetadata, parseGemspec, parseNpmPackageJson, parsePythonMetadata } from './languages.js';
import { OS_RELEASE_PATHS, parseOsRelease } from './os-release.js';
import { parseRpmSqlite, RPMDB_PATHS } from './rpm.js';
import type { FileAnalysis } from './types.js';

/**
 * Bumped whenever an analyser's output changes: it is part of the layer cache key, so cached
 * results of an older analyser are never reused.
 */
export const ANALYZER_VERSION = 1;

/** How a claimed file is read: metadata text, a binary database or archive, or an executable (kept only if ELF). */
export type Claim = 'text' | 'binary' | 'executable';

/** Text metadata files larger than this are skipped (a dpkg status of 5,000 packages is ~10 MB). */
export const MAX_TEXT_BYTES = 64 << 20;

/**
 * Whether an analyser wants a regular file, from its path and mode.
 *
 * @example
 * claimFile('var/lib/dpkg/status', 0o644); // 'text'
 * claimFile('usr/bin/app', 0o755); // 'executable'
 */
export function claimFile(path: string, mode: number): Claim | undefined {
  if (isDpkgDb(path) || (APK_DB_PATHS as readonly string[]).includes(path) || (OS_RELEASE_PATHS as readonly string[]).includes(path)) return 'text';
  if (isNpmPackageJson(path) || isPythonMetadata(path) || isGemspec(path)) return 'text';
  if ((RPMDB_PATHS as readonly string[]).includes(path) || isJavaArchive(path)) return 'binary';
  if ((mode & 0o111) !== 0) return 'executable';
  return undefined;
}

/** True when the first bytes of an executable make it worth keeping (ELF). */
export function keepExecutable(head: Uint8Array): boolean {
  return isElf(head);
}

/**
 * Runs the analyser for a claimed file. Analysers never throw for bad content: a file they
 * cannot read yields nothing.
 *
 * @example
 * analyzeFile('etc/os-release', Buffer.from('ID=alpine\nVERSION_ID=3.19.1\n')).os?.id; // 'alpine'
 */
export function analyzeFile(path: string, data: Buffer): FileAnalysis {
  if ((OS_RELEASE_PATHS as readonly string[]).includes(path)) {
    const os = parseOsRelease(data.toString('utf8'));
    return os ? { os } : {};
  }
  if (isDpkgDb(path)) return { packages: parseDpkgStatus(data.toString('utf8'), path) };
  if ((APK_DB_PATHS as readonly string[]).includes(path)) return { packages: parseApkInstalled(data.toString('utf8'), path) };
  if (isNpmPackageJson(path)) return { packages: parseNpmPackageJson(data.toString('utf8'), path) };
  if (isPythonMetadata(path)) return { packages: parsePythonMetadata(data.toString('utf8'), path) };
  if (isGemspec(path)) return { packages: parseGemspec(data.toString('utf8'), path) };
  if ((RPMDB_PATHS as readonly string[]).includes(path)) {
    try {
      return { packages: parseRpmSqlite(data, path) };
    } catch {
      return {};
    }
  }
  if (isJavaArchive(path)) return { packages: parseJavaArchive(data, path) };
  return { packages: parseExecutable(data, path) };
}
