/**
 * TEST UTILITY: runs the built CLI (`dist/cli/main.js`, after `npm run build`) as its own
 * process, asynchronously (the fake API server is another process; the test waits on both).
 */
import { execFile } from 'node:child_process';
import { CLI } from './cli.js';

/** What one CLI run gave. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `palisade ARGS` from `dist/` with no colours and no ambient kubeconfig.
 *
 * @example
 * const r = await runBuiltCli(['scan', '--kubeconfig', kc], dir);
 */
export function runBuiltCli(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', KUBECONFIG: '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
