/**
 * The dashboard's static files (built into dist/dashboard/ by `npm run build`), served at `/`
 * with their content types and a Content-Security-Policy of `default-src 'self'`: the
 * dashboard loads nothing from elsewhere. Paths are decoded once and must stay inside the
 * folder (no `..`, no NUL, no symlink out of it); anything else is a 404.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { send } from './http.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The CSP of every dashboard answer. */
export const DASHBOARD_CSP = "default-src 'self'";

/** The line `/` answers when the dashboard is not built. */
export const NOT_BUILT = 'The dashboard is not built: run npm run build (the API is under /api/v1).\n';

/**
 * Serves a GET of the dashboard; true when answered (a file or a 404), false when `path` is
 * not the dashboard's (the caller goes on).
 *
 * @example
 * if (await serveStatic(req, res, '/work/dist/dashboard', url.pathname)) return;
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string | undefined, path: string): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const headers = { 'Content-Security-Policy': DASHBOARD_CSP };
  let rootReal: string | undefined;
  try {
    rootReal = root === undefined ? undefined : await realpath(root);
  } catch {
    rootReal = undefined;
  }
  if (rootReal === undefined) {
    if (path === '/' || path === '/index.html') {
      send(res, 404, NOT_BUILT, 'text/plain; charset=utf-8', headers);
      return true;
    }
    return false;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(path === '/' ? '/index.html' : path);
  } catch {
    send(res, 400, 'bad path\n', 'text/plain; charset=utf-8', headers);
    return true;
  }
  const segments = rel.split(/[\\/]/).filter((s) => s !== '');
  if (rel.includes('\0') || segments.some((s) => s === '..' || s === '.')) {
    send(res, 404, 'not found\n', 'text/plain; charset=utf-8', headers);
    return true;
  }
  const file = join(rootReal, ...segments);
  try {
    const real = await realpath(file);
    if (!real.startsWith(rootReal + sep)) throw new Error('outside');
    if (!(await stat(real)).isFile()) throw new Error('not a file');
    const body = await readFile(real);
    const type = TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
    send(res, 200, req.method === 'HEAD' ? new Uint8Array(0) : body, type, {
      ...headers,
      'Cache-Control': real.endsWith('.html') ? 'no-cache' : 'public, max-age=3600',
      ...(req.method === 'HEAD' ? { 'Content-Length': String(body.byteLength) } : {}),
    });
  } catch {
    send(res, 404, 'not found\n', 'text/plain; charset=utf-8', headers);
  }
  return true;
}
