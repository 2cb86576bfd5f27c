/**
 * The dashboard in a real browser: Playwright (playwright-core) drives Debian's Chromium
 * against the built `palisade serve`, started by the test as its own process on loopback with
 * a SQLite store. An agent token pushes two scans of the demo manifests through
 * `POST /api/v1/ingest`, as `palisade agent` does: the second without the debug pod, so its
 * findings resolve and the trend has two points that differ.
 *
 * A second suite runs `palisade serve --cluster` watching the project's test API server (its
 * own process) that serves the demo: the dashboard shows the watched cluster's findings, and
 * deleting the debug pod in the API server resolves them live (watch, incremental scan).
 *
 * Screenshots of every view go to test-results/dashboard/ (git-ignored); the test prints the
 * folder. Skipped, with the reason, when Chromium is not installed (`apt-get install chromium`).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from '../src/core/types.js';
import type { Page as ApiPage, ScanRecord, StoredFinding } from '../src/store/types.js';
import './support/cli.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { writeKubeconfig } from './support/kubeconfig.js';
import { createToken, type Served, scanOf, startServe } from './support/serve.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CHROMIUM = process.env.PALISADE_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-results', 'dashboard');
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

const skip = existsSync(CHROMIUM)
  ? existsSync(join(ROOT, 'dist', 'dashboard', 'index.html'))
    ? false
    : 'dist/dashboard is not built (npm run build)'
  : `Chromium is not installed at ${CHROMIUM}: apt-get install chromium (or set PALISADE_CHROMIUM)`;

/**
 * Every visible piece of text on the page, with its WCAG contrast ratio against the first
 * opaque background behind it (run in the page; AA asks 4.5:1 for body text, 3:1 for large).
 */
const CONTRAST = `(() => {
  const rgb = (c) => { const m = c.match(/[\\d.]+/g) || []; return m.map(Number); };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length >= 3 && (c.length < 4 || c[3] === 1)) return c; } return [255, 255, 255]; };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || el.closest('svg, [aria-hidden=true]') || !el.getClientRects().length) continue;
    const st = getComputedStyle(el);
    if (st.visibility !== 'visible' || Number(st.opacity) < 1) continue;
    const a = lum(rgb(st.color)); const b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(st.fontSize); const bold = Number(st.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) out.push(n.textContent.trim().slice(0, 40) + ' (' + ratio.toFixed(2) + ':1, ' + st.color + ')');
  }
  return out;
})()`;

/** Saves a screenshot of the view, after checking its text contrast and that 1366 px wide is enough. */
async function shot(page: Page, name: string): Promise<void> {
  assert.deepEqual(await page.evaluate(CONTRAST), [], `${name}: text below AA contrast`);
  assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 1366, `${name} scrolls sideways at 1366 px`);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}

/** Polls `ok` until it holds; bounded, so a broken server fails with `what` instead of hanging. */
async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`gave up waiting: ${what}`);
}

/** The demo manifests as API objects (what the test API server serves). */
function demoObjects(): JsonObject[] {
  const out: JsonObject[] = [];
  const dir = join(ROOT, 'demo');
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    const docs = name.endsWith('.json')
      ? [JSON.parse(text) as JsonObject]
      : name.endsWith('.yaml')
        ? parseAllDocuments(text).map((d) => d.toJS() as JsonObject)
        : [];
    for (const d of docs) {
      const items = d?.kind === 'List' && Array.isArray(d.items) ? (d.items as JsonObject[]) : [d];
      for (const o of items) if (o && typeof o.kind === 'string' && typeof o.apiVersion === 'string') out.push(o);
    }
  }
  return out;
}

async function api<T>(base: string, token: string, path: string, init: RequestInit = {}): Promise<T> {
  const r = await fetch(`${base}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  const text = await r.text();
  assert.equal(r.status, 200, `${path}: ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

describe('the dashboard in Chromium against palisade serve', { skip }, () => {
  let dir: string;
  let serve: Served | undefined;
  let browser: Browser;
  let adminToken: string;
  let viewerToken: string;
  let scans: ScanRecord[];
  const problems: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-dashboard-'));
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    const store = `sqlite:${join(dir, 'palisade.db')}`;
    adminToken = await createToken(store, 'test-admin', 'admin');
    viewerToken = await createToken(store, 'test-viewer', 'viewer');
    const agentToken = await createToken(store, 'test-agent', 'agent');
    serve = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', store], { ...process.env, XDG_DATA_HOME: join(dir, 'data') });

    // Scan 1: the demo manifests as they are. Scan 2: without the debug pod.
    const trimmed = join(dir, 'demo-2');
    cpSync(join(ROOT, 'demo'), trimmed, { recursive: true });
    const extras = JSON.parse(readFileSync(join(trimmed, 'extras.json'), 'utf8')) as { items: { kind: string; metadata: { name: string } }[] };
    const kept = extras.items.filter((o) => !(o.kind === 'Pod' && o.metadata.name === 'debug-shell'));
    assert.equal(kept.length, extras.items.length - 1, 'demo/extras.json holds the debug pod');
    writeFileSync(join(trimmed, 'extras.json'), JSON.stringify({ ...extras, items: kept }));
    for (const [i, paths] of [[join(ROOT, 'demo')], [trimmed]].entries()) {
      const { scan, snapshot, findings } = await scanOf(paths, 'demo', dir);
      // With the engine's (redacted) evidence, as the agent sends it: the finding page shows it.
      const withEvidence = { ...scan, findings: scan.findings.map((f, k) => ({ ...f, evidence: findings[k]?.evidence ?? null })) };
      const body = JSON.stringify({ cluster: 'demo', agentId: 'dashboard-test', scanId: `scan-${i}`, sequence: 0, scan: withEvidence, snapshot });
      await api<ScanRecord>(serve.url, agentToken, '/ingest', { method: 'POST', body });
    }
    scans = (await api<ApiPage<ScanRecord>>(serve.url, adminToken, '/scans?cluster=demo')).items.slice().reverse();
    assert.equal(scans.length, 2);

    browser = await launch();
    console.log(`dashboard screenshots: ${SHOTS}`);
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh browser context (its own sessionStorage) at 1366x768 that records problems. */
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const origin = new URL(serve?.url ?? 'http://127.0.0.1').origin;
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // The 401, 403 and 404 the test provokes are logged by Chromium as failed resources;
      // failures of the dashboard's own files are caught by the response check below.
      if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/')) problems.push(`${r.status()} for ${r.url()}`);
    });
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== origin) problems.push(`request outside the server: ${r.url()}`);
    });
    return { context, page };
  }

  async function login(page: Page, token: string, hash = '#/overview'): Promise<void> {
    await page.goto(`${serve?.url}/${hash}`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('header.top').waitFor();
  }

  it('logs in with a token, refuses a wrong one, and returns to the login on 401', async () => {
    const { context, page } = await newPage();
    await page.goto(`${serve?.url}/#/scans`);
    await shot(page, '01-login');
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'does not know this token' }).waitFor();
    await page.getByLabel('API token').fill(viewerToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the user wanted to go.
    await page.getByRole('heading', { level: 1, name: 'Scans' }).waitFor();
    assert.equal(await page.evaluate("sessionStorage.getItem('palisade.token') !== null && localStorage.length === 0"), true);
    // The server forgets the token (here: the stored one is replaced): the next call is a 401.
    await page.evaluate("sessionStorage.setItem('palisade.token', 'revoked')");
    await page.goto(`${serve?.url}/#/findings`);
    await page.getByText('Your session ended').waitFor();
    assert.match(page.url(), /#\/login\?next=/);
    await context.close();
  });

  it('shows the trend over the two scans with the stored counts as its data points', async () => {
    const { context, page } = await newPage();
    await login(page, viewerToken, '#/overview?cluster=demo');
    await page.locator('[data-chart=trend] .point').first().waitFor();
    const points = await page
      .locator('[data-chart=trend] .point')
      .evaluateAll((els) =>
        els.map((e) => ({ key: e.getAttribute('data-key'), count: Number(e.getAttribute('data-count')), scan: e.getAttribute('data-scan') })),
      );
    const last2 = scans.slice(-2);
    for (const s of last2) {
      for (const sev of SEVERITIES) {
        const p = points.find((x) => x.scan === s.id && x.key === sev);
        if (s.counts.open[sev] === 0 && !p) continue;
        assert.equal(p?.count, s.counts.open[sev], `trend point ${sev} after scan ${s.id}`);
      }
    }
    const [a, b] = last2;
    assert.ok(a && b && SEVERITIES.some((k) => a.counts.open[k] !== b.counts.open[k]), 'the second scan changed the counts (the debug pod was removed)');
    // The numbers are on the page too, for people who do not read charts.
    await page.getByText('Show the data as a table').click();
    await shot(page, '02-overview');
    await context.close();
  });

  it('filters findings, keeps the filters in the URL, and opens a finding with its evidence and history', async () => {
    const { context, page } = await newPage();
    await login(page, viewerToken, '#/findings');
    await page.locator('table.findings').waitFor();
    await page.getByLabel('critical').check();
    await page.getByLabel('Cluster').selectOption('demo');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/severity=critical/);
    assert.match(page.url(), /cluster=demo/);
    const expected = await api<ApiPage<StoredFinding>>(serve?.url ?? '', viewerToken, '/findings?cluster=demo&severity=critical&limit=500');
    await page
      .locator('#findings-count')
      .filter({ hasText: `${expected.total} finding` })
      .waitFor();
    const badges = await page.locator('table.findings tbody .sev').allTextContents();
    assert.ok(badges.length > 0 && badges.every((b) => b === 'critical'), `severities shown: ${badges.join(',')}`);

    // The search box, on resolved findings too: the removed debug pod.
    await page.getByLabel('Search').fill('debug-shell');
    await page.getByLabel('Status').selectOption('all');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/q=debug-shell/);
    await page.locator('table.findings tbody tr').first().waitFor();
    const rows = await page.locator('table.findings tbody tr').allTextContents();
    assert.ok(rows.every((r) => r.includes('debug-shell')));
    assert.ok(
      rows.some((r) => r.includes('resolved')),
      'the removed pod has resolved findings',
    );
    await shot(page, '03-findings');

    // Reloading the URL gives the same filters (deep link).
    await page.reload();
    assert.equal(await page.getByLabel('Search').inputValue(), 'debug-shell');

    const first = page.locator('table.findings tbody tr a').first();
    const title = await first.textContent();
    await first.click();
    await page.getByRole('heading', { level: 1, name: title ?? '' }).waitFor();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await page.locator('ol.timeline li[data-event=opened]').waitFor();
    await page.locator('ol.timeline li[data-event=resolved]').waitFor();
    await page.getByRole('heading', { name: 'About the check' }).waitFor();
    await page.locator('pre.code').first().waitFor();

    // A finding with a fix shows it as a diff (deep link straight to it).
    const fixable = (await api<ApiPage<StoredFinding>>(serve?.url ?? '', viewerToken, '/findings?cluster=demo&check=PAL-0018&limit=1')).items[0];
    assert.ok(fixable?.fix, 'the demo has a fixable PAL-0018 finding');
    await page.goto(`${serve?.url}/#/findings/demo/${fixable.id}`);
    await page.locator('pre.diff .add').first().waitFor();
    assert.ok((await page.locator('pre.diff .del').count()) + (await page.locator('pre.diff .add').count()) > 0);
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await shot(page, '04-finding');

    // Cursor paging over every open finding of the cluster, 50 a page.
    await page.goto(`${serve?.url}/#/findings?cluster=demo`);
    const ids = async () => page.locator('table.findings tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-finding')));
    await page.locator('table.findings tbody tr').first().waitFor();
    const first50 = await ids();
    assert.equal(first50.length, 50);
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/cursor=/);
    await page.getByRole('link', { name: 'First page' }).waitFor();
    const next = await ids();
    assert.ok(next.length > 0 && next.every((id) => !first50.includes(id)), 'the second page holds other findings');
    await page.goBack();
    await page.waitForURL((u) => !u.hash.includes('cursor='));
    await context.close();
  });

  it('lets an admin create an exception, and shows a viewer the form disabled and the server refusing', async () => {
    const admin = await newPage();
    await login(admin.page, adminToken, '#/exceptions');
    await admin.page.getByText('No exception is active').waitFor();
    await admin.page.getByLabel('Check').fill('PAL-0002');
    await admin.page.getByLabel('Namespace').fill('acme-shop');
    await admin.page.getByLabel('Reason').fill('the node agent needs the host network (ticket OPS-12)');
    await admin.page.getByRole('button', { name: 'Create exception' }).click();
    await admin.page.getByRole('status').filter({ hasText: 'created' }).waitFor();
    await admin.page.locator('table.exceptions tbody tr', { hasText: 'OPS-12' }).waitFor();
    await shot(admin.page, '05-exceptions-admin');
    await admin.context.close();

    const viewer = await newPage();
    await login(viewer.page, viewerToken, '#/exceptions');
    await viewer.page.locator('table.exceptions tbody tr', { hasText: 'OPS-12' }).waitFor();
    assert.equal(await viewer.page.getByLabel('Reason').isDisabled(), true);
    assert.equal(
      await viewer.page
        .getByRole('button', { name: /Revoke/ })
        .first()
        .isDisabled(),
      true,
    );
    await viewer.page.getByText('only admins create and revoke exceptions').waitFor();
    await shot(viewer.page, '06-exceptions-viewer');
    // The server, not the page, decides: with the form enabled by a stale role (as after a
    // token's role changed), the request is refused and the page shows the server's message.
    await viewer.page.evaluate("sessionStorage.setItem('palisade.role', 'admin')");
    await viewer.page.reload();
    await viewer.page.getByLabel('Check').fill('*');
    await viewer.page.getByLabel('Reason').fill('a viewer tries');
    await viewer.page.getByRole('button', { name: 'Create exception' }).click();
    const alert = viewer.page.getByRole('alert').filter({ hasText: 'refused' });
    await alert.waitFor();
    const r = await fetch(`${serve?.url}/api/v1/exceptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cluster: null, check: '*', namespace: null, kind: null, name: null, reason: 'x', expires: null }),
    });
    assert.equal(r.status, 403);
    const { error } = (await r.json()) as { error: { message: string } };
    assert.match((await alert.textContent()) ?? '', /\(403\)/);
    assert.ok(((await alert.textContent()) ?? '').includes(error.message), 'the page shows the server message');
    await shot(viewer.page, '07-exceptions-refused');
    // After the refusal the page has re-read the role: the form is disabled again.
    await viewer.page.reload();
    await viewer.page.getByText('only admins create and revoke exceptions').waitFor();
    assert.equal(await viewer.page.getByLabel('Reason').isDisabled(), true);
    await viewer.context.close();
  });

  it('renders every other view with data, and screenshots it', async () => {
    const { context, page } = await newPage();
    await login(page, viewerToken, '#/inventory/demo');
    const views: [string, string, string][] = [
      ['08-inventory', '#/inventory/demo', 'table.data caption >> text=Objects per kind'],
      ['09-compliance', '#/compliance/demo/cis-1.12?status=fail', 'tr[data-control][data-status=fail]'],
      ['10-rbac-who-can', '#/rbac/demo?verb=get&resource=secrets', 'text=ServiceAccount acme-shop/acme-api'],
      ['11-rbac-subject', '#/rbac/demo/subject/ServiceAccount/acme-shop/acme-api', 'figure.path'],
      ['12-network', '#/network/demo', 'svg.graph .node'],
      ['13-attack-paths', '#/paths/demo', 'figure.path svg.pathsvg'],
      ['14-scans', '#/scans', 'table.scans tbody tr'],
    ];
    for (const [name, hash, ready] of views) {
      await page.goto(`${serve?.url}/${hash}`);
      await page.locator(ready).first().waitFor();
      assert.equal(await page.locator('.error').count(), 0, `${hash} shows an error: ${await page.locator('.error').allTextContents()}`);
      await shot(page, name);
    }
    assert.equal(await page.locator('table.scans tbody tr').count(), scans.length);
    await page.goto(`${serve?.url}/#/compliance/demo/cis-1.12?status=fail`);
    await page.locator('tr[data-control]').first().waitFor();
    assert.equal(await page.locator('tr[data-control]:not([data-status=fail])').count(), 0, 'only failing controls');
    // A cluster the server does not know: the view says so with the server's message.
    await page.goto(`${serve?.url}/#/inventory/no-such-cluster`);
    await page.getByRole('alert').filter({ hasText: 'Could not load the inventory' }).waitFor();
    await context.close();
  });

  it('is usable with the keyboard: skip link first, then the views, with a visible focus', async () => {
    const { context, page } = await newPage();
    await login(page, viewerToken, '#/overview');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to the content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Overview');
    const outline = await page.evaluate("document.activeElement ? getComputedStyle(document.activeElement).outlineStyle : ''");
    assert.equal(outline, 'solid');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Findings' }).waitFor();
    assert.equal(await page.evaluate('document.activeElement?.id'), 'view-title');
    await context.close();
  });

  it('loaded nothing from elsewhere and logged no error', () => {
    assert.deepEqual(problems, []);
  });
});

describe('palisade serve --cluster: live findings in the dashboard', { skip }, () => {
  let dir: string;
  let cluster: FakeApiProcess | undefined;
  let serve: Served | undefined;
  let browser: Browser | undefined;
  let viewerToken: string;
  const debugPod = (): JsonObject => {
    const pod = demoObjects().find((o) => o.kind === 'Pod' && (o.metadata as JsonObject).name === 'debug-shell');
    assert.ok(pod, 'the demo has the debug pod');
    return pod;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-dashboard-live-'));
    const store = `sqlite:${join(dir, 'palisade.db')}`;
    viewerToken = await createToken(store, 'live-viewer', 'viewer');
    cluster = await startFakeApiProcess({ objects: demoObjects(), tokens: { 'live-token': 'palisade' } });
    const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), [{ name: 'demo-live', server: cluster.url, token: 'live-token' }]);
    serve = await startServe(['--cluster', '--kubeconfig', kubeconfig, '--listen', '127.0.0.1:0', '--store', store], {
      ...process.env,
      XDG_DATA_HOME: join(dir, 'data'),
    });
    const url = serve.url;
    await until('the first full scan (/readyz)', async () => (await fetch(`${url}/readyz`)).status === 200);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
    await cluster?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the findings of the watched cluster, and resolves them when the pod is deleted', async () => {
    const base = serve?.url ?? '';
    const context = await (browser as Browser).newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${base}/#/findings?cluster=demo-live&q=debug-shell`);
    await page.getByLabel('API token').fill(viewerToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('table.findings tbody tr').first().waitFor();
    assert.ok((await page.locator('table.findings .status-open').count()) > 0);
    await shot(page, 'live-1-findings');

    assert.equal(await cluster?.remove([debugPod()]), 1);
    // No reload: the page refreshes itself while the server watches and rescans.
    await page.getByText('No finding matches').waitFor({ timeout: 120_000 });
    assert.equal((await api<ApiPage<StoredFinding>>(base, viewerToken, '/findings?cluster=demo-live&q=debug-shell&status=open')).total, 0);
    await page.getByLabel('Status').selectOption('all');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('table.findings tbody tr').first().waitFor();
    assert.equal(await page.locator('table.findings .status-open').count(), 0);
    await page.locator('table.findings tbody tr a').first().click();
    await page.locator('ol.timeline li[data-event=resolved]').waitFor();
    await shot(page, 'live-2-finding-resolved');

    await page.goto(`${base}/#/overview?cluster=demo-live`);
    await page.locator('[data-chart=trend] .point').first().waitFor();
    const scans = new Set(await page.locator('[data-chart=trend] .point').evaluateAll((els) => els.map((e) => e.getAttribute('data-scan'))));
    assert.ok(scans.size >= 2, 'a full scan and the incremental one');
    await shot(page, 'live-3-overview');
    await context.close();
  });
});
