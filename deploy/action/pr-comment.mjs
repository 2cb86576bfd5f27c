#!/usr/bin/env node
/**
 * Posts the Markdown report of `palisade scan` as a comment on the pull request, or updates the
 * comment it posted before (found by a hidden marker), so that a pull request carries one
 * Palisade comment however often it is pushed. Run by action.yml (repository root) with:
 *   GITHUB_API_URL, GITHUB_REPOSITORY  set by GitHub Actions
 *   GITHUB_TOKEN                       the token of the action's github-token input
 *   PR_NUMBER                          the pull request
 *   MARKDOWN_FILE                      the report (`palisade scan -o markdown=FILE`)
 * A refused comment (a fork's read-only token, say) is a warning, not a failure: the gate is
 * the scan's exit code, not the comment.
 */
import { readFileSync } from 'node:fs';

const MARKER = '<!-- palisade-scan-report -->';
// GitHub refuses comment bodies over 65,536 characters.
const MAX = 60_000;

function env(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`palisade action: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

const api = env('GITHUB_API_URL').replace(/\/$/, '');
const repo = env('GITHUB_REPOSITORY');
const token = env('GITHUB_TOKEN');
const pr = env('PR_NUMBER');
if (!/^\d+$/.test(pr)) {
  console.error(`palisade action: PR_NUMBER ${JSON.stringify(pr)} is not a pull request number`);
  process.exit(2);
}
let report = readFileSync(env('MARKDOWN_FILE'), 'utf8');
if (report.length > MAX) report = `${report.slice(0, MAX)}\n\n… (report truncated: the full report is in the job summary and the SARIF upload)\n`;
const body = `${MARKER}\n${report}`;

async function call(method, path, payload) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      ...(payload ? { 'content-type': 'application/json' } : {}),
    },
    ...(payload ? { body: JSON.stringify(payload) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}`);
  return res.json();
}

try {
  let existing;
  for (let page = 1; page <= 10 && !existing; page++) {
    const comments = await call('GET', `/repos/${repo}/issues/${pr}/comments?per_page=100&page=${page}`);
    existing = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(MARKER));
    if (comments.length < 100) break;
  }
  const done = existing
    ? await call('PATCH', `/repos/${repo}/issues/comments/${existing.id}`, { body })
    : await call('POST', `/repos/${repo}/issues/${pr}/comments`, { body });
  console.log(`palisade action: ${existing ? 'updated' : 'posted'} the report on pull request #${pr}${done.html_url ? ` (${done.html_url})` : ''}`);
} catch (e) {
  console.log(`::warning title=Palisade::could not comment on pull request #${pr}: ${e instanceof Error ? e.message : String(e)}`);
}
