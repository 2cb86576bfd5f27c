/**
 * One test suite, two backends: every test runs against SQLite (a temporary file) and against a
 * real PostgreSQL server started on loopback for this run (test/support/postgres.ts), each test
 * on a fresh database. PostgreSQL is skipped, with the reason, only when its binaries are absent.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { postgresMissing, startPostgres, type TestPostgres } from '../../test/support/postgres.js';
import { PalisadeError } from '../core/errors.js';
import { SEVERITIES, type Severity } from '../core/types.js';
import { openStore, SCHEMA_VERSION } from './index.js';
import type { FindingInput, ScanInput, Store, StoredFinding } from './types.js';

interface Backend {
  readonly name: 'sqlite' | 'postgres';
  readonly skip: string | undefined;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** A fresh, empty database. */
  url(): Promise<string>;
  /** Runs raw SQL against the database at `url` (to inspect or tamper with it). */
  raw(url: string, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

let tmp = '';
let pgServer: TestPostgres | undefined;

const sqliteBackend: Backend = {
  name: 'sqlite',
  skip: undefined,
  async setup() {
    tmp = mkdtempSync(join(tmpdir(), 'palisade-store-'));
  },
  async teardown() {
    rmSync(tmp, { recursive: true, force: true });
  },
  async url() {
    return `sqlite:${join(mkdtempSync(join(tmp, 'db-')), 'nested', 'palisade.db')}`;
  },
  async raw(url, sql, params = []) {
    const db = new Database(url.slice('sqlite:'.length));
    try {
      const s = db.prepare(sql);
      if (s.reader) return s.all(...params) as Record<string, unknown>[];
      s.run(...params);
      return [];
    } finally {
      db.close();
    }
  },
};

const postgresBackend: Backend = {
  name: 'postgres',
  skip: postgresMissing(),
  async setup() {
    pgServer = await startPostgres();
  },
  async teardown() {
    await pgServer?.stop();
  },
  async url() {
    return (pgServer as TestPostgres).createDatabase();
  },
  async raw(url, sql, params = []) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      let n = 0;
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    } finally {
      await client.end();
    }
  },
};

// ------------------------------------------------------------------------------ test data

function finding(fingerprint: string, over: Partial<FindingInput> = {}): FindingInput {
  return {
    fingerprint,
    check: 'PAL-0001',
    checkName: 'host-pid',
    title: 'Host PID namespace shared',
    severity: 'high',
    category: 'pod-security',
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'default',
    name: 'web',
    container: 'app',
    pointer: '/spec/template/spec/hostPID',
    message: `Deployment default/web shares the host PID namespace (${fingerprint})`,
    evidence: { hostPID: true },
    frameworks: ['cis-1.10:5.2.3'],
    fix: [{ op: 'replace', path: '/spec/template/spec/hostPID', value: false }],
    fixable: true,
    rank: 1,
    groupId: null,
    exceptionId: null,
    ...over,
  };
}

const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const at = (hours: number): string => new Date(T0 + hours * 3_600_000).toISOString();

function scan(hours: number, findings: readonly FindingInput[], over: Partial<ScanInput> = {}): ScanInput {
  return {
    cluster: 'prod',
    kind: 'full',
    startedAt: at(hours - 0.01),
    finishedAt: at(hours),
    findings,
    resources: 100,
    checksRun: 40,
    coverage: [],
    ...over,
  };
}

/** Collects every page of a findings query. */
async function allPages(store: Store, filter: Parameters<Store['listFindings']>[0]): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await store.listFindings({ ...filter, ...(cursor !== undefined ? { cursor } : {}) });
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

/** A varied set of findings over namespaces, checks, kinds and severities (seeded). */
function varied(n: number, seed = 1): FindingInput[] {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const out: FindingInput[] = [];
  for (let i = 0; i < n; i++) {
    const sev = SEVERITIES[Math.floor(rnd() * 5)] as Severity;
    const ns = rnd() < 0.1 ? null : `team-${Math.floor(rnd() * 6)}`;
    const kind = ns === null ? 'ClusterRole' : (['Deployment', 'StatefulSet', 'CronJob'][Math.floor(rnd() * 3)] as string);
    const check = `PAL-000${Math.floor(rnd() * 4) + 1}`;
    out.push(
      finding(`fp-${String(i).padStart(4, '0')}`, {
        severity: sev,
        namespace: ns,
        kind,
        apiVersion: ns === null ? 'rbac.authorization.k8s.io/v1' : 'apps/v1',
        check,
        checkName: `check-${check.slice(-1)}`,
        name: `obj-${Math.floor(rnd() * 30)}`,
        rank: rnd() < 0.3 ? null : Math.floor(rnd() * 50) + 1,
        message: i % 7 === 0 ? `Token MENTIONED in message ${i}` : `plain message ${i}`,
      }),
    );
  }
  return out;
}

// ----------------------------------------------------------------------------------- suite

for (const backend of [sqliteBackend, postgresBackend]) {
  describe(`store: ${backend.name}`, { skip: backend.skip }, () => {
    const open: Store[] = [];
    before(() => backend.setup());
    after(async () => {
      for (const s of open) await s.close().catch(() => undefined);
      await backend.teardown();
    });
    let clock = T0;
    const fresh = async (): Promise<{ store: Store; url: string }> => {
      const url = await backend.url();
      const store = await openStore(url, { now: () => clock });
      open.push(store);
      return { store, url };
    };

    it('migrates a new database to the current schema version, idempotently', async () => {
      const { store, url } = await fresh();
      assert.equal(store.kind, backend.name);
      assert.equal(await store.migrate(), SCHEMA_VERSION);
      assert.equal(await store.migrate(), SCHEMA_VERSION);
      const rows = await backend.raw(url, 'SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(
        rows.map((r) => Number(r.version)),
        Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
      );
    });

    it('refuses a database migrated by a newer palisade, in one line naming the store', async () => {
      const { store, url } = await fresh();
      await store.close();
      await backend.raw(url, 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [SCHEMA_VERSION + 1, 'from the future', 0]);
      await assert.rejects(openStore(url), (err: unknown) => {
        assert.ok(err instanceof PalisadeError);
        assert.match(err.message, new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this palisade knows \\(${SCHEMA_VERSION}\\)`));
        assert.ok(!err.message.includes('\n'));
        assert.ok(err.message.includes(backend.name === 'sqlite' ? url : 'postgres://palisade:***@'));
        if (pgServer !== undefined) assert.ok(!err.message.includes(pgServer.password));
        return true;
      });
    });

    it('keeps a finding once per fingerprint with first seen, last seen, resolved at and its events', async () => {
      const { store } = await fresh();
      const s1 = await store.recordScan(scan(1, [finding('a'), finding('b', { severity: 'critical', name: 'db' })]));
      assert.equal(s1.counts.opened, 2);
      assert.equal(s1.counts.resolved, 0);
      assert.deepEqual(s1.counts.open, { critical: 1, high: 1, medium: 0, low: 0, info: 0 });

      const s2 = await store.recordScan(scan(2, [finding('a')]));
      assert.deepEqual([s2.counts.opened, s2.counts.resolved], [0, 1]);
      const a = await store.getFinding('prod', 'a');
      assert.equal(a?.firstSeen, at(1));
      assert.equal(a?.lastSeen, at(2));
      assert.equal(a?.status, 'open');
      assert.equal(a?.resolvedAt, null);
      const b = await store.getFinding('prod', 'b');
      assert.equal(b?.status, 'resolved');
      assert.equal(b?.resolvedAt, at(2));
      assert.equal(b?.lastSeen, at(1));

      const s3 = await store.recordScan(scan(3, [finding('a'), finding('b', { severity: 'critical', name: 'db' })]));
      assert.deepEqual([s3.counts.opened, s3.counts.resolved], [1, 0]);
      const b3 = await store.getFinding('prod', 'b');
      assert.equal(b3?.status, 'open');
      assert.equal(b3?.firstSeen, at(1), 'a reopened finding keeps its first sighting');
      assert.equal(b3?.resolvedAt, null);
      assert.deepEqual(
        (await store.findingHistory('prod', 'b')).map((e) => [e.event, e.scanId, e.at]),
        [
          ['opened', s1.id, at(1)],
          ['resolved', s2.id, at(2)],
          ['reopened', s3.id, at(3)],
        ],
      );
      // Every stored field comes back as it was given.
      const { id, cluster, status, firstSeen, lastSeen, resolvedAt, ...given } = a as StoredFinding;
      assert.deepEqual(given, finding('a'));
      assert.deepEqual([id, cluster, status, firstSeen, lastSeen, resolvedAt], ['a', 'prod', 'open', at(1), at(2), null]);
    });

    it('incremental scans resolve only the scope objects’ findings they no longer report', async () => {
      const { store } = await fresh();
      await store.recordScan(
        scan(1, [
          finding('web-1', { name: 'web' }),
          finding('web-2', { name: 'web', check: 'PAL-0002' }),
          finding('api-1', { name: 'api' }),
          finding('role-1', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespace: null, name: 'admin-ish' }),
        ]),
      );
      const inc = await store.recordScan(
        scan(2, [finding('web-1', { name: 'web' }), finding('new-1', { name: 'worker' })], {
          kind: 'incremental',
          scope: ['apps/v1/Deployment/default/web', 'rbac.authorization.k8s.io/v1/ClusterRole//admin-ish', 'apps/v1/Deployment/default/worker'],
        }),
      );
      assert.equal(inc.kind, 'incremental');
      assert.deepEqual([inc.counts.opened, inc.counts.resolved], [1, 2]);
      const status = async (id: string) => (await store.getFinding('prod', id))?.status;
      assert.equal(await status('web-1'), 'open');
      assert.equal(await status('web-2'), 'resolved');
      assert.equal(await status('role-1'), 'resolved', 'cluster-scoped key: empty namespace');
      assert.equal(await status('api-1'), 'open', 'objects outside the scope are left as they are');
      assert.equal(await status('new-1'), 'open');
      assert.equal((await store.getFinding('prod', 'api-1'))?.lastSeen, at(1));
      assert.deepEqual(inc.counts.open, { critical: 0, high: 3, medium: 0, low: 0, info: 0 });

      // An incremental scan without scope resolves nothing; a full scan replaces everything.
      const none = await store.recordScan(scan(3, [], { kind: 'incremental', scope: [] }));
      assert.equal(none.counts.resolved, 0);
      const full = await store.recordScan(scan(4, [finding('api-1', { name: 'api' })]));
      assert.equal(full.counts.resolved, 2);
      assert.deepEqual(full.counts.open, { critical: 0, high: 1, medium: 0, low: 0, info: 0 });
    });

    it('records severity changes and exceptions as events; open counts leave waived findings out', async () => {
      const { store } = await fresh();
      await store.recordScan(scan(1, [finding('a'), finding('b')]));
      const s2 = await store.recordScan(scan(2, [finding('a', { severity: 'critical' }), finding('b', { exceptionId: 'ex1' })]));
      assert.deepEqual(s2.counts.open, { critical: 1, high: 0, medium: 0, low: 0, info: 0 });
      assert.deepEqual([s2.counts.opened, s2.counts.resolved], [0, 0]);
      const s3 = await store.recordScan(scan(3, [finding('a', { severity: 'critical' }), finding('b')]));
      assert.deepEqual(s3.counts.open, { critical: 1, high: 1, medium: 0, low: 0, info: 0 });
      assert.deepEqual(
        (await store.findingHistory('prod', 'a')).map((e) => [e.event, e.detail]),
        [
          ['opened', null],
          ['severity-changed', { from: 'high', to: 'critical' }],
        ],
      );
      assert.deepEqual(
        (await store.findingHistory('prod', 'b')).map((e) => [e.event, e.detail]),
        [
          ['opened', null],
          ['excepted', { exceptionId: 'ex1' }],
          ['unexcepted', { exceptionId: 'ex1' }],
        ],
      );
      assert.equal((await store.getFinding('prod', 'b'))?.exceptionId, null);
      // The list shows waived findings (with their exception) and counts them in its total.
      await store.recordScan(scan(4, [finding('a', { severity: 'critical' }), finding('b', { exceptionId: 'ex1' })]));
      const page = await store.listFindings({});
      assert.equal(page.total, 2);
      assert.equal(page.items.find((f) => f.id === 'b')?.exceptionId, 'ex1');
    });

    it('stores a scan once per idempotency key', async () => {
      const { store } = await fresh();
      const input = scan(1, [finding('a')], { cluster: 'edge', idempotencyKey: 'agent-1:scan-9:3' });
      const first = await store.recordScan(input);
      assert.equal(first.duplicate, undefined);
      const again = await store.recordScan(input);
      assert.equal(again.duplicate, true);
      assert.equal(again.id, first.id);
      assert.deepEqual({ ...again, duplicate: undefined }, { ...first, duplicate: undefined });
      assert.equal((await store.listScans({})).total, 1);
      assert.equal((await store.findingHistory('edge', 'a')).length, 1);
      const clusters = await store.listClusters();
      assert.deepEqual(
        clusters.map((c) => [c.name, c.source, c.lastScanAt]),
        [['edge', 'agent', at(1)]],
      );
    });

    it('serialises concurrent scans: the same key pushed at once is stored once, other clusters all', async () => {
      const { store } = await fresh();
      const pushes = [0, 1, 2, 3].map((i) =>
        store.recordScan(scan(1, [finding('a'), finding(`b${i}`)], { cluster: 'edge', idempotencyKey: 'agent:scan-1:1' })),
      );
      const others = ['c1', 'c2', 'c3'].map((c, i) => store.recordScan(scan(2 + i, [finding('a'), finding(c)], { cluster: c })));
      const reads = [store.listFindings({ status: 'all' }), store.listScans({})];
      const results = await Promise.all([...pushes, ...others]);
      await Promise.all(reads);
      assert.equal(results.slice(0, 4).filter((r) => r.duplicate !== true).length, 1);
      assert.equal(new Set(results.slice(0, 4).map((r) => r.id)).size, 1);
      assert.equal((await store.listScans({})).total, 4);
      assert.equal((await store.listFindings({ cluster: 'edge' })).total, 2);
      assert.equal((await store.listFindings({})).total, 8);
    });

    it('resolves what a full scan misses even when an earlier scan finished in the same millisecond', async () => {
      const { store } = await fresh();
      await store.recordScan(scan(1, [finding('a'), finding('b')]));
      const again = await store.recordScan(scan(1, [finding('a')]));
      assert.deepEqual([again.counts.opened, again.counts.resolved], [0, 1]);
      assert.equal((await store.getFinding('prod', 'b'))?.status, 'resolved');
      assert.equal((await store.getFinding('prod', 'a'))?.status, 'open');
    });

    it('rewrites a finding whose content changed, and keeps its identity', async () => {
      const { store } = await fresh();
      await store.recordScan(scan(1, [finding('a')]));
      await store.recordScan(scan(2, [finding('a', { message: 'new wording', evidence: { hostPID: 'true' }, rank: 7, fix: null, fixable: 'unsafe' })]));
      const a = await store.getFinding('prod', 'a');
      assert.deepEqual(
        [a?.message, a?.evidence, a?.rank, a?.fix, a?.fixable, a?.firstSeen, a?.lastSeen],
        ['new wording', { hostPID: 'true' }, 7, null, 'unsafe', at(1), at(2)],
      );
      assert.deepEqual(
        (await store.findingHistory('prod', 'a')).map((e) => e.event),
        ['opened'],
      );
    });

    it('records a scan in one transaction: a failure leaves nothing behind', async () => {
      const { store } = await fresh();
      await store.recordScan(scan(1, [finding('a')]));
      const broken = finding('b', { check: null as unknown as string });
      await assert.rejects(store.recordScan(scan(2, [finding('c'), broken])), (err: unknown) => {
        assert.ok(err instanceof PalisadeError);
        assert.equal(err.code, 'io');
        assert.match(err.message, /^store (sqlite:\/|postgres:\/\/palisade:\*\*\*@)\S+: record scan: /);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
      assert.equal((await store.listScans({})).total, 1);
      assert.equal(await store.getFinding('prod', 'c'), undefined);
      assert.equal((await store.getFinding('prod', 'a'))?.status, 'open');
      // The store still works after the rollback.
      const s3 = await store.recordScan(scan(3, [finding('a'), finding('c')]));
      assert.deepEqual([s3.counts.opened, s3.counts.resolved], [1, 0]);
    });

    it('lists findings with every filter and sort, page by page, as a reference computation does', async () => {
      const { store } = await fresh();
      const data = varied(240);
      await store.recordScan(scan(1, data));
      // Some resolved, some with later sightings, in two clusters.
      await store.recordScan(scan(2, data.slice(0, 200)));
      await store.recordScan(scan(3, data.slice(100, 160), { cluster: 'staging' }));
      const everything = [...(await allPages(store, { status: 'all', limit: 500 }))];
      assert.equal(everything.length, 300);

      const sevI = (f: StoredFinding) => SEVERITIES.indexOf(f.severity);
      const rank = (f: StoredFinding) => f.rank ?? 999_999_999;
      type Cmp = (a: StoredFinding, b: StoredFinding) => number;
      const by =
        (...keys: ((f: StoredFinding) => string | number)[]): Cmp =>
        (a, b) => {
          for (const k of keys) {
            const x = k(a);
            const y = k(b);
            if (x < y) return -1;
            if (x > y) return 1;
          }
          return 0;
        };
      const natural: Record<string, Cmp> = {
        severity: by(sevI, rank),
        firstSeen: by((f) => f.firstSeen),
        lastSeen: by((f) => f.lastSeen),
        check: by(
          (f) => f.check,
          (f) => sevI(f),
          rank,
        ),
        resource: by(
          (f) => f.namespace ?? '',
          (f) => f.kind,
          (f) => f.name,
        ),
      };
      const filters: Parameters<Store['listFindings']>[0][] = [
        {},
        { status: 'resolved' },
        { status: 'all' },
        { cluster: 'staging' },
        { cluster: 'prod', namespace: 'team-1' },
        { check: 'PAL-0002' },
        { check: 'check-3', status: 'all' },
        { kind: 'CronJob', severity: ['high', 'critical'] },
        { severity: ['info'] },
        { q: 'token mentioned' },
        { q: 'obj-1', status: 'all', cluster: 'prod' },
        { cluster: 'nowhere' },
      ];
      const matches = (f: StoredFinding, flt: Parameters<Store['listFindings']>[0]): boolean => {
        const q = flt.q?.toLowerCase();
        return (
          (flt.status === 'all' || f.status === (flt.status ?? 'open')) &&
          (flt.cluster === undefined || f.cluster === flt.cluster) &&
          (flt.namespace === undefined || f.namespace === flt.namespace) &&
          (flt.check === undefined || f.check === flt.check || f.checkName === flt.check) &&
          (flt.kind === undefined || f.kind === flt.kind) &&
          (flt.severity === undefined || flt.severity.includes(f.severity)) &&
          (q === undefined || [f.message, f.name, f.checkName].some((t) => t.toLowerCase().includes(q)))
        );
      };
      const ids = (fs: readonly StoredFinding[]) => fs.map((f) => `${f.cluster}/${f.id}`);
      for (const flt of filters) {
        for (const sort of ['severity', 'firstSeen', 'lastSeen', 'check', 'resource'] as const) {
          for (const order of ['asc', 'desc'] as const) {
            const got = await allPages(store, { ...flt, sort, order, limit: 7 });
            const want = everything.filter((f) => matches(f, flt));
            const label = JSON.stringify({ ...flt, sort, order });
            assert.equal(got.length, want.length, label);
            assert.equal(new Set(ids(got)).size, got.length, `no duplicates: ${label}`);
            assert.deepEqual(new Set(ids(got)), new Set(ids(want)), label);
            // Order: the natural order of the sort, reversed for the other direction; ties by insertion.
            // The natural comparators ascend; for severity, ascending is most severe first ('desc').
            const cmp = natural[sort] as Cmp;
            const sign = sort === 'severity' ? (order === 'desc' ? 1 : -1) : order === 'asc' ? 1 : -1;
            for (let i = 1; i < got.length; i++) assert.ok(sign * cmp(got[i - 1] as StoredFinding, got[i] as StoredFinding) <= 0, `order at ${i}: ${label}`);
            const first = await store.listFindings({ ...flt, sort, order, limit: 7 });
            assert.equal(first.total, want.length, `total: ${label}`);
          }
        }
      }
    });

    it('keeps cursor pages stable while scans insert findings between them', async () => {
      const { store } = await fresh();
      const data = varied(60, 7);
      await store.recordScan(scan(1, data));
      const page1 = await store.listFindings({ limit: 20 });
      assert.ok(page1.nextCursor);
      // New findings of every severity arrive (some sort before the cursor, some after).
      await store.recordScan(scan(2, [...data, ...varied(30, 99).map((f) => ({ ...f, fingerprint: `late-${f.fingerprint}` }))]));
      const rest = await allPages(store, { limit: 20, cursor: page1.nextCursor });
      const seen = [...page1.items, ...rest].map((f) => f.id);
      assert.equal(new Set(seen).size, seen.length, 'no finding appears twice');
      for (const f of data) assert.ok(seen.includes(f.fingerprint), `${f.fingerprint} not skipped`);
      await assert.rejects(store.listFindings({ cursor: 'not-a-cursor' }), /invalid cursor/);
      await assert.rejects(store.listFindings({ sort: 'lastSeen', cursor: page1.nextCursor }), /invalid cursor/);
    });

    it('pages scans newest first and reports trends per severity, check and namespace', async () => {
      const { store } = await fresh();
      await store.recordScan(scan(1, [finding('a'), finding('b', { check: 'PAL-0002', namespace: 'kube-system', severity: 'low' })]));
      await store.recordScan(scan(2, [finding('a')]));
      await store.recordScan(scan(3, [finding('a'), finding('c', { severity: 'critical' })], { cluster: 'staging' }));
      // An incremental scan that changes nothing adds a scan but no trend points.
      await store.recordScan(scan(4, [finding('a')], { kind: 'incremental', scope: ['apps/v1/Deployment/default/web'] }));
      const p1 = await store.listScans({ limit: 2 });
      assert.equal(p1.total, 4);
      assert.deepEqual(
        p1.items.map((s) => s.finishedAt),
        [at(4), at(3)],
      );
      const p2 = await store.listScans({ limit: 2, cursor: p1.nextCursor as string });
      assert.deepEqual(
        p2.items.map((s) => s.finishedAt),
        [at(2), at(1)],
      );
      assert.equal(p2.nextCursor, null);
      assert.equal((await store.listScans({ cluster: 'staging' })).total, 1);
      assert.deepEqual(await store.getScan(p1.items[1]?.id as string), p1.items[1]);
      assert.equal(await store.getScan('999999'), undefined);
      assert.equal(await store.getScan('nope'), undefined);

      const sev = await store.trends({ cluster: 'prod', by: 'severity' });
      assert.deepEqual(
        sev.filter((p) => p.key === 'high' || p.key === 'low').map((p) => [p.at, p.key, p.count]),
        [
          [at(1), 'high', 1],
          [at(1), 'low', 1],
          [at(2), 'high', 1],
          [at(2), 'low', 0],
        ],
      );
      const byCheck = await store.trends({ by: 'check', since: at(2) });
      assert.deepEqual(
        byCheck.map((p) => [p.cluster, p.at, p.key, p.count]),
        [
          ['prod', at(2), 'PAL-0001', 1],
          ['prod', at(2), 'PAL-0002', 0],
          ['staging', at(3), 'PAL-0001', 2],
        ],
      );
      const byNs = await store.trends({ cluster: 'prod', by: 'namespace' });
      assert.deepEqual(
        byNs.map((p) => [p.at, p.key, p.count]),
        [
          [at(1), 'default', 1],
          [at(1), 'kube-system', 1],
          [at(2), 'default', 1],
          [at(2), 'kube-system', 0],
        ],
      );
    });

    it('replaces the cluster state snapshot', async () => {
      const { store } = await fresh();
      assert.equal(await store.getClusterState('prod'), undefined);
      await store.putClusterState('prod', new Uint8Array([1, 2, 3]));
      await store.putClusterState('prod', new TextEncoder().encode('{"snapshot":2}'));
      assert.equal(new TextDecoder().decode(await store.getClusterState('prod')), '{"snapshot":2}');
      assert.deepEqual(
        (await store.listClusters()).map((c) => c.name),
        ['prod'],
      );
      const edge = await store.ensureCluster('edge', 'agent');
      assert.deepEqual([edge.name, edge.source, edge.lastScanAt], ['edge', 'agent', null]);
    });

    it('creates, lists and revokes exceptions, each change in the audit log with who and when', async () => {
      const { store } = await fresh();
      clock = T0 + 1000;
      const ex = await store.createException(
        {
          cluster: 'prod',
          check: 'PAL-0001',
          namespace: 'default',
          kind: 'Deployment',
          name: 'web-*',
          reason: 'vendor chart, fixed upstream',
          expires: '2027-01-01',
        },
        'alice',
      );
      assert.equal(ex.createdBy, 'alice');
      assert.equal(ex.createdAt, new Date(T0 + 1000).toISOString());
      assert.equal(ex.revokedAt, null);
      clock = T0 + 1500;
      const other = await store.createException({ cluster: null, check: '*', namespace: null, kind: null, name: null, reason: 'lab', expires: null }, 'bob');
      assert.deepEqual(
        (await store.listExceptions()).map((e) => e.id),
        [ex.id, other.id],
      );
      clock = T0 + 2000;
      const revoked = await store.revokeException(ex.id, 'carol');
      assert.equal(revoked?.revokedBy, 'carol');
      assert.equal(revoked?.revokedAt, new Date(T0 + 2000).toISOString());
      assert.equal((await store.revokeException(ex.id, 'dave'))?.revokedBy, 'carol', 'revoking twice changes nothing');
      assert.equal(await store.revokeException('missing', 'carol'), undefined);
      assert.deepEqual(
        (await store.listExceptions()).map((e) => e.id),
        [other.id],
      );
      assert.equal((await store.listExceptions({ includeRevoked: true })).length, 2);
      await assert.rejects(store.createException({ ...other, reason: ' ' }, 'eve'), /needs a reason/);

      const audit = await store.listAudit({ limit: 2 });
      assert.equal(audit.total, 3);
      assert.deepEqual(
        audit.items.map((e) => [e.action, e.actor, e.target]),
        [
          ['exception.revoke', 'carol', ex.id],
          ['exception.create', 'bob', other.id],
        ],
      );
      const rest = await store.listAudit({ limit: 2, cursor: audit.nextCursor as string });
      assert.deepEqual(
        rest.items.map((e) => [e.action, e.actor, e.detail?.reason]),
        [['exception.create', 'alice', 'vendor chart, fixed upstream']],
      );
      assert.equal(rest.nextCursor, null);
      clock = T0;
    });

    it('issues tokens as pal_ secrets stored only as SHA-256 hashes, and verifies them', async () => {
      const { store, url } = await fresh();
      const { token, record } = await store.createToken('ci', 'viewer', 'admin-cli');
      assert.match(token, /^pal_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual([record.name, record.role, record.createdBy, record.lastUsedAt, record.revokedAt], ['ci', 'viewer', 'admin-cli', null, null]);
      const rows = await backend.raw(url, 'SELECT * FROM tokens');
      assert.equal(rows.length, 1);
      assert.ok(!JSON.stringify(rows).includes(token.slice(4)), 'the secret is not stored');
      assert.equal(Buffer.from(rows[0]?.hash as Uint8Array).toString('hex'), createHash('sha256').update(token).digest('hex'));

      clock = T0 + 5000;
      const ok = await store.verifyToken(token);
      assert.equal(ok?.id, record.id);
      assert.equal(ok?.lastUsedAt, new Date(T0 + 5000).toISOString());
      assert.equal((await store.listTokens())[0]?.lastUsedAt, new Date(T0 + 5000).toISOString());
      assert.equal(await store.verifyToken(`${token}x`), undefined);
      assert.equal(await store.verifyToken('pal_wrong'), undefined);
      assert.equal(await store.verifyToken(''), undefined);
      const admin = await store.createToken('ops', 'admin', 'admin-cli');
      assert.equal((await store.revokeToken(record.id, 'alice'))?.revokedAt, new Date(T0 + 5000).toISOString());
      assert.equal(await store.verifyToken(token), undefined, 'a revoked token no longer verifies');
      assert.equal((await store.verifyToken(admin.token))?.role, 'admin');
      assert.equal(await store.revokeToken('missing', 'alice'), undefined);
      const audit = await store.listAudit({});
      assert.deepEqual(
        audit.items.map((e) => [e.action, e.actor, e.target]),
        [
          ['token.revoke', 'alice', record.id],
          ['token.create', 'admin-cli', admin.record.id],
          ['token.create', 'admin-cli', record.id],
        ],
      );
      assert.ok(!JSON.stringify(audit).includes(token.slice(4)), 'no secret in the audit log');
      await assert.rejects(store.createToken('x', 'root' as 'admin', 'a'), /role "root"/);
      clock = T0;
    });

    it('prunes old scans (keeping each cluster’s latest), long-resolved findings and their events', async () => {
      const { store } = await fresh();
      await store.recordScan(scan(1, [finding('a'), finding('b')]));
      await store.recordScan(scan(2, [finding('a')])); // b resolved at 2
      await store.recordScan(scan(3, [finding('x')], { cluster: 'old' }));
      await store.recordScan(scan(10, [finding('a'), finding('c')])); // c opened; nothing resolved
      await store.recordScan(scan(11, [finding('a')])); // c resolved at 11
      const result = await store.prune(at(5));
      assert.deepEqual(result, { scans: 2, findings: 1, events: 2 });
      assert.deepEqual(
        (await store.listScans({})).items.map((s) => [s.cluster, s.finishedAt]),
        [
          ['prod', at(11)],
          ['prod', at(10)],
          ['old', at(3)],
        ],
      );
      assert.equal(await store.getFinding('prod', 'b'), undefined);
      assert.equal((await store.getFinding('prod', 'c'))?.status, 'resolved');
      assert.equal((await store.getFinding('prod', 'a'))?.status, 'open');
      assert.equal((await store.trends({ by: 'severity', cluster: 'prod' })).filter((p) => p.key === 'high').length, 2);
      assert.deepEqual(await store.prune(at(5)), { scans: 0, findings: 0, events: 0 });
    });
  });
}

// --------------------------------------------------------------------- backend specifics

describe('store: sqlite file', () => {
  it('creates the file 0600 in a 0700 directory, in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-store-perm-'));
    try {
      const file = join(dir, 'a', 'b', 'palisade.db');
      const store = await openStore(`sqlite:${file}`);
      await store.recordScan(scan(1, [finding('a')]));
      await store.close();
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'a', 'b')).mode & 0o777, 0o700);
      const db = new Database(file, { readonly: true });
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      db.close();
      // The default location honours XDG_DATA_HOME.
      const def = await openStore(undefined, { env: { XDG_DATA_HOME: join(dir, 'xdg') } });
      await def.close();
      assert.equal(statSync(join(dir, 'xdg', 'palisade', 'palisade.db')).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file in a one-line error when it cannot be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-store-bad-'));
    try {
      writeFileSync(join(dir, 'not-a-dir'), 'x');
      await assert.rejects(openStore(`sqlite:${join(dir, 'not-a-dir', 'p.db')}`), (err: unknown) => {
        assert.ok(err instanceof PalisadeError);
        assert.ok(err.message.startsWith(`store sqlite:${join(dir, 'not-a-dir', 'p.db')}: `), err.message);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
      mkdirSync(join(dir, 'garbage'));
      writeFileSync(join(dir, 'garbage', 'p.db'), 'this is not a database, just text that is long enough to fill a header.'.repeat(20));
      await assert.rejects(
        openStore(`sqlite:${join(dir, 'garbage', 'p.db')}`),
        /^PalisadeError: store sqlite:\/\S+: (cannot open|migrate): file is not a database/,
      );
      assert.ok(readFileSync(join(dir, 'garbage', 'p.db'), 'utf8').startsWith('this is not'), 'a foreign file is left alone');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('store: postgres connection errors', { skip: postgresMissing() }, () => {
  it('names the URL with its password masked', async () => {
    // Nothing listens on this port: the connection is refused.
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 1));
      });
    });
    const url = `postgres://palisade:s3cret-pw@127.0.0.1:${port}/palisade`;
    await assert.rejects(openStore(url), (err: unknown) => {
      assert.ok(err instanceof PalisadeError);
      assert.ok(err.message.startsWith(`store postgres://palisade:***@127.0.0.1:${port}/palisade: migrate: `), err.message);
      assert.ok(!err.message.includes('s3cret-pw'));
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  });
});
