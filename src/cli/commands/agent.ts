/**
 * `palisade agent`: watches one cluster and pushes its scans to a central `palisade serve`
 * (src/agent/). Runs until SIGTERM or SIGINT; queued scans survive restarts.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { runAgent } from '../../agent/agent.js';
import { CONFIG_FILE_NAME, loadConfig } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
import { loadCustomChecks } from '../../custom/load.js';
import { printDiagnostics } from '../diagnostics.js';
import { collectList, collectRaw } from '../flags.js';
import { parseDuration } from './snapshot.js';

interface AgentFlags {
  server?: string;
  tokenFile?: string;
  clusterName?: string;
  inCluster?: boolean;
  context?: string;
  kubeconfig?: string;
  bufferDir?: string;
  fullEvery: string;
  caFile?: string;
  retryMax: string;
  config?: string;
  checksDir: string[];
  include: string[];
  exclude: string[];
  namespace: string[];
  excludeNamespace: string[];
  secrets: boolean;
  quiet?: boolean;
}

/** `$XDG_STATE_HOME/palisade/agent`, else `~/.local/state/palisade/agent`. */
export function defaultBufferDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const state = env.XDG_STATE_HOME !== undefined && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(env.HOME ?? homedir(), '.local', 'state');
  return join(state, 'palisade', 'agent');
}

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('watch a cluster and push its scans to a central palisade serve (POST /api/v1/ingest)')
    .option('--server <url>', 'URL of palisade serve, e.g. https://palisade.example.com:8443 (required)')
    .option('--token-file <file>', 'file holding an API token with the agent role (required; re-read before each push)')
    .option('--cluster-name <name>', 'name the scans are recorded under (default: the context name, or in-cluster)')
    .option('--in-cluster', "use the pod's service account instead of a kubeconfig")
    .option('--context <name>', 'kubeconfig context to watch (default: the current context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--buffer-dir <dir>', 'directory of the outbox of unsent scans (default: $XDG_STATE_HOME/palisade/agent)')
    .option('--full-every <duration>', 'interval of full scans (incremental scans run on every change)', '6h')
    .option('--ca-file <file>', 'PEM CA certificate(s) to trust for --server')
    .option('--retry-max <duration>', 'longest wait between two attempts to push (exponential back-off with jitter from 1s)', '60s')
    .option('-c, --config <file>', `configuration file (default: ./${CONFIG_FILE_NAME} when present)`)
    .addOption(new Option('--checks-dir <dir>', 'load custom checks from a directory; repeatable').argParser(collectRaw).default([]))
    .addOption(new Option('--include <checks>', 'only run these checks (comma-separated, repeatable)').argParser(collectList).default([]))
    .addOption(new Option('--exclude <checks>', 'do not run these checks (comma-separated, repeatable)').argParser(collectList).default([]))
    .addOption(new Option('-n, --namespace <ns>', 'only these namespaces (comma-separated, repeatable)').argParser(collectList).default([]))
    .addOption(new Option('--exclude-namespace <ns>', 'never these namespaces (comma-separated, repeatable)').argParser(collectList).default([]))
    .option('--no-secrets', 'neither list nor watch Secrets')
    .option('-q, --quiet', 'no JSON line per scan on stdout')
    .addHelpText(
      'after',
      `
Scans are written to the outbox (one file each, fsynced) before they are pushed, and removed
once the server stored them: nothing is lost while the server is down or the agent restarts,
and nothing is stored twice (each push carries agentId:scanId:sequence).

Logs: one JSON line per event on stdout (started, queued, sent, retry, rejected); problems on stderr.
Exit codes: 2 usage or configuration error, 3 runtime error (cluster unreachable, credentials refused).

Examples:
  palisade agent --server https://palisade.example.com:8443 --token-file /etc/palisade/token --in-cluster --cluster-name prod
  palisade agent --server https://127.0.0.1:8443 --ca-file ca.crt --token-file token --context staging`,
    )
    .action(async (flags: AgentFlags) => {
      const warn = (line: string): void => {
        process.stderr.write(`palisade: ${line}\n`);
      };
      if (flags.server === undefined) throw new PalisadeError('usage', '--server is required (the URL of palisade serve)');
      if (flags.tokenFile === undefined) throw new PalisadeError('usage', '--token-file is required (a file holding an agent token)');
      if (flags.inCluster && (flags.context !== undefined || flags.kubeconfig !== undefined))
        throw new PalisadeError('usage', '--in-cluster cannot be combined with --context or --kubeconfig');
      const fullEvery = parseDuration(flags.fullEvery);
      if (fullEvery === undefined) throw new PalisadeError('usage', `--full-every: "${flags.fullEvery}" is not a duration such as 6h`);
      if (fullEvery < 60_000) throw new PalisadeError('usage', `--full-every: ${flags.fullEvery} is shorter than a minute`);
      const retryMax = parseDuration(flags.retryMax);
      if (retryMax === undefined) throw new PalisadeError('usage', `--retry-max: "${flags.retryMax}" is not a duration such as 60s`);
      const config = await loadConfig(flags.config ?? CONFIG_FILE_NAME, flags.config !== undefined);
      const custom = await loadCustomChecks([...config.checksDirs, ...flags.checksDir.map((d) => resolve(d))]);
      printDiagnostics(custom.diagnostics);
      const log = flags.quiet
        ? undefined
        : (event: Readonly<Record<string, unknown>>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
      const agent = await runAgent({
        server: flags.server,
        tokenFile: flags.tokenFile,
        bufferDir: resolve(flags.bufferDir ?? defaultBufferDir()),
        ...(flags.caFile !== undefined ? { caFile: flags.caFile } : {}),
        backoff: { initialMs: Math.min(1000, retryMax), maxMs: retryMax },
        monitor: {
          ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
          ...(flags.context !== undefined ? { context: flags.context } : {}),
          ...(flags.inCluster ? { inCluster: true } : {}),
          ...(flags.clusterName !== undefined ? { clusterName: flags.clusterName } : {}),
          fullEvery,
          scan: { config, include: flags.include, exclude: flags.exclude, extraChecks: custom.checks },
          ...(flags.namespace.length > 0 ? { namespaces: flags.namespace } : {}),
          ...(flags.excludeNamespace.length > 0 ? { excludeNamespaces: flags.excludeNamespace } : {}),
          ...(flags.secrets === false ? { secrets: false } : {}),
        },
        warn,
        ...(log ? { log } : {}),
      });
      await new Promise<void>((done) => {
        const stop = (signal: string): void => {
          warn(`${signal}: stopping; unsent scans stay in the outbox`);
          void agent.stop().then(done);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
