/**
 * `palisade audit`: threat detection over Kubernetes audit logs. `scan` reads files (JSON
 * lines, gzip, rotated directories, cloud exports), `watch` follows a growing log, `serve`
 * receives the API server's webhook backend over HTTPS, `rules` lists the catalogue. A thin
 * shell over src/audit-rules (the engine) and src/audit (inputs, outputs, server).
 */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { AuditEngine } from '../../audit-rules/engine.js';
import type { AuditEvent } from '../../audit-rules/event.js';
import { builtinAuditRules } from '../../audit-rules/index.js';
import { auditRuleMeta, type AnyAuditRule } from '../../audit-rules/rule.js';
import { followFile } from '../../audit/follow.js';
import { AlertWriter } from '../../audit/output.js';
import { expandInputs, type InputProblem, readAuditBatches } from '../../audit/read.js';
import type { AlertFormat } from '../../audit/render.js';
import { engineOptions, loadAuditRules } from '../../audit/rules.js';
import { serveAudit } from '../../audit/serve.js';
import { AlertSink } from '../../audit/sinks.js';
import { tlsPair } from '../../audit/tls.js';
import { CONFIG_FILE_NAME, loadConfig, parseSize } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
import { SEVERITIES, type Severity } from '../../core/types.js';
import { collectRaw } from '../flags.js';

interface CommonFlags {
  format: AlertFormat;
  minSeverity?: Severity;
  config?: string;
  rules: string[];
  include: string[];
  exclude: string[];
  maxEventSize: string;
  webhook: string[];
  slack: string[];
  throttle?: string;
  quiet?: boolean;
}

/** Parses `500ms`, `10s`, `5m`, `1h` into milliseconds. */
export function parseDuration(v: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v);
  if (!m) throw new PalisadeError('usage', `${flag} ${v}: not a duration (examples: 500ms, 10s, 5m, 1h)`);
  const n = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (!(n > 0)) throw new PalisadeError('usage', `${flag} ${v}: must be positive`);
  return n;
}

function addCommon(cmd: Command, formats: readonly AlertFormat[]): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'alert format on stdout').choices([...formats]).default('table'))
    .addOption(new Option('--min-severity <severity>', 'show and send only alerts at or above this severity').choices([...SEVERITIES]))
    .option('-c, --config <file>', `configuration file (default: ./${CONFIG_FILE_NAME} when present): checks.<rule>.enabled/severity/params, exceptions`)
    .option('--rules <path>', 'custom audit rules: a YAML file or a directory of them (repeatable)', collectRaw, [])
    .option('--include <rule>', 'run only these rules (id, name or glob; repeatable)', collectRaw, [])
    .option('--exclude <rule>', 'never run these rules (repeatable)', collectRaw, [])
    .option('--max-event-size <size>', 'skip (and report) events larger than this', '4MB')
    .option('--webhook <url>', 'also POST alerts as JSON ({source, alerts}) to this URL (repeatable)', collectRaw, [])
    .option('--slack <url>', 'also send alerts to this Slack-compatible incoming webhook (repeatable)', collectRaw, [])
    .option('--throttle <n/duration>', 'at most N alerts per rule and identity per duration, e.g. 10/1m (the rest are counted)')
    .option('-q, --quiet', 'no summary or notices on stderr');
}

interface Prepared {
  engine: AuditEngine;
  writer: AlertWriter;
  rules: readonly AnyAuditRule[];
  maxEventBytes: number;
  failOn?: Severity;
}

async function prepare(flags: CommonFlags, cmd: Command): Promise<Prepared> {
  const explicit = flags.config !== undefined;
  const config = await loadConfig(flags.config ?? CONFIG_FILE_NAME, explicit);
  const rules = [...builtinAuditRules, ...(await loadAuditRules(flags.rules))];
  const maxEventBytes = parseSize(flags.maxEventSize);
  if (maxEventBytes === undefined) throw new PalisadeError('usage', `--max-event-size ${flags.maxEventSize}: not a size (examples: 256KB, 4MB)`);
  let throttle: { max: number; windowMs: number } | undefined;
  if (flags.throttle !== undefined) {
    const m = /^(\d+)\/(.+)$/.exec(flags.throttle.trim());
    if (!m || Number(m[1]) < 1) throw new PalisadeError('usage', `--throttle ${flags.throttle}: expected N/DURATION, e.g. 10/1m`);
    throttle = { max: Number(m[1]), windowMs: parseDuration(m[2] as string, '--throttle') };
  }
  for (const u of [...flags.webhook, ...flags.slack]) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new PalisadeError('usage', `sink URL is not a URL: ${u.slice(0, 40)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PalisadeError('usage', `sink URL must be http(s): ${url.protocol}`);
  }
  const options = engineOptions(rules, config, { include: flags.include, exclude: flags.exclude, today: new Date().toISOString().slice(0, 10) });
  const engine = new AuditEngine(rules, { ...options, ...(throttle ? { throttle } : {}) });
  if (engine.rules.length === 0) throw new PalisadeError('usage', 'no audit rule to run: --include/--exclude and the configuration leave none');
  const warn = (m: string): void => {
    process.stderr.write(`palisade: warning: ${m}\n`);
  };
  const sinks = [
    ...flags.webhook.map((url) => new AlertSink({ kind: 'webhook', url, warn })),
    ...flags.slack.map((url) => new AlertSink({ kind: 'slack', url, warn })),
  ];
  const writer = new AlertWriter({
    format: flags.format,
    ...(flags.minSeverity ? { minSeverity: flags.minSeverity } : {}),
    write: (s) => process.stdout.write(s),
    sinks,
    rules,
  });
  const failOn = (cmd.getOptionValue('failOn') as Severity | undefined) ?? config.failOn;
  return { engine, writer, rules, maxEventBytes, ...(failOn ? { failOn } : {}) };
}

function problemPrinter(quiet: boolean | undefined): { onProblem: (p: InputProblem) => void; count: () => number } {
  let n = 0;
  return {
    onProblem: (p) => {
      n++;
      // The first problems name their line; a flood of them is summarised at the end.
      if (!quiet && n <= 20) process.stderr.write(`palisade: warning: ${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}\n`);
    },
    count: () => n,
  };
}

function summary(p: Prepared, extra: string): string {
  const s = p.engine.stats;
  const sev = (Object.entries(p.writer.bySeverity) as [string, number][]).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  const parts = [`${s.events} events (${s.requests} requests)`, `${s.alerts} alerts${sev.length ? ` (${sev.join(', ')})` : ''}`];
  if (s.exempt > 0) parts.push(`${s.exempt} exempt`);
  if (s.suppressed > 0) parts.push(`${s.suppressed} throttled`);
  if (s.ruleErrors > 0) parts.push(`${s.ruleErrors} rule errors (${[...p.engine.ruleErrors].map(([id, m]) => `${id}: ${m}`).join('; ')})`);
  return `palisade audit: ${parts.join(', ')}${extra}\n`;
}

function feed(p: Prepared, e: AuditEvent): void {
  for (const a of p.engine.process(e)) p.writer.add(a);
}

const EXIT_CODES = `
Exit codes (audit scan):
  0  no alert at or above --fail-on (or --fail-on not given)
  1  an alert at or above --fail-on; or, with --fail-on, input that could not be read
     (malformed or oversized records) unless --allow-incomplete is given
  2  usage or configuration error (bad flag, unknown rule, a custom rule that does not load, missing file)
  3  runtime error (unreadable file)
`;

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('detect threats in Kubernetes audit logs (files, a followed log, or the webhook backend)');

  addCommon(
    audit
      .command('scan')
      .description('scan audit log files (JSON lines, .gz, directories of rotated logs, EKS/GKE/AKS exports)')
      .argument('<file...>', 'audit log files or directories'),
    ['table', 'json', 'sarif'],
  )
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an alert is at or above this severity').choices([...SEVERITIES]))
    .option('--allow-incomplete', 'let --fail-on pass although some records could not be read')
    .addHelpText(
      'after',
      `${EXIT_CODES}
Examples:
  palisade audit scan /var/log/kubernetes/audit/ --fail-on high
  palisade audit scan audit.log.gz -f json | jq 'select(.severity == "critical")'
  palisade audit scan eks-cloudwatch-export.json -f sarif > audit.sarif
`,
    )
    .action(async (files: string[], flags: CommonFlags & { failOn?: Severity; allowIncomplete?: boolean }, cmd: Command) => {
      const p = await prepare(flags, cmd);
      const inputs = await expandInputs(files);
      const problems = problemPrinter(flags.quiet);
      for (const file of inputs) {
        const onSkip = (): void => p.engine.countSkipped();
        for await (const batch of readAuditBatches(file, { maxEventBytes: p.maxEventBytes, onProblem: problems.onProblem, onSkip }))
          for (const e of batch) feed(p, e);
      }
      await p.writer.finish();
      const unread = problems.count();
      if (!flags.quiet) process.stderr.write(summary(p, `, ${inputs.length} file(s)${unread > 0 ? `, ${unread} unreadable record(s)` : ''}`));
      if (p.failOn !== undefined) {
        if (p.writer.anyAtOrAbove(p.failOn)) process.exitCode = 1;
        else if (unread > 0 && !flags.allowIncomplete) {
          process.stderr.write(`palisade: ${unread} record(s) could not be read: failing the --fail-on gate (pass --allow-incomplete to accept)\n`);
          process.exitCode = 1;
        }
      }
    });

  addCommon(
    audit
      .command('watch')
      .description('follow a growing audit log (rotation and truncation handled), alerting as events arrive')
      .argument('<file>', 'the audit log'),
    ['table', 'json'],
  )
    .option('--from-start', 'read the file from its start instead of its end')
    .option('--poll-interval <duration>', 'how often to look for new data', '500ms')
    .action(async (file: string, flags: CommonFlags & { fromStart?: boolean; pollInterval: string }, cmd: Command) => {
      const p = await prepare(flags, cmd);
      const pollMs = parseDuration(flags.pollInterval, '--poll-interval');
      const problems = problemPrinter(flags.quiet);
      const ac = new AbortController();
      const stop = (): void => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let timer: NodeJS.Timeout | undefined;
      await followFile(file, {
        fromStart: flags.fromStart === true,
        pollMs,
        maxEventBytes: p.maxEventBytes,
        onEvent: (e) => {
          feed(p, e);
          timer ??= setTimeout(() => {
            timer = undefined;
            p.writer.flush();
          }, 0);
        },
        onProblem: problems.onProblem,
        onNotice: (m) => {
          if (!flags.quiet) process.stderr.write(`palisade audit watch: ${m}\n`);
        },
        signal: ac.signal,
      });
      if (timer) clearTimeout(timer);
      await p.writer.finish();
      if (!flags.quiet) process.stderr.write(summary(p, ''));
    });

  addCommon(
    audit
      .command('serve')
      .description("receive the API server's webhook audit backend (EventList batches over HTTPS) and alert")
      .addHelpText(
        'after',
        `
The API server is configured with --audit-webhook-config-file pointing at a kubeconfig whose
cluster.server is https://HOST:PORT/k8s-audit and whose user.token is the content of
--token-file (or a client certificate signed by --client-ca). See docs/audit.md.
`,
      ),
    ['table', 'json'],
  )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '9765')
    .option('--tls-cert <file>', 'PEM certificate (default: a self-signed one is generated)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--token-file <file>', 'file holding the bearer token the API server must send')
    .option('--client-ca <file>', 'require client certificates signed by this CA bundle (PEM)')
    .option('--allow-unauthenticated', 'accept requests without a token or client certificate (testing only)')
    .option('--max-body-size <size>', 'largest request body (one batch)', '12MB')
    .action(
      async (
        flags: CommonFlags & {
          host: string;
          port: string;
          tlsCert?: string;
          tlsKey?: string;
          tokenFile?: string;
          clientCa?: string;
          allowUnauthenticated?: boolean;
          maxBodySize: string;
        },
        cmd: Command,
      ) => {
        const port = Number(flags.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PalisadeError('usage', `--port ${flags.port}: not a port number`);
        const maxBodyBytes = parseSize(flags.maxBodySize);
        if (maxBodyBytes === undefined) throw new PalisadeError('usage', `--max-body-size ${flags.maxBodySize}: not a size`);
        if (flags.tokenFile === undefined && flags.clientCa === undefined && !flags.allowUnauthenticated)
          throw new PalisadeError(
            'usage',
            'audit serve needs --token-file or --client-ca so that only the API server can send events (or --allow-unauthenticated for a test)',
          );
        let token: string | undefined;
        if (flags.tokenFile !== undefined) {
          try {
            token = (await readFile(flags.tokenFile, 'utf8')).trim();
          } catch (err) {
            throw new PalisadeError('usage', `--token-file ${flags.tokenFile}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
          }
          if (token.length < 16) throw new PalisadeError('usage', `--token-file ${flags.tokenFile}: the token must be at least 16 characters`);
        }
        let clientCa: Buffer | undefined;
        if (flags.clientCa !== undefined) {
          try {
            clientCa = await readFile(flags.clientCa);
          } catch (err) {
            throw new PalisadeError('usage', `--client-ca ${flags.clientCa}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
          }
        }
        const p = await prepare(flags, cmd);
        const tls = await tlsPair(
          flags.tlsCert,
          flags.tlsKey,
          [...new Set([flags.host, '127.0.0.1', 'localhost'])].filter((h) => h !== '0.0.0.0' && h !== '::'),
        );
        const { server, address, stats } = await serveAudit({
          host: flags.host,
          port,
          cert: tls.cert,
          key: tls.key,
          ...(token !== undefined ? { token } : {}),
          ...(clientCa ? { clientCa } : {}),
          maxBodyBytes,
          onEvents: (events) => {
            for (const e of events) feed(p, e);
            p.writer.flush();
          },
          onProblem: (m) => {
            if (!flags.quiet) process.stderr.write(`palisade audit serve: refused: ${m}\n`);
          },
        });
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        process.stderr.write(
          `palisade audit serve: listening on https://${host}:${address.port}/k8s-audit (${tls.generated ? 'self-signed certificate' : 'certificate'} ${tls.certFile}, SHA-256 ${tls.fingerprint})\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            server.close(() => resolve());
            server.closeAllConnections();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await p.writer.finish();
        if (!flags.quiet) process.stderr.write(summary(p, `, ${stats.batches} batches, ${stats.rejected} refused requests`));
      },
    );

  audit
    .command('rules')
    .description('list the audit rules (built-in and --rules)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--rules <path>', 'custom audit rules: a YAML file or a directory (repeatable)', collectRaw, [])
    .action(async (flags: { format: 'table' | 'json'; rules: string[] }) => {
      const rules = [...builtinAuditRules, ...(await loadAuditRules(flags.rules))];
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify(rules.map(auditRuleMeta), null, 2)}\n`);
        return;
      }
      for (const r of rules)
        process.stdout.write(
          `${r.id.padEnd(10)} ${r.severity.padEnd(8)} ${r.name.padEnd(40)} ${r.frameworks.filter((f) => f.startsWith('mitre:')).join(',')}\n`,
        );
    });
}
