/**
 * `palisade serve`: the posture server (REST API, dashboard, metrics) over a store, watching
 * its own clusters or fed by agents; `palisade serve token create|list|revoke` manages the
 * API's bearer tokens. A thin shell over src/server/ (docs/server.md, docs/api.md).
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { PalisadeError } from '../../core/errors.js';
import type { Role, Store } from '../../store/types.js';
import { collectRaw } from '../flags.js';

interface StoreFlags {
  store?: string;
}

interface ServeFlags extends StoreFlags {
  cluster?: boolean;
  context: string[];
  inCluster?: boolean;
  watch: boolean;
  kubeconfig?: string;
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
  fullEvery: string;
  retain?: string;
  notifyWebhook?: string;
  notifySlack?: string;
  notifyExpiryDays: string;
  dashboardUrl?: string;
  tokenReview?: boolean;
  metricsOpen?: boolean;
  rateLimit: string;
  maxBodySize: string;
  requestTimeout: string;
  dashboardDir?: string;
  accessLog?: boolean;
}

/**
 * Durations of `--full-every` and `--retain`: a number and a unit (s, m, h, d, w).
 *
 * @example
 * parseSpan('--retain', '90d'); // 7776000000
 */
export function parseSpan(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/.exec(text.trim());
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
  const ms = m ? Math.round(Number(m[1]) * unit[m[2] as keyof typeof unit]) : 0;
  if (!m || ms <= 0) throw new PalisadeError('usage', `${flag}: "${text}" is not a duration such as 30m, 6h or 90d`);
  return ms;
}

/**
 * `--listen HOST:PORT` (IPv6 in brackets) or a bare port (loopback).
 *
 * @example
 * parseListen('[::1]:9000'); // { host: '::1', port: 9000 }
 */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(text) ?? (/^(\d{1,5})$/.test(text) ? [text, undefined, '127.0.0.1', text] : null);
  const host = m ? (m[1] ?? m[2] ?? '') : '';
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || host === '' || !Number.isInteger(port) || port > 65535)
    throw new PalisadeError('usage', `--listen: "${text}" is not HOST:PORT (127.0.0.1:8443, [::1]:8443, 0.0.0.0:8443)`);
  return { host, port };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

function positive(flag: string, text: string, zero = false): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || (!zero && n < 1))
    throw new PalisadeError('usage', `${flag}: "${text}" is not a ${zero ? 'whole number' : 'positive whole number'}`);
  return n;
}

/** Byte sizes: `1MiB`, `512KiB`, `1048576`. */
function parseBytes(flag: string, text: string): number {
  const m = /^(\d+)\s*(B|KiB|MiB|GiB|k|K|M|G)?$/.exec(text.trim());
  const mult: Record<string, number> = { B: 1, KiB: 1024, k: 1024, K: 1024, MiB: 1 << 20, M: 1 << 20, GiB: 1 << 30, G: 1 << 30 };
  if (!m || Number(m[1]) < 1) throw new PalisadeError('usage', `${flag}: "${text}" is not a size such as 1MiB`);
  return Number(m[1]) * (mult[m[2] ?? 'B'] as number);
}

async function readPem(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new PalisadeError('usage', `${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Opens and migrates the store of `--store`. */
async function openStoreOf(flags: StoreFlags): Promise<Store> {
  const { openStore } = await import('../../store/index.js');
  const store = await openStore(flags.store);
  await store.migrate();
  return store;
}

function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

const ROLES: readonly Role[] = ['viewer', 'admin', 'agent'];

function storeOption(cmd: Command): Command {
  return cmd.option('--store <url>', 'sqlite:FILE or postgres://USER@HOST:PORT/DB (default: sqlite under $XDG_DATA_HOME/palisade)');
}

function registerToken(serve: Command): void {
  const token = serve.command('token').description('manage the bearer tokens of the API (stored hashed; the secret is shown once)');
  storeOption(
    token
      .command('create')
      .description('create a token and print its secret (once)')
      .requiredOption('--name <name>', 'a name for the token (who or what uses it)')
      .addOption(new Option('--role <role>', 'viewer reads; admin also manages exceptions; agent only pushes scans').choices([...ROLES]).makeOptionMandatory()),
  ).action(async (flags: StoreFlags & { name: string; role: Role }) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9 ._@:-]{0,99}$/.test(flags.name))
      throw new PalisadeError('usage', `--name: "${flags.name}" must be 1-100 letters, digits, spaces and . _ @ : -`);
    const store = await openStoreOf(flags);
    try {
      const { token: secret, record } = await store.createToken(flags.name, flags.role, actor());
      process.stdout.write(`${secret}\n`);
      process.stderr.write(`palisade: created token ${record.id} "${record.name}" (role ${record.role}); the secret above is not shown again\n`);
    } finally {
      await store.close();
    }
  });
  storeOption(
    token
      .command('list')
      .description('list the tokens (never their secrets)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table')),
  ).action(async (flags: StoreFlags & { format: string }) => {
    const store = await openStoreOf(flags);
    try {
      const tokens = await store.listTokens();
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
        return;
      }
      const rows = [['ID', 'NAME', 'ROLE', 'CREATED', 'BY', 'LAST USED', 'REVOKED']];
      for (const t of tokens) rows.push([t.id, t.name, t.role, t.createdAt, t.createdBy, t.lastUsedAt ?? '-', t.revokedAt ?? '-']);
      const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
      process.stdout.write(
        `${rows
          .map((r) =>
            r
              .map((c, i) => c.padEnd(widths[i] ?? 0))
              .join('  ')
              .trimEnd(),
          )
          .join('\n')}\n`,
      );
    } finally {
      await store.close();
    }
  });
  storeOption(
    token.command('revoke').description('revoke a token (its calls are refused from now on)').argument('<id>', 'the token id (palisade serve token list)'),
  ).action(async (id: string, flags: StoreFlags) => {
    const store = await openStoreOf(flags);
    try {
      const revoked = await store.revokeToken(id, actor());
      if (!revoked) throw new PalisadeError('usage', `no token ${id} (palisade serve token list shows the ids)`);
      process.stdout.write(`revoked token ${revoked.id} "${revoked.name}"\n`);
    } finally {
      await store.close();
    }
  });
}

/**
 * Registers `palisade serve` and `palisade serve token ...`.
 *
 * @example
 * registerServe(program);
 */
export function registerServe(program: Command): void {
  const serve = storeOption(
    program
      .command('serve')
      .description('serve the posture API, dashboard and metrics; watch clusters continuously and keep their history in a store')
      .option('--cluster', 'watch the cluster of the current kubeconfig context')
      .addOption(new Option('--context <name>', 'watch this kubeconfig context; repeatable').argParser(collectRaw).default([]))
      .option('--in-cluster', "watch the cluster this pod runs in (the pod's service account)")
      .option('--no-watch', 'watch nothing: serve the stored data (a central server fed by agents)')
      .option('--kubeconfig <file>', 'kubeconfig file')
      .option('--listen <host:port>', 'listen address', '127.0.0.1:8443')
      .option('--tls-cert <file>', 'PEM certificate (chain): serve HTTPS')
      .option('--tls-key <file>', 'PEM private key of --tls-cert')
      .option('--full-every <duration>', 'full rescan interval of watched clusters', '6h')
      .option('--retain <duration>', 'keep scans and resolved findings this long (e.g. 90d); default forever')
      .option('--notify-webhook <url>', 'POST JSON to this URL on new critical findings and expiring exceptions')
      .option('--notify-slack <url>', 'Slack-compatible incoming webhook for the same notifications')
      .option('--notify-expiry-days <n>', 'announce exceptions expiring within N days', '7')
      .option('--dashboard-url <url>', 'public URL of the dashboard, for links in notifications')
      .option('--token-review', "also accept the cluster's Kubernetes tokens (TokenReview + SubjectAccessReview; with --in-cluster or one context)")
      .option('--metrics-open', '/metrics without a token')
      .option('--rate-limit <n>', 'requests per minute per token (0: no limit)', '600')
      .option('--max-body-size <size>', 'largest request body (ingest takes 32x)', '1MiB')
      .option('--request-timeout <duration>', 'deadline of one request', '30s')
      .option('--access-log', 'one JSON line per request on stderr')
      .addOption(new Option('--dashboard-dir <dir>', 'folder of the built dashboard').hideHelp()),
  )
    .addHelpText(
      'after',
      `
The API is documented in docs/api.md (OpenAPI: docs/openapi.yaml); every /api/v1 call needs
Authorization: Bearer <token> from palisade serve token create. Exit codes: 0 stopped by a
signal, 2 usage error, 3 runtime error (store or port unavailable).

Examples:
  palisade serve token create --name alice --role admin
  palisade serve --cluster
  palisade serve --context prod --context staging --retain 90d --store postgres://palisade@db:5432/palisade
  palisade serve --no-watch --listen 0.0.0.0:8443 --tls-cert tls.crt --tls-key tls.key`,
    )
    .action(async (flags: ServeFlags) => {
      const { host, port } = parseListen(flags.listen);
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new PalisadeError('usage', '--tls-cert and --tls-key go together');
      const tls =
        flags.tlsCert !== undefined && flags.tlsKey !== undefined
          ? { cert: await readPem('--tls-cert', flags.tlsCert), key: await readPem('--tls-key', flags.tlsKey) }
          : undefined;
      const sources = [flags.cluster === true, flags.context.length > 0, flags.inCluster === true].filter(Boolean).length;
      if (sources > 1) throw new PalisadeError('usage', 'use one of --cluster, --context NAME... and --in-cluster');
      if (!flags.watch && sources > 0) throw new PalisadeError('usage', '--no-watch serves stored data only; drop --cluster, --context and --in-cluster');
      if (flags.watch && sources === 0)
        throw new PalisadeError(
          'usage',
          'say what to watch: --cluster (current context), --context NAME..., --in-cluster, or --no-watch to serve stored data only',
        );
      const fullEveryMs = parseSpan('--full-every', flags.fullEvery);
      const retainMs = flags.retain !== undefined ? parseSpan('--retain', flags.retain) : undefined;
      const requestTimeoutMs = parseSpan('--request-timeout', flags.requestTimeout);
      const bodyLimit = parseBytes('--max-body-size', flags.maxBodySize);
      const rateLimit = positive('--rate-limit', flags.rateLimit, true);
      const expiryDays = positive('--notify-expiry-days', flags.notifyExpiryDays);
      for (const [flag, url] of [
        ['--notify-webhook', flags.notifyWebhook],
        ['--notify-slack', flags.notifySlack],
      ] as const) {
        if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new PalisadeError('usage', `${flag}: not an http(s) URL`);
      }
      const warn = (line: string): void => {
        process.stderr.write(`palisade: ${line}\n`);
      };
      if (!isLoopback(host) && tls === undefined)
        warn(`warning: listening on ${host} without TLS: tokens cross the network in clear text (use --tls-cert/--tls-key)`);
      const targets = flags.inCluster
        ? [{ inCluster: true }]
        : flags.context.length > 0
          ? flags.context.map((context) => ({ context, ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}) }))
          : flags.cluster
            ? [{ ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}) }]
            : [];
      // A watched cluster the kubeconfig does not name is a configuration error: exit 2 now, as
      // `palisade scan --context` and `palisade agent` do, not a server whose /readyz stays 503.
      const { monitorCluster, resolveMonitorTarget } = await import('../../server/monitor/index.js');
      for (const target of targets) await resolveMonitorTarget(target);
      const { Notifier } = await import('../../server/notify.js');
      const notifier =
        flags.notifyWebhook !== undefined || flags.notifySlack !== undefined
          ? new Notifier({
              ...(flags.notifyWebhook !== undefined ? { webhook: flags.notifyWebhook } : {}),
              ...(flags.notifySlack !== undefined ? { slack: flags.notifySlack } : {}),
              ...(flags.dashboardUrl !== undefined ? { dashboardUrl: flags.dashboardUrl } : {}),
              expiryDays,
              warn,
            })
          : undefined;
      const store = await (async () => {
        const { openStore } = await import('../../store/index.js');
        return openStore(flags.store);
      })();
      let authenticator: import('../../server/server.js').TokenAuthenticator | undefined;
      if (flags.tokenReview) {
        if (targets.length !== 1) throw new PalisadeError('usage', '--token-review asks one cluster: use it with --in-cluster, --cluster or one --context');
        const { tokenReviewAuthenticator } = await import('../../server/token-review.js');
        authenticator = await tokenReviewAuthenticator(targets[0] as Parameters<typeof tokenReviewAuthenticator>[0]);
      }
      const { startServe } = await import('../../server/serve.js');
      let running: Awaited<ReturnType<typeof startServe>>;
      try {
        running = await startServe({
          store,
          host,
          port,
          ...(tls ? { tls } : {}),
          targets,
          monitorCluster,
          fullEveryMs,
          ...(retainMs !== undefined ? { retainMs } : {}),
          ...(notifier ? { notifier } : {}),
          ...(authenticator ? { authenticator } : {}),
          bodyLimit,
          ingestLimit: bodyLimit * 32,
          rateLimit,
          requestTimeoutMs,
          dashboardDir: flags.dashboardDir ?? fileURLToPath(new URL('../dashboard/', import.meta.url)),
          ...(flags.metricsOpen ? { metricsOpen: true } : {}),
          ...(flags.accessLog ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
          warn,
        });
      } catch (err) {
        await store.close().catch(() => undefined);
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') throw new PalisadeError('io', `cannot listen on ${flags.listen}: the address is in use`);
        if (e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') throw new PalisadeError('io', `cannot listen on ${flags.listen}: ${e.code}`);
        // OpenSSL's errors name the problem (no PEM, key does not match the certificate).
        if (tls && typeof e.code === 'string' && e.code.startsWith('ERR_OSSL'))
          throw new PalisadeError('usage', `--tls-cert/--tls-key: ${flags.tlsCert}, ${flags.tlsKey}: ${e.message.replace(/^error:[0-9A-F]+:/, '')}`);
        throw err;
      }
      process.stdout.write(
        `${JSON.stringify({ time: new Date().toISOString(), event: 'listening', url: running.url, store: store.kind, watching: targets.length })}\n`,
      );
      await new Promise<void>((done) => {
        const stop = (signal: string): void => {
          process.stderr.write(`palisade: ${signal}: stopping\n`);
          running.close().then(done, (err: unknown) => {
            warn(`stopping: ${err instanceof Error ? err.message : String(err)}`);
            done();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
  registerToken(serve);
}
