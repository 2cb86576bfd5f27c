/**
 * Helm charts and Kustomize directories: recognised while walking paths, rendered with the
 * user's own `helm` / `kubectl kustomize` when they are on PATH. Their sources are never
 * parsed as manifests: a chart's templates are not YAML until rendered, and a kustomization's
 * patches are fragments whose findings would be noise.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, delimiter, join, resolve } from 'node:path';

/** What renders a directory. */
export type RenderKind = 'helm' | 'kustomize';

/** A directory that must be rendered before it can be scanned. */
export interface RenderTarget {
  readonly kind: RenderKind;
  /** The directory as the user named it (or as the walk reached it). */
  readonly dir: string;
}

/** Options of {@link renderTarget}. */
export interface RenderOptions {
  /** `--values FILE` passed to `helm template`, in order. */
  readonly helmValues?: readonly string[];
  /** `--set KEY=VALUE` passed to `helm template`, in order. */
  readonly helmSet?: readonly string[];
  /** Largest rendered output accepted, in bytes (as `--max-file-size` for files). */
  readonly maxBytes: number;
  /** PATH to search for `helm`, `kubectl` and `kustomize` (default: the process's). */
  readonly path?: string;
}

/** Rendered manifests, or why there are none. */
export type RenderResult =
  | { readonly ok: true; readonly text: string; readonly label: string }
  | { readonly ok: false; readonly code: 'not-rendered' | 'render-failed' | 'file-too-large'; readonly message: string };

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Every file name that makes a directory one to render ({@link renderKindOf}). */
export const RENDER_MARKER_FILES: readonly string[] = ['Chart.yaml', ...KUSTOMIZATION_FILES];

/**
 * Says whether a directory is a Helm chart (`Chart.yaml`) or a Kustomize directory
 * (`kustomization.yaml`, `kustomization.yml`, `Kustomization`).
 *
 * @example
 * renderKindOf('charts/web'); // 'helm'
 */
export function renderKindOf(dir: string): RenderKind | undefined {
  if (existsSync(join(dir, 'Chart.yaml'))) return 'helm';
  if (KUSTOMIZATION_FILES.some((f) => existsSync(join(dir, f)))) return 'kustomize';
  return undefined;
}

/** The render kind of an explicitly named file that marks its directory (`chart/Chart.yaml`). */
export function renderKindOfMarker(file: string): RenderKind | undefined {
  const name = basename(file);
  if (name === 'Chart.yaml') return 'helm';
  if (KUSTOMIZATION_FILES.includes(name)) return 'kustomize';
  return undefined;
}

/**
 * Finds an executable on PATH, as a shell would, without running a shell.
 *
 * @example
 * findExecutable('helm'); // '/usr/local/bin/helm' or undefined
 */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not there or not executable: keep looking.
      }
    }
  }
  return undefined;
}

/** Helm release names are DNS labels; the chart's directory name usually is one already. */
function releaseName(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 53);
  return name === '' ? 'release' : name;
}

/** The command lines that render a target, in order of preference. */
function commandsFor(target: RenderTarget, options: RenderOptions): { readonly tool: string; readonly args: string[] }[] {
  if (target.kind === 'helm') {
    return [
      {
        tool: 'helm',
        args: [
          'template',
          releaseName(target.dir),
          target.dir,
          ...(options.helmValues ?? []).flatMap((v) => ['--values', v]),
          ...(options.helmSet ?? []).flatMap((s) => ['--set', s]),
        ],
      },
    ];
  }
  return [
    { tool: 'kubectl', args: ['kustomize', target.dir] },
    { tool: 'kustomize', args: ['build', target.dir] },
  ];
}

/** How to render by hand and pipe the result in, for messages. */
export function pipeHint(target: RenderTarget): string {
  return target.kind === 'helm'
    ? `helm template ${releaseName(target.dir)} ${target.dir} | palisade scan -`
    : `kubectl kustomize ${target.dir} | palisade scan -`;
}

function firstLine(text: string): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * Renders a chart or kustomization with the tool on PATH (spawned with an argument array,
 * never through a shell). Without the tool, says how to render it by hand.
 *
 * @example
 * const r = await renderTarget({ kind: 'helm', dir: 'charts/web' }, { maxBytes: 20 * 1024 * 1024 });
 * if (r.ok) addManifestText(inventory, r.text, r.label, diagnostics, stats);
 */
export async function renderTarget(target: RenderTarget, options: RenderOptions): Promise<RenderResult> {
  const what = target.kind === 'helm' ? 'Helm chart' : 'Kustomize directory';
  const commands = commandsFor(target, options);
  for (const { tool, args } of commands) {
    const exe = findExecutable(tool, options.path);
    if (!exe) continue;
    // Findings point here: the rendered stream has no file of its own.
    const label = `<${tool} ${args[0]} ${target.dir}>`;
    const result = await new Promise<RenderResult>((done) => {
      execFile(exe, args, { maxBuffer: options.maxBytes, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
        if (!err) {
          done({ ok: true, text: stdout, label });
          return;
        }
        const e = err as NodeJS.ErrnoException & { code?: string | number };
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          done({
            ok: false,
            code: 'file-too-large',
            message: `${target.dir}: skipped, the output of ${tool} is over the ${options.maxBytes}-byte limit (--max-file-size)`,
          });
          return;
        }
        const why = firstLine(stderr) || (typeof e.code === 'number' ? `exit code ${e.code}` : (e.code ?? e.message));
        done({ ok: false, code: 'render-failed', message: `${target.dir}: ${what} not scanned: ${tool} ${args[0]} failed: ${why}` });
      });
    });
    return result;
  }
  const tools = commands.map((c) => c.tool).join(' or ');
  return {
    ok: false,
    code: 'not-rendered',
    message: `${target.dir}: ${what} not scanned: ${tools} is not on PATH; render it and pipe the output in: ${pipeHint(target)}`,
  };
}
